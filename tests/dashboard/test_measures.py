"""Measures of success on the DMT report: a measure that names a workforce indicator shows
that indicator's latest figure as at the quarter against the measure's target."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy_with_measures():
    strategy = factories.StrategyFactory()
    recommendation = factories.RecommendationFactory(outcome__strategy=strategy, outcome__number=2, number=2)
    training = factories.WorkforceIndicatorFactory(name="% completed mandatory training", target=Decimal("95"))
    absence = factories.WorkforceIndicatorFactory(name="% absence", higher_is_better=False, target=Decimal("4"))
    factories.SuccessMeasureFactory(
        recommendation=recommendation,
        number=1,
        measure="More staff completing mandatory training",
        workforce_indicator=training,
        target_value=Decimal("100"),
        target_unit="%",
    )
    factories.SuccessMeasureFactory(
        recommendation=recommendation, number=2, measure="Lower sickness absence", workforce_indicator=absence
    )
    factories.SuccessMeasureFactory(recommendation=recommendation, number=3, measure="Staff survey results improve")
    # Training: Q1 and Q2 figures, and one after the quarter reported. Absence: none yet.
    for quarter, value in ((1, 91), (2, 97), (4, 100)):
        factories.WorkforceFigureFactory(indicator=training, year=2016, quarter=quarter, value=value)
    factories.ActionFactory(recommendation=recommendation)
    period = factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=3)
    return strategy, period


def test_the_latest_figure_is_shown_against_the_measures_target(client, dmt, strategy_with_measures):
    strategy, period = strategy_with_measures
    client.force_login(dmt)
    response = client.get(reverse("dashboard:quarter", args=[strategy.slug, period.slug]))
    rows = {row.measure.number: row for row in response.context["report"].measures}
    assert set(rows) == {1, 2}  # the survey measure names no figure
    # The latest figure as at Q3 2016/17 is Q2's 97%, against the measure's own target of 100%.
    assert (rows[1].value, rows[1].quarter.label, rows[1].target) == (Decimal("97"), "Q2 2016/17", Decimal("100"))
    assert rows[1].against_target == "Misses target"
    # With no target of its own the indicator's applies; with no figure it says so.
    assert (rows[2].target, rows[2].against_target) == (Decimal("4"), "No figure")
    page = response.content.decode()
    assert "Measures of success shown by a workforce figure" in page
    assert "2.2 More staff completing mandatory training" in page
    assert "97%<br>" in page and "Misses target" in page


def test_the_spreadsheet_lists_the_measures(client, dmt, strategy_with_measures):
    strategy, period = strategy_with_measures
    client.force_login(dmt)
    response = client.get(reverse("dashboard:xlsx", args=[strategy.slug, period.slug]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Measures"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0] == [
        "2.2",
        "More staff completing mandatory training",
        "% completed mandatory training",
        97,
        "Q2 2016/17",
        100,
        "%",
        "Misses target",
    ]
    assert rows[1][3:] == [None, None, 4, "%", "No figure"]
    assert sheet.tables  # a filtered table like every sheet


def test_a_strategy_with_no_measure_linked_has_no_section(client, dmt, timeline):
    client.force_login(dmt)
    response = client.get(reverse("dashboard:quarter", args=[timeline["strategy"].slug, timeline["q3"].slug]))
    assert response.context["report"].measures == []
    assert "Measures of success shown" not in response.content.decode()
