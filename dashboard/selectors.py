"""The DMT's quarterly progress report for one strategy and one quarter, as at its end.

Everything the dashboard, the PDF and the spreadsheet show comes from `report_build`, in
a fixed number of queries whatever the number of actions: the actions as at the quarter
(one query plus one for lead teams), their state a quarter earlier (one), the outcomes,
the indicators and their figures, and the risks (one each).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from functools import cache
from urllib.parse import urlencode

from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Concat
from django.urls import reverse

from actions.models import Action
from outcomes.models import Outcome, Strategy
from reporting import selectors as action_selectors
from reporting.models import RAG, PeriodEvent, ReportingPeriod, Status
from workforce.models import WorkforceFigure, WorkforceIndicator


@dataclass(slots=True)
class ReportAction:
    """An action as the report shows it at a quarter's end: plain values, no model instance.

    Built from `values()` rows: at 1,000 actions, model instances cost more than the SQL.
    """

    id: int
    reference: str
    order: int
    description: str
    timescale: str
    due_date: date | None
    outcome_id: int
    outcome_number: int
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
    lead_names: list[str] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.id

    def get_absolute_url(self) -> str:
        return action_url_pattern().format(self.id)


@cache
def action_url_pattern() -> str:
    """The action page's address with a slot for the id: one reverse() instead of one a row."""
    return reverse("reporting:detail", kwargs={"pk": 987654321}).replace("987654321", "{}")


REPORT_COLUMNS = [f.name for f in fields(ReportAction) if f.name != "lead_names"]

# The headline's rows, in the order the DMT reads them: (key, label, list filter).
HEADLINE = [
    ("total", "Actions", {}),
    ("complete", "Complete", {"status": Status.COMPLETE}),
    ("on_track", "On track (Green)", {"rag": RAG.GREEN}),
    ("at_risk", "At risk (Amber)", {"rag": RAG.AMBER}),
    ("off_track", "Off track (Red)", {"rag": RAG.RED}),
    ("not_started", "Not started", {"status": Status.NOT_STARTED}),
    ("on_hold", "On hold", {"status": Status.ON_HOLD}),
    ("cancelled", "Cancelled or superseded", {"status": Status.CANCELLED}),
    ("overdue", "Overdue", {"overdue": "yes"}),
    ("no_update", "No update this quarter", {"status": "none"}),
]


@dataclass(frozen=True, slots=True)
class _State:
    status_as_at: str | None
    rag_as_at: str | None
    is_overdue: bool


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
        """
        counts = cls()
        # Each count is its headline filter applied to the rows (selectors.state_matches), so
        # a count always equals the number of actions its link lists.
        for state, number in Counter(_State(a.status_as_at, a.rag_as_at, bool(a.is_overdue)) for a in actions).items():
            counts.total += number
            for key, _label, filters in HEADLINE[1:]:
                if all(action_selectors.state_matches(state, name, value) for name, value in filters.items()):
                    setattr(counts, key, getattr(counts, key) + number)
        return counts

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


@dataclass
class OutcomeRow:
    outcome: Outcome
    counts: Counts
    previous: Counts | None
    direction: Direction | None
    rows: list[HeadlineRow]


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
        if self.target is None:
            return "No target: trend only"
        if self.value is None:
            return "No figure"
        met = self.value >= self.target if self.indicator.higher_is_better else self.value <= self.target
        return "Meets target" if met else "Misses target"


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


def list_url(strategy: Strategy, period: ReportingPeriod, outcome: Outcome | None = None, **filters) -> str:
    """The action list filtered to exactly the actions a count counts."""
    query = {"strategy": strategy.pk, "quarter": period.slug}
    if outcome is not None:
        query["outcome"] = outcome.pk
    return f"{reverse('reporting:list')}?{urlencode({**query, **filters})}"


def _headline_rows(counts: Counts, strategy: Strategy, period: ReportingPeriod, outcome=None) -> list[HeadlineRow]:
    return [
        HeadlineRow(key, label, getattr(counts, key), list_url(strategy, period, outcome, **filters))
        for key, label, filters in HEADLINE
    ]


def report_build(strategy: Strategy, period: ReportingPeriod, periods: list[ReportingPeriod]) -> Report:
    """The whole report for a strategy as at the end of `period`."""
    rows = (
        action_selectors.actions_as_at([period], Action.objects.filter(strategy=strategy))
        .annotate(
            outcome_number=F("outcome__number"),
            lead_officer_username=F("lead_officer_user__username"),
            lead_officer_account=Concat(
                "lead_officer_user__first_name", Value(" "), "lead_officer_user__last_name", output_field=CharField()
            ),
        )
        .order_by("order", "reference")
        .values(*REPORT_COLUMNS)
    )
    actions = [ReportAction(**row) for row in rows]
    # Lead team names as plain rows too: cheaper than prefetching teams for every action.
    names: dict[int, list[str]] = defaultdict(list)
    lead_teams = Action.lead_teams.through.objects.filter(action__strategy=strategy)
    for action_id, name in lead_teams.order_by("team__name").values_list("action_id", "team__name"):
        names[action_id].append(name)
    for action in actions:
        # The lead officer first, as the document names them (or their account does), then the teams.
        officer = action.lead_officer or (action.lead_officer_account or "").strip() or action.lead_officer_username
        action.lead_names = ([officer] if officer else []) + names[action.id]
    earlier = [p for p in periods if p.start < period.start]
    previous_period = earlier[-1] if earlier else None
    previous_by_outcome: dict[int, Counts] = {}
    if previous_period is not None:
        # The same as-at rule a quarter earlier: only what direction of travel needs.
        before = action_selectors.actions_as_at([previous_period], Action.objects.filter(strategy=strategy)).values(
            "outcome_id", "status_as_at", "rag_as_at", "is_overdue"
        )
        previous_rows: dict[int, list[_Row]] = defaultdict(list)
        for row in before:
            previous_rows[row["outcome_id"]].append(_Row(**row))
        previous_by_outcome = {outcome_id: Counts.of(rows) for outcome_id, rows in previous_rows.items()}

    counts = Counts.of(actions)
    actions_by_outcome: dict[int, list[ReportAction]] = defaultdict(list)
    for action in actions:
        actions_by_outcome[action.outcome_id].append(action)
    by_outcome = {outcome_id: Counts.of(rows) for outcome_id, rows in actions_by_outcome.items()}

    outcome_rows = []
    for outcome in strategy.outcomes.order_by("number"):
        now = by_outcome.get(outcome.pk, Counts())
        before = previous_by_outcome.get(outcome.pk)
        outcome_rows.append(
            OutcomeRow(
                outcome, now, before, Direction.between(now, before), _headline_rows(now, strategy, period, outcome)
            )
        )

    next_quarter = period.quarter.next()
    due_next = [
        a
        for a in actions
        if a.due_date
        and next_quarter.start <= a.due_date <= next_quarter.end
        and a.status_as_at not in (Status.COMPLETE, Status.CANCELLED)
    ]
    return Report(
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
        risks=list(strategy.risks.order_by("number")),
        reopenings=list(
            PeriodEvent.objects.filter(period=period, kind=PeriodEvent.Kind.REOPENED)
            .select_related("by")
            .order_by("at")
        ),
    )


@dataclass(slots=True)
class _Row:
    """A previous quarter's row: just what Counts reads."""

    outcome_id: int
    status_as_at: str | None
    rag_as_at: str | None
    is_overdue: bool


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
