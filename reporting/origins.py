"""Where a filtered action list came from: a count on a strategy's quarterly report.

Every count on the DMT report links to the action list filtered to exactly the actions it
counts (`COUNTS` names each count and its filters). The list reads the same address back
and names what it shows ("Off track (Red), Q4 2016/17"), with a link back to the report.
"""

from dataclasses import dataclass

from django.http import QueryDict

from outcomes.models import Outcome, Strategy
from reporting.models import RAG, ReportingPeriod, Status
from reporting.words import COUNT_WORDS, NO_UPDATE_VALUE

# The report's counts in the order the DMT reads them: (key, label, list filters). The
# dashboard's headline is this list; a filtered list is named from it. The words are
# reporting.words.COUNT_WORDS.
_FILTERS: dict[str, dict[str, str]] = {
    "total": {},
    "complete": {"status": Status.COMPLETE},
    "on_track": {"rag": RAG.GREEN},
    "at_risk": {"rag": RAG.AMBER},
    "off_track": {"rag": RAG.RED},
    "not_started": {"status": Status.NOT_STARTED},
    "on_hold": {"status": Status.ON_HOLD},
    "cancelled": {"status": Status.CANCELLED},
    "overdue": {"overdue": "yes"},
    "no_update": {"status": NO_UPDATE_VALUE},
}
COUNTS: list[tuple[str, str, dict[str, str]]] = [(key, COUNT_WORDS[key], filters) for key, filters in _FILTERS.items()]

# What a report's link puts in the address besides the count's own filters.
PLACE = ("strategy", "quarter", "outcome")


@dataclass(frozen=True)
class Origin:
    """A count on a report: what it counts, in which strategy, quarter and outcome."""

    label: str
    strategy: Strategy
    period: ReportingPeriod
    outcome: Outcome | None

    @property
    def title(self) -> str:
        """ "Off track (Red), Q4 2016/17", with the outcome's number when the count was an outcome's."""
        where = f", outcome {self.outcome.number}" if self.outcome else ""
        return f"{self.label}{where}, {self.period}"


def list_origin(query: QueryDict, periods: list[ReportingPeriod]) -> Origin | None:
    """The report count the list's address came from, or None (a list reached any other way).

    `periods` are the quarters the list reads (one, when a report's count links here). At
    most one query: the strategy, or the outcome with its strategy.
    """
    strategy_id, outcome_id = query.get("strategy", ""), query.get("outcome", "")
    if len(periods) != 1 or not strategy_id.isdigit() or not query.get("quarter"):
        return None
    period = periods[0]
    if str(period.strategy_id) != strategy_id:
        return None
    filters = {key: value for key, value in query.items() if key not in (*PLACE, "page") and value}
    label = next((label for _key, label, wanted in COUNTS if filters == {k: str(v) for k, v in wanted.items()}), None)
    if label is None:
        return None
    outcome = None
    strategy: Strategy | None
    if outcome_id:
        if not outcome_id.isdigit():
            return None
        outcome = Outcome.objects.select_related("strategy").filter(pk=outcome_id, strategy_id=strategy_id).first()
        if outcome is None:
            return None
        strategy = outcome.strategy
    else:
        strategy = Strategy.objects.only("slug", "title").filter(pk=strategy_id).first()
        if strategy is None:
            return None
    # The link back to the report is made by the template: reporting names no dashboard URL.
    return Origin(label, strategy, period, outcome)
