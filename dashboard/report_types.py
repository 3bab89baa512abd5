"""What the report is made of: plain data, built by `dashboard.report` and read by the
dashboard's templates, the charts, the PDF and the spreadsheet."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache

from django.urls import reverse

from dashboard.counting import Counts, Direction, HeadlineRow, figure_keys
from outcomes.models import Outcome, Strategy
from outcomes.selectors import MeasureFigure
from reporting.models import ReportingPeriod
from workforce.models import WorkforceIndicator


@dataclass
class Decision:
    """DMT's response to one action's request for help in one quarter."""

    outcome: str
    outcome_label: str
    note: str
    period_label: str


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
    # The lead teams alone, without the officer: what may be published (publishing.public_data).
    lead_team_names: list[str] = field(default_factory=list)
    decision: Decision | None = None
    previous_decision: Decision | None = None

    @property
    def pk(self) -> int:
        return self.id

    def get_absolute_url(self) -> str:
        return action_url_pattern().format(self.id)


@cache
def action_url_pattern() -> str:
    """The action page's address with a slot for the id: one reverse() instead of one a row."""
    return reverse("reporting:detail", kwargs={"pk": 987654321}).replace("987654321", "{}")


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
class TrendRow:
    period: ReportingPeriod
    counts: Counts


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
    trend: list[TrendRow] = field(default_factory=list)
    # DMT's decisions by action id: on this quarter's requests for help, and on last quarter's.
    decisions: dict[int, Decision] = field(default_factory=dict)
    previous_decisions: dict[int, Decision] = field(default_factory=dict)
    # The quarter a year earlier the by-outcome table compares with ("Q1 2016/17"), and
    # whether through the carried-forward line rather than the strategy's own quarter.
    year_earlier_label: str = ""
    year_earlier_carried: bool = False
    # Measures of success that name a workforce indicator, with its latest figure as at the
    # quarter against the measure's target (outcomes.selectors.measure_figures).
    measures: list[MeasureFigure] = field(default_factory=list)

    @property
    def key_figures(self) -> list[HeadlineRow]:
        """The strategy's counts across the top of the report, each a link to its list: the
        one place the report gives them (the by-outcome table gives each outcome's)."""
        by_key = {row.key: row for row in self.headline}
        return [by_key[key] for key in figure_keys(self.counts)]

    @property
    def outcome_table(self) -> list[tuple[OutcomeRow, list[HeadlineRow]]]:
        """Each outcome with its counts in the key figures' columns: the outcome chart's table."""
        keys = figure_keys(self.counts)
        table = []
        for row in self.outcomes:
            by_key = {cell.key: cell for cell in row.rows}
            table.append((row, [by_key[key] for key in keys]))
        return table

    @property
    def trend_columns(self) -> list[tuple[str, str]]:
        """The states (key, label) some quarter of the trend has: the trend table's columns,
        as the trend chart's key names them."""
        present = {key for row in self.trend for key, _label, value in row.counts.segments if value}
        return [(key, label) for key, label, _value in Counts().segments if key in present]

    @property
    def trend_table(self) -> list[tuple[ReportingPeriod, list[int]]]:
        """Each quarter of the trend with its number of actions in each of `trend_columns`."""
        keys = [key for key, _label in self.trend_columns]
        return [
            (row.period, [value for key, _label, value in row.counts.segments if key in keys]) for row in self.trend
        ]

    @property
    def exceptions_by_outcome(self) -> list[tuple[OutcomeRow, list[ReportAction]]]:
        """The exceptions grouped by outcome in document order, each group in exception order."""
        grouped: dict[int, list[ReportAction]] = defaultdict(list)
        for action in self.exceptions:
            grouped[action.outcome_id].append(action)
        return [(row, grouped[row.outcome.pk]) for row in self.outcomes if grouped[row.outcome.pk]]


@dataclass
class SummaryRow:
    strategy: Strategy
    period: ReportingPeriod | None
    counts: Counts
    figures: list[HeadlineRow]
