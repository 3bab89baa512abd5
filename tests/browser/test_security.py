"""In Chromium, under the site's Content-Security-Policy: GOV.UK Frontend's scripts run from
the site's own files (the character count counts), and an inline script is refused."""

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_character_count_works_under_the_policy(page, live_server, sign_in, manager, team, period):
    action = factories.ActionFactory(lead_teams=[team])
    sign_in(page, "manager")
    page.goto(f"{live_server.url}/actions/{action.pk}/update/")
    expect(page.locator("body")).to_have_class("govuk-template__body js-enabled govuk-frontend-supported")
    page.get_by_label("Progress this quarter").fill("x" * 1510)
    expect(page.locator("#div_id_progress .govuk-character-count__status")).to_contain_text("10 characters too many")


def test_an_inline_script_is_refused(page, live_server, sign_in, manager, csp_violations):
    sign_in(page, "manager")
    page.evaluate(
        """() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';
                   document.body.appendChild(s); }"""
    )
    assert page.evaluate("() => window.injected") is None
    assert any("inline script" in text for text in csp_violations)
    csp_violations.clear()  # refused, as it should be: not a fault of the page
