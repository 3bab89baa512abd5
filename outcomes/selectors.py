"""Reads of a strategy's measures of success against the workforce figures that show them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from outcomes.models import Strategy, SuccessMeasure
from workforce.models import WorkforceFigure
from workforce.quarters import Quarter


@dataclass(frozen=True)
class MeasureFigure:
    """A measure of success with the latest figure of its workforce indicator, as at a quarter.

    ``value`` and ``quarter`` are None when the indicator has no figure yet (or the measure
    names no indicator). The target is the measure's own, else the indicator's.
    """

    measure: SuccessMeasure
    value: Decimal | None
    quarter: Quarter | None

    @property
    def target(self) -> Decimal | None:
        if self.measure.target_value is not None:
            return self.measure.target_value
        indicator = self.measure.workforce_indicator
        return indicator.target if indicator else None

    @property
    def unit(self) -> str:
        if self.measure.target_value is not None and self.measure.target_unit:
            return self.measure.target_unit
        indicator = self.measure.workforce_indicator
        return indicator.unit if indicator else self.measure.target_unit

    @property
    def target_met(self) -> bool | None:
        """Whether the latest figure meets the target (at or above, or at or below where lower
        is better); None when there is no figure or no target."""
        indicator = self.measure.workforce_indicator
        return indicator.meets_target(self.value, self.target) if indicator else None

    @property
    def against_target(self) -> str:
        """The latest figure against the target, in the words the report uses."""
        indicator = self.measure.workforce_indicator
        return indicator.against_target(self.value, self.target) if indicator else "No figure"


def measure_figures(strategy: Strategy, *, as_at: Quarter | None = None) -> list[MeasureFigure]:
    """Every measure of the strategy in document order, with its indicator's latest figure.

    The latest figure is the department's (blank scope) in ``as_at`` or the last quarter before
    it with one; with no ``as_at``, the latest there is. Two queries whatever the size: the
    measures with their indicators, then the figures of those indicators.
    """
    measures = list(
        SuccessMeasure.objects.filter(recommendation__outcome__strategy=strategy)
        .select_related("recommendation__outcome", "workforce_indicator")
        .order_by("recommendation__outcome__number", "recommendation__number", "number")
    )
    indicator_ids = {m.workforce_indicator_id for m in measures if m.workforce_indicator_id}
    latest: dict[int | None, tuple[Quarter, Decimal]] = {}  # a measure without an indicator finds nothing
    quarter: Quarter | None
    value: Decimal | None
    if indicator_ids:
        figures = WorkforceFigure.objects.filter(indicator_id__in=indicator_ids, scope="").values_list(
            "indicator_id", "year", "quarter", "value"
        )
        for indicator_id, year, number, value in figures:
            quarter = Quarter(year, number)
            if as_at is not None and quarter > as_at:
                continue
            if indicator_id not in latest or latest[indicator_id][0] < quarter:
                latest[indicator_id] = (quarter, value)
    result = []
    for measure in measures:
        quarter, value = latest.get(measure.workforce_indicator_id, (None, None))
        result.append(MeasureFigure(measure=measure, value=value, quarter=quarter))
    return result
