"""The DMT's quarterly progress report for one strategy and one quarter, as at its end.

Everything the dashboard, the PDF and the spreadsheet show comes from `report_build`, in
a fixed number of queries whatever the number of actions: the actions as at the quarter
(one query plus one for lead teams), their state a quarter earlier (one), the outcomes,
the indicators and their figures, and the risks (one each), the trend across the quarters
so far (one UNION query of the same as-at rule, counted by state in the database) and DMT's
decisions on this and the previous quarter's requests for help (one).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from functools import cache
from urllib.parse import urlencode

from django.core.cache import caches
from django.db.models import CharField, Count, F, Q, Value
from django.db.models.functions import Concat
from django.urls import reverse

from actions.models import Action
from dashboard import year_on_year
from outcomes.models import Outcome, Strategy
from outcomes.selectors import MeasureFigure, measure_figures
from reporting import origins
from reporting import selectors as action_selectors
from reporting.models import DmtDecision, PeriodEvent, ReportingPeriod
from reporting.words import COUNT_WORDS, NO_UPDATE
from workforce.models import WorkforceFigure, WorkforceIndicator


@dataclass(slots=True)
class ReportAction:
    """An action as the report shows it at a quarter's end: plain values, no model instance.

    Built by position from `values_list()` rows, which fill the fields before `outcome_number`:
    at 1,000 actions model instances cost more than the SQL, and a dict a row 3 ms more.
    """

    id: int
    reference: str
    order: int
    description: str
    timescale: str
    due_date: date | None
    outcome_id: int
    status_as_at: str | None
    rag_as_at: str | None
    is_overdue: bool
    period_progress: str | None
    period_next_steps: str | None
    period_evidence: str | None
    period_help_needed: str | None
    period_reason: str | None
    lead_officer: str
    lead_officer_account: str | None
    lead_officer_username: str | None
    # The period of the strategy it was carried forward from ("2016/17"), if it was.
    carried_from: str | None = None
    estimated_cost: Decimal | None = None
    # Ongoing: never overdue, and written "Ongoing" rather than its first due date (reporting.words).
    is_ongoing: bool = False
    # Of the outcome it is counted under (outcome_id): as reported, in a closed quarter.
    outcome_number: int = 0
    lead_names: list[str] = field(default_factory=list)
    decision: "Decision | None" = None
    previous_decision: "Decision | None" = None

    @property
    def pk(self) -> int:
        return self.id

    def get_absolute_url(self) -> str:
        return action_url_pattern().format(self.id)


@cache
def action_url_pattern() -> str:
    """The action page's address with a slot for the id: one reverse() instead of one a row."""
    return reverse("reporting:detail", kwargs={"pk": 987654321}).replace("987654321", "{}")


# The fields read from the database, in order: all of ReportAction's up to these, which come last.
NOT_COLUMNS = ("outcome_number", "lead_names", "decision", "previous_decision")
REPORT_FIELDS = [f.name for f in fields(ReportAction) if f.name not in NOT_COLUMNS]
# The column a field is read from, where that is not the field's name: an action's outcome is
# the one it is counted under as at the quarter (in a closed quarter, the one reported then).
READ_FROM = {"outcome_id": "outcome_as_at"}
REPORT_COLUMNS = [READ_FROM.get(name, name) for name in REPORT_FIELDS]

# The headline's rows, in the order the DMT reads them: (key, label, list filter). Defined
# with the list that names a count it was reached from (reporting.origins).
HEADLINE = origins.COUNTS


@dataclass(frozen=True, slots=True)
class _State:
    status_as_at: str | None
    rag_as_at: str | None
    is_overdue: bool


@cache
def _headline_keys(state: _State) -> tuple[str, ...]:
    """The headline counts an action in `state` is counted in: each count's list filter
    applied to the state (selectors.state_matches). Worked out once for each of the few
    states there are, rather than for every state of every outcome and quarter counted."""
    return tuple(
        key
        for key, _label, filters in HEADLINE[1:]
        if all(action_selectors.state_matches(state, name, value) for name, value in filters.items())
    )


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
    def of(cls, actions) -> "Counts":
        """Count actions (anything with `status_as_at`, `rag_as_at`, `is_overdue`).

        Tallies the few distinct states first, so 1,000 actions cost a handful of additions.
        Each count is its headline filter applied to the rows (selectors.state_matches), so
        a count always equals the number of actions its link lists.
        """
        return cls.of_tallies(Counter(_State(a.status_as_at, a.rag_as_at, bool(a.is_overdue)) for a in actions).items())

    @classmethod
    def of_tallies(cls, tallies) -> "Counts":
        """Counts from (state, number) pairs already counted by the database (the trend)."""
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


# The key figures across the top of the report, by headline key.
KEY_FIGURES = ["total", "complete", "on_track", "at_risk", "off_track", "no_update", "overdue"]


@dataclass
class HeadlineRow:
    key: str
    label: str
    value: int
    url: str


# The counts that make up an outcome's exceptions, each a link to its own list.
EXCEPTION_COUNTS = ["off_track", "at_risk", "overdue", "no_update"]


@dataclass
class OutcomeRow:
    outcome: Outcome
    counts: Counts
    previous: Counts | None
    direction: Direction | None
    rows: list[HeadlineRow]
    # Against the same quarter a year earlier (see dashboard.year_on_year).
    year_earlier: Counts | None = None
    year_direction: Direction | None = None

    @property
    def exception_rows(self) -> list[HeadlineRow]:
        """The outcome's Red, Amber, overdue and no-update counts with their lists: where a
        long list of exceptions, shown in part on screen, continues."""
        return [row for row in self.rows if row.key in EXCEPTION_COUNTS and row.value]


@dataclass
class IndicatorRow:
    indicator: WorkforceIndicator
    value: Decimal | None
    previous: Decimal | None
    target: Decimal | None

    @property
    def change(self) -> Decimal | None:
        return None if self.value is None or self.previous is None else self.value - self.previous

    @property
    def moved(self) -> str:
        """Whether the figure moved the right way since last quarter, in words."""
        change = self.change
        if change is None:
            return "No figure to compare"
        if change == 0:
            return "No change"
        better = (change > 0) == self.indicator.higher_is_better
        direction = "Up" if change > 0 else "Down"
        return f"{direction}: {'better' if better else 'worse'}"

    @property
    def against_target(self) -> str:
        return self.indicator.against_target(self.value, self.target)


@dataclass
class Report:
    strategy: Strategy
    period: ReportingPeriod
    previous_period: ReportingPeriod | None
    next_quarter_label: str
    periods: list[ReportingPeriod]
    headline: list[HeadlineRow]
    counts: Counts
    outcomes: list[OutcomeRow]
    exceptions: list[ReportAction]
    due_next: list[ReportAction]
    actions: list[ReportAction]
    indicators: list[IndicatorRow]
    risks: list = field(default_factory=list)
    reopenings: list = field(default_factory=list)
    trend: list["TrendRow"] = field(default_factory=list)
    # DMT's decisions by action id: on this quarter's requests for help, and on last quarter's.
    decisions: dict[int, "Decision"] = field(default_factory=dict)
    previous_decisions: dict[int, "Decision"] = field(default_factory=dict)
    # The quarter a year earlier the by-outcome table compares with ("Q1 2016/17"), and
    # whether through the carried-forward line rather than the strategy's own quarter.
    year_earlier_label: str = ""
    year_earlier_carried: bool = False
    # Measures of success that name a workforce indicator, with its latest figure as at the
    # quarter against the measure's target (outcomes.selectors.measure_figures).
    measures: list[MeasureFigure] = field(default_factory=list)

    @property
    def key_figures(self) -> list[HeadlineRow]:
        by_key = {row.key: row for row in self.headline}
        return [by_key[key] for key in KEY_FIGURES]

    @property
    def exceptions_by_outcome(self) -> list[tuple["OutcomeRow", list[ReportAction]]]:
        """The exceptions grouped by outcome in document order, each group in exception order."""
        grouped: dict[int, list[ReportAction]] = defaultdict(list)
        for action in self.exceptions:
            grouped[action.outcome_id].append(action)
        return [(row, grouped[row.outcome.pk]) for row in self.outcomes if grouped[row.outcome.pk]]


@dataclass
class TrendRow:
    period: ReportingPeriod
    counts: Counts


@dataclass
class Decision:
    """DMT's response to one action's request for help in one quarter."""

    outcome: str
    outcome_label: str
    note: str
    period_label: str


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


def _headline_rows(counts: Counts, strategy: Strategy, period: ReportingPeriod, outcome=None) -> list[HeadlineRow]:
    # list_url() for each count, the common part of the address written once.
    base = list_url(strategy, period, outcome)
    return [
        HeadlineRow(key, label, getattr(counts, key), f"{base}&{query}" if query else base)
        for (key, label, _filters), query in zip(HEADLINE, _HEADLINE_QUERIES, strict=True)
    ]


def report_build(strategy: Strategy, period: ReportingPeriod, periods: list[ReportingPeriod]) -> Report:
    """The whole report for a strategy as at the end of `period`."""
    rows = (
        action_selectors.actions_as_at([period], Action.objects.filter(strategy=strategy), as_reported=True)
        .annotate(
            lead_officer_username=F("lead_officer_user__username"),
            carried_from=F("predecessor__strategy__period_label"),
            lead_officer_account=Concat(
                "lead_officer_user__first_name", Value(" "), "lead_officer_user__last_name", output_field=CharField()
            ),
        )
        .order_by("order", "reference")
        .values_list(*REPORT_COLUMNS)
    )
    actions = [ReportAction(*row) for row in rows]
    # Lead team names as plain rows too: cheaper than prefetching teams for every action.
    names: dict[int, list[str]] = defaultdict(list)
    lead_teams = Action.lead_teams.through.objects.filter(action__strategy=strategy)
    for action_id, name in lead_teams.order_by("team__name").values_list("action_id", "team__name"):
        names[action_id].append(name)
    outcomes = list(strategy.outcomes.order_by("number"))
    numbers = {outcome.pk: outcome.number for outcome in outcomes}
    for action in actions:
        action.outcome_number = numbers[action.outcome_id]
        # The lead officer first, as the document names them (or their account does), then the teams.
        officer = action.lead_officer or (action.lead_officer_account or "").strip() or action.lead_officer_username
        action.lead_names = ([officer] if officer else []) + names[action.id]
    earlier = [p for p in periods if p.start < period.start]
    previous_period = earlier[-1] if earlier else None
    # The trend across the quarters so far, by outcome: last quarter's counts (direction of
    # travel) come from it too, by the same as-at rule.
    so_far = [p for p in periods if p.start <= period.start]
    reopenings = list(
        PeriodEvent.objects.filter(period=period, kind=PeriodEvent.Kind.REOPENED)
        .select_related("by")
        .order_by("at", "pk")
    )
    # The actions counted by outcome and state once: the headline, each outcome's counts and
    # this quarter's place in the trend all add up these few tallies.
    counted = _tally(
        (*key, number)
        for key, number in Counter(
            (a.outcome_id, a.status_as_at, a.rag_as_at, bool(a.is_overdue)) for a in actions
        ).items()
    )
    trend_tallies = _trend_tallies(strategy, so_far, period, counted)
    previous_by_outcome: dict[int, Counts] = {}
    if previous_period is not None:
        previous_by_outcome = {
            outcome_id: Counts.of_tallies(tallies)
            for outcome_id, tallies in trend_tallies.get(previous_period.pk, {}).items()
        }

    counts = Counts.of_tallies(t for tallies in counted.values() for t in tallies)
    by_outcome = {outcome_id: Counts.of_tallies(tallies) for outcome_id, tallies in counted.items()}

    year_earlier_label, year_earlier_carried, year_earlier = _year_earlier(
        strategy, period, so_far, trend_tallies, actions
    )
    outcome_rows = []
    for outcome in outcomes:
        now = by_outcome.get(outcome.pk, Counts())
        before = previous_by_outcome.get(outcome.pk)
        row = OutcomeRow(
            outcome, now, before, Direction.between(now, before), _headline_rows(now, strategy, period, outcome)
        )
        if year_earlier is not None:
            row.year_earlier = year_earlier.get(outcome.pk)
            row.year_direction = Direction.between(now, row.year_earlier)
        outcome_rows.append(row)

    next_quarter = period.quarter.next()
    next_start, next_end = next_quarter.start, next_quarter.end  # worked out once, not once an action
    due_next = [
        a
        for a in actions
        if a.due_date and next_start <= a.due_date <= next_end and not action_selectors.is_finished(a.status_as_at)
    ]
    trend = [
        TrendRow(p, Counts.of_tallies(t for tallies in trend_tallies.get(p.pk, {}).values() for t in tallies))
        for p in periods
        if p.start <= period.start
    ]
    decisions, previous_decisions = _decisions(period, previous_period)
    if decisions or previous_decisions:  # a handful of actions, if any: the rest keep None
        by_id = {action.id: action for action in actions}
        for action_id, decision in decisions.items():
            if action_id in by_id:
                by_id[action_id].decision = decision
        for action_id, decision in previous_decisions.items():
            if action_id in by_id:
                by_id[action_id].previous_decision = decision
    return Report(
        year_earlier_label=year_earlier_label,
        year_earlier_carried=year_earlier_carried,
        trend=trend,
        decisions=decisions,
        previous_decisions=previous_decisions,
        strategy=strategy,
        period=period,
        previous_period=previous_period,
        next_quarter_label=next_quarter.label,
        periods=periods,
        headline=_headline_rows(counts, strategy, period),
        counts=counts,
        outcomes=outcome_rows,
        exceptions=sorted(
            (a for a in actions if action_selectors.is_exception(a)), key=action_selectors.exception_rank
        ),
        due_next=due_next,
        actions=actions,
        indicators=_indicator_rows(strategy, period, previous_period),
        measures=[m for m in measure_figures(strategy, as_at=period.quarter) if m.measure.workforce_indicator_id],
        risks=list(strategy.risks.order_by("number")),
        reopenings=reopenings,
    )


def _year_earlier(strategy, period, so_far, trend_tallies, actions) -> tuple[str, bool, dict[int, Counts] | None]:
    """The quarter a year earlier: its label, whether it is reached through the carried-
    forward line, and its counts by outcome; None when there is no such quarter. No query
    when the strategy has the quarter itself (the trend holds it) or carries no action
    forward; else one or two."""
    own = year_on_year.within_strategy(period, so_far)
    if own is not None:
        tallies = trend_tallies.get(own.pk, {})
        return own.label, False, {outcome_id: Counts.of_tallies(t) for outcome_id, t in tallies.items()}
    if not any(action.carried_from for action in actions):
        return "", False, None
    earlier, rows = year_on_year.carried_line(strategy, period)
    if not earlier:
        return "", False, None
    return earlier[0].label, True, {outcome_id: Counts.of_tallies(t) for outcome_id, t in _tally(rows).items()}


def _indicator_rows(strategy, period, previous_period) -> list[IndicatorRow]:
    indicators = list(strategy.workforce_indicators.order_by("order", "name"))
    # Figures are the department's, kept by financial-year quarter, whatever the strategy.
    wanted = Q()
    for p in (period, previous_period):
        if p is not None:
            wanted |= Q(year=p.year, quarter=p.number)
    figures = {
        (f.indicator_id, f.year, f.quarter): f.value
        for f in WorkforceFigure.objects.filter(wanted, indicator__in=indicators, scope="")
    }
    return [
        IndicatorRow(
            indicator=indicator,
            value=figures.get((indicator.pk, period.year, period.number)),
            previous=figures.get((indicator.pk, previous_period.year, previous_period.number))
            if previous_period
            else None,
            target=indicator.target,
        )
        for indicator in indicators
    ]


TREND_STATE = ["as_at_period_id", "outcome_as_at", "status_as_at", "rag_as_at", "is_overdue"]


def _tally(rows) -> dict[int, list]:
    """{outcome id: [(state, number), ...]} from rows of (outcome id, status, RAG, overdue, number)."""
    tallies: dict[int, list] = defaultdict(list)
    for outcome_id, status, rag, overdue, number in rows:
        tallies[outcome_id].append((_State(status, rag, bool(overdue)), number))
    return tallies


def _trend_tallies(
    strategy: Strategy,
    periods: list[ReportingPeriod],
    current: ReportingPeriod,
    current_tallies: dict[int, list],
) -> dict[int, dict[int, list]]:
    """For each of `periods` (the strategy's quarters so far) and each outcome, the actions
    counted by state: {period id: {outcome id: [(state, number), ...]}}.

    The current quarter's are the report's own rows, counted (`current_tallies`). A closed
    quarter with its actions' states recorded reads those, which never change, so its counts
    are kept in the cache under the quarter and when the states were recorded (reopening and
    closing it again records new ones). The rest, a quarter loaded closed among them (it reads
    the plan as it stands), in one query: each quarter by the same as-at rule
    (`actions_as_at`), counted by state in the database, the quarters joined by UNION ALL.
    """
    result = {current.pk: current_tallies}
    keys = {
        p.pk: f"dmt-trend:v2:{p.pk}:{p.states_recorded_at.timestamp()}"
        for p in periods
        if p.states_recorded_at is not None and p != current
    }
    cached = caches["default"].get_many(keys.values()) if keys else {}
    for period_id, key in keys.items():
        if key in cached:
            result[period_id] = _tally(cached[key])
    missing = [p for p in periods if p.pk not in result]
    if not missing:
        return result
    actions_qs = Action.objects.filter(strategy=strategy)
    parts = [
        action_selectors.actions_as_at([p], actions_qs, as_reported=True)
        .order_by()
        .values_list(*TREND_STATE)
        .annotate(number=Count("id"))
        for p in missing
    ]
    rows: dict[int, list] = defaultdict(list)
    for period_id, *row in parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]:
        rows[period_id].append(tuple(row))
    for p in missing:
        result[p.pk] = _tally(rows[p.pk])
    caches["default"].set_many({keys[p.pk]: rows[p.pk] for p in missing if p.pk in keys}, timeout=None)
    return result


def _decisions(period, previous_period) -> tuple[dict[int, Decision], dict[int, Decision]]:
    """DMT's decisions on the help asked in this quarter and the one before, by action id: one query."""
    wanted = [p.pk for p in (period, previous_period) if p is not None]
    labels = dict(DmtDecision.Outcome.choices)
    now: dict[int, Decision] = {}
    before: dict[int, Decision] = {}
    rows = DmtDecision.objects.filter(update__period__in=wanted).values_list(
        "update__action_id", "update__period_id", "outcome", "note"
    )
    for action_id, period_id, outcome, note in rows:
        which, label = (now, period.label) if period_id == period.pk else (before, previous_period.label)
        which[action_id] = Decision(outcome, labels.get(outcome, outcome), note, label)
    return now, before


@dataclass
class SummaryRow:
    strategy: Strategy
    period: ReportingPeriod | None
    counts: Counts
    figures: list[HeadlineRow]


def strategies_summary() -> list[SummaryRow]:
    """Every strategy, one row each, counted as at its open quarter (else its latest).

    Three queries whatever the number of actions: the strategies, their quarters, and one
    count by strategy and state in the database (the same as-at rule as every report).
    """
    strategies = list(Strategy.objects.order_by("title"))
    periods = {p.strategy_id: p for p in action_selectors.periods_to_report() if p is not None}
    tallies: dict[int, list] = defaultdict(list)
    rows = (
        action_selectors.actions_as_at(periods.values(), as_reported=True)
        .filter(strategy_id__in=list(periods))
        .order_by()
        .values("strategy_id", "status_as_at", "rag_as_at", "is_overdue")
        .annotate(number=Count("id"))
    )
    for row in rows:
        state = _State(row["status_as_at"], row["rag_as_at"], bool(row["is_overdue"]))
        tallies[row["strategy_id"]].append((state, row["number"]))
    summary = []
    for strategy in strategies:
        period = periods.get(strategy.pk)
        counts = Counts.of_tallies(tallies[strategy.pk])
        figures = _headline_rows(counts, strategy, period) if period else []
        summary.append(SummaryRow(strategy, period, counts, [f for f in figures if f.key in KEY_FIGURES]))
    return summary
