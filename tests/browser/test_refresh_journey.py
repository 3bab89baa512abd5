"""Organisational Planning refreshes a strategy in the browser: Returns → Refresh, the
proposed actions and timescales (the old one moved on a year), a timescale that ends too
early refused by name, the new strategy made, a second refresh into its period refused,
its carried actions marked in the list and each one's page showing the line of updates."""

import datetime

import pytest
from playwright.sync_api import expect

from outcomes.models import Strategy
from reporting.models import ReportingPeriod, Status
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def old(team):
    strategy = factories.StrategyFactory(slug="workforce-2016-17", title="Workforce Strategy 2016/17")
    period = factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=4)
    recommendation = factories.RecommendationFactory(outcome__strategy=strategy, outcome__number=1, number=1)
    done = factories.ActionFactory(
        recommendation=recommendation, reference="1.1.1", order=1, lead_teams=[team], description="Write the plan"
    )
    unfinished = factories.ActionFactory(
        recommendation=recommendation,
        reference="1.1.2",
        order=2,
        lead_teams=[team],
        description="Roll the plan out to every team",
        timescale="January 2017",
    )
    factories.ProgressUpdateFactory(
        action=done, period=period, status=Status.COMPLETE, rag="", completed_on=datetime.date(2017, 2, 1)
    )
    factories.ProgressUpdateFactory(action=unfinished, period=period, progress="Half the teams have it.")
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.CLOSED)
    return strategy


@pytest.mark.parametrize("width", [1280, 375])
def test_planner_refreshes_a_strategy(page, live_server, sign_in, check_accessibility, planner, old, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "planner")
    page.goto(live_server.url + "/returns/")  # the header's "Returns" (behind "Menu" on a phone)
    page.get_by_role("link", name="Refresh Workforce Strategy 2016/17 for its next period").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refresh the strategy for its next period")
    check_accessibility(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    expect(page.get_by_label("Title")).to_have_value("Workforce Strategy 2017/18")
    expect(page.get_by_label("Period start")).to_have_value("1 April 2017")
    # The complete action is not proposed; the unfinished one is.
    expect(page.get_by_label("Carry forward action 1.1.1")).not_to_be_checked()
    expect(page.get_by_label("Carry forward action 1.1.2")).to_be_checked()

    # Its timescale moved on a year is proposed; one ending before the new period is refused
    # by name, and nothing is made.
    expect(page.get_by_label("New timescale for action 1.1.2")).to_have_value("January 2018")
    page.get_by_label("New timescale for action 1.1.2").fill("January 2017")
    page.get_by_role("button", name="Make the new strategy").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The timescale for 1.1.2 ends before 1 April 2017")
    check_accessibility(page)
    assert not Strategy.objects.filter(slug="workforce-2017-18").exists()
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("New timescale for action 1.1.2")).to_be_focused()
    page.get_by_label("New timescale for action 1.1.2").fill("Summer 2017")
    page.get_by_label("New reference for action 1.1.2").fill("1.1.1")
    page.get_by_role("button", name="Make the new strategy").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("with 1 action carried forward from 2016/17")
    expect(page.get_by_text("Carried forward from 2016/17", exact=True)).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="1.1.1 Roll the plan out to every team").click()
    expect(page.get_by_role("heading", name="Before it was carried forward")).to_be_visible()
    expect(page.get_by_text("Half the teams have it.")).to_be_visible()
    check_accessibility(page)

    # A second refresh into the same period, under another short name, is refused by name.
    page.goto(live_server.url + "/returns/")
    page.get_by_role("link", name="Refresh Workforce Strategy 2016/17 for its next period").click()
    page.get_by_label("Short name").fill("workforce-2017-18-again")
    page.get_by_role("button", name="Make the new strategy").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Workforce Strategy 2016/17 was already refreshed into 2017/18: Workforce Strategy 2017/18"
    )
    assert Strategy.objects.count() == 2
