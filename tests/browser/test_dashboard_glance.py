"""The dashboard read at a glance, on a laptop (1,280 px) and a phone (375 px): the key
figures, charts whose text is never under 12 px on screen, axe with no violations at all,
and the print view."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY_FIGURES = {
    "Actions": 6,
    "Complete": 1,
    "On track (Green)": 1,
    "At risk (Amber)": 0,
    "Off track (Red)": 1,
    "On hold": 1,  # shown because action E is on hold: Not started and Cancelled, with none, are not
    "No update this quarter": 2,
    "Overdue": 1,
}

# Each chart text's size on screen: its computed font size times the SVG's scale.
SVG_TEXT_SIZES = """
() => Array.from(document.querySelectorAll("svg.app-chart text")).map((text) => {
  const matrix = text.getScreenCTM();
  const scale = Math.hypot(matrix.a, matrix.b);
  return {text: text.textContent, px: parseFloat(getComputedStyle(text).fontSize) * scale};
})
"""


@pytest.mark.parametrize("width", [1280, 375])
def test_the_dashboard_reads_at_a_glance(page, live_server, sign_in, axe, dmt, timeline, width):
    period = timeline["q3"]
    period.key_messages = "Recruitment is ahead of plan.\n\nAgency use is still too high."
    period.strategic_lead = "Jane Smith"
    period.save()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "dmt")

    # The key figures, in a row, each a link to the actions it counts.
    figures = page.locator("#key-figures li")
    expect(figures).to_have_count(len(KEY_FIGURES))
    for label, value in KEY_FIGURES.items():
        figure = figures.filter(has_text=label)
        expect(figure.locator(".app-key-figure__value")).to_have_text(str(value))
        assert "/actions/?" in figure.get_by_role("link").get_attribute("href")
    expect(page.locator("#key-messages")).to_contain_text("Agency use is still too high.")
    expect(page.locator("#key-messages")).to_contain_text("Strategic lead: Jane Smith")

    # One chart of the outcomes and one of the trend, each above its table; all text 12 px or more.
    expect(page.locator("#by-outcome svg.app-chart")).to_have_count(1)
    expect(page.locator("#trend svg.app-chart")).to_have_count(1)
    sizes = page.evaluate(SVG_TEXT_SIZES)
    assert sizes, "the charts have text"
    small = [size for size in sizes if size["px"] < 12]
    assert not small, f"chart text under 12 px at {width} px wide: {small}"
    # Every state in a chart is named in words beside its pattern, in the key after it.
    expect(page.locator("#by-outcome .app-chart-key")).to_contain_text("No update")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if width == 375:
        # On a phone the by-outcome table is a card an outcome, each figure beside its name.
        fits = page.evaluate(
            "(t => t.scrollWidth <= t.parentElement.clientWidth)(document.querySelector('#outcomes-table'))"
        )
        assert fits, "the by-outcome table scrolls sideways at 375 px"
        card = page.locator("#outcomes-table tbody tr").first
        expect(card.locator('td[data-label="Off track (Red)"]')).to_have_text("1")
    if width == 1280:
        # The key figures in one row, each wide enough for a council-wide count.
        tops = figures.evaluate_all("items => items.map(item => Math.round(item.getBoundingClientRect().top))")
        assert len(set(tops)) == 1, f"the key figures wrap onto {len(set(tops))} rows at 1,280 px"
        page.locator("#key-figures .app-key-figure__value").first.evaluate("value => value.textContent = '10,000'")
        fits = figures.first.evaluate("item => item.scrollWidth <= item.clientWidth")
        assert fits, "a five-digit key figure overflows its box at 1,280 px"
        page.reload()
        # On a laptop the wide tables show every column without scrolling sideways in their region.
        for table in ("#outcomes-table", "#trend-table"):
            fits = page.evaluate(
                f"(t => t.scrollWidth <= t.parentElement.clientWidth)(document.querySelector('{table}'))"
            )
            assert fits, f"{table} scrolls sideways at 1,280 px"

    results = axe.run(page)
    violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in results.response["violations"]]
    assert not violations, violations

    # Printed: the report alone, exceptions unfolded, charts kept.
    page.emulate_media(media="print")
    expect(page.locator("#exceptions")).to_contain_text("DMT to agree funding for A")
    expect(page.locator("#exceptions .govuk-details__text").first).to_be_visible()
    expect(page.locator("#key-figures")).to_be_visible()
    expect(page.locator("#by-outcome svg.app-chart")).to_be_visible()
    expect(page.get_by_role("link", name="Download the report (PDF)")).to_be_hidden()


@pytest.mark.parametrize("width", [1280, 375])
def test_all_strategies_read_on_a_phone_and_a_laptop(page, live_server, sign_in, axe, dmt, timeline, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "dmt")
    page.goto(f"{live_server.url}/dashboard/all/")
    row = page.locator("#summary-table tbody tr").first
    expect(row.get_by_role("link", name=timeline["strategy"].title, exact=True)).to_be_visible()
    expect(row.locator('td[data-label="Off track (Red)"]')).to_have_text("1")
    fits = page.evaluate(
        "(t => t.scrollWidth <= t.parentElement.clientWidth)(document.querySelector('#summary-table'))"
    )
    assert fits, f"the table of strategies scrolls sideways at {width} px"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    violations = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in axe.run(page).response["violations"]]
    assert not violations, violations
