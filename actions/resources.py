"""Spreadsheets of actions: the document's "How we will…" table, one action a row.

A row names its strategy by short name, its outcome and recommendation by their numbers,
and its lead teams by name, separated by ";". Rows are matched on strategy and reference,
so importing a spreadsheet again updates the actions in place. The start date, due date
and ongoing flag are read from the timescale as written unless the row gives them (a row
that changes the timescale but not the dates, as an edited export does, has them read again).
"""

from typing import ClassVar

from django.core.exceptions import ValidationError
from import_export import fields, widgets

from actions.models import DATE_FIELDS, Action
from outcomes.resources import AllOrNothingResource, OutcomeWidget, RecommendationWidget, StrategyWidget
from workforce.models import Team

#: Lead teams one row may name: each is looked up, and no action is led by more.
MAX_LEAD_TEAMS = 20


class TeamNamesWidget(widgets.ManyToManyWidget):
    """Lead teams by name, separated by ";". A name that matches no team is an error."""

    def __init__(self):
        super().__init__(Team, separator=";", field="name")

    def clean(self, value, row=None, **kwargs):
        names = list(dict.fromkeys(name.strip() for name in str(value or "").split(self.separator) if name.strip()))
        if len(names) > MAX_LEAD_TEAMS:  # refused before a query is built from them
            raise ValueError(f"A row names at most {MAX_LEAD_TEAMS} lead teams (this one names {len(names):,}).")
        # Looked up once per import (the widget is the import's own copy), not on each of
        # the three reads of every row: the check before the save, the save and the preview.
        teams = self.__dict__.setdefault("_found", {})
        unknown = [name for name in names if name not in teams]
        if unknown:
            teams.update(dict.fromkeys(unknown))
            teams.update({team.name: team for team in Team.objects.filter(name__in=unknown)})
        missing = [name for name in names if teams[name] is None]
        if missing:
            quoted = ", ".join(f'"{name}"' for name in missing)
            raise ValueError(
                f"There is no lead team called {quoted}. Add the team in the admin first, or correct the name."
            )
        return [teams[name] for name in names]

    def render(self, value, obj=None, **kwargs):
        return "; ".join(team.name for team in value.all()) if value is not None else ""


class ActionResource(AllOrNothingResource):
    strategy = fields.Field(attribute="strategy", column_name="strategy", widget=StrategyWidget())
    outcome = fields.Field(attribute="outcome", column_name="outcome", widget=OutcomeWidget())
    recommendation = fields.Field(
        attribute="recommendation", column_name="recommendation", widget=RecommendationWidget()
    )
    lead_teams = fields.Field(attribute="lead_teams", column_name="lead_teams", widget=TeamNamesWidget())
    start_date = fields.Field(attribute="start_date", column_name="start_date", widget=widgets.DateWidget())
    due_date = fields.Field(attribute="due_date", column_name="due_date", widget=widgets.DateWidget())
    is_ongoing = fields.Field(attribute="is_ongoing", column_name="is_ongoing", widget=widgets.BooleanWidget())
    duplicate_key = ("strategy", "reference")
    column_help: ClassVar[dict[str, str]] = {
        **AllOrNothingResource.column_help,
        "lead_teams": 'Lead team names as in the admin, separated by ";".',
        "start_date": "Blank to read it from the timescale.",
        "due_date": "Blank to read it from the timescale.",
        "is_ongoing": "1 (ongoing or recurring) or 0; blank to read it from the timescale.",
    }

    class Meta:
        model = Action
        name = "Actions"
        fields = [
            "strategy",
            "outcome",
            "recommendation",
            "reference",
            "order",
            "description",
            "lead_teams",
            "lead_officer",
            "timescale",
            "estimated_cost",
            "framework_link",
            "notes",
            "start_date",
            "due_date",
            "is_ongoing",
        ]
        import_id_fields = ["strategy", "reference"]

    def prepare_instance(self, instance, row, errors):
        # Before full_clean(), so that the dates are validated (and shown in the preview) too.
        # One query for an existing action: what the row changed decides whether dates are read.
        stored = None
        if instance.pk:
            stored = Action.objects.filter(pk=instance.pk).values("timescale", *DATE_FIELDS).first()
        changed = None
        if stored is not None:
            changed = [name for name, value in stored.items() if getattr(instance, name) != value]
        instance.settle_dates(changed=changed)
        if instance.estimated_cost is not None and instance.estimated_cost < 0:
            errors.setdefault("estimated_cost", []).append(
                ValidationError("The estimated cost cannot be negative.", code="negative")
            )

    def filter_export(self, queryset, **kwargs):
        queryset = queryset.select_related("strategy", "outcome", "recommendation")
        # The admin's queryset already prefetches the lead teams; prefetching twice is an error.
        return queryset if queryset._prefetch_related_lookups else queryset.prefetch_related("lead_teams")
