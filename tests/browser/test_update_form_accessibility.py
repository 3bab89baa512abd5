"""Two accessibility engines on the managers' pages: axe (through Playwright) and
HTML_CodeSniffer (through pa11y, WCAG2AA), on "Your actions", "All actions", an action's
page and the update form without and with errors. Neither may find an error.

pa11y runs through tests/browser/pa11y.py.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .pa11y import pa11y_errors, pa11y_report
from .test_update_form import named_manager, plan  # noqa: F401  (the same quarter and actions)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What a manager does on the update form to see its errors: In progress, Red, nothing said.
SHOW_ERRORS = [
    "click element #id_status_2",
    "click element #id_rag_1",
    "click element #submit-id-save",
    "wait for element .govuk-error-summary to be visible",
]


def pages(plan) -> dict[str, tuple[str, list[str]]]:  # noqa: F811
    """Each page by name: its address and what to do there before checking it."""
    action = plan["waiting"]
    update = reverse("reporting:update", args=[action.pk]) + "?from=yours"
    return {
        "your-actions": (reverse("reporting:home"), []),
        "all-actions": (reverse("reporting:list"), []),
        "action": (reverse("reporting:detail", args=[action.pk]) + "?from=yours", []),
        "update-form": (update, []),
        "update-form-with-errors": (update, SHOW_ERRORS),
    }


@pytest.mark.parametrize("name", ["your-actions", "all-actions", "action", "update-form", "update-form-with-errors"])
def test_pa11y_finds_no_errors(live_server, tmp_path, plan, name):  # noqa: F811
    url, steps = pages(plan)[name]
    errors = pa11y_errors(live_server, tmp_path, url, username="manager", steps=steps)
    assert not errors, f"pa11y (HTML_CodeSniffer, WCAG2AA) on {name}:\n{pa11y_report(errors)}"


def test_axe_finds_no_errors_on_the_same_pages(page, live_server, sign_in, check_accessibility, plan):  # noqa: F811
    sign_in(page, "manager")
    for name, (url, steps) in pages(plan).items():
        page.goto(live_server.url + url)
        if steps:
            page.get_by_label("In progress", exact=True).check()
            page.get_by_label("Red (off track)").check()
            page.get_by_role("button", name="Save update").click()
            expect(page.locator(".govuk-error-summary")).to_be_visible()
            expect(page).to_have_title(re.compile(r"^Error: "))
        check_accessibility(page)
        # …and on a phone.
        page.set_viewport_size({"width": 375, "height": 800})
        check_accessibility(page)
        page.set_viewport_size({"width": 1280, "height": 800})
        assert name  # every page visited
