"""Configuration: read from the environment, with problems reported as system checks."""

import os
import subprocess
import sys

from django.conf import settings as django_settings

from strategy_tracker import checks


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    unset = ("SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")  # the tests set the last
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment["DJANGO_SETTINGS_MODULE"] = "strategy_tracker.settings"  # production's, not the tests' demo settings
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


PRODUCTION = {
    "SECRET_KEY": "k9-Fq2rX8vLp0wZs7YbN3mTc5HdJ6gUe1aRi4oKx-production-like-key",
    "ALLOWED_HOSTS": "tracker.example.org",
    "SECURE_SSL_REDIRECT": "1",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


def test_deploy_check_is_clean_with_production_settings():
    """The settings README's production example gives: not one deploy warning."""
    checked = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert checked.returncode == 0, checked.stderr
    assert "System check identified no issues" in checked.stdout


def test_deploy_check_warns_about_each_missing_protection():
    checked = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **{**PRODUCTION, "SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0", "SECURE_COOKIES": "0"},
    )
    assert checked.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in checked.stderr


def test_every_setting_read_from_the_environment_is_in_readmes_table():
    import re

    source = (django_settings.BASE_DIR / "strategy_tracker" / "settings.py").read_text()
    names = set(re.findall(r'(?:os\.environ\.get|env_bool|env_int|env_list)\(\s*"([A-Z_]+)"', source))
    assert len(names) > 20
    readme = (django_settings.BASE_DIR / "README.md").read_text()
    table = readme[readme.index("| variable | default | meaning |") :]
    table = table[: table.index("\n\n")]
    missing = sorted(name for name in names if f"`{name}`" not in table)
    assert not missing, f"Settings missing from README's table: {missing}"
