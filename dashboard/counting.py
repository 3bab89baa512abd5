"""The report's counts of actions by state, and the list each count links to.

Every count is its headline filter (reporting.origins.COUNTS) applied to the actions' states
as at the quarter (reporting.selectors.state_matches), so a count always equals the number
of actions its link lists. Counting works on tallies, (state, number) pairs counted once, so
1,000 actions cost a handful of additions.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlencode

from django.urls import reverse

from outcomes.models import Outcome, Strategy
from reporting import origins
from reporting import selectors as action_selectors
from reporting.models import ReportingPeriod
from reporting.words import COUNT_WORDS, NO_UPDATE

# The headline's rows, in the order the DMT reads them: (key, label, list filter). Defined
# with the list that names a count it was reached from (reporting.origins).
HEADLINE = origins.COUNTS

# The key figures across the top of the report, by headline key.
KEY_FIGURES = ["total", "complete", "on_track", "at_risk", "off_track", "no_update", "overdue"]
# Counts shown beside them only when some action is in them: most quarters have none.
SOMETIMES_FIGURES = ["not_started", "on_hold", "cancelled"]


def figure_keys(counts: "Counts") -> list[str]:
    """The counts the report shows, as key figures and as the by-outcome table's columns: the
    key figures, with those of SOMETIMES_FIGURES that `counts` (the strategy's) has."""
    extra = [key for key in SOMETIMES_FIGURES if getattr(counts, key)]
    at = KEY_FIGURES.index("no_update")
    return KEY_FIGURES[:at] + extra + KEY_FIGURES[at:]


@dataclass(frozen=True, slots=True)
class State:
    """An action's state as at a quarter: all a count needs to know of it."""

    status_as_at: str | None
    rag_as_at: str | None
    is_overdue: bool


Tally = tuple[State, int]


@cache
def _headline_keys(state: State) -> tuple[str, ...]:
    """The headline counts an action in `state` is counted in: each count's list filter
    applied to the state (selectors.state_matches). Worked out once for each of the few
    states there are, rather than for every state of every outcome and quarter counted."""
    return tuple(
        key
        for key, _label, filters in HEADLINE[1:]
        if all(action_selectors.state_matches(state, name, value) for name, value in filters.items())
    )


def tally(rows: Iterable[tuple]) -> dict[int, list[Tally]]:
    """{outcome id: [(state, number), ...]} from rows of (outcome id, status, RAG, overdue, number)."""
    tallies: dict[int, list[Tally]] = defaultdict(list)
    for outcome_id, status, rag, overdue, number in rows:
        tallies[outcome_id].append((State(status, rag, bool(overdue)), number))
    return tallies


@dataclass
class Counts:
    total: int = 0
    complete: int = 0
    on_track: int = 0
    at_risk: int = 0
    off_track: int = 0
    not_started: int = 0
    on_hold: int = 0
    cancelled: int = 0
    overdue: int = 0
    no_update: int = 0

    @classmethod
    def of_tallies(cls, tallies: Iterable[Tally]) -> "Counts":
        """Counts from (state, number) pairs already counted (by the database, or once in Python)."""
        counts = cls()
        numbers: Counter[str] = Counter()
        for state, number in tallies:
            counts.total += number
            for key in _headline_keys(state):
                numbers[key] += number
        for key, number in numbers.items():
            setattr(counts, key, number)
        return counts

    @property
    def segments(self) -> list[tuple[str, str, int]]:
        """The actions split into states that do not overlap, for the charts: (key, label, number).

        Complete, Green, Amber and Red, then open actions with no rating (on hold or not
        rated), cancelled, and no update: each action in exactly one, so the parts add up.
        """
        rated = self.complete + self.on_track + self.at_risk + self.off_track + self.cancelled + self.no_update
        return [
            ("complete", COUNT_WORDS["complete"], self.complete),
            ("on_track", COUNT_WORDS["on_track"], self.on_track),
            ("at_risk", COUNT_WORDS["at_risk"], self.at_risk),
            ("off_track", COUNT_WORDS["off_track"], self.off_track),
            ("unrated", COUNT_WORDS["unrated"], self.total - rated),
            ("cancelled", COUNT_WORDS["cancelled"], self.cancelled),
            ("no_update", NO_UPDATE, self.no_update),
        ]

    @property
    def percent_complete(self) -> int:
        live = self.total - self.cancelled
        return round(100 * self.complete / live) if live else 0

    @property
    def score(self) -> float:
        """Share of live actions complete or on track: what "direction of travel" compares."""
        live = self.total - self.cancelled
        return (self.complete + self.on_track) / live if live else 0.0


@dataclass
class Direction:
    arrow: str
    words: str

    @classmethod
    def between(cls, now: Counts, before: Counts | None) -> "Direction | None":
        if before is None or before.total == 0:
            return None
        if now.score > before.score + 0.005:
            return cls("↑", "Improving")
        if now.score < before.score - 0.005:
            return cls("↓", "Worsening")
        return cls("→", "No change")


@dataclass
class HeadlineRow:
    key: str
    label: str
    value: int
    url: str


def list_url(strategy: Strategy, period: ReportingPeriod, outcome: Outcome | None = None, **filters) -> str:
    """The action list filtered to exactly the actions a count counts."""
    query = {"strategy": strategy.pk, "quarter": period.slug}
    if outcome is not None:
        query["outcome"] = outcome.pk
    return f"{_list_path()}?{urlencode({**query, **filters})}"


@cache
def _list_path() -> str:
    """The action list's address: one reverse() for the report's hundred or so links."""
    return reverse("reporting:list")


# Each headline count's own filters as they end its list's address ("" for all actions).
_HEADLINE_QUERIES = [urlencode(filters) for _key, _label, filters in HEADLINE]


def headline_rows(
    counts: Counts, strategy: Strategy, period: ReportingPeriod, outcome: Outcome | None = None
) -> list[HeadlineRow]:
    """Each headline count with the link to the list of the actions it counts."""
    # list_url() for each count, the common part of the address written once.
    base = list_url(strategy, period, outcome)
    return [
        HeadlineRow(key, label, getattr(counts, key), f"{base}&{query}" if query else base)
        for (key, label, _filters), query in zip(HEADLINE, _HEADLINE_QUERIES, strict=True)
    ]
