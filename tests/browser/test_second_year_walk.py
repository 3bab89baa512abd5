"""The two-year walk: the demo's first year (Leicestershire 2016/17, with its demo progress)
closed, refreshed once (a second refresh into the same period refused, naming the strategy
the first made), Q1 2017/18 opened, chased, reminded, updated and closed; then DMT reading
both years.

Every page on the way is looked at (`Walk.look`) at 1,280 and at 375 pixels: no sideways
scrolling on a phone, no page longer than it needs to be for what it must show (each page's
limit says why), no table row twice, no dead end (a way on from every page), dates written
as GOV.UK writes them, and axe's serious and critical checks. Each success message is in
view after its redirect. Screenshots of each page at both widths go into the test's tmp
path, for a person to look at: they are not committed.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from actions.models import Action
from outcomes.models import Strategy
from reporting.models import ReportingPeriod
from tests.browser.test_dmt_report_layout import LONGEST as LONGEST_REPORT
from workforce.models import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OLD_SLUG = "leicestershire-cfs-2016-17"
NEW_SLUG = "leicestershire-cfs-2017-18"
WIDE, NARROW = 1280, 375
# A date written with slashes (1/4/2017): GOV.UK writes "1 April 2017". A period's label
# ("2016/17") has one slash and is not a date.
SLASHED_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
DEMO_PASSWORD = "demo-password-2016"


@dataclass
class Walk:
    """The browser, the checks each page gets, and where its screenshots go."""

    page: Page
    base: str
    shots: Path
    check_accessibility: object
    seen: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state()

    def look(self, name: str, *, wide: int, narrow: int, why: str) -> None:
        """Check the page as it stands at both widths and save its screenshots.

        `wide` and `narrow`: the most pixels the page may be long at 1,280 and at 375, for
        the reason `why` gives (what the page must show). What is wrong is noted in
        `problems`, and the walk goes on: the test fails at its end listing every one."""
        assert why, "say why the page may be that long"
        page = self.page
        self.seen.append(name)
        self.check_accessibility(page)
        main = page.locator("main").inner_text()
        if found := SLASHED_DATE.search(main):
            self.problems.append(f"{name}: a date not in GOV.UK style: {found[0]}")
        # A way on: a link or button in the page itself, a back link or breadcrumbs.
        if not page.locator("main a[href], main button, .govuk-back-link, .govuk-breadcrumbs a").count():
            self.problems.append(f"{name}: a dead end, with no link or button in the page")
        for table in page.locator("main table").all():
            rows = [text for row in table.locator("tbody tr").all() if (text := row.inner_text().strip())]
            if repeated := {row for row in rows if rows.count(row) > 1}:
                self.problems.append(f"{name}: a table row shown twice: {sorted(repeated)[:2]}")
        for width, limit in ((WIDE, wide), (NARROW, narrow)):
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(50)
            sideways = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if sideways > 0:
                self.problems.append(f"{name} at {width} px scrolls sideways by {sideways} px")
            height = page.evaluate("document.documentElement.scrollHeight")
            print(f"{name} at {width} px: {height} px long (at most {limit})")
            if height > limit:
                self.problems.append(f"{name} at {width} px is {height} px long, over {limit} for {why}")
            page.screenshot(path=self.shots / f"{len(self.seen):02d}-{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": WIDE, "height": 900})

    def success_in_view(self, text: "str | re.Pattern") -> None:
        """The success banner after a redirect says `text` and is inside the viewport."""
        banner = self.page.locator(".govuk-notification-banner--success")
        expect(banner).to_contain_text(text)
        box = banner.bounding_box()
        height = self.page.viewport_size["height"]
        if box is None or box["y"] < 0 or box["y"] + box["height"] > height:
            self.problems.append(f"the success message {text!r} is out of view, at {box}")

    def sign_in(self, username: str) -> None:
        self.go("/accounts/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(DEMO_PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()
        assert "/accounts/login/" not in self.page.url, f"{username} did not get past the sign-in page"

    def sign_out(self) -> None:
        if self.page.viewport_size["width"] < 641:
            self.page.set_viewport_size({"width": WIDE, "height": 900})
        self.page.get_by_role("button", name="Sign out").click()
        self.page.wait_for_load_state()


@pytest.fixture
def demo(transactional_db):
    """The demo as `scripts/demo` loads it, with Leicestershire 2016/17 alone: its quarters
    to Q4 2016/17 (open, some updates missing), its demo progress and the demo users."""
    call_command("loaddata", "teams", "leicestershire-cfs-2016-17", verbosity=0)
    call_command("demo_data", "--users", "--seed", "2016", "--strategy", OLD_SLUG, verbosity=0)
    return Strategy.objects.get(slug=OLD_SLUG)


@pytest.fixture
def walk(page, live_server, check_accessibility, tmp_path) -> Walk:
    page.set_viewport_size({"width": WIDE, "height": 900})
    shots = tmp_path / "screenshots"
    shots.mkdir()
    print(f"\nScreenshots of the walk: {shots}")
    return Walk(page, live_server.url, shots, check_accessibility)


def test_two_years_walked(walk, demo, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page = walk.page
    old_q4 = ReportingPeriod.objects.get(strategy=demo, year=2016, number=4)
    assert old_q4.is_open

    # --- The planner closes the first year -------------------------------------------------
    walk.sign_in("planner")
    walk.go(reverse("reporting:returns", args=[OLD_SLUG, old_q4.slug]))
    walk.look(
        "returns-q4-2016-17",
        wide=4000,
        narrow=8000,
        why="the quarter's counts, what to fix for those nobody can email, and a row a lead with what it is missing",
    )
    page.get_by_role("link", name="Close Q4 2016/17").click()
    walk.look(
        "close-q4-2016-17",
        wide=3000,
        narrow=5000,
        why="the confirmation: the actions still without an update, one row each",
    )
    page.get_by_role("button", name="Close Q4 2016/17").click()
    walk.success_in_view("Q4 2016/17 is closed.")

    # --- The refresh: once, then refused into the same period ----------------------------------
    walk.go(reverse("reporting:returns_index"))
    walk.look("returns-index", wide=1500, narrow=2500, why="one row a strategy")
    page.get_by_role("link", name=f"Refresh {demo.title} for its next period").click()
    walk.look(
        "refresh",
        wide=9000,
        narrow=16000,
        why="every action of the old strategy with its state, and for each carried one its new reference and timescale",
    )
    expect(page.get_by_label("Period start")).to_have_value("1 April 2017")
    page.get_by_label("Short name").fill(NEW_SLUG)
    page.get_by_role("button", name="Make the new strategy").click()
    walk.success_in_view("carried forward from 2016/17")
    new = Strategy.objects.get(slug=NEW_SLUG)
    carried = Action.objects.filter(strategy=new).count()
    assert carried, "the refresh carried no action forward"
    walk.look(
        "new-strategy-actions",
        wide=6000,
        narrow=14000,
        why="the new strategy's carried actions, 25 a page",
    )

    walk.go(reverse("reporting:strategy_refresh", args=[OLD_SLUG]))
    page.get_by_label("Short name").fill(NEW_SLUG + "-again")
    page.get_by_role("button", name="Make the new strategy").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(f"{demo.title} was already refreshed into")
    expect(page.locator(".govuk-error-summary")).to_contain_text(new.title)
    assert Strategy.objects.filter(slug__startswith=NEW_SLUG).count() == 1

    # --- The dashboard still opens a report: the new strategy has no quarter yet ------------------
    walk.go(reverse("dashboard:index"))
    expect(page).to_have_url(re.compile(rf"/dashboard/{OLD_SLUG}/q4-2016-17/"))
    walk.go(reverse("dashboard:strategy", args=[NEW_SLUG]))
    expect(page.locator("main")).to_contain_text("has no reporting quarter yet")
    walk.look("new-strategy-no-report", wide=1200, narrow=1500, why="a sentence and the links to the reports")

    # --- Q1 2017/18 opened in the admin -------------------------------------------------------------
    walk.go(reverse("admin:reporting_reportingperiod_add"))
    page.locator("#id_strategy").select_option(label=new.title)
    page.locator("#id_year").fill("2017")
    page.locator("#id_number").select_option("1")
    page.locator("#id_update_deadline").fill("2017-07-14")
    page.get_by_role("button", name="Save", exact=True).click()
    q1 = ReportingPeriod.objects.get(strategy=new, year=2017, number=1)
    assert q1.is_open

    # --- Chased and reminded ----------------------------------------------------------------------
    walk.go(reverse("reporting:returns", args=[NEW_SLUG, q1.slug]))
    walk.look(
        "returns-q1-2017-18",
        wide=4000,
        narrow=8000,
        why="the quarter's counts, what to fix for those nobody can email, and a row a lead with what it is missing",
    )
    page.get_by_role("link", name="Send reminders").click()
    walk.look(
        "reminders-confirm",
        wide=4000,
        narrow=8000,
        why="who will be emailed about which actions, and the actions with nobody to email",
    )
    missing = {
        action.reference for action in Action.objects.filter(strategy=new).exclude(updates__period=q1).only("reference")
    }
    main = page.locator("main").inner_text()
    # Every missing action is either in the list of those emailed or named as having nobody
    # to email, with the link to fix it.
    unnamed = sorted(reference for reference in missing if reference not in main)
    if unnamed:
        walk.problems.append(f"reminders: actions missing an update that the page does not name: {unnamed}")
    nobody = page.locator("main").get_by_text(re.compile("nobody to email", re.I))
    if len(unnamed) < len(missing) and nobody.count():
        # The link to fix it: where a lead is given for the action.
        expect(page.locator("main a[href*='/admin/']").first).to_be_visible()
    page.get_by_role("button", name="Send reminders").click()
    walk.success_in_view(re.compile(r"Reminders? sent to"))
    assert mail.outbox, "no reminder was sent"
    walk.sign_out()

    # --- A manager updates: each carried action once, "Update" only where there is one to write ---
    walk.sign_in("manager")
    walk.go(reverse("reporting:home"))
    walk.look(
        "your-actions",
        wide=5000,
        narrow=12000,
        why="the manager's actions, each line of carried work once, 25 a page",
    )
    rows = page.locator("main table tbody tr")
    for row in rows.all():
        status = row.locator('td[data-label="Status"]').inner_text()
        update = row.get_by_role("link", name=re.compile(r"^Update"))
        # No row without an update that offers none: the update to write is a link away.
        assert "No update" not in status, f"a row says No update: {row.inner_text()}"
        if "Needs an update" in status:
            expect(update).to_have_count(1)
        # Nothing to update on an action finished in an earlier quarter.
        if status.startswith(("Complete", "Cancelled")):
            expect(update).to_have_count(0)
    # Each line of work once: no description twice (a 2016/17 original beside its 2017/18 copy).
    described = [row.locator("td a").first.inner_text().split(" ", 1)[1] for row in rows.all()]
    assert len(described) == len(set(described)), "an action listed twice on Your actions"
    team = Team.objects.get(name="Strategic HR")
    led_new = Action.objects.filter(strategy=new, lead_teams=team).order_by("order")
    assert led_new.exists(), "the manager's team leads no carried action"
    first = led_new.first()
    page.get_by_role("link", name=f"Update for action {first.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Update action {first.reference}")
    expect(page.locator(".app-update-deadline")).to_contain_text("14 July 2017")
    walk.look(
        "update-form",
        wide=3000,
        narrow=5000,
        why="the action's text, the form's questions and the earlier updates beside it",
    )
    page.get_by_label("In progress", exact=True).check()
    page.get_by_label("Green (on track)").check()
    page.get_by_label("Progress this quarter").fill("Carried on into the new year: the plan is agreed.")
    page.get_by_role("button", name="Save update").click()
    walk.success_in_view("Your update for Q1 2017/18 was saved.")
    walk.look(
        "action-after-update",
        wide=5000,
        narrow=9000,
        why="the action, this quarter's update, its updates before the refresh and its history",
    )
    walk.sign_out()

    # --- The planner closes the quarter -------------------------------------------------------------
    walk.sign_in("planner")
    walk.go(reverse("reporting:returns_close", args=[NEW_SLUG, q1.slug]))
    page.get_by_role("button", name="Close Q1 2017/18").click()
    walk.success_in_view("Q1 2017/18 is closed.")
    walk.sign_out()

    # --- DMT reads both years -----------------------------------------------------------------------
    walk.sign_in("dmt")
    walk.go(reverse("dashboard:index"))
    expect(page).to_have_url(re.compile(rf"/dashboard/{NEW_SLUG}/q1-2017-18/"))
    walk.look(
        "report-q1-2017-18",
        wide=LONGEST_REPORT[1280],
        narrow=LONGEST_REPORT[375],
        why="the key figures once, each outcome's progress, the exceptions and the trend (test_dmt_report_layout)",
    )
    page.get_by_role("link", name=demo.title).first.click()
    expect(page).to_have_url(re.compile(rf"/dashboard/{OLD_SLUG}/q4-2016-17/"))
    walk.look(
        "report-q4-2016-17",
        wide=LONGEST_REPORT[1280],
        narrow=LONGEST_REPORT[375],
        why="the key figures once, each outcome's progress, the exceptions and the trend (test_dmt_report_layout)",
    )
    no_update = page.get_by_role("link", name=re.compile(r"No update this quarter")).first
    if no_update.count():
        no_update.click()
        expect(page.locator("main")).to_contain_text("with no update")
        walk.look("no-update-list", wide=5000, narrow=12000, why="the actions the count counts, 25 a page")
    assert new.period_start == datetime.date(2017, 4, 1)
    assert not walk.problems, "The walk found:\n" + "\n".join(walk.problems)
