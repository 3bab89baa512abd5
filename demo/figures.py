"""Demo workforce figures: each indicator's whole-department value per quarter.

Used by `demo.progress`. A figure belongs to the department, not to one strategy, so it
is the same whichever strategy's demo asks for it: the value follows from the seed, the
indicator and the quarter alone.
"""

import random
import re
from decimal import Decimal

from django.db import transaction

from demo.text import INDICATOR_WORDS, INDICATORS
from outcomes.models import Strategy, SuccessMeasure
from reporting.models import ReportingPeriod
from workforce.models import WorkforceFigure, WorkforceIndicator
from workforce.quarters import Quarter

BATCH_SIZE = 500


def indicators_link(*, strategy: Strategy) -> list[WorkforceIndicator]:
    """The strategy's workforce indicators, linking the standard ones if it has none."""
    if not strategy.workforce_indicators.exists():
        for order, (name, unit, higher, target, *_) in enumerate(INDICATORS, start=1):
            indicator, _ = WorkforceIndicator.objects.get_or_create(
                name=name,
                defaults={"unit": unit, "higher_is_better": higher, "target": target, "order": order},
            )
            indicator.strategies.add(strategy)
    return list(strategy.workforce_indicators.order_by("order", "name", "pk"))


# Measures of success that a standard indicator shows, by the words the measure uses: only
# phrases that cannot mean anything else ("training" alone names many other measures).
MEASURE_PHRASES = (
    ("mandatory training", "% completed mandatory training"),
    ("sickness absence", "% absence"),
    ("vacancies", "% vacancies"),
    ("agency staff", "% agency staff"),
    ("supervision", "% with supervision in the last month"),
    ("appraisal", "% with an appraisal"),
)


def measures_link(*, strategy: Strategy, indicators: list[WorkforceIndicator]) -> int:
    """Link the strategy's measures of success that no indicator shows yet to the standard
    indicator their words name, as a planner would in the admin; returns how many."""
    by_name = {indicator.name: indicator for indicator in indicators}
    linked = 0
    for measure in SuccessMeasure.objects.filter(
        recommendation__outcome__strategy=strategy, workforce_indicator__isnull=True
    ):
        words = measure.measure.lower()
        for phrase, name in MEASURE_PHRASES:
            if phrase in words and name in by_name:
                measure.workforce_indicator = by_name[name]
                measure.save(update_fields=["workforce_indicator"])
                linked += 1
                break
    return linked


def _indicator_profile(indicator: WorkforceIndicator) -> tuple:
    """The standard indicator this one is (by name, or by a word in it), or a generic one."""
    known = {row[0]: row for row in INDICATORS}
    if indicator.name in known:
        return known[indicator.name]
    name = indicator.name.lower()
    for stem, standard in INDICATOR_WORDS:
        if re.search(rf"\b{stem}", name):
            return known[standard]
    percent, higher = indicator.unit == "%", indicator.higher_is_better
    if indicator.target is not None:
        base = float(indicator.target) * (0.9 if higher else 1.15)
    else:
        base = (70.0 if higher else 10.0) if percent else 100.0
    return (indicator.name, indicator.unit, higher, None, base, base * 0.03)


def figure_value(*, indicator: WorkforceIndicator, quarter: Quarter, seed: int) -> Decimal:
    """A plausible value for the indicator in the quarter, the same whichever strategy asks.

    The value drifts from a starting level (in Q1 2014/15) part of the way to the target,
    with a winter rise in absence and a wandering, quarter-to-quarter variation.
    """
    _, unit, higher, target, base, noise = _indicator_profile(indicator)
    target = indicator.target if indicator.target is not None else target
    unit = indicator.unit or unit
    goal = float(target) if target is not None else base * (1.03 if higher else 0.93)
    t = (quarter.year - 2014) * 4 + quarter.number - 1  # quarters since Q1 2014/15
    value = base + 0.6 * (goal - base) * (1 - 0.9 ** max(t, 0))
    if "absence" in indicator.name.lower() and quarter.number in (3, 4):
        value += base * 0.1
    # Each quarter keeps most of the last one's variation, so figures wander rather than
    # jump; twelve quarters back is long enough for the start not to matter.
    step, wander = quarter, 0.0
    for _ in range(12):
        step = step.previous()
    while step < quarter:
        step = step.next()
        wander = 0.6 * wander + random.Random(f"{seed}:{indicator.name}:{step.label}").gauss(0, noise * 0.8)
    value += wander
    if unit == "%":
        value = min(max(value, 0.0), 100.0)
    places = Decimal("1") if unit == "people" else Decimal("0.1")
    return Decimal(str(max(value, 0.0))).quantize(places)


def workforce_figures_write(*, strategy: Strategy, periods: list[ReportingPeriod], seed: int) -> int:
    """Write each indicator's whole-department figure per quarter; returns how many.

    A closed quarter's existing figure is kept; the open quarter's is replaced.
    """
    indicators = indicators_link(strategy=strategy)
    measures_link(strategy=strategy, indicators=indicators)
    open_quarters = {(period.year, period.number) for period in periods if period.is_open}
    wanted = {(period.year, period.number) for period in periods}
    rows = [
        (pk, indicator_id, (year, quarter))
        for pk, indicator_id, year, quarter in WorkforceFigure.objects.filter(
            indicator__in=indicators, scope=""
        ).values_list("pk", "indicator_id", "year", "quarter")
        if (year, quarter) in wanted
    ]
    stale = [pk for pk, _, quarter in rows if quarter in open_quarters]
    kept = {(indicator_id, quarter) for _, indicator_id, quarter in rows if quarter not in open_quarters}
    figures = [
        WorkforceFigure(
            indicator=indicator,
            year=period.year,
            quarter=period.number,
            scope="",
            value=figure_value(indicator=indicator, quarter=period.quarter, seed=seed),
        )
        for indicator in indicators
        for period in periods
        if (indicator.pk, (period.year, period.number)) not in kept
    ]
    with transaction.atomic():
        WorkforceFigure.objects.filter(pk__in=stale).delete()
        WorkforceFigure.objects.bulk_create(figures, batch_size=BATCH_SIZE)
    return len(figures)
