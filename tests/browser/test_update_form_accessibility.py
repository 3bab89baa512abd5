"""Two accessibility engines on the managers' pages: axe (through Playwright) and
HTML_CodeSniffer (through pa11y, WCAG2AA), on "Your actions", "All actions", an action's
page and the update form without and with errors. Neither may find an error.

pa11y is installed into tests/a11y/node_modules by scripts/pa11y-install, from the
committed package-lock.json; it drives Debian's Chromium.
"""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import PASSWORD
from .test_update_form import named_manager, plan  # noqa: F401  (the same quarter and actions)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PA11Y = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / ".bin" / "pa11y"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

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


def run_pa11y(live_server, tmp_path, url: str, steps: list[str]) -> list[dict]:
    """pa11y's errors for `url`, signed in as the manager through the sign-in form first."""
    if not PA11Y.exists():
        pytest.fail("pa11y is not installed: run scripts/pa11y-install (needs Node.js 20 or later and npm)")
    config = {
        "chromeLaunchConfig": {"executablePath": CHROMIUM, "args": ["--no-sandbox", "--headless"]},
        "standard": "WCAG2AA",
        "runners": ["htmlcs"],
        "timeout": 60_000,
        "actions": [
            "set field #id_username to manager",
            f"set field #id_password to {PASSWORD}",
            "click element main button[type=submit]",
            f"wait for path to be {reverse('reporting:home')}",
            f"navigate to {live_server.url}{url}",
            *steps,
        ],
    }
    config_file = tmp_path / "pa11y.json"
    config_file.write_text(json.dumps(config))
    result = subprocess.run(  # noqa: S603  (our own installed tool, arguments we build)
        [str(PA11Y), "--config", str(config_file), "--reporter", "json", f"{live_server.url}/accounts/login/"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    # 0: no issues; 2: issues found; anything else: pa11y itself failed.
    assert result.returncode in (0, 2), f"pa11y failed ({result.returncode}):\n{result.stderr}\n{result.stdout}"
    return [issue for issue in json.loads(result.stdout or "[]") if issue["type"] == "error"]


@pytest.mark.parametrize("name", ["your-actions", "all-actions", "action", "update-form", "update-form-with-errors"])
def test_pa11y_finds_no_errors(live_server, tmp_path, plan, name):  # noqa: F811
    url, steps = pages(plan)[name]
    errors = run_pa11y(live_server, tmp_path, url, steps)
    report = "\n".join(f"- {e['code']}: {e['message']}\n    {e['selector']}: {e['context'][:160]}" for e in errors)
    assert not errors, f"pa11y (HTML_CodeSniffer, WCAG2AA) on {name}:\n{report}"


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
