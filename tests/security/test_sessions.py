"""Sessions end after a spell without use and after a fixed lifetime; password reset is
limited per address and per client."""

from unittest import mock

import pytest
from django.urls import reverse

from strategy_tracker.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from tests import factories

pytestmark = pytest.mark.django_db

T0 = 1_800_000_000


def at(seconds: int):
    return mock.patch("strategy_tracker.middleware.time.time", return_value=T0 + seconds)


def sign_in(client, user):
    with at(0):
        client.force_login(user)
    session = client.session
    assert session[SESSION_STARTED] == T0 and session[SESSION_LAST_SEEN] == T0


def test_idle_timeout_signs_out(client, manager, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    sign_in(client, manager)
    with at(29 * 60):
        assert client.get(reverse("reporting:home")).status_code == 200
    # 29 minutes later again: 58 minutes in all, but never idle for 30.
    with at(58 * 60):
        assert client.get(reverse("reporting:home")).status_code == 200
    with at(58 * 60 + 30 * 60 + 1):
        response = client.get(reverse("reporting:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    response = client.get(response.url)
    assert "You were signed out after 30 minutes without use." in response.content.decode()


def test_absolute_lifetime_signs_out_however_busy(client, manager, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    settings.SESSION_MAX_AGE = 2 * 60 * 60
    sign_in(client, manager)
    for minute in range(20, 120, 20):
        with at(minute * 60):
            assert client.get(reverse("reporting:home")).status_code == 200
    with at(2 * 60 * 60 + 1):
        response = client.get(reverse("reporting:home"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_reading_pages_writes_the_session_at_most_once_a_minute(client, manager):
    sign_in(client, manager)
    with at(30):
        client.get(reverse("reporting:home"))
    assert client.session[SESSION_LAST_SEEN] == T0
    with at(61):
        client.get(reverse("reporting:home"))
    assert client.session[SESSION_LAST_SEEN] == T0 + 61


def test_timeouts_come_from_the_environment(monkeypatch):
    import importlib

    from strategy_tracker import settings as module

    monkeypatch.setenv("SESSION_IDLE_TIMEOUT", "600")
    monkeypatch.setenv("SESSION_MAX_AGE", "3600")
    reloaded = importlib.reload(module)
    assert (reloaded.SESSION_IDLE_TIMEOUT, reloaded.SESSION_MAX_AGE, reloaded.SESSION_COOKIE_AGE) == (600, 3600, 3600)
    monkeypatch.delenv("SESSION_IDLE_TIMEOUT")
    monkeypatch.delenv("SESSION_MAX_AGE")
    reloaded = importlib.reload(module)
    assert (reloaded.SESSION_IDLE_TIMEOUT, reloaded.SESSION_MAX_AGE) == (30 * 60, 10 * 60 * 60)


# --- Password reset limits ------------------------------------------------------------


@pytest.fixture(autouse=True)
def _empty_cache(empty_cache):
    """Every test here starts and ends with the shared cache empty (tests.conftest)."""


def ask(client, email: str, address: str = "198.51.100.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_reset_limited_per_address_without_saying_so(client, mailoutbox, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 3
    factories.UserFactory(username="lee", email="lee@example.org")
    for n in range(5):
        response = ask(client, "Lee@example.org", address=f"198.51.100.{n}")
        assert response.status_code == 302
        assert response.url == reverse("password_reset_done")
    assert len(mailoutbox) == 3


def test_reset_limited_per_client(client, mailoutbox, settings):
    settings.PASSWORD_RESET_LIMIT_PER_CLIENT = 4
    for n in range(4):
        factories.UserFactory(username=f"user{n}", email=f"user{n}@example.org")
        assert ask(client, f"user{n}@example.org").status_code == 302
    response = ask(client, "user0@example.org")
    assert response.status_code == 429
    assert "Too many requests to reset a password" in response.content.decode()
    assert len(mailoutbox) == 4
    # Another client is not held back.
    assert ask(client, "user1@example.org", address="203.0.113.5").status_code == 302
    assert len(mailoutbox) == 5


def test_reset_limits_are_kept_in_the_shared_cache(client, settings):
    """The count lives in the database cache, so every application server sees it."""
    settings.PASSWORD_RESET_LIMIT_PER_CLIENT = 1
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    ask(client, "nobody@example.org")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM strategy_tracker_cache")
        assert cursor.fetchone()[0] >= 2  # one count for the client, one for the address
