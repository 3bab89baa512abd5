"""A manager writes this quarter's update in the browser, fixing the form's errors by keyboard."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reporting.models import ProgressUpdate, Status
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(team):
    """A strategy with two actions led by the manager's team in Q3 2016/17: one updated, one not."""
    strategy = factories.StrategyFactory(slug="leics", title="Workforce Strategy 2016/17")
    period = factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=3)
    recommendation = factories.RecommendationFactory(outcome__strategy=strategy, outcome__number=1, number=1)
    due = datetime.date(2017, 6, 30)
    waiting = factories.ActionFactory(
        recommendation=recommendation,
        reference="1.1.1",
        order=1,
        due_date=due,
        lead_teams=[team],
        description="Scope out and write the Workforce Engagement Plan",
    )
    done = factories.ActionFactory(
        recommendation=recommendation,
        reference="1.1.2",
        order=2,
        due_date=due,
        lead_teams=[team],
        description="Run the staff survey",
    )
    factories.ProgressUpdateFactory(action=done, period=period, status=Status.IN_PROGRESS, rag="green")
    return {"waiting": waiting, "done": done, "period": period}


def press_tab_until(page, accessible_name: str, limit: int = 25) -> None:
    """Tab forward until the focused element is the one named, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        name = page.evaluate(
            "() => { const e = document.activeElement; return (e.value || e.innerText || '').trim(); }"
        )
        if name == accessible_name:
            return
    pytest.fail(f"{accessible_name!r} was not reached with Tab")


def test_manager_updates_an_action(page, live_server, sign_in, check_accessibility, manager, plan):
    period = plan["period"]
    action = plan["waiting"]
    sign_in(page, "manager")

    # "Your actions", with the one needing an update first and marked.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your actions")
    check_accessibility(page)
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(action.description)
    expect(rows.first).to_contain_text("Needs an update")
    expect(rows.nth(1)).not_to_contain_text("Needs an update")

    # The action page: the keyboard's first stop is the skip link.
    rows.first.get_by_role("link", name=re.compile(action.description)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(action.description)
    check_accessibility(page)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()

    # The form is on its own page, reached from the action page.
    page.get_by_role("link", name=re.compile("Write this quarter's update")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Update action {action.reference}")
    check_accessibility(page)

    # Red with nothing said: refused, with the errors summarised and beside the fields.
    page.get_by_label("In progress").check()
    page.get_by_label("Red (off track)").check()
    page.get_by_role("button", name="Save update").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_count(2)
    expect(page.locator("#div_id_progress .govuk-error-message")).to_contain_text("a Red rating needs commentary")
    expect(page.locator("#div_id_help_needed .govuk-error-message")).to_contain_text("help needed from DMT")
    expect(page.get_by_label("Red (off track)")).to_be_checked()  # choices are kept
    check_accessibility(page)
    assert not ProgressUpdate.objects.filter(action=action).exists()

    # Correct it with the keyboard only: the summary has focus, its first link leads to the field.
    expect(summary).to_be_focused()
    # The summary lists the fields in the page's order: the help needed from DMT sits under
    # "Red", just before the progress box.
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link", name=re.compile("help needed from DMT"))).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Help needed from DMT")).to_be_focused()
    page.keyboard.type("Agree an extra month for consultation.")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Progress this quarter")).to_be_focused()
    page.keyboard.type("Consultation delayed by the restructure.")
    press_tab_until(page, "Save update")
    page.keyboard.press("Enter")

    # Saved: the banner, the update on the action page and in the change history.
    expect(page).to_have_url(live_server.url + reverse("reporting:detail", args=[action.pk]) + "?from=yours")
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Your update for Q3 2016/17 was saved.")
    summary_list = page.locator(".govuk-summary-list").first
    expect(summary_list).to_contain_text("In progress")
    expect(summary_list).to_contain_text("Red")
    expect(summary_list).to_contain_text("Consultation delayed by the restructure.")
    expect(summary_list).to_contain_text("Agree an extra month for consultation.")
    history = page.locator("table.govuk-table").filter(has_text="What changed")
    expect(history).to_contain_text("Update for Q3 2016/17 created")
    expect(history).to_contain_text("manager")
    check_accessibility(page)
    update = ProgressUpdate.objects.get(action=action, period=period)
    assert (update.rag, update.author_id, update.version) == ("red", manager.pk, 1)

    # On a phone: the action page and its form fit without sideways scrolling.
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    check_accessibility(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("link", name=re.compile("Change this quarter's update")).click()
    expect(page.get_by_role("button", name="Save update")).to_be_visible()
    expect(page.get_by_label("Red (off track)")).to_be_checked()
    check_accessibility(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_your_actions_fits_a_phone(page, live_server, sign_in, manager, plan):
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, "manager")
    expect(page.locator("tbody tr")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_manager_of_another_team_cannot_update(page, live_server, sign_in, check_accessibility, outsider, plan):
    action = plan["waiting"]
    sign_in(page, "outsider")
    page.goto(live_server.url + f"/actions/{action.pk}/update/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have permission to see this page")
    check_accessibility(page)

    page.goto(live_server.url + reverse("reporting:detail", args=[action.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text(action.description)
    expect(page.get_by_role("button", name="Save update")).to_have_count(0)
    expect(page.locator(f"form[action='/actions/{action.pk}/update/']")).to_have_count(0)
    expect(page.get_by_text("Only the lead officer, members of the lead teams")).to_be_visible()
    check_accessibility(page)
