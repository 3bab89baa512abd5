"""The same quarter a year earlier, for the by-outcome table's second direction of travel.

Within a strategy of several years it is the strategy's own quarter a year back, whose
counts the trend already holds. In the first year of a refreshed strategy it is the carried-
forward line: each carried action as its predecessor stood at the same quarter a year
earlier in the strategy it came from, counted under the carried action's outcome. Actions
new to the strategy have no year-earlier state and are not counted there.
"""

from django.db.models import Count, F

from actions.models import Action
from outcomes.models import Strategy
from reporting import selectors
from reporting.models import ReportingPeriod


def within_strategy(period: ReportingPeriod, periods: list[ReportingPeriod]) -> ReportingPeriod | None:
    """The strategy's own quarter a year before `period`, when it has one."""
    return next((p for p in periods if p.year == period.year - 1 and p.number == period.number), None)


def carried_line(strategy: Strategy, period: ReportingPeriod) -> tuple[list[ReportingPeriod], list[tuple]]:
    """The earlier strategies' quarters a year before `period` that the strategy's carried
    actions come from, and their predecessors counted by state as at those quarters:
    rows of (the carried action's outcome id, status, RAG, overdue, number).

    Two queries: the quarters, then (when there are any) one count by state in the
    database, by the same as-at rule as every report (`reporting.selectors.actions_as_at`).
    """
    earlier = list(
        ReportingPeriod.objects.filter(
            year=period.year - 1, number=period.number, strategy__actions__successors__strategy=strategy
        )
        .exclude(strategy=strategy)
        .distinct()
        .order_by("strategy_id")
    )
    if not earlier:
        return [], []
    predecessors = Action.objects.filter(successors__strategy=strategy)
    rows = (
        selectors.actions_as_at(earlier, predecessors, as_reported=True)
        .annotate(line_outcome_id=F("successors__outcome_id"))
        .order_by()
        .values_list("line_outcome_id", "status_as_at", "rag_as_at", "is_overdue")
        .annotate(number=Count("id"))
    )
    return earlier, list(rows)
