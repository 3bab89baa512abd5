"""A measure of success may name a workforce indicator and a target: its latest figure against it."""

from decimal import Decimal

import pytest

from outcomes.selectors import measure_figures
from tests import factories
from workforce.quarters import Quarter

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy():
    return factories.StrategyFactory()


def test_each_measure_with_its_indicators_latest_figure_against_its_target(strategy, django_assert_num_queries):
    training = factories.WorkforceIndicatorFactory(name="% completed mandatory training", target=Decimal("90"))
    absence = factories.WorkforceIndicatorFactory(name="% absence", higher_is_better=False, target=Decimal("4"))
    recommendation = factories.RecommendationFactory(outcome__strategy=strategy)
    first = factories.SuccessMeasureFactory(
        recommendation=recommendation, number=1, workforce_indicator=training, target_value=Decimal("100")
    )
    second = factories.SuccessMeasureFactory(recommendation=recommendation, number=2, workforce_indicator=absence)
    third = factories.SuccessMeasureFactory(recommendation=recommendation, number=3)
    factories.WorkforceFigureFactory(indicator=training, year=2016, quarter=2, value=Decimal("80"))
    factories.WorkforceFigureFactory(indicator=training, year=2016, quarter=3, value=Decimal("100"))
    factories.WorkforceFigureFactory(indicator=training, year=2016, quarter=3, value=Decimal("50"), scope="Early Help")
    factories.WorkforceFigureFactory(indicator=absence, year=2016, quarter=1, value=Decimal("3.5"))

    # 1. the measures with their recommendations, outcomes and indicators; 2. the figures
    with django_assert_num_queries(2):
        figures = measure_figures(strategy)
    assert [f.measure for f in figures] == [first, second, third]
    assert (figures[0].value, figures[0].quarter, figures[0].target, figures[0].target_met) == (
        Decimal("100"),
        Quarter(2016, 3),
        Decimal("100"),
        True,
    )
    assert (figures[1].value, figures[1].target, figures[1].unit, figures[1].target_met) == (
        Decimal("3.5"),
        Decimal("4"),
        "%",
        True,
    )
    assert (figures[2].value, figures[2].quarter, figures[2].target_met) == (None, None, None)

    as_at = measure_figures(strategy, as_at=Quarter(2016, 2))
    assert (as_at[0].value, as_at[0].quarter, as_at[0].target_met) == (Decimal("80"), Quarter(2016, 2), False)


def test_a_measure_of_another_strategy_is_not_listed(strategy):
    factories.SuccessMeasureFactory(recommendation__outcome__strategy=factories.StrategyFactory(slug="other"))
    assert measure_figures(strategy) == []
