"""Browser journeys: Chromium through Playwright against Django's live_server.

The launch arguments and DJANGO_ALLOW_ASYNC_UNSAFE are set in tests/conftest.py. Every
page a journey visits is checked with axe; serious and critical violations fail the test.
"""

import importlib

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps

from tests.dashboard.conftest import timeline  # noqa: F401  (the DMT journey's data, re-used)

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's
TIMEOUT_MS = 10_000  # fail fast rather than wait Playwright's default 30 s


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    """The three roles (groups), as the migration makes them.

    live_server needs a transactional database, which is emptied after each test, taking the
    migration's groups with it. serialized_rollback does not bring them back reliably: its
    copy is kept on the connection object, which the Playwright tests do not always see
    (when a non-browser test set the database up first, it is missing).
    """
    importlib.import_module("reporting.migrations.0002_roles").create_roles(apps, None)


@pytest.fixture(autouse=True)
def _fail_fast(page):
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)


@pytest.fixture(autouse=True)
def csp_violations(page):
    """Every journey fails if the browser blocked anything under the Content-Security-Policy."""
    blocked = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield blocked
    assert not blocked, "Blocked by the Content-Security-Policy:\n" + "\n".join(blocked)


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


@pytest.fixture
def check_accessibility(axe):
    """Run axe on the page as it stands; fail on serious or critical violations, listing them."""

    def check(page) -> None:
        results = axe.run(page)
        bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        if bad:
            lines = [f"{page.url}: {len(bad)} serious or critical accessibility violations"]
            for violation in bad:
                lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
                lines.extend(f"    {node['target']}: {node['html'][:160]}" for node in violation["nodes"][:5])
            report = "\n".join(lines)
            print(report)
            pytest.fail(report)

    return check


@pytest.fixture
def sign_in(live_server, check_accessibility):
    """Sign in through the form as `username`, checking the sign-in page on the way."""

    def go(page, username: str, *, start: str = "/") -> None:
        page.goto(live_server.url + start)
        assert "/accounts/login/" in page.url
        check_accessibility(page)
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url, f"{username} did not get past the sign-in page"

    return go
