"""The DMT's quarterly progress report for one strategy and one quarter, as at its end, and
the summary of every strategy: put together from the reads in `dashboard.selectors`.

Everything the dashboard, the PDF and the spreadsheet show comes from `report_build`, in a
fixed number of queries whatever the number of actions: the actions as at the quarter and
their lead teams, the quarter's events (reopenings), the trend across the quarters so far
(last quarter's counts, for direction of travel, among them), the outcomes, the indicators
and their figures, the measures, the risks and DMT's decisions.
"""

from collections import Counter

from dashboard import selectors, year_on_year
from dashboard.counting import KEY_FIGURES, Counts, Direction, Tally, headline_rows, tally
from dashboard.report_types import OutcomeRow, Report, ReportAction, SummaryRow, TrendRow
from outcomes.models import Strategy
from outcomes.selectors import measure_figures
from reporting import selectors as action_selectors
from reporting.models import PeriodEvent, ReportingPeriod


def report_build(strategy: Strategy, period: ReportingPeriod, periods: list[ReportingPeriod]) -> Report:
    """The whole report for a strategy as at the end of `period`."""
    actions = selectors.report_actions(strategy, period)
    outcomes = list(strategy.outcomes.order_by("number"))
    numbers = {outcome.pk: outcome.number for outcome in outcomes}
    for action in actions:
        action.outcome_number = numbers[action.outcome_id]
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
    counted = tally(
        (*key, number)
        for key, number in Counter(
            (a.outcome_id, a.status_as_at, a.rag_as_at, bool(a.is_overdue)) for a in actions
        ).items()
    )
    trend_tallies = selectors.trend_tallies(strategy, so_far, period, counted)
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
            outcome, now, before, Direction.between(now, before), headline_rows(now, strategy, period, outcome)
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
    decisions, previous_decisions = selectors.decisions(period, previous_period)
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
        headline=headline_rows(counts, strategy, period),
        counts=counts,
        outcomes=outcome_rows,
        exceptions=sorted(
            (a for a in actions if action_selectors.is_exception(a)), key=action_selectors.exception_rank
        ),
        due_next=due_next,
        actions=actions,
        indicators=selectors.indicator_rows(strategy, period, previous_period),
        measures=[m for m in measure_figures(strategy, as_at=period.quarter) if m.measure.workforce_indicator_id],
        risks=list(strategy.risks.order_by("number")),
        reopenings=reopenings,
    )


def _year_earlier(
    strategy: Strategy,
    period: ReportingPeriod,
    so_far: list[ReportingPeriod],
    trend_tallies: dict[int, dict[int, list[Tally]]],
    actions: list[ReportAction],
) -> tuple[str, bool, dict[int, Counts] | None]:
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
    return earlier[0].label, True, {outcome_id: Counts.of_tallies(t) for outcome_id, t in tally(rows).items()}


def strategies_summary() -> list[SummaryRow]:
    """Every strategy, one row each, counted as at its open quarter (else its latest).

    Three queries whatever the number of actions: the strategies, their quarters, and one
    count by strategy and state in the database (the same as-at rule as every report).
    """
    strategies = list(Strategy.objects.order_by("title"))
    periods = {p.strategy_id: p for p in action_selectors.periods_to_report() if p is not None}
    tallies = selectors.strategy_tallies(periods)
    summary = []
    for strategy in strategies:
        period = periods.get(strategy.pk)
        counts = Counts.of_tallies(tallies[strategy.pk])
        figures = headline_rows(counts, strategy, period) if period else []
        summary.append(SummaryRow(strategy, period, counts, [f for f in figures if f.key in KEY_FIGURES]))
    return summary
