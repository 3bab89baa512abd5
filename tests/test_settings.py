"""Configuration: read from the environment, with problems reported as system checks."""

import os
import subprocess
import sys

from django.conf import settings as django_settings

from strategy_tracker import checks


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=django_settings.BASE_DIR, env=environment, capture_output=True, text=True
    )


def test_secret_key_is_required_when_debug_is_off():
    refused = run(["manage.py", "check", "--deploy"])
    assert refused.returncode != 0
    assert "strategy_tracker.E001" in refused.stderr
    assert "SECRET_KEY is not set" in refused.stderr
    # Nothing that signs can run without one: Django refuses the empty key.
    signing = run(
        ["-c", "import django; django.setup(); from django.core import signing; signing.dumps(1)"],
        DJANGO_SETTINGS_MODULE="strategy_tracker.settings",
    )
    assert "The SECRET_KEY setting must not be empty" in signing.stderr


def test_debug_is_off_unless_set_and_a_checkout_runs_on_sqlite():
    shown = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.TIME_ZONE, s.LANGUAGE_CODE)",
        ],
        DJANGO_SETTINGS_MODULE="strategy_tracker.settings",
    )
    assert shown.stdout.split() == ["False", "django.db.backends.sqlite3", "Europe/London", "en-gb"]
    with_debug = run(["manage.py", "check"], DEBUG="1")
    assert with_debug.returncode == 0, with_debug.stderr


def test_configuration_checks(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "a-long-random-secret-key-for-this-test-only-0123456789"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert checks.check_secret_key(None) == []
    assert checks.check_email_backend(None) == []
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert [w.id for w in checks.check_email_backend(None)] == ["strategy_tracker.W001"]
    settings.DEBUG = True
    assert checks.check_email_backend(None) == []
