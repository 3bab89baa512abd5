"""The planners' admin pages in Chromium at 1,280 pixels: an action's page (its recommendation
list fits the page; its outcomes are its strategy's, named with it), adding a person (the
Teams label above its two lists, the roles' descriptions on lines of their own), and the
spreadsheet import (its columns named as the spreadsheet heads them). Screenshots go to the
test's temporary folder (printed)."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
LONG_TITLE = "Develop and implement a Workforce Engagement Plan that reaches every team in the department " * 20


@pytest.fixture
def two_years(team):
    """2016/17 and its refresh into 2017/18: the same outcome names, each year its own."""
    made = {}
    for year in (2016, 2017):
        label = f"{year}/{str(year + 1)[-2:]}"
        strategy = factories.StrategyFactory(
            slug=f"workforce-{year}",
            title=f"Workforce Strategy {label}",
            period_label=label,
            period_start=datetime.date(year, 4, 1),
            period_end=datetime.date(year + 1, 3, 31),
        )
        recommendation = factories.RecommendationFactory(
            outcome__strategy=strategy,
            outcome__number=1,
            outcome__title="A workforce with a shared vision and purpose",
            number=1,
            title=LONG_TITLE,
        )
        made[year] = factories.ActionFactory(recommendation=recommendation, reference="1.1.1", lead_teams=[team])
    return made


def shot(page, folder, name: str) -> None:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")


def no_sideways_scrolling(page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths[0]} px wide in {widths[1]}"


def test_an_actions_lists_fit_the_page_and_name_their_strategy(
    page, live_server, sign_in, planner, two_years, tmp_path
):
    page.set_viewport_size(DESKTOP)
    sign_in(page, "planner")
    action = two_years[2017]
    page.goto(live_server.url + reverse("admin:actions_action_change", args=[action.pk]))
    recommendation = page.locator("#id_recommendation")
    box = recommendation.bounding_box()
    assert box is not None and box["x"] + box["width"] <= DESKTOP["width"], f"the list is {box} wide"
    no_sideways_scrolling(page)
    # Only the action's strategy's outcome and recommendation, each named with the strategy.
    outcomes = page.locator("#id_outcome option").all_inner_texts()
    assert outcomes == [
        "---------",
        "1. A workforce with a shared vision and purpose (Workforce Strategy 2017/18)",
    ]
    recommendations = page.locator("#id_recommendation option").all_inner_texts()
    assert len(recommendations) == 2 and recommendations[1].endswith("… (Workforce Strategy 2017/18)")
    shot(page, tmp_path, "action-change")

    # A new action's lists hold every strategy's, each named with its strategy.
    page.goto(live_server.url + reverse("admin:actions_action_add"))
    outcomes = page.locator("#id_outcome option").all_inner_texts()
    assert sorted(outcomes[1:]) == [
        "1. A workforce with a shared vision and purpose (Workforce Strategy 2016/17)",
        "1. A workforce with a shared vision and purpose (Workforce Strategy 2017/18)",
    ]
    no_sideways_scrolling(page)


def test_adding_a_person_lays_out_the_teams_and_the_roles(page, live_server, sign_in, planner, team, tmp_path):
    page.set_viewport_size(DESKTOP)
    sign_in(page, "planner")
    page.goto(live_server.url + reverse("admin:auth_user_add"))
    expect(page.get_by_role("heading", name="Add user")).to_be_visible()
    shot(page, tmp_path, "person-add")

    # The Teams label sits above its lists, at their left edge, not floating beside them.
    label = page.locator(".field-teams .flex-container > label")
    lists = page.locator(".field-teams .selector")
    label_box, lists_box = label.bounding_box(), lists.bounding_box()
    assert label_box is not None and lists_box is not None
    assert label_box["y"] + label_box["height"] <= lists_box["y"] + 1, (label_box, lists_box)
    assert abs(label_box["x"] - lists_box["x"]) <= 2, (label_box, lists_box)

    # Each role's description has the width of the form, not 140 pixels.
    for option in page.locator(".field-role li label").all():
        box = option.bounding_box()
        assert box is not None and box["width"] >= 400, f"a role's description is squeezed into {box['width']} px"
    no_sideways_scrolling(page)


def test_the_spreadsheet_import_names_the_columns_as_the_spreadsheet_heads_them(
    page, live_server, sign_in, planner, tmp_path
):
    page.set_viewport_size(DESKTOP)
    sign_in(page, "planner")
    page.goto(live_server.url + reverse("admin:actions_action_import"))
    shot(page, tmp_path, "action-import")
    columns = page.locator("#app-import-columns")
    expect(columns).to_contain_text("Lead teams")
    expect(columns.locator("code").first).to_be_visible()
    assert "lead_teams, is_ongoing" not in page.locator("main, #content").first.inner_text()
    no_sideways_scrolling(page)
