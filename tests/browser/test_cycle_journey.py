"""Organisational Planning runs a quarter's cycle in the browser: the returns page, reminders
through their confirmation, closing through its confirmation; a manager then finds the action
read-only; the planner reopens the quarter with a reason."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from reporting.models import PeriodEvent, ProgressUpdate, ReportingPeriod, Status
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(team):
    """Q3 2016/17 open, due by 14 January 2017: one action of the manager's team missing its
    update, one updated."""
    strategy = factories.StrategyFactory(slug="leics", title="Workforce Strategy 2016/17")
    period = factories.ReportingPeriodFactory(
        strategy=strategy, year=2016, number=3, update_deadline=datetime.date(2017, 1, 14)
    )
    recommendation = factories.RecommendationFactory(outcome__strategy=strategy, outcome__number=1, number=1)
    waiting = factories.ActionFactory(
        recommendation=recommendation,
        reference="1.1.1",
        order=1,
        lead_teams=[team],
        description="Scope out and write the Workforce Engagement Plan",
    )
    done = factories.ActionFactory(
        recommendation=recommendation, reference="1.1.2", order=2, lead_teams=[team], description="Run the survey"
    )
    factories.ProgressUpdateFactory(action=done, period=period, status=Status.IN_PROGRESS, rag="green")
    return {"period": period, "waiting": waiting, "done": done}


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_planner_reminds_closes_and_reopens_a_quarter(
    page, live_server, sign_in, check_accessibility, planner, manager, plan
):
    period, waiting = plan["period"], plan["waiting"]
    manager.first_name, manager.last_name = "Gareth", "Hughes"
    manager.save()

    # The header's "Returns" lists the strategies; the strategy's open quarter has its returns.
    sign_in(page, "planner")
    page.get_by_role("link", name="Returns", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Returns")
    check_accessibility(page)
    page.get_by_role("link", name="Returns for Q3 2016/17").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Returns for Q3 2016/17")
    card = page.locator("tr.app-lead").filter(has_text="Organisational Planning (lead team)")
    expect(card.locator('td[data-label="Missing (1)"]')).to_have_count(1)
    expect(card.locator('td[data-label="Updated (1)"]')).to_have_count(1)
    expect(card).to_contain_text("Gareth Hughes")
    expect(card.get_by_role("link", name="Action 1.1.1")).to_have_attribute(
        "href", reverse("reporting:detail", args=[waiting.pk])
    )
    check_accessibility(page)

    # Filters: every lead (the page opens on those with missing updates).
    page.get_by_label("Every lead").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("tr.app-lead")).to_have_count(1)
    check_accessibility(page)

    # Reminders: the confirmation names who will be emailed and about what; nothing is sent yet.
    page.get_by_role("link", name="Send reminders").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send reminders for Q3 2016/17")
    expect(page.locator("main")).to_contain_text("1 person will be emailed")
    expect(page.locator("main table")).to_contain_text("Gareth Hughes")
    expect(page.locator("main table")).to_contain_text("1.1.1")
    expect(page.locator("main table")).not_to_contain_text("1.1.2")
    check_accessibility(page)
    assert mail.outbox == []
    page.get_by_role("button", name="Send reminders").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Reminder sent to 1: Gareth Hughes (1 action)."
    )
    expect(page.locator("#reminders + table")).to_contain_text("Gareth Hughes")
    assert [message.to for message in mail.outbox] == [[manager.email]]
    assert live_server.url + reverse("reporting:detail", args=[waiting.pk]) in mail.outbox[0].body
    check_accessibility(page)

    # Closing: the confirmation lists what is still missing; the POST closes.
    page.get_by_role("link", name="Close Q3 2016/17").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close Q3 2016/17")
    expect(page.locator("main")).to_contain_text("1 action still has no update")
    expect(page.locator("main table")).to_contain_text("Scope out and write the Workforce Engagement Plan")
    check_accessibility(page)
    assert ReportingPeriod.objects.get(pk=period.pk).is_open
    page.get_by_role("button", name="Close Q3 2016/17").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Q3 2016/17 is closed.")
    expect(page.get_by_role("link", name="Reopen Q3 2016/17")).to_be_visible()
    expect(page.get_by_role("link", name="Send reminders")).to_have_count(0)
    check_accessibility(page)
    assert not ReportingPeriod.objects.get(pk=period.pk).is_open
    sign_out(page)

    # The manager finds the action read-only.
    sign_in(page, "manager")
    page.goto(live_server.url + reverse("reporting:detail", args=[waiting.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text(waiting.description)
    expect(page.get_by_role("button", name="Save update")).to_have_count(0)
    expect(page.locator("main form")).to_have_count(0)
    expect(page.get_by_text("Q3 2016/17 is closed: its updates can no longer be changed.")).to_be_visible()
    check_accessibility(page)
    assert not ProgressUpdate.objects.filter(action=waiting).exists()
    sign_out(page)

    # The planner reopens it: a reason is required, then recorded and shown.
    sign_in(page, "planner")
    page.goto(live_server.url + reverse("reporting:returns", args=[period.strategy.slug, period.slug]))
    page.get_by_role("link", name="Reopen Q3 2016/17").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reopen Q3 2016/17")
    check_accessibility(page)
    page.get_by_role("button", name="Reopen Q3 2016/17").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter why the quarter is being reopened")
    check_accessibility(page)
    summary.get_by_role("link", name="Enter why the quarter is being reopened").click()
    expect(page.get_by_label("Why are you reopening the quarter?")).to_be_focused()
    page.keyboard.type("Strategic HR's return arrived after the meeting.")
    page.get_by_role("button", name="Reopen Q3 2016/17").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Q3 2016/17 is open for updates again.")
    expect(page.locator("main")).to_contain_text("Strategic HR's return arrived after the meeting.")
    check_accessibility(page)
    event = PeriodEvent.objects.get(period=period, kind=PeriodEvent.Kind.REOPENED)
    assert (event.by_id, event.reason) == (planner.pk, "Strategic HR's return arrived after the meeting.")
