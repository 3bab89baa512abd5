"""Refreshing a strategy for the next year: the planner makes the new strategy from the old
one and chooses the actions to carry forward, ongoing and unfinished ones proposed.

The new strategy is written by `actions.services.strategy_refresh`; this module proposes
(from each action's state in the strategy's latest quarter) and validates the choice.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from actions import services
from actions.models import Action
from actions.services import Carried
from outcomes.models import Strategy
from reporting import selectors, words
from workforce.roles import planner_required

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]


@dataclass
class Candidate:
    """An action of the old strategy as the refresh page lists it."""

    action: Action
    state: str
    proposed: bool


def candidates(strategy: Strategy) -> list[Candidate]:
    """The strategy's actions in document order with their state in its open quarter (else its
    latest); ongoing actions and those not complete or cancelled are proposed. Two queries."""
    period = selectors.period_to_report(list(selectors.periods_for_strategy(strategy)))
    actions = selectors.actions_as_at([period] if period else [], Action.objects.filter(strategy=strategy))
    result = []
    for action in actions.order_by("order", "reference"):
        unfinished = not selectors.is_finished(action.status_as_at)
        state = words.state_words(action, period) if period else "No quarter yet"
        if action.is_ongoing:
            state = f"Ongoing; {state[0].lower()}{state[1:]}"
        result.append(Candidate(action, state, proposed=action.is_ongoing or unfinished))
    return result


def shift_years(text: str, years: int) -> str:
    """`text` with its years moved on: "Strategy 2016/17" by 1 is "Strategy 2017/18"; a
    two-digit year after a four-digit one ("2016-17") moves with it."""

    def moved(match: re.Match) -> str:
        first = int(match.group(1)) + years
        second = match.group(3)
        if second is None:
            return str(first)
        width = len(second)
        later = (int(second) + years) % (10**width) if width == 2 else int(second) + years
        return f"{first}{match.group(2)}{later:0{width}d}"

    return re.sub(r"\b((?:19|20)\d\d)(?:([/-])(\d{4}|\d{2})\b)?", moved, text)


def suggestions(source: Strategy) -> dict:
    """The new strategy's details as the old one's moved on by its own length."""
    years = max(1, round((source.period_end - source.period_start).days / 365.25))
    start = source.period_end + timedelta(days=1)
    return {
        "title": shift_years(source.title, years),
        "slug": shift_years(source.slug, years),
        "period_label": shift_years(source.period_label, years),
        "period_start": start,
        "period_end": _years_later(source.period_end, years),
    }


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class StrategyRefreshForm(forms.Form):
    """The new strategy's details, then for each old action: carry it forward, its new
    reference and its new timescale. Field names come from the actions' ids, never from input."""

    title = forms.CharField(
        label="Title", max_length=300, error_messages={"required": "Enter the new strategy's title"}
    )
    slug = forms.SlugField(
        label="Short name",
        max_length=100,
        help_text="Used in addresses: lower-case letters, numbers and hyphens, for example leicestershire-cfs-2017-18.",
        error_messages={
            "required": "Enter a short name",
            "invalid": "The short name can only have lower-case letters, numbers, hyphens and underscores",
        },
    )
    period_label = forms.CharField(
        label="Period",
        max_length=30,
        help_text="As the document writes it, for example 2017/18 or 2017-2020.",
        error_messages={"required": "Enter the period the strategy covers"},
    )
    period_start = forms.DateField(
        label="Period start",
        input_formats=DATE_FORMATS,
        help_text="For example, 1/4/2017",
        error_messages={
            "required": "Enter the date the period starts",
            "invalid": "Enter the start as a date, for example 1/4/2017",
        },
    )
    period_end = forms.DateField(
        label="Period end",
        input_formats=DATE_FORMATS,
        help_text="For example, 31/3/2018",
        error_messages={
            "required": "Enter the date the period ends",
            "invalid": "Enter the end as a date, for example 31/3/2018",
        },
    )

    def __init__(self, *args, source: Strategy, rows: list[Candidate], **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["autocomplete"] = "off"  # new values, not the browser's memory
        self.source, self.rows = source, rows
        reference_length = Action._meta.get_field("reference").max_length
        timescale_length = Action._meta.get_field("timescale").max_length
        for row in rows:
            action = row.action
            self.fields[f"carry_{action.pk}"] = forms.BooleanField(
                label=f"Carry forward action {action.reference}", required=False, initial=row.proposed
            )
            self.fields[f"reference_{action.pk}"] = forms.CharField(
                label=f"New reference for action {action.reference}",
                max_length=reference_length,
                required=False,
                initial=action.reference,
                error_messages={
                    "max_length": f"The new reference for {action.reference} must be "
                    "%(limit_value)d characters or fewer"
                },
            )
            self.fields[f"timescale_{action.pk}"] = forms.CharField(
                label=f"New timescale for action {action.reference}",
                max_length=timescale_length,
                required=False,
                initial=action.timescale,
                error_messages={
                    "max_length": f"The timescale for {action.reference} must be %(limit_value)d characters or fewer"
                },
            )
        if not self.is_bound:
            for name, value in suggestions(source).items():
                # Dates as the field reads them back: the page's inputs are plain text.
                self.fields[name].initial = f"{value:%-d/%-m/%Y}" if isinstance(value, date) else value

    def row_fields(self) -> list[tuple[Candidate, forms.BoundField, tuple[forms.BoundField, forms.BoundField]]]:
        """Each action with its checkbox and its two inputs, as the page's table shows them."""
        return [
            (
                row,
                self[f"carry_{row.action.pk}"],
                (self[f"reference_{row.action.pk}"], self[f"timescale_{row.action.pk}"]),
            )
            for row in self.rows
        ]

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if Strategy.objects.filter(slug=slug).exists():
            raise forms.ValidationError("A strategy already has this short name: choose another")
        return slug

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and start <= self.source.period_start:
            self.add_error(
                "period_start",
                f"The new period must start after {self.source.period_start:%-d/%-m/%Y}, "
                f"when {self.source.period_label} started",
            )
        if start and end and end < start:
            self.add_error("period_end", "The period must end after it starts")
        seen: dict[str, str] = {}
        for row in self.rows:
            pk, old = row.action.pk, row.action.reference
            if not data.get(f"carry_{pk}"):
                continue
            reference = (data.get(f"reference_{pk}") or "").strip()
            if f"reference_{pk}" in self.errors:
                continue
            if start and f"timescale_{pk}" not in self.errors:
                carried = Carried(row.action, reference, data.get(f"timescale_{pk}") or "")
                if message := services.carried_timescale_error(carried, start):
                    self.add_error(f"timescale_{pk}", message)
            if not reference:
                self.add_error(f"reference_{pk}", f"Enter a new reference for action {old}, or do not carry it forward")
            elif reference in seen:
                self.add_error(
                    f"reference_{pk}", f"The new reference {reference} is also given to action {seen[reference]}"
                )
            else:
                seen[reference] = old
        return data

    def carried(self) -> list[Carried]:
        """The chosen actions with their new references and timescales (a valid form's)."""
        return [
            Carried(
                row.action,
                self.cleaned_data[f"reference_{row.action.pk}"],
                self.cleaned_data[f"timescale_{row.action.pk}"],
            )
            for row in self.rows
            if self.cleaned_data[f"carry_{row.action.pk}"]
        ]


@login_required
@require_http_methods(["GET", "POST"])
def strategy_refresh_view(request: HttpRequest, strategy: str) -> HttpResponse:
    """The refresh page (GET) and the new strategy's creation (POST), for planners."""
    planner_required(request.user, "refresh a strategy")  # to read the page; the service refuses the write itself
    source = get_object_or_404(Strategy, slug=strategy)
    rows = candidates(source)
    form = StrategyRefreshForm(request.POST or None, source=source, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.strategy_refresh(
                source=source,
                user=request.user,
                carried=form.carried(),
                **{
                    name: form.cleaned_data[name]
                    for name in ("title", "slug", "period_label", "period_start", "period_end")
                },
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            count = len(form.carried())
            messages.success(
                request,
                f"{new.title} is made, with {count} action{'s' if count != 1 else ''} carried forward from "
                f"{source.period_label}. Open its first quarter when updates are due.",
            )
            return redirect(f"{reverse('reporting:list')}?strategy={new.pk}")
    return render(
        request,
        "reporting/refresh.html",
        {"source": source, "form": form, "rows": form.row_fields(), "proposed": sum(r.proposed for r in rows)},
    )
