"""A planner signs off a closed quarter, withholds a commentary, previews, publishes, corrects and
withdraws its report; anyone, not signed in, reads the published reports, at 1,280 and 375 pixels.

The data is the dashboard tests' timeline (tests/dashboard/conftest.py): six actions over Q1-Q3
2016/17, Q3 closed here. Every page is checked with axe, and the public pages with pa11y too:
neither finds anything.
"""

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from publishing import services
from reporting import services as reporting_services
from tests import factories
from workforce.roles import DMT

from .pa11y import pa11y_errors, pa11y_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDRESS = "/published/leics/2016-q3/"


@pytest.fixture
def closed(timeline, planner):
    """Q3 closed by the planner, and the DMT member who approved its report."""
    reporting_services.period_close(period=timeline["q3"], user=planner)
    approver = factories.UserFactory(username="margaret", first_name="Margaret", last_name="Ellis", groups=[DMT])
    return {**timeline, "approver": approver}


@pytest.fixture
def no_violations(axe):
    """axe finds nothing on the page, of any impact."""

    def check(page) -> None:
        violations = axe.run(page).response["violations"]
        assert not violations, "\n".join(
            f"{page.url}: {v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes'][:3]]}"
            for v in violations
        )

    return check


def test_a_planner_signs_off_withholds_previews_publishes_corrects_and_withdraws(
    page, live_server, sign_in, check_accessibility, closed
):
    sign_in(page, "planner", start="/returns/leics/q3-2016-17/")

    # Sign-off: who at DMT approved the closed quarter's report, and when.
    page.get_by_role("link", name="Sign off Q3 2016/17").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign off Q3 2016/17")
    check_accessibility(page)
    page.get_by_label("Margaret Ellis").check()
    page.get_by_label("Day").fill("25")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2017")
    page.get_by_role("button", name="Record the sign-off of Q3 2016/17").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Q3 2016/17 is signed off: approved by Margaret Ellis on 25 January 2017."
    )

    # The publishing page: one commentary withheld, with the reason the public will read.
    page.get_by_role("link", name="Publish Q3 2016/17").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish Q3 2016/17")
    check_accessibility(page)
    page.get_by_role("link", name="Withhold the commentary of 1.1.1").click()
    expect(page.locator("#commentary")).to_have_text("A in Q3 2016/17")
    check_accessibility(page)
    page.get_by_role("button", name="Withhold the commentary").click()
    expect(page.locator(".govuk-error-message")).to_contain_text("Enter why the commentary is withheld")
    page.get_by_label("Why is the commentary withheld?").fill("personal information")
    page.get_by_role("button", name="Withhold the commentary").click()
    expect(page.locator("#commentary-1\\.1\\.1")).to_contain_text("Withheld personal information")

    # The preview: the public page, drawn now, the commentary withheld.
    page.get_by_role("link", name="Preview the public report").click()
    expect(page.locator("#preview-banner")).to_contain_text("Not published yet")
    expect(page.locator("#action-1\\.1\\.1")).to_contain_text("Withheld: personal information")
    expect(page.locator("#action-1\\.1\\.1")).not_to_contain_text("A in Q3 2016/17")
    check_accessibility(page)
    page.get_by_role("link", name="Back to publishing Q3 2016/17").click()

    # Published: version 1, at its stable address.
    page.get_by_role("button", name="Publish Q3 2016/17").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Q3 2016/17 is published, at {live_server.url}{ADDRESS}"
    )
    expect(page.locator("#versions")).to_contain_text("Version 1, published")

    # A correction: version 2, saying what it corrects, linking version 1.
    page.get_by_role("link", name="Publish a correction").click()
    check_accessibility(page)
    page.get_by_label("What does the correction correct?").fill("corrected the status of 1.1.2")
    page.get_by_role("button", name="Publish the correction").click()
    expect(page.locator("#versions")).to_contain_text("Version 2")
    page.goto(live_server.url + ADDRESS)
    today = timezone.localdate()
    expect(page.locator("#version")).to_have_text(
        f"Version 2, published {today.day} {today:%B %Y}: corrected the status of 1.1.2"
    )
    page.locator("#earlier-versions").get_by_role("link", name=re.compile("version 1")).click()
    expect(page).to_have_url(live_server.url + ADDRESS + "v1/")
    expect(page.locator("#later-version")).to_contain_text("This is an earlier version.")
    page.go_back()

    # Withdrawn: every address then says when and why.
    page.goto(live_server.url + "/publishing/leics/q3-2016-17/")
    page.get_by_role("link", name="Withdraw the report").click()
    check_accessibility(page)
    page.get_by_label("Why is the report withdrawn?").fill("It named a member of staff.")
    page.get_by_role("button", name="Withdraw the report").click()
    expect(page.locator("#publishing-state")).to_contain_text("Withdrawn on")
    response = page.goto(live_server.url + ADDRESS)
    assert response.status == 410
    expect(page.locator("#withdrawn")).to_have_text(
        f"It was withdrawn on {today.day} {today:%B %Y}: It named a member of staff."
    )
    check_accessibility(page)


@pytest.fixture
def published(closed, planner):
    """Q2 and Q3 signed off and published (Q2 gives Q3 a trend), Q3 corrected once."""
    for period, day in ((closed["q2"], closed["q3"].start), (closed["q3"], timezone.localdate())):
        period.refresh_from_db()
        reporting_services.period_sign_off(period=period, user=planner, approver=closed["approver"], approved_on=day)
        services.report_publish(period=period, user=planner)
    services.report_correct(period=closed["q3"], user=planner, reason="corrected the status of 1.1.2")
    return closed


@pytest.mark.parametrize("width", [1280, 375])
def test_anyone_reads_the_published_reports_without_signing_in(page, live_server, published, no_violations, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/published/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress reports on the workforce strategies")
    expect(page.get_by_role("link", name="Sign in")).to_have_count(0)
    no_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_role("link", name="Q3 2016/17").click()
    expect(page).to_have_url(live_server.url + ADDRESS)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Children's Workforce Strategy 2016/17: progress report, Q3 2016/17"
    )
    expect(page.locator("#trend-table")).to_contain_text("Q2 2016/17")
    expect(page.locator("#trend svg.app-chart")).to_have_count(1)  # the chart; its key has a swatch a state
    expect(page.locator("#at-a-glance svg.app-chart")).to_have_count(1)
    expect(page.locator("#action-1\\.1\\.1")).to_contain_text("A in Q3 2016/17")
    expect(page.locator("main")).not_to_contain_text("DMT to agree funding for A")  # help asked of DMT
    no_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "nothing scrolls sideways"

    pdf = page.request.get(live_server.url + page.get_by_role("link", name="The report as a PDF").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    feed = ET.fromstring(page.request.get(live_server.url + "/published/feed.atom").body())
    titles = [entry.findtext("{http://www.w3.org/2005/Atom}title") for entry in feed]
    assert "Children's Workforce Strategy 2016/17: progress report, Q3 2016/17 (version 2)" in titles


def test_the_public_and_publishing_pages_have_no_pa11y_errors(live_server, published, tmp_path):
    action = published["actions"]["A"].pk
    pages = [
        *((url, None) for url in ("/published/", ADDRESS, ADDRESS + "v1/")),
        *(
            (url, "planner")
            for url in (
                "/publishing/leics/q3-2016-17/",
                f"/publishing/leics/q3-2016-17/withhold/{action}/",
                "/publishing/leics/q3-2016-17/correct/",
                "/returns/leics/q3-2016-17/sign-off/",
            )
        ),
    ]
    for url, username in pages:
        errors = pa11y_errors(live_server, tmp_path, url, username=username)
        assert not errors, f"{url}:\n{pa11y_report(errors)}"
