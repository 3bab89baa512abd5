"""The state of an action as at a quarter: the one definition every page, count, filter,
export and the admin reads.

An action's status in a quarter of its strategy is its update for that quarter; an action
whose latest earlier update completed or cancelled it stays so (one taken up again since
does not); any other action with no update for the quarter has "no update" (never last
quarter's words as if current). Its RAG counts only while it is open (not complete or
cancelled). It is overdue when it is not ongoing, is due by the quarter's end and is neither
complete nor cancelled. It is an exception when it is Red, Amber, overdue or has no update,
and exceptions are listed in that order. A quarter closed through the product reads each
action's state as recorded when it closed, so that its report never changes afterwards.

Each strategy runs its own quarters, so a list across strategies reads each action as at
its own strategy's quarter: `actions_as_at` takes at most one quarter per strategy.
"""

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, TypeAlias, TypedDict

from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    CharField,
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

from actions.models import Action
from reporting.models import CLOSED_STATUSES, RAG, ProgressUpdate, ReportingPeriod
from reporting.words import NO_UPDATE_VALUE
from workforce.models import Team

STATE_FILTERS = ["status", "rag", "overdue", "needs_update"]


class QuarterUpdate(TypedDict):
    """The quarter an action is read as at, and its update in that quarter (`actions_as_at`)."""

    as_at_period_id: int | None
    as_at_start: date | None
    as_at_end: date | None
    period_status: str | None
    period_progress: str | None
    period_next_steps: str | None
    period_evidence: str | None
    period_help_needed: str | None
    period_reason: str | None


class StateAsAt(QuarterUpdate):
    """All that `actions_as_at` annotates an action with: the quarter, its update and the state
    as at the quarter. `ActionAsAt` is the type of an action so annotated."""

    outcome_as_at: int
    status_as_at: str | None
    rag_as_at: str | None
    is_overdue: bool
    added_after_close: bool


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    ActionInQuarter: TypeAlias = WithAnnotations[Action, QuarterUpdate]
    ActionAsAt: TypeAlias = WithAnnotations[Action, StateAsAt]


# --- Quarters ---------------------------------------------------------------------------


def period_open(strategy) -> ReportingPeriod | None:
    """The strategy's quarter open for updates, or None."""
    return ReportingPeriod.objects.filter(strategy=strategy, state=ReportingPeriod.State.OPEN).first()


def period_to_report(periods: list[ReportingPeriod]) -> ReportingPeriod | None:
    """Of one strategy's quarters in date order, the one to report on: the open one, else the latest."""
    open_periods = [period for period in periods if period.is_open]
    return (open_periods or periods)[-1] if periods else None


def periods_to_report(strategy_ids: Iterable[int] | None = None) -> list[ReportingPeriod]:
    """For each strategy (or those given), the quarter its lists report: one query."""
    periods = ReportingPeriod.objects.order_by("strategy_id", "start")
    if strategy_ids is not None:
        periods = periods.filter(strategy_id__in=list(strategy_ids))
    by_strategy: dict[int, list[ReportingPeriod]] = {}
    for period in periods:
        by_strategy.setdefault(period.strategy_id, []).append(period)
    return [period for period in map(period_to_report, by_strategy.values()) if period is not None]


def periods_for_strategy(strategy) -> QuerySet[ReportingPeriod]:
    """The strategy's quarters, in date order, with who signed each off (the report says)."""
    return ReportingPeriod.objects.filter(strategy=strategy).select_related("signed_off_by").order_by("start")


# --- The state as at a quarter -------------------------------------------------------------


def actions_as_at(
    periods: Iterable[ReportingPeriod], queryset: QuerySet[Action] | None = None, *, as_reported: bool = False
) -> QuerySet["ActionAsAt"]:
    """Actions annotated with their state at the end of their strategy's quarter in `periods`.

    `periods` holds at most one quarter per strategy; actions of other strategies get no
    quarter (and so "no update"). Adds `status_as_at` (None: no update), `rag_as_at` (None
    unless open), `is_overdue`, `outcome_as_at` (its outcome's id), `added_after_close` (not in
    the closed quarter's report: added to the plan after it closed), `as_at_period_id`, and
    the quarter's update fields the lists and the report show (`period_progress`, ...). One
    query: the quarter, its update and the latest earlier update, when that closed the
    action, come through LEFT JOINs.

    A quarter closed through the product recorded each action's state as it closed
    (RecordedState): those actions read that state, whatever has changed in the plan since.
    With `as_reported`, as the quarter's report and the lists its counts link to read it, an
    action added after the quarter closed is left out; without, it reads as it stands (no
    update), so that the pages a manager works from still show it.
    """
    periods = list(periods)
    # No quarter at all: an id that matches nothing (an empty IN would empty the whole query).
    period_ids = [period.pk for period in periods] or [0]
    recorded = [period for period in periods if period.states_recorded_at is not None]
    queryset = Action.objects.all() if queryset is None else queryset
    open_now = Q(this_update__status__isnull=False) & ~Q(this_update__status__in=CLOSED_STATUSES)
    queryset = _as_at_live(queryset, period_ids, open_now)
    if not recorded:
        return queryset.annotate(
            outcome_as_at=F("outcome_id"),
            status_as_at=F("live_status"),
            rag_as_at=F("live_rag"),
            is_overdue=F("live_overdue"),
            added_after_close=Value(False, output_field=BooleanField()),
        )
    was_recorded = Q(recorded__id__isnull=False)
    queryset = queryset.alias(
        recorded=FilteredRelation(
            "recorded_states", condition=Q(recorded_states__period__in=[period.pk for period in recorded])
        )
    ).annotate(
        outcome_as_at=Case(When(was_recorded, then=F("recorded__outcome_id")), default=F("outcome_id")),
        status_as_at=Case(When(was_recorded, then=F("recorded__status")), default=F("live_status")),
        rag_as_at=Case(When(was_recorded, then=F("recorded__rag")), default=F("live_rag")),
        is_overdue=Case(
            When(was_recorded, then=F("recorded__is_overdue")), default=F("live_overdue"), output_field=BooleanField()
        ),
    )
    recorded_strategies = [period.strategy_id for period in recorded]
    if as_reported:
        return queryset.filter(was_recorded | ~Q(strategy_id__in=recorded_strategies)).annotate(
            added_after_close=Value(False, output_field=BooleanField())
        )
    # Not in the quarter's report: added to the plan after the quarter closed.
    return queryset.annotate(
        added_after_close=Case(
            When(was_recorded, then=Value(False)),
            When(strategy_id__in=recorded_strategies, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def added_after_close(action: Action, period: ReportingPeriod | None) -> bool:
    """Whether `action` is left out of a closed quarter's report, having been added to the plan
    after the quarter closed (`actions_as_at`'s `added_after_close`): a query only for a
    quarter whose states were recorded."""
    if period is None or period.states_recorded_at is None:
        return False
    return (
        actions_as_at([period], Action.objects.filter(pk=action.pk)).values_list("added_after_close", flat=True).get()
    )


def _as_at_live(queryset: QuerySet[Action], period_ids: list[int], open_now: Q) -> QuerySet["ActionInQuarter"]:
    """The state as at the quarters from the updates and the plan as they stand: aliases
    `live_status`, `live_rag` and `live_overdue`, and annotates the quarter and its update."""
    return (
        queryset.alias(
            as_at=FilteredRelation("strategy__periods", condition=Q(strategy__periods__in=period_ids)),
            this_update=FilteredRelation("updates", condition=Q(updates__period__in=period_ids)),
        )
        # The latest earlier update, joined only when it closed the action. As a join it is
        # found once an action, however often the status and "overdue" refer to it; as a
        # subquery annotation Django would write it out (and the database run it) once for
        # each reference. It comes after `as_at`, whose start it reads.
        .alias(
            earlier_closed=FilteredRelation(
                "updates",
                condition=_latest_earlier_update(period_ids, queryset.db) & Q(updates__status__in=CLOSED_STATUSES),
            ),
        )
        .annotate(as_at_period_id=F("as_at__id"), as_at_start=F("as_at__start"), as_at_end=F("as_at__end"))
        .annotate(
            period_status=F("this_update__status"),
            period_progress=F("this_update__progress"),
            period_next_steps=F("this_update__next_steps"),
            period_evidence=F("this_update__evidence"),
            period_help_needed=F("this_update__help_needed"),
            period_reason=F("this_update__reason"),
        )
        .alias(
            live_status=Coalesce("this_update__status", "earlier_closed__status"),
            live_rag=Case(When(open_now, then=F("this_update__rag")), default=Value(None), output_field=CharField()),
            live_overdue=Case(
                When(
                    Q(is_ongoing=False, due_date__lte=F("as_at__end"))
                    & (open_now | Q(this_update__status__isnull=True, earlier_closed__status__isnull=True)),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    )


def _latest_earlier_update(period_ids: list[int], using: str) -> Q:
    """The join condition that picks, of an action's updates, the latest in a quarter of its
    strategy before the one it is read as at.

    The same rule in the form each database runs fastest (the tests run on both). SQLite: a
    subquery for each action, ordering its few earlier updates (5 ms at 1,000 actions, 40 ms
    at 10,000; one pass is slower there). PostgreSQL runs such a subquery slowly (0.25 s at
    10,000), so there one pass over the strategies' earlier updates keeps each action's
    latest (0.07 s at 10,000).
    """
    if connections[using].vendor != "postgresql":
        latest = ProgressUpdate.objects.filter(
            action=OuterRef("pk"),
            period__strategy=OuterRef("strategy"),
            period__start__lt=OuterRef("as_at__start"),
        ).order_by("-period__start")
        return Q(updates__pk=Subquery(latest.values("pk")[:1]))
    # Of the updates in a quarter of the action's own strategy before that strategy's quarter
    # in `period_ids`, each action's latest (PostgreSQL's DISTINCT ON keeps the first row of each).
    latest = (
        ProgressUpdate.objects.filter(
            period__strategy__periods__in=period_ids,
            period__start__lt=F("period__strategy__periods__start"),
            period__strategy=F("action__strategy"),
        )
        .order_by("action_id", "-period__start")
        .distinct("action_id")
    )
    return Q(updates__pk__in=Subquery(latest.values("pk")))


def action_list(
    *, periods: Iterable[ReportingPeriod], queryset: QuerySet[Action] | None = None, as_reported: bool = False
) -> QuerySet["ActionAsAt"]:
    """Actions ready for a list page: their place, leads and state in their strategy's quarter
    (`as_reported` as in `actions_as_at`).

    Costs two queries whatever the number of actions: the actions with their joins, and
    one prefetch of lead teams.
    """
    queryset = Action.objects.all() if queryset is None else queryset
    queryset = queryset.select_related(
        "strategy", "outcome", "recommendation", "lead_officer_user", "predecessor__strategy"
    ).prefetch_related(Prefetch("lead_teams", queryset=Team.objects.only("id", "name", "kind")))
    return actions_as_at(periods, queryset, as_reported=as_reported)


# --- Filters on the state: the meaning of every link a count makes -----------------------------


def filter_outcome(queryset: QuerySet["ActionAsAt"], outcome_id: int) -> QuerySet["ActionAsAt"]:
    """Actions under an outcome as at the quarter (a closed one: as reported)."""
    return queryset.filter(outcome_as_at=outcome_id)


def filter_status(queryset: QuerySet["ActionAsAt"], value: str) -> QuerySet["ActionAsAt"]:
    """Actions in a status as at the quarter; NO_UPDATE_VALUE ("none") means those with no update."""
    if value == NO_UPDATE_VALUE:
        return queryset.filter(status_as_at__isnull=True)
    return queryset.filter(status_as_at=value)


def filter_rag(queryset: QuerySet["ActionAsAt"], value: str) -> QuerySet["ActionAsAt"]:
    """Open actions with this RAG rating as at the quarter."""
    return queryset.filter(rag_as_at=value)


def filter_overdue(queryset: QuerySet["ActionAsAt"], value: bool) -> QuerySet["ActionAsAt"]:
    return queryset.filter(is_overdue=value)


def filter_needs_update(queryset: QuerySet["ActionAsAt"], value: bool) -> QuerySet["ActionAsAt"]:
    """Actions with no update as at the quarter (or the opposite)."""
    condition = Q(status_as_at__isnull=True)
    return queryset.filter(condition) if value else queryset.exclude(condition)


def filter_state(queryset: QuerySet["ActionAsAt"], name: str, value: str) -> QuerySet["ActionAsAt"]:
    """One of the list filters by its name in the address (`STATE_FILTERS`)."""
    if name == "status":
        return filter_status(queryset, value)
    if name == "rag":
        return filter_rag(queryset, value)
    if name == "overdue":
        return filter_overdue(queryset, value == "yes")
    if name == "needs_update":
        return filter_needs_update(queryset, value == "yes")
    raise ValueError(f"No state filter called {name}")


# --- The same rules for rows already read (the report counts in Python) ------------------------


def overdue_as_at(*, is_ongoing: bool, due_date: date | None, status: str | None, day: date) -> bool:
    """Whether an action is overdue as at `day` (a quarter's end), from values already read:
    not ongoing, due by then, and neither complete nor cancelled (None: no update). The rule
    `actions_as_at` reads as `is_overdue`."""
    return not is_ongoing and due_date is not None and due_date <= day and status not in CLOSED_STATUSES


def is_exception(action) -> bool:
    """Red, Amber, overdue or without an update, as at the quarter."""
    return action.status_as_at is None or action.is_overdue or action.rag_as_at in (RAG.RED, RAG.AMBER)


def exception_rank(action) -> tuple:
    """Red first, then Amber, then overdue, then missing updates; document order within each."""
    if action.rag_as_at == RAG.RED:
        rank = 0
    elif action.rag_as_at == RAG.AMBER:
        rank = 1
    elif action.is_overdue:
        rank = 2
    else:
        rank = 3
    return (rank, action.order, action.reference)


def state_matches(action, name: str, value: str) -> bool:
    """Whether a row read with `actions_as_at` passes `filter_state(name, value)`: the same
    meaning in Python, so that a count made from rows equals the list its link shows."""
    if name == "status":
        return action.status_as_at is None if value == NO_UPDATE_VALUE else action.status_as_at == value
    if name == "rag":
        return action.rag_as_at == value
    if name == "overdue":
        return bool(action.is_overdue) == (value == "yes")
    if name == "needs_update":
        return (action.status_as_at is None) == (value == "yes")
    raise ValueError(f"No state filter called {name}")


def is_finished(status: str | None) -> bool:
    """Whether an action with this status as at a quarter is finished (complete, or
    cancelled or superseded): never due, never carried forward. No update is not finished."""
    return status in CLOSED_STATUSES


def finished_before(period: ReportingPeriod, updates: Iterable[ProgressUpdate]) -> ProgressUpdate | None:
    """Of an action's updates (with their quarters), the one of an earlier quarter of its
    strategy that finished it (`is_finished`), when it has no update for `period`: the rule
    `actions_as_at` reads as a status carried from the latest earlier update, for updates
    already read. Such an action needs no update in `period`, and is offered none."""
    updates = [update for update in updates if update.period.strategy_id == period.strategy_id]
    if any(update.period_id == period.pk for update in updates):
        return None
    earlier = [update for update in updates if update.period.start < period.start]
    latest = max(earlier, key=lambda update: update.period.start, default=None)
    return latest if latest is not None and is_finished(latest.status) else None


# --- The DMT meeting ---------------------------------------------------------------------------


def requests_for_help(period: ReportingPeriod) -> QuerySet[ProgressUpdate]:
    """The quarter's Red updates that asked DMT for help, with any decision, in document order:
    one query."""
    return (
        ProgressUpdate.objects.filter(period=period, rag=RAG.RED)
        .exclude(help_needed="")
        .select_related("action", "dmt_decision", "dmt_decision__decided_by")
        .order_by("action__order", "action__reference")
    )
