"""A DMT member reads the quarterly dashboard, drills into an exception, and takes the files away.

The data is the dashboard tests' timeline (tests/dashboard/conftest.py), imported into
tests/browser/conftest.py: six actions over Q1-Q3 2016/17, Q3 open, their updates with no
author (as loaded from a fixture).
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dmt_reads_the_dashboard_and_downloads_the_report(
    page, live_server, sign_in, check_accessibility, dmt, timeline
):
    strategy = timeline["strategy"]

    # Signing in lands a DMT member (no team) on the dashboard at the open quarter.
    sign_in(page, "dmt")
    expect(page).to_have_url(re.compile(rf"/dashboard/{strategy.slug}/q3-2016-17/$"))
    page.goto(live_server.url + "/dashboard/")
    expect(page).to_have_url(re.compile(rf"/dashboard/{strategy.slug}/q3-2016-17/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Children's Workforce Strategy 2016/17: Q3 2016/17")
    expect(page.locator("#exceptions")).to_contain_text("DMT to agree funding for A")
    # The page never scrolls sideways: the wide by-outcome table scrolls in its own region.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check_accessibility(page)

    # Printed, the page is the report alone: no navigation, quarter picker or download buttons.
    page.emulate_media(media="print")
    expect(page.locator("#exceptions")).to_be_visible()
    expect(page.locator("#quarter-picker")).to_be_hidden()
    expect(page.get_by_role("link", name="Download the report (PDF)")).to_be_hidden()
    expect(page.locator(".govuk-header__navigation")).to_be_hidden()
    page.emulate_media(media="screen")

    # The quarter picker moves to Q2, which is closed.
    page.locator("#quarter-picker").get_by_role("link", name="Q2 2016/17").click()
    expect(page).to_have_url(re.compile(rf"/dashboard/{strategy.slug}/q2-2016-17/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Children's Workforce Strategy 2016/17: Q2 2016/17")
    expect(page.get_by_text("Q2 2016/17 is closed: these figures no longer change.")).to_be_visible()
    expect(page.locator("#quarter-picker [aria-current=page]")).to_have_text("Q2 2016/17")
    check_accessibility(page)
    q2_url = page.url

    # An exception leads to its action page, and back.
    exception = page.locator("#exceptions tbody tr").filter(has_text="Action A")
    expect(exception).to_contain_text("Amber")
    exception.get_by_role("link", name=re.compile("Action A")).click()
    action = timeline["actions"]["A"]
    expect(page).to_have_url(live_server.url + reverse("reporting:detail", args=[action.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Action A")
    expect(page.get_by_role("button", name="Save update")).to_have_count(0)  # DMT reads, does not edit
    check_accessibility(page)
    page.go_back()
    expect(page).to_have_url(q2_url)

    # Both files download, named for the strategy and quarter.
    for name, extension, magic in (("PDF", "pdf", b"%PDF"), ("spreadsheet", "xlsx", b"PK")):
        with page.expect_download() as download_info:
            page.get_by_role("link", name=f"Download the report ({name})").click()
        download = download_info.value
        assert download.failure() is None
        assert download.suggested_filename == f"{strategy.slug}-q2-2016-17-dmt-report.{extension}"
        with open(download.path(), "rb") as file:
            content = file.read()
        assert len(content) > 1000, f"the {name} is nearly empty"
        assert content.startswith(magic), f"the {name} is not a {extension} file"


def test_planner_prepares_and_records_the_dmt_meeting(
    page, live_server, sign_in, check_accessibility, planner, timeline
):
    """Key messages before the meeting, DMT's decision after it; both in the report."""
    strategy = timeline["strategy"]
    sign_in(page, "planner", start=reverse("reporting:returns", args=[strategy.slug, "q3-2016-17"]))
    page.get_by_role("link", name="Key messages and DMT decisions").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("DMT meeting for Q3 2016/17")
    check_accessibility(page)

    page.get_by_label("Key messages").fill("Agency use is falling.\n\nFunding for action A needs DMT's agreement.")
    page.get_by_label("Strategic lead").fill("Jane Smith")
    page.get_by_role("button", name="Save the key messages").click()
    expect(page.locator(".govuk-notification-banner, [role=alert], .govuk-body").first).to_be_visible()
    expect(page.get_by_label("Key messages")).to_have_value(
        "Agency use is falling.\n\nFunding for action A needs DMT's agreement."
    )

    # A Red action's request for help, decided after the meeting.
    requests = page.locator("#requests")
    expect(requests).to_contain_text("DMT to agree funding for A")
    requests.get_by_role("link", name=re.compile("Record the decision")).click()
    check_accessibility(page)
    page.get_by_role("button", name="Save DMT's decision").click()  # nothing chosen yet
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select DMT's decision")
    check_accessibility(page)
    page.get_by_label("Agreed").check()
    page.get_by_label("Note for the lead").fill("£20k from reserves")
    page.get_by_role("button", name="Save DMT's decision").click()
    expect(page.locator("#requests")).to_contain_text("Agreed: £20k from reserves")

    # The report opens with the key messages and shows the decision beside the action.
    page.get_by_role("link", name="DMT report for Q3 2016/17").click()
    expect(page.locator("#key-messages")).to_contain_text("Funding for action A needs DMT's agreement.")
    expect(page.locator("#key-messages")).to_contain_text("Strategic lead: Jane Smith")
    expect(page.locator("#exceptions")).to_contain_text("DMT's decision in Q3 2016/17: Agreed. £20k from reserves")
    check_accessibility(page)
