"""The second accessibility engine: pa11y (HTML_CodeSniffer, WCAG2AA) on a page of the live server.

pa11y is installed into tests/a11y/node_modules by scripts/pa11y-install, from the committed
package-lock.json; it drives Debian's Chromium. Each run starts its own browser, signs in
through the sign-in form (a session cookie passed as a header would not survive a form's
POST) and then goes to the page.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

from .conftest import PASSWORD

PA11Y = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / ".bin" / "pa11y"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SIGN_IN = "/accounts/login/"


def pa11y_errors(live_server, tmp_path, url: str, *, username: str | None, steps: list[str] = ()) -> list[dict]:
    """pa11y's errors for `url`, signed in as `username` first (None: as anyone, not signed
    in), after doing `steps` there."""
    if not PA11Y.exists():
        pytest.fail("pa11y is not installed: run scripts/pa11y-install (needs Node.js 20 or later and npm)")
    config = {
        "chromeLaunchConfig": {"executablePath": CHROMIUM, "args": ["--no-sandbox", "--headless"]},
        "standard": "WCAG2AA",
        "runners": ["htmlcs"],
        "timeout": 60_000,
        "actions": [
            f"set field #id_username to {username}",
            f"set field #id_password to {PASSWORD}",
            "click element main button[type=submit]",
            f"wait for path to not be {SIGN_IN}",
            f"navigate to {live_server.url}{url}",
            *steps,
        ]
        if username
        else list(steps),
    }
    config_file = tmp_path / "pa11y.json"
    config_file.write_text(json.dumps(config))
    result = subprocess.run(  # noqa: S603  (our own installed tool, arguments we build)
        [
            str(PA11Y),
            "--config",
            str(config_file),
            "--reporter",
            "json",
            f"{live_server.url}{SIGN_IN if username else url}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    # 0: no issues; 2: issues found; anything else: pa11y itself failed.
    assert result.returncode in (0, 2), f"pa11y failed ({result.returncode}):\n{result.stderr}\n{result.stdout}"
    return [issue for issue in json.loads(result.stdout or "[]") if issue["type"] == "error"]


def pa11y_report(errors: list[dict]) -> str:
    """Each error's code and message, with the element it was found on."""
    return "\n".join(f"- {e['code']}: {e['message']}\n    {e['selector']}: {e['context'][:160]}" for e in errors)
