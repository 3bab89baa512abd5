"""Numbers over 999 as GOV.UK writes them, with commas between the thousands, on the
dashboard, on paper, on the all-strategies page and in the spreadsheet."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from reporting.models import ReportingPeriod
from reporting.templatetags.tracker import thousands
from tests import factories
from tests.dashboard.test_views import build_strategy

pytestmark = pytest.mark.django_db


def test_thousands_puts_commas_between_the_thousands_of_whole_numbers_only():
    assert thousands(999) == "999"
    assert thousands(1000) == "1,000"
    assert thousands(1234567) == "1,234,567"
    assert thousands(0) == "0"
    assert thousands(True) is True
    assert thousands(None) is None
    assert thousands("10000") == "10000"  # text is left as it is written
    assert thousands(Decimal("1305.2")) == Decimal("1305.2")


def test_a_thousand_actions_read_as_1000_on_the_dashboard_its_lists_the_returns_and_the_spreadsheet(
    client, dmt, planner
):
    strategy = build_strategy(1000)
    q3 = ReportingPeriod.objects.get(strategy=strategy, year=2016, number=3)
    client.force_login(dmt)
    page = client.get(reverse("dashboard:quarter", args=[strategy.slug, q3.slug])).content.decode()
    assert '<span class="app-key-figure__value">1,000</span>' in page
    assert "At a glance: all 1,000 actions" in page
    assert ">1000<" not in page
    # The key figure's list counts them the same way.
    url = re.search(r'href="([^"]+)"><span class="app-key-figure__value">1,000<', page).group(1)
    assert "1,000 actions, as reported for" in client.get(url.replace("&amp;", "&")).content.decode()
    summary = client.get(reverse("dashboard:summary")).content.decode()
    assert ">1,000</a>" in summary
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("dashboard:xlsx", args=[strategy.slug, q3.slug])).content)
    )
    headline = {row[0].value: row[1] for row in workbook["Summary"].iter_rows() if row[0].value == "Actions"}
    assert headline["Actions"].value == 1000 and headline["Actions"].number_format == "#,##0"
    client.force_login(planner)
    returns = client.get(reverse("reporting:returns", args=[strategy.slug, q3.slug])).content.decode()
    assert '<dd class="govuk-summary-list__value">1,000</dd>' in returns


def test_indicator_figures_and_costs_over_999_have_commas(client, dmt, timeline):
    strategy, q3 = timeline["strategy"], timeline["q3"]
    headcount = factories.WorkforceIndicatorFactory(name="Headcount", unit="people")
    fte = factories.WorkforceIndicatorFactory(name="FTE", unit="FTE")
    absence = factories.WorkforceIndicatorFactory(name="% absence", unit="%")
    for indicator, value in ((headcount, Decimal("1466")), (fte, Decimal("1305.2")), (absence, Decimal("5.5"))):
        indicator.strategies.add(strategy)
        factories.WorkforceFigureFactory(indicator=indicator, year=q3.year, quarter=q3.number, value=value)
    action = timeline["actions"]["A"]
    action.estimated_cost = Decimal("25000")
    action.save()
    client.force_login(dmt)
    page = client.get(reverse("dashboard:quarter", args=[strategy.slug, q3.slug])).content.decode()
    assert "1,466 people" in page and "1,305.2 FTE" in page and "5.5%" in page

    content = client.get(reverse("dashboard:xlsx", args=[strategy.slug, q3.slug])).content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    formats = {row[0].value: row[2].number_format for row in workbook["Indicators"].iter_rows(min_row=2)}
    assert formats == {"Headcount": "#,##0", "FTE": "#,##0.###", "% absence": "General"}
    header = [cell.value for cell in workbook["Actions"][1]]
    cost = header.index("Estimated cost (£)")
    row = next(r for r in workbook["Actions"].iter_rows(min_row=2) if r[0].value == action.reference)
    assert row[cost].value == 25000 and row[cost].number_format == "#,##0.00"
    total = next(r for r in workbook["Summary"].iter_rows() if str(r[0].value).startswith("Estimated cost of"))
    assert total[1].value == 25000 and total[1].number_format == "#,##0.00"
