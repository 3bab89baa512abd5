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
from actions.word_import import FIELDS, Mapping, load_plan, suggest_field
from actions.word_tables import read_tables
from outcomes.models import Strategy
from outcomes.spreadsheets import SpreadsheetRefused, check_upload_size
from strategy_tracker import pace
from workforce.models import Team

KEPT_FOR = 3600
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
    """A checkbox per table, its header rows, and a field per column (suggested from the header)."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, tables, **kwargs):
        super().__init__(*args, **kwargs)
        self.tables = tables
        self.layout = []
        for t, table in enumerate(tables, start=1):
            headers = [text for text, _ in table[0]]
            suggested = [suggest_field(header) for header in headers]
            self.fields[f"use_{t}"] = forms.BooleanField(
                label=f"Load table {t}", required=False, initial=len(table) > 1 and any(suggested)
            )
            self.fields[f"header_rows_{t}"] = forms.IntegerField(
                label=f"Header rows in table {t}", min_value=0, max_value=5, initial=1
            )
            columns = []
            for c, header in enumerate(headers, start=1):
                name = f"column_{t}_{c}"
                shown = re.sub(r"\s+", " ", header)[:60] or "no header"
                self.fields[name] = forms.ChoiceField(
                    label=f"Table {t}, column {c} ({shown})",
                    choices=list(FIELDS.items()),
                    required=False,
                    initial=suggested[c - 1],
                )
                columns.append(self[name])
            sample = [[text for text, _ in row] for row in table[1:4]]
            self.layout.append(
                {
                    "number": t,
                    "use": self[f"use_{t}"],
                    "header_rows": self[f"header_rows_{t}"],
                    "columns": columns,
                    "headers": headers,
                    "sample": sample,
                }
            )

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"use_{t}") for t in range(1, len(self.tables) + 1)):
            raise forms.ValidationError("Pick at least one table that holds the plan.", code="no_table")
        for t in range(1, len(self.tables) + 1):
            if cleaned.get(f"use_{t}"):
                columns = [cleaned.get(f"column_{t}_{c}", "") for c in range(1, len(self.tables[t - 1][0]) + 1)]
                if "action" not in columns:
                    self.add_error(f"use_{t}", f"Table {t}: map one column to Action (How we will…).")
        return cleaned

    def mappings(self) -> list[Mapping]:
        return [
            Mapping(
                table=t,
                header_rows=self.cleaned_data[f"header_rows_{t}"],
                columns=[self.cleaned_data.get(f"column_{t}_{c}", "") for c in range(1, len(table[0]) + 1)],
            )
            for t, table in enumerate(self.tables, start=1)
            if self.cleaned_data.get(f"use_{t}")
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
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            token = secrets.token_urlsafe(24)
            held = {"strategy": form.cleaned_data["strategy"].pk, "tables": form.tables}
            cache.set(_key(request, token), held, KEPT_FOR)
            mapping = MappingForm(initial={"token": token}, tables=form.tables)
            return _render(request, context, "map", mapping=mapping, strategy=form.cleaned_data["strategy"])
        return _render(request, context, "upload", upload=form)

    token = request.POST.get("token", "")
    held = _held(request, token)
    strategy = Strategy.objects.filter(pk=held["strategy"]).first() if held else None
    if strategy is None:
        return _render(request, context, "upload", upload=UploadForm(), expired=EXPIRED)
    mapping = MappingForm(request.POST, tables=held["tables"])
    if not mapping.is_valid():
        return _render(request, context, "map", mapping=mapping, strategy=strategy)
    save = step == "save"
    records = load_plan(strategy, held["tables"], mapping.mappings(), user=request.user, save=save)
    failed = [record for record in records if record.errors]
    if save and not failed and records:
        cache.delete(_key(request, token))
        messages.success(request, f"{len(records)} actions loaded into {strategy}.")
        return HttpResponseRedirect(reverse("admin:outcomes_strategy_change", args=[strategy.pk]))
    return _render(request, context, "preview", mapping=mapping, strategy=strategy, records=records, failed=failed)


def _render(request, context, step, **extra):
    return TemplateResponse(request, "admin/actions/word_import.html", {**context, "step": step, **extra})
