"""A manager's quarterly update in the browser, at a desk (1,280 px) and on a phone (375 px):
the form asks only what the status needs, keeps last quarter in view, copies last quarter's
next steps in one click, works without JavaScript, and a Green update takes a few taps."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reporting.models import ProgressUpdate, ReportingPeriod, Status
from tests import factories

from .conftest import PASSWORD, TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desk": 1280, "phone": 375}
LAST_NEXT_STEPS = "Run two staff workshops.\nWrite up what staff said."


@pytest.fixture
def named_manager(manager):
    manager.first_name, manager.last_name = "Priya", "Shah"
    manager.save()
    return manager


@pytest.fixture
def plan(team, named_manager):
    """Q2 2016/17 closed with an Amber update for the action waiting; Q3 open, the waiting
    action not yet updated and a second action already updated (Green)."""
    strategy = factories.StrategyFactory(slug="leics", title="Workforce Strategy 2016/17")
    q2 = factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=2, state=ReportingPeriod.State.CLOSED)
    q3 = factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=3)
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
    factories.ProgressUpdateFactory(
        action=waiting,
        period=q2,
        status=Status.IN_PROGRESS,
        rag="amber",
        progress="Draft plan written; consultation slipped.",
        next_steps=LAST_NEXT_STEPS,
        author=named_manager,
    )
    factories.ProgressUpdateFactory(action=done, period=q3, status=Status.IN_PROGRESS, rag="green")
    return {"waiting": waiting, "done": done, "q2": q2, "q3": q3}


def update_page(page, live_server, action, *, section: str = "yours") -> None:
    page.goto(f"{live_server.url}{reverse('reporting:update', args=[action.pk])}?from={section}")
    expect(page.get_by_role("button", name="Save update")).to_be_visible()


# The fields that depend on the status and the rating, by how a person finds them.
def conditional_fields(page) -> dict:
    return {
        "rag": page.get_by_role("group", name=re.compile("^RAG rating")),
        "help_needed": page.get_by_label("Help needed from DMT"),
        "reason": page.get_by_label("Reason for being on hold or cancelled"),
        "completed_on": page.get_by_role("group", name="Completion date"),
    }


def visible_fields(page) -> set[str]:
    return {name for name, locator in conditional_fields(page).items() if locator.is_visible()}


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_each_status_reveals_exactly_its_fields(page, live_server, sign_in, check_accessibility, plan, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "manager")
    update_page(page, live_server, plan["waiting"])
    assert visible_fields(page) == set()  # nothing asked before a status is chosen
    expected = {
        "Not started": {"rag"},
        "In progress": {"rag"},
        "Complete": {"completed_on"},
        "On hold": {"reason", "rag"},
        "Cancelled or superseded": {"reason"},
    }
    for status, fields in expected.items():
        page.get_by_label(status, exact=True).check()
        expect(page.get_by_label(status, exact=True)).to_be_checked()
        assert visible_fields(page) == fields, status
    # The help needed from DMT only under Red, for any status with a rating.
    page.get_by_label("In progress", exact=True).check()
    page.get_by_label("Red (off track)").check()
    assert visible_fields(page) == {"rag", "help_needed"}
    check_accessibility(page)
    page.get_by_label("Amber (at risk)").check()
    assert visible_fields(page) == {"rag"}
    page.get_by_label("Complete", exact=True).check()
    assert visible_fields(page) == {"completed_on"}
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_a_red_update_is_refused_corrected_and_saved(
    page, live_server, sign_in, check_accessibility, named_manager, plan, width
):
    action, q3 = plan["waiting"], plan["q3"]
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "manager")
    update_page(page, live_server, action)
    earlier = page.locator(".app-earlier-updates")
    expect(earlier).to_contain_text("Q2 2016/17")
    expect(earlier).to_contain_text("Draft plan written; consultation slipped.")

    page.get_by_label("In progress", exact=True).check()
    page.get_by_label("Red (off track)").check()
    page.get_by_role("button", name="Save update").click()

    # Refused, on the same page: both errors, the choices kept, the help box still shown,
    # and last quarter's update still beside the form.
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the progress this quarter: a Red rating needs commentary")
    expect(summary).to_contain_text("Enter the help needed from DMT for a Red rating")
    expect(page.get_by_label("Red (off track)")).to_be_checked()
    expect(page.get_by_label("Help needed from DMT")).to_be_visible()
    expect(page.get_by_label("Reason for being on hold or cancelled")).to_be_hidden()
    expect(earlier).to_contain_text("Draft plan written; consultation slipped.")
    expect(page.locator(".govuk-header__navigation-item--active")).to_have_text("Your actions")
    check_accessibility(page)
    assert not ProgressUpdate.objects.filter(action=action, period=q3).exists()

    summary.get_by_role("link", name=re.compile("progress this quarter")).click()
    expect(page.get_by_label("Progress this quarter")).to_be_focused()
    page.keyboard.type("Consultation delayed by the restructure.")
    page.get_by_label("Help needed from DMT").fill("Agree an extra month for consultation.")
    page.get_by_role("button", name="Save update").click()

    # Saved: the action page shows it once, with a link to change it, and names the writer.
    expect(page).to_have_url(f"{live_server.url}{reverse('reporting:detail', args=[action.pk])}?from=yours")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your update for Q3 2016/17 was saved.")
    saved = page.locator(".govuk-summary-list").first
    expect(saved).to_contain_text("Consultation delayed by the restructure.")
    expect(saved).to_contain_text("Agree an extra month for consultation.")
    expect(saved).to_contain_text("Priya Shah")
    expect(page.get_by_role("link", name=re.compile("Change this quarter's update"))).to_be_visible()
    expect(page.locator("textarea")).to_have_count(0)  # the form is not repeated under the update
    history = page.locator("table.govuk-table").filter(has_text="What changed")
    expect(history).to_contain_text("Priya Shah")
    check_accessibility(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    update = ProgressUpdate.objects.get(action=action, period=q3)
    assert (update.status, update.rag, update.author, update.help_needed) == (
        Status.IN_PROGRESS,
        "red",
        named_manager,
        "Agree an extra month for consultation.",
    )


def test_the_update_is_saved_with_javascript_off(browser, live_server, named_manager, plan):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    try:
        # Signed in by hand: axe (in the sign_in fixture) needs JavaScript.
        page.goto(live_server.url + reverse("reporting:home"))
        page.get_by_label("Username").fill("manager")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your actions")
        update_page(page, live_server, plan["waiting"])
        # Every field shows, each saying when it is needed; the copy button needs JavaScript.
        assert visible_fields(page) == {"rag", "help_needed", "reason", "completed_on"}
        expect(page.get_by_role("button", name="Copy into this quarter's progress")).to_be_hidden()
        expect(page.locator("#last-next-steps")).to_contain_text("Run two staff workshops.")

        # A Red rating without help is refused by the server, as with JavaScript.
        page.get_by_label("On hold", exact=True).check()
        page.get_by_label("Red (off track)").check()
        page.get_by_label("Progress this quarter").fill("Paused until the restructure is agreed.")
        page.get_by_role("button", name="Save update").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the action is on hold")
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the help needed from DMT")
        expect(page.locator(".app-earlier-updates")).to_contain_text("Draft plan written")

        page.get_by_label("Reason for being on hold or cancelled").fill("Waiting for the restructure.")
        page.get_by_label("Amber (at risk)").check()
        page.get_by_role("button", name="Save update").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("was saved")
    finally:
        context.close()
    update = ProgressUpdate.objects.get(action=plan["waiting"], period=plan["q3"])
    assert (update.status, update.rag, update.reason) == (Status.ON_HOLD, "amber", "Waiting for the restructure.")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_copy_last_quarters_next_steps_into_progress(page, live_server, sign_in, plan, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "manager")
    update_page(page, live_server, plan["waiting"])
    progress = page.get_by_label("Progress this quarter")
    expect(progress).to_have_value("")
    page.get_by_role("button", name="Copy into this quarter's progress").click()
    expect(progress).to_have_value(LAST_NEXT_STEPS)  # line breaks kept
    expect(progress).to_be_focused()
    remaining = 1500 - len(LAST_NEXT_STEPS)
    expect(page.locator("#div_id_progress .govuk-character-count__status")).to_contain_text(
        f"You have {remaining:,} characters remaining"
    )
    # A second click does not paste it twice.
    page.get_by_role("button", name="Copy into this quarter's progress").click()
    expect(progress).to_have_value(LAST_NEXT_STEPS)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_header_highlights_the_section_the_manager_came_from(page, live_server, sign_in, plan, width):
    action = plan["waiting"]
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "manager")
    active = page.locator(".govuk-header__navigation-item--active")
    expect(active).to_have_text("Your actions")

    # From "Your actions": the action page and its update page stay under "Your actions".
    page.locator("tbody tr").filter(has_text=action.description).get_by_role("link", name=re.compile("^1.1.1")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(action.description)
    expect(active).to_have_text("Your actions")
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("Your actions")
    page.get_by_role("link", name=re.compile("Write this quarter's update")).click()
    expect(page.get_by_role("button", name="Save update")).to_be_visible()
    expect(active).to_have_text("Your actions")

    # From "All actions": "All actions".
    page.goto(live_server.url + reverse("reporting:list"))
    expect(active).to_have_text("All actions")
    page.get_by_role("link", name=re.compile("^1.1.1")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(action.description)
    expect(active).to_have_text("All actions")
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("All actions")


class Interactions:
    """Counts what the manager does: clicks, choices and typed fields."""

    def __init__(self):
        self.count = 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def choose(self, locator):
        self.count += 1
        locator.check()

    def type(self, locator, text: str):
        self.count += 1
        locator.fill(text)


def test_a_green_update_from_your_actions_on_a_phone_in_six_interactions(
    page, live_server, sign_in, check_accessibility, named_manager, plan
):
    action = plan["waiting"]
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, "manager")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your actions")
    check_accessibility(page)

    # Each action a card: its status, RAG and due date, and the update link across its foot.
    card = page.locator("tbody tr").filter(has_text=action.description)
    expect(card).to_contain_text("Needs an update")
    expect(card).to_contain_text("30 Jun 2017")
    update_link = card.get_by_role("link", name="Update for action 1.1.1")
    box = update_link.bounding_box()
    assert box["width"] >= 300 and box["height"] >= 44, box
    done_card = page.locator("tbody tr").filter(has_text=plan["done"].description)
    expect(done_card).to_contain_text("In progress")
    expect(done_card).to_contain_text("Green")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    steps = Interactions()
    steps.click(update_link)
    steps.choose(page.get_by_label("In progress", exact=True))
    steps.choose(page.get_by_label("Green (on track)"))
    steps.type(page.get_by_label("Progress this quarter"), "Workshops held; plan agreed by the board.")
    steps.click(page.get_by_role("button", name="Save update"))

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your update for Q3 2016/17 was saved.")
    assert steps.count <= 6, steps.count
    update = ProgressUpdate.objects.get(action=action, period=plan["q3"])
    assert (update.status, update.rag, update.author) == (Status.IN_PROGRESS, "green", named_manager)

    # Back on "Your actions", the action no longer needs an update.
    page.goto(live_server.url + reverse("reporting:home"))
    card = page.locator("tbody tr").filter(has_text=action.description)
    expect(card).not_to_contain_text("Needs an update")
    expect(card).to_contain_text("Green")
    expect(card.get_by_role("link", name="Change update for action 1.1.1")).to_be_visible()
