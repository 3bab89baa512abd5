"""The admin's three steps for loading a plan from a Word document: upload, map, preview.

The tables read from the upload are kept in the shared cache under a random token, for the
planner who uploaded them only, until the load is saved or an hour has passed.
"""

from __future__ import annotations

import re
import secrets

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from actions.pdf_tables import read_pdf_tables
from actions.plan_columns import FIELDS, MAX_HEADER_ROWS, headers_of, plans_from, suggest_column
from actions.word_import import Mapping, load_plan
from actions.word_tables import read_tables
from outcomes.models import Outcome, Strategy
from outcomes.spreadsheets import SpreadsheetRefused, check_upload_size
from strategy_tracker import pace
from workforce.models import Team

KEPT_FOR = 3600
NEW_OUTCOME = "Action plan"
EXPIRED = "The uploaded document is no longer held (an hour has passed, or it was loaded). Upload it again."


class UploadForm(forms.Form):
    strategy = forms.ModelChoiceField(
        queryset=Strategy.objects.order_by("-period_start", "title"),
        label="Strategy",
        help_text="Create the strategy first; its plan is loaded from the document.",
    )
    document = forms.FileField(
        label="Word document (.docx) or PDF",
        help_text="The document whose table(s) hold the plan: the Word document, or the PDF published from it.",
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if not upload.name.lower().endswith((".docx", ".pdf")):
            raise forms.ValidationError(
                "Choose a Word document saved as .docx, or a PDF (not .doc or any other type).", code="type"
            )
        try:
            check_upload_size(upload)  # before a byte is read
            if upload.name.lower().endswith(".pdf"):  # the lead teams' names tell where a PDF cell's lines break
                self.tables = read_pdf_tables(upload, names=Team.objects.values_list("name", flat=True))
            else:
                self.tables = read_tables(upload)
        except SpreadsheetRefused as refusal:
            raise forms.ValidationError(str(refusal), code="refused") from refusal
        return upload


class MappingForm(forms.Form):
    """A plan a fieldset (tables with the same header are one plan): whether to load it, its
    header rows, and a field per column, suggested from the header and the cells; then the
    outcome for the actions of a plan with no outcome column."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    outcome = forms.ChoiceField(
        label="Outcome for a plan with no outcome column",
        required=False,
        help_text="The actions of a plan with no outcome column load into this outcome.",
    )
    new_outcome = forms.CharField(
        label="Name of the new outcome",
        required=False,
        max_length=300,
        initial=NEW_OUTCOME,
        help_text=(
            f'Used when a new outcome is chosen above ("{NEW_OUTCOME}" if left blank). '
            "You can rename it later in the admin."
        ),
    )

    def __init__(self, *args, tables, strategy, team_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.tables, self.plans = tables, plans_from(tables)
        self.strategy_outcomes = {str(o.pk): o for o in strategy.outcomes.order_by("number")}
        self.fields["outcome"].choices = [("new", "A new outcome, named below")] + [
            (pk, f"{o.number}. {o.title}"[:120]) for pk, o in self.strategy_outcomes.items()
        ]
        self.fields["outcome"].initial = "new"
        self.layout = []
        for p, plan in enumerate(self.plans, start=1):
            suggested = [
                suggest_column(header, plan.cells(tables, c), team_names=team_names)
                for c, header in enumerate(plan.headers)
            ]
            self.fields[f"use_{p}"] = forms.BooleanField(
                label=f"Load plan {p}", required=False, initial="action" in suggested
            )
            self.fields[f"header_rows_{p}"] = forms.IntegerField(
                label=f"Header rows of plan {p}",
                min_value=0,
                max_value=MAX_HEADER_ROWS,
                initial=plan.header_rows,
                help_text="The rows at the top of each of its tables that name the columns.",
            )
            columns = []
            for c, header in enumerate(plan.headers, start=1):
                name = f"column_{p}_{c}"
                shown = re.sub(r"\s+", " ", header)[:60] or "no header"
                self.fields[name] = forms.ChoiceField(
                    label=f"Plan {p}, column {c} ({shown})",
                    choices=list(FIELDS.items()),
                    required=False,
                    initial=suggested[c - 1],
                )
                columns.append(self[name])
            first = tables[plan.tables[0] - 1]
            self.layout.append(
                {
                    "number": p,
                    "tables": plan.tables,
                    "use": self[f"use_{p}"],
                    "header_rows": self[f"header_rows_{p}"],
                    "columns": columns,
                    "headers": plan.headers,
                    "sample": [[text for text, _ in row] for row in first[plan.header_rows : plan.header_rows + 3]],
                }
            )

    def clean(self):
        cleaned = super().clean()
        used = [p for p in range(1, len(self.plans) + 1) if cleaned.get(f"use_{p}")]
        if not used:
            raise forms.ValidationError("Pick at least one plan to load.", code="no_table")
        for p in used:
            columns = self.columns(p)
            if "action" not in columns:
                self.add_error(f"use_{p}", f"Plan {p}: map one column to Action (How we will…).")
        return cleaned

    @property
    def asks_outcome(self) -> bool:
        """Whether a plan to load has no outcome column (as shown, or as posted): only then
        does the page ask which outcome its actions load into."""
        for p, plan in enumerate(self.plans, start=1):
            columns = [self[f"column_{p}_{c}"].value() for c in range(1, len(plan.headers) + 1)]
            if self[f"use_{p}"].value() and "outcome" not in columns:
                return True
        return False

    def columns(self, p: int) -> list[str]:
        return [self.cleaned_data.get(f"column_{p}_{c}", "") for c in range(1, len(self.plans[p - 1].headers) + 1)]

    def mappings(self) -> list[Mapping]:
        mappings = []
        for p, plan in enumerate(self.plans, start=1):
            if not self.cleaned_data.get(f"use_{p}"):
                continue
            count = self.cleaned_data[f"header_rows_{p}"]
            headers = plan.headers if count == plan.header_rows else headers_of(self.tables[plan.tables[0] - 1], count)
            mappings.append(
                Mapping(
                    table=plan.tables[0],
                    more_tables=tuple(plan.tables[1:]),
                    header_rows=count,
                    columns=self.columns(p),
                    headers=headers,
                )
            )
        return mappings

    def outcome_for_rows_without(self) -> Outcome | str | None:
        """The outcome for the actions of a plan with no outcome column (one of the strategy's,
        or the new one's title); None when every plan loaded has an outcome column."""
        if all("outcome" in mapping.columns for mapping in self.mappings()):
            return None
        picked = self.cleaned_data.get("outcome") or "new"
        if picked in self.strategy_outcomes:
            return self.strategy_outcomes[picked]
        return (self.cleaned_data.get("new_outcome") or "").strip() or NEW_OUTCOME

    def columns_became(self) -> list[dict]:
        """What each column of each plan loaded became, for the preview."""
        return [
            {
                "plan": mapping.plan(self.tables),
                "columns": [
                    (header or "(no header)", FIELDS[name])
                    for header, name in zip(mapping.headers, mapping.columns, strict=False)
                ],
                "outcome_column": "outcome" in mapping.columns,
                "recommendation_column": "recommendation" in mapping.columns,
                "measure_column": "measure" in mapping.columns,
                "reference_column": "reference" in mapping.columns,
            }
            for mapping in self.mappings()
        ]


def _key(request, token: str) -> str:
    return f"word-import:{request.user.pk}:{token}"


def _held(request, token: str):
    if not re.fullmatch(r"[A-Za-z0-9_-]{20,64}", token or ""):
        return None
    return cache.get(_key(request, token))


def word_import_view(model_admin, request):
    """Upload (GET, or POST with the file), then map (POST step "preview"), then save (step "save").

    Each POST reads the document or loads the plan: paced per planner (`strategy_tracker.pace`),
    the upload and the preview counted towards the minute, the save not (so a preview that
    was allowed can always be saved)."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    if request.method != "POST":
        return _word_import(model_admin, request)
    try:
        with pace.paced(request.user, pace.IMPORT, count=request.POST.get("step") != "save"):
            response = _word_import(model_admin, request)
            if hasattr(response, "render"):
                response.render()  # the preview's rows, while the pace's lock is held
            return response
    except pace.PaceExceeded as refusal:
        return pace.refusal_page(request, refusal, links=((request.path, "Back to the Word import"),))


def _word_import(model_admin, request):
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Load a plan from a Word document",
    }
    step = request.POST.get("step", "upload") if request.method == "POST" else "upload"
    if step == "upload":
        opened_from = request.GET.get("strategy", "")  # the strategy's page links here with its own
        initial = {"strategy": opened_from} if opened_from.isdigit() else {}
        form = UploadForm(request.POST or None, request.FILES or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            token = secrets.token_urlsafe(24)
            held = {"strategy": form.cleaned_data["strategy"].pk, "tables": form.tables}
            cache.set(_key(request, token), held, KEPT_FOR)
            strategy = form.cleaned_data["strategy"]
            mapping = MappingForm(initial={"token": token}, tables=form.tables, strategy=strategy, team_names=_teams())
            return _render(request, context, "map", mapping=mapping, strategy=strategy)
        return _render(request, context, "upload", upload=form)

    token = request.POST.get("token", "")
    held = _held(request, token)
    strategy = Strategy.objects.filter(pk=held["strategy"]).first() if held else None
    if strategy is None:
        return _render(request, context, "upload", upload=UploadForm(), expired=EXPIRED)
    mapping = MappingForm(request.POST, tables=held["tables"], strategy=strategy, team_names=_teams())
    if not mapping.is_valid():
        return _render(request, context, "map", mapping=mapping, strategy=strategy)
    save = step == "save"
    outcome = mapping.outcome_for_rows_without()
    records = load_plan(strategy, held["tables"], mapping.mappings(), user=request.user, save=save, outcome=outcome)
    failed = [record for record in records if record.errors]
    if save and not failed and records:
        cache.delete(_key(request, token))
        messages.success(request, f"{len(records)} actions loaded into {strategy}.")
        return HttpResponseRedirect(reverse("admin:outcomes_strategy_change", args=[strategy.pk]))
    return _render(
        request,
        context,
        "preview",
        mapping=mapping,
        strategy=strategy,
        records=records,
        failed=failed,
        became=mapping.columns_became(),
        outcome=outcome,
    )


def _teams() -> list[str]:
    """The names of the teams the product knows: a column of them is lead teams, not people."""
    return list(Team.objects.values_list("name", flat=True))


def _render(request, context, step, **extra):
    return TemplateResponse(request, "admin/actions/word_import.html", {**context, "step": step, **extra})
