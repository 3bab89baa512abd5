"""Filters for the action lists, on the actions' state in the quarter being reported."""

import django_filters
from django import forms
from django.db.models import Q

from actions.models import Action
from outcomes.models import Outcome, Strategy
from reporting import selectors
from reporting.models import RAG
from reporting.words import STATUS_FILTER_CHOICES, YES_NO_CHOICES
from strategy_tracker.search import search_refusal, search_words
from workforce.models import Team

#: An id in the address longer than this is no record's id (and int() of thousands of
#: digits is refused by Python itself).
ID_MAX_DIGITS = 18


def validate_search(value: str) -> None:
    """Refuse a search past the limits (outcomes.limits), naming the limit, before any query is built."""
    refusal = search_refusal(value)
    if refusal is not None:
        raise forms.ValidationError(refusal, code="search_too_long")


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="filter_search", validators=[validate_search])
    strategy = django_filters.ModelChoiceFilter(queryset=Strategy.objects.only("id", "title"), empty_label="All")
    outcome = django_filters.ModelChoiceFilter(
        queryset=Outcome.objects.select_related("strategy").only("id", "number", "title", "strategy__slug"),
        empty_label="All",
        method="filter_outcome",
    )
    lead_team = django_filters.ModelChoiceFilter(
        label="Lead team", field_name="lead_teams", queryset=Team.objects.only("id", "name"), empty_label="All"
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=STATUS_FILTER_CHOICES, method="filter_state", empty_label="All"
    )
    rag = django_filters.ChoiceFilter(label="RAG", choices=RAG.choices, method="filter_state", empty_label="All")
    overdue = django_filters.ChoiceFilter(
        label="Overdue", choices=YES_NO_CHOICES, method="filter_state", empty_label="All"
    )
    needs_update = django_filters.ChoiceFilter(
        label="Needs an update", choices=YES_NO_CHOICES, method="filter_state", empty_label="All"
    )

    class Meta:
        model = Action
        fields = ["q", "strategy", "outcome", "lead_team", "status", "rag", "overdue", "needs_update"]

    def __init__(self, data=None, queryset=None, *, listed=None, **kwargs):
        """`listed`: the actions the page lists before any filter; the choices of strategy,
        outcome and lead team are only those that occur in it (one query each)."""
        super().__init__(data, queryset, **kwargs)
        if listed is not None:
            chosen = {name: self._chosen(name) for name in ("strategy", "outcome", "lead_team")}
            self.filters["strategy"].queryset = Strategy.objects.filter(
                Q(pk__in=listed.values("strategy_id")) | Q(pk=chosen["strategy"])
            ).only("id", "title")
            self.filters["outcome"].queryset = (
                Outcome.objects.filter(Q(pk__in=listed.values("outcome_id")) | Q(pk=chosen["outcome"]))
                .select_related("strategy")
                .only("id", "number", "title", "strategy__slug")
            )
            leads = Action.lead_teams.through.objects.filter(action__in=listed.values("pk")).values("team_id")
            self.filters["lead_team"].queryset = Team.objects.filter(Q(pk__in=leads) | Q(pk=chosen["lead_team"])).only(
                "id", "name"
            )

    def _chosen(self, name: str) -> int | None:
        """The id asked for in the address, kept as a choice: a dashboard count links to an
        outcome with no actions, which must list none rather than fail to filter."""
        value = str((self.data or {}).get(name, ""))
        return int(value) if value.isdigit() and len(value) <= ID_MAX_DIGITS else None

    def filter_search(self, queryset, name, value):
        # The form has already refused a search over the limits (validate_search).
        for word in search_words(value):
            queryset = queryset.filter(
                Q(reference__icontains=word) | Q(description__icontains=word) | Q(timescale__icontains=word)
            )
        return queryset

    def filter_outcome(self, queryset, name, value):
        return selectors.filter_outcome(queryset, value.pk)

    def filter_state(self, queryset, name, value):
        return selectors.filter_state(queryset, name, value)

    @property
    def qs(self):
        # A lead team filter joins the many-to-many table: keep each action once.
        queryset = super().qs
        if "q" in self.form.errors:  # a refused search lists nothing; the form says why
            return queryset.none()
        return queryset.distinct() if self.form.cleaned_data.get("lead_team") else queryset


def govuk_widgets(form: forms.Form) -> forms.Form:
    for name, field in form.fields.items():
        css = "govuk-input" if isinstance(field.widget, forms.TextInput) else "govuk-select"
        if form.is_bound and name in form.errors:  # a search over the limits, say
            css += f" {css}--error"
            field.widget.attrs["aria-describedby"] = f"{form[name].auto_id}-error"
        field.widget.attrs.setdefault("class", css)
    return form
