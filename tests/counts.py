"""How many of each record the database holds: what "changes nothing" tests compare."""

from django.contrib.auth import get_user_model

from actions.models import Action
from outcomes.models import Outcome, Recommendation, Risk, Strategy, SuccessMeasure
from reporting.models import ProgressUpdate, RecordedState, ReportingPeriod
from workforce.models import Team, TeamMembership, WorkforceFigure, WorkforceIndicator

COUNTED = [
    Strategy,
    Outcome,
    Recommendation,
    SuccessMeasure,
    Risk,
    Action,
    Action.lead_teams.through,
    Team,
    TeamMembership,
    WorkforceIndicator,
    WorkforceIndicator.strategies.through,
    WorkforceFigure,
    ReportingPeriod,
    ProgressUpdate,
    RecordedState,
]


def record_counts() -> dict[str, int]:
    """Every table a strategy, its teams, its quarters and its demo progress live in, and users."""
    counts = {model._meta.label: model.objects.count() for model in COUNTED}
    counts["users"] = get_user_model().objects.count()
    return counts
