"""The refresh page's form: the new strategy's details, suggested from the old one's, and
the actions to carry forward with their new references and timescales, validated.

The page is `reporting.refresh_views`; the actions it lists and proposes are read by
`reporting.action_selectors.refresh_candidates`; the new strategy is written by
`actions.services.strategy_refresh`.
"""

import re
from datetime import date, timedelta

from django import forms

from actions import services
from actions.models import Action
from actions.services import Carried
from outcomes.models import Strategy
from reporting.action_selectors import Candidate

DATE_FORMATS = ["%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]


def written(day: date) -> str:
    """A date as GOV.UK writes it, and as the page's date fields read it back: "1 April 2017"."""
    return f"{day:%-d %B %Y}"


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


def strategy_years(source: Strategy) -> int:
    """How many years a strategy covers (at least one): how far a refresh moves it on."""
    return max(1, round((source.period_end - source.period_start).days / 365.25))


def proposed_timescale(action: Action, years: int, period_start: date) -> tuple[str, str]:
    """The new timescale proposed for carrying `action` into a period starting `period_start`,
    `years` after its own, with a hint for the page ("" if none).

    Its timescale as it stands if that does not end before the new period (ongoing, unreadable
    or still running); otherwise moved on by `years`, as the title is; otherwise blank, with
    the old timescale named in the hint, for the planner to give. Each proposal is one that
    `services.carried_timescale_error` accepts, so the page submitted as proposed succeeds.
    """
    old = action.timescale.strip()
    if not old or not services.carried_timescale_error(Carried(action, action.reference, old), period_start):
        return old, ""
    moved = shift_years(old, years)
    if moved != old and not services.carried_timescale_error(Carried(action, action.reference, moved), period_start):
        return moved, f"Was “{old}”"
    return "", f"Was “{old}”, which ends before {written(period_start)}"


def suggestions(source: Strategy) -> dict:
    """The new strategy's details as the old one's moved on by its own length."""
    years = strategy_years(source)
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
        help_text="For example, 1 April 2017",
        error_messages={
            "required": "Enter the date the period starts",
            "invalid": "Enter the start as a date, for example 1 April 2017",
        },
    )
    period_end = forms.DateField(
        label="Period end",
        input_formats=DATE_FORMATS,
        help_text="For example, 31 March 2018",
        error_messages={
            "required": "Enter the date the period ends",
            "invalid": "Enter the end as a date, for example 31 March 2018",
        },
    )

    def __init__(self, *args, source: Strategy, rows: list[Candidate], **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["autocomplete"] = "off"  # new values, not the browser's memory
        self.source, self.rows = source, rows
        suggested = suggestions(source)
        self.timescale_hints: dict[int, str] = {}
        reference_length = Action._meta.get_field("reference").max_length
        timescale_length = Action._meta.get_field("timescale").max_length
        for row in rows:
            action = row.action
            timescale, self.timescale_hints[action.pk] = proposed_timescale(
                action, strategy_years(source), suggested["period_start"]
            )
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
                initial=timescale,
                error_messages={
                    "max_length": f"The timescale for {action.reference} must be %(limit_value)d characters or fewer"
                },
            )
        if not self.is_bound:
            for name, value in suggested.items():
                # Dates as the field reads them back: the page's inputs are plain text.
                self.fields[name].initial = written(value) if isinstance(value, date) else value

    def row_fields(
        self,
    ) -> list[tuple[Candidate, forms.BoundField, tuple[forms.BoundField, forms.BoundField], str]]:
        """Each action with its checkbox, its two inputs and the hint for its proposed
        timescale, as the page's table shows them."""
        return [
            (
                row,
                self[f"carry_{row.action.pk}"],
                (self[f"reference_{row.action.pk}"], self[f"timescale_{row.action.pk}"]),
                self.timescale_hints[row.action.pk],
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
                f"The new period must start after {written(self.source.period_start)}, "
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
