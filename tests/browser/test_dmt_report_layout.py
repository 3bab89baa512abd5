"""The DMT report from the demo's data, read in Chromium on a laptop (1,280 px) and a phone
(375 px): no longer than what it must show, nothing spilling out of its column, the page never
scrolling sideways, and a table too wide for a phone scrolling in a region that says so.

Screenshots of each width go to the test's output directory (not committed), for a reader to
look at: pytest --output DIR, else test-results/."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from demo.progress import strategy_demo_write
from outcomes.models import Strategy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The longest the report of the demo's Q4 2016/17 may be, in px, by window width.
#
# What it must show: 34 actions as 7 key figures, a chart of its 4 outcomes and their table,
# a dozen exceptions each with its commentary, the trend of 4 quarters and its table, 9
# workforce indicators, a measure of success and 8 risks with their controls; nothing of it
# twice. Measured here: 7,392 px at 1,280 and 12,692 px at 375, the exceptions about a third
# of either and the risks about a seventh. It was 8,548 and 17,146 when the strategy's counts
# showed three times and each outcome's twice, and a phone's cards took a line a figure. The
# limits allow 5% for another browser's fonts and text: a section shown twice again, or the
# cards back to a line a figure, fails.
LONGEST = {1280: 7_750, 375: 13_300}

MEASURE = """() => {
  const column = document.querySelector("main").getBoundingClientRect();
  const table = document.querySelector("#outcomes-table").getBoundingClientRect();
  const trend = document.querySelector("#trend-table");
  return {
    height: document.documentElement.scrollHeight,
    pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
    tableRight: table.right, columnRight: column.right + 0.5,
    trendOverflow: trend.scrollWidth - trend.parentElement.clientWidth,
  };
}"""


@pytest.fixture
def demo(dmt):
    """Both demo strategies as scripts/demo loads them, with the demo's progress."""
    call_command("loaddata", "teams", "leicestershire-cfs-2016-17", "lincolnshire-cs-2014-16", verbosity=0)
    for strategy in Strategy.objects.all():
        strategy_demo_write(strategy=strategy, seed=2016)
    return Strategy.objects.get(slug="leicestershire-cfs-2016-17")


def _output(request) -> Path:
    directory = Path(request.config.getoption("--output", default="test-results"))
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.mark.parametrize("width", [1280, 375])
def test_the_report_is_as_long_as_what_it_shows_and_fits_the_window(
    page, live_server, sign_in, check_accessibility, demo, request, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "dmt", start=reverse("dashboard:quarter", args=[demo.slug, "q4-2016-17"]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Q4 2016/17")
    page.screenshot(path=str(_output(request) / f"dmt-report-{width}.png"), full_page=True)
    measured = page.evaluate(MEASURE)

    assert measured["height"] <= LONGEST[width], (
        f"the report is {measured['height']:,} px long at {width} px wide (at most {LONGEST[width]:,})"
    )
    assert measured["pageOverflow"] <= 0, f"the page scrolls sideways by {measured['pageOverflow']} px at {width} px"
    # The by-outcome table stays within the page's column (it spilled out of it at 1,280).
    assert measured["tableRight"] <= measured["columnRight"], measured

    # The trend table scrolls in a region of its own that a keyboard reaches and that is named;
    # on a phone a note says so, where the table may be cut off at the edge.
    region = page.locator("#trend [role=region]")
    expect(region).to_have_attribute("tabindex", "0")
    expect(region).to_have_attribute(
        "aria-label", "Actions by state at the end of each quarter, a table that scrolls sideways"
    )
    hint = page.locator("#trend-scroll-hint")
    if width == 375:
        expect(hint).to_be_visible()
        expect(hint).to_contain_text("scrolls sideways")
        region.focus()
        page.keyboard.press("ArrowRight")
        if measured["trendOverflow"] > 0:  # the arrow keys scroll it (smoothly: waited for)
            page.wait_for_function("() => document.querySelector('#trend [role=region]').scrollLeft > 0")
    else:
        expect(hint).to_be_hidden()
        assert measured["trendOverflow"] <= 0, "the trend table is cut off at 1,280 px"

    # A long outcome title wraps within its cell rather than widening the table.
    title = page.locator("#outcomes-table tbody th").nth(3)
    expect(title).to_contain_text("partnerships and integrated working")
    lines = title.evaluate(
        "th => Math.round(th.getBoundingClientRect().height / parseFloat(getComputedStyle(th).lineHeight))"
    )
    assert lines >= 2, "the longest outcome title sits on one line, widening its column"
    check_accessibility(page)

    # Lincolnshire's report has the widest by-outcome table: a Cancelled column beside the key
    # figures' own, and each outcome compared with a year earlier; and an outcome with no actions.
    page.goto(live_server.url + reverse("dashboard:quarter", args=["lincolnshire-cs-2014-16", "q4-2015-16"]))
    page.screenshot(path=str(_output(request) / f"dmt-report-lincolnshire-{width}.png"), full_page=True)
    measured = page.evaluate(MEASURE)
    assert measured["pageOverflow"] <= 0, f"Lincolnshire's report scrolls sideways at {width} px"
    assert measured["tableRight"] <= measured["columnRight"], measured
    if width == 1280:
        fits = page.evaluate(
            "(t => t.scrollWidth <= t.parentElement.clientWidth)(document.querySelector('#outcomes-table'))"
        )
        assert fits, "the by-outcome table scrolls within its region at 1,280 px"
    empty = page.locator("#outcomes-table tbody tr").filter(has_text="Implement the Signs of Safety approach")
    expect(empty.locator("td").first).to_have_text("No actions")
    expect(page.locator("#by-outcome svg.app-chart")).to_contain_text("No actions")
