"""The planner's returns pages in Chromium, at 1,280 and 375 pixels: nothing scrolls sideways
on a phone, and after each redirect with a success message (reminders sent, a quarter closed,
reopened) the message is in view, not thousands of pixels down a long page.

The quarter is a long one, as the demo's is: fourteen leads, every one with an action
missing its update, an action with nobody to email, and a dozen reminders sent. Screenshots
of each page go to the test's temporary folder (printed), to look at; they are not kept.
"""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reporting.models import PeriodEvent, Reminder
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
LEADS = 14


@pytest.fixture
def long_quarter(planner):
    strategy = factories.StrategyFactory(
        slug="leics", title="Leicestershire County Council Children and Family Services Workforce Strategy 2016/17"
    )
    period = factories.ReportingPeriodFactory(
        strategy=strategy, year=2016, number=3, update_deadline=datetime.date(2017, 1, 14)
    )
    recommendation = factories.RecommendationFactory(outcome__strategy=strategy, outcome__number=1, number=1)
    people = []
    for n in range(LEADS):
        team = factories.TeamFactory(name=f"Children's Safeguarding and Quality Assurance Service Team {n}")
        person = factories.UserFactory(
            username=f"lead{n}",
            first_name="Alexandra-Josephine",
            last_name=f"Featherstonehaugh-Smythe {n}",
            email=f"alexandra-josephine.featherstonehaugh-smythe{n}@leicestershire.example.gov.uk",
            teams=[team],
        )
        people.append(person)
        for m in range(3):
            action = factories.ActionFactory(
                recommendation=recommendation,
                reference=f"1.1.{n * 3 + m}",
                order=n * 3 + m,
                lead_teams=[team],
                description="Develop and implement a departmental Workforce Engagement Plan " * 3,
            )
            if m:
                factories.ProgressUpdateFactory(action=action, period=period)
    factories.ActionFactory(recommendation=recommendation, reference="9.9.9", lead_officer="Principal Social Worker")
    for person in people[:12]:
        reminder = Reminder.objects.create(period=period, recipient=person, sent_by=planner, state="sent")
        reminder.actions.set(strategy.actions.all()[:6])
    PeriodEvent.objects.create(period=period, kind=PeriodEvent.Kind.OPENED, by=planner)
    return period


def no_sideways_scrolling(page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways at {widths[1]} px: {widths[0]} px wide"


def banner_in_view(page, words: str) -> None:
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(words)
    box = banner.bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    scrolled = page.evaluate("window.scrollY")
    top = box["y"]  # relative to the viewport
    assert top >= 0 and top + box["height"] <= viewport["height"], (
        f"The success message on {page.url} is out of view: {top:.0f} px from the top of the window "
        f"(scrolled {scrolled} px), which is {viewport['height']} px high"
    )


def shot(page, folder, name: str) -> None:
    path = folder / f"{name}-{page.viewport_size['width']}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_the_returns_pages_fit_and_each_success_message_is_in_view(
    page, live_server, sign_in, planner, long_quarter, viewport, tmp_path
):
    period = long_quarter
    args = [period.strategy.slug, period.slug]
    page.set_viewport_size(viewport)
    sign_in(page, "planner")

    page.goto(live_server.url + reverse("reporting:returns_index"))
    expect(page.get_by_role("link", name="Refresh")).to_be_visible()
    no_sideways_scrolling(page)
    shot(page, tmp_path, "returns-index")

    page.goto(live_server.url + reverse("reporting:returns", args=args) + "?show=all")
    expect(page.locator("tr.app-lead")).to_have_count(LEADS + 1)
    no_sideways_scrolling(page)
    shot(page, tmp_path, "returns-all")

    # The count of missing updates is a link to the leads that have them.
    page.get_by_role("link", name="15 actions missing an update").click()
    expect(page.get_by_role("heading", name="Leads with actions missing an update")).to_be_visible()
    no_sideways_scrolling(page)
    shot(page, tmp_path, "returns-missing")

    page.get_by_role("link", name="Send reminders").click()
    page.get_by_label("Send again to people reminded").check()
    no_sideways_scrolling(page)
    shot(page, tmp_path, "reminders")
    page.get_by_role("button", name="Send reminders").click()
    banner_in_view(page, "Reminders sent to 14 people, about 14 actions.")
    no_sideways_scrolling(page)
    shot(page, tmp_path, "after-reminders")

    page.get_by_role("link", name="Close Q3 2016/17").click()
    no_sideways_scrolling(page)
    page.get_by_role("button", name="Close Q3 2016/17").click()
    banner_in_view(page, "Q3 2016/17 is closed.")

    page.get_by_role("link", name="Reopen Q3 2016/17").click()
    page.get_by_label("Why are you reopening the quarter?").fill("A late return from Strategic HR.")
    page.get_by_role("button", name="Reopen Q3 2016/17").click()
    banner_in_view(page, "Q3 2016/17 is open for updates again.")
    no_sideways_scrolling(page)
    shot(page, tmp_path, "after-reopen")


@pytest.fixture
def year_closed(team):
    """2016/17 with Q4 closed and thirty unfinished actions: a long list once refreshed."""
    strategy = factories.StrategyFactory(slug="workforce-2016-17", title="Workforce Strategy 2016/17")
    period = factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=4, state="closed")
    recommendation = factories.RecommendationFactory(outcome__strategy=strategy, outcome__number=1, number=1)
    for n in range(30):
        action = factories.ActionFactory(
            recommendation=recommendation,
            reference=f"1.1.{n}",
            order=n,
            lead_teams=[team],
            description=f"Roll the plan out to every team, part {n}",
            timescale="Ongoing",
        )
        factories.ProgressUpdateFactory(action=action, period=period)
    return strategy


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_after_a_refresh_and_opening_a_quarter_the_message_is_in_view(
    page, live_server, sign_in, planner, year_closed, viewport, tmp_path
):
    page.set_viewport_size(viewport)
    sign_in(page, "planner")
    page.goto(live_server.url + reverse("reporting:strategy_refresh", args=[year_closed.slug]))
    page.get_by_role("button", name="Make the new strategy").click()
    banner_in_view(page, "carried forward from 2016/17")
    shot(page, tmp_path, "after-refresh")

    # Opening the new year's first quarter, in the admin.
    page.goto(live_server.url + reverse("admin:reporting_reportingperiod_add"))
    page.locator("#id_strategy").select_option(label="Workforce Strategy 2017/18")
    page.locator("#id_year").fill("2017")
    page.locator("#id_number").select_option(label="Q1")
    page.get_by_role("button", name="Save", exact=True).click()
    message = page.locator(".messagelist .success")
    expect(message).to_be_visible()
    box, height = message.bounding_box(), page.viewport_size["height"]
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, "the message is out of view"
    shot(page, tmp_path, "after-open")
