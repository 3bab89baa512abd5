"""Reads of actions as they stood at the end of a quarter.

One rule serves the lists, the admin and the DMT dashboard alike: an action's status in a
quarter is its update for that quarter; an action completed or cancelled in an earlier
quarter stays so; any other action with no update for the quarter has "no update" (it is
never shown with last quarter's words as if current).
"""

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from actions.models import Action, ProgressUpdate, ReportingPeriod, Status
from workforce.models import Team

CLOSED_STATUSES = [Status.COMPLETE, Status.CANCELLED]


def period_current() -> ReportingPeriod | None:
    """The quarter open for updates ("this quarter"): the latest open one, or None."""
    return ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN).order_by("-start").first()


def period_to_report(periods: list[ReportingPeriod]) -> ReportingPeriod | None:
    """Of quarters in date order, the one to report on: the latest open one, else the latest."""
    open_periods = [period for period in periods if period.is_open]
    return (open_periods or periods or [None])[-1]


def period_latest() -> ReportingPeriod | None:
    """The quarter the action lists and the admin report on, across all strategies."""
    return period_to_report(list(ReportingPeriod.objects.order_by("start")))


def periods_for_strategy(strategy) -> QuerySet[ReportingPeriod]:
    """Quarters that overlap the strategy's period, plus any in which its actions were updated."""
    updated = ProgressUpdate.objects.filter(action__strategy=strategy, period=OuterRef("pk"))
    return ReportingPeriod.objects.filter(
        Q(start__lte=strategy.period_end, end__gte=strategy.period_start) | Q(Exists(updated))
    ).order_by("start")


def actions_as_at(period: ReportingPeriod, queryset: QuerySet[Action] | None = None) -> QuerySet[Action]:
    """Actions annotated with their state at the end of `period`, in one query.

    Adds `status_as_at` (None means no update), the quarter's update fields the lists and
    the report show (`period_status`, `period_rag`, `period_progress`, ...) and `is_overdue`.
    The quarter's update comes through one LEFT JOIN. An earlier closure is a correlated
    subquery, referred to once for the status and once for overdue: every other reference
    would make the database run it again for each action.
    """
    queryset = Action.objects.all() if queryset is None else queryset
    closed_before = ProgressUpdate.objects.filter(
        action=OuterRef("pk"), period__start__lt=period.start, status__in=CLOSED_STATUSES
    ).order_by("-period__start")
    return queryset.alias(
        this_update=FilteredRelation("updates", condition=Q(updates__period=period)),
        earlier_closed_status=Subquery(closed_before.values("status")[:1]),
    ).annotate(
        period_status=F("this_update__status"),
        period_rag=F("this_update__rag"),
        period_progress=F("this_update__progress"),
        period_next_steps=F("this_update__next_steps"),
        period_evidence=F("this_update__evidence"),
        period_help_needed=F("this_update__help_needed"),
        period_reason=F("this_update__reason"),
        status_as_at=Coalesce("this_update__status", "earlier_closed_status"),
        is_overdue=Case(
            When(
                Q(is_ongoing=False, due_date__lte=period.end)
                & (
                    (Q(this_update__status__isnull=False) & ~Q(this_update__status__in=CLOSED_STATUSES))
                    | Q(this_update__status__isnull=True, earlier_closed_status__isnull=True)
                ),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def action_list(*, period: ReportingPeriod | None, queryset: QuerySet[Action] | None = None) -> QuerySet[Action]:
    """Actions ready for a list page: their place, lead teams and state in `period`.

    Costs two queries whatever the number of actions: the actions with their joins, and
    one prefetch of lead teams.
    """
    queryset = Action.objects.all() if queryset is None else queryset
    queryset = queryset.select_related("strategy", "outcome", "recommendation").prefetch_related(
        Prefetch("lead_teams", queryset=Team.objects.only("id", "name", "kind"))
    )
    if period is None:
        return queryset
    return actions_as_at(period, queryset)


def filter_status(queryset: QuerySet[Action], value: str) -> QuerySet[Action]:
    """Actions in a status in the annotated quarter; "none" means those with no update."""
    if value == "none":
        return queryset.filter(status_as_at__isnull=True)
    return queryset.filter(status_as_at=value)


def filter_needs_update(queryset: QuerySet[Action], value: bool) -> QuerySet[Action]:
    """Actions still open with no update in the annotated quarter (or the opposite)."""
    condition = Q(status_as_at__isnull=True)
    return queryset.filter(condition) if value else queryset.exclude(condition)
