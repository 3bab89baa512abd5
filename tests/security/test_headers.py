"""Response headers: CSP, HSTS, Permissions-Policy, no caching of signed-in pages, the
site's own pages for CSRF failures and database outages, and the trusted-proxy setting."""

import re
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from strategy_tracker.clients import client_ip
from tests import factories

pytestmark = pytest.mark.django_db


def csp(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


def test_content_security_policy_allows_no_inline_script_or_style(client, manager):
    client.force_login(manager)
    response = client.get(reverse("reporting:home"))
    policy = csp(response)
    assert policy["default-src"] == "default-src 'self'"
    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["object-src"] == "object-src 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "nonce-" not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("name", ["reporting:home", "reporting:list", "login", "password_reset", "dashboard:index"])
def test_pages_have_no_inline_script_or_style(client, dmt, name):
    """What the CSP would block: a <script> with no src, a <style>, a style="" or an on…= attribute."""
    if name.startswith(("actions", "dashboard")):
        client.force_login(dmt)
    response = client.get(reverse(name), follow=True)
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_hsts_on_secure_requests(client):
    response = client.get(reverse("login"), secure=True)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_permissions_policy_and_other_headers(client):
    response = client.get(reverse("login"))
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_and_downloads_are_not_stored(client, manager, action, period):
    client.force_login(manager)
    slug, quarter = action.strategy.slug, period.slug
    for url in (
        reverse("reporting:home"),
        reverse("reporting:detail", args=[action.pk]),
        reverse("dashboard:quarter", args=[slug, quarter]),
        reverse("dashboard:pdf", args=[slug, quarter]),
        reverse("dashboard:xlsx", args=[slug, quarter]),
        reverse("admin:index"),
    ):
        response = client.get(url)
        assert "no-store" in response.headers.get("Cache-Control", ""), url


def test_csrf_failure_is_the_sites_own_page(manager, action, period):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    response = client.post(reverse("reporting:update", args=[action.pk]), {"status": "in_progress"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your form could not be sent" in html
    assert "govuk-header" in html
    assert "CSRF verification failed" not in html


def test_database_outage_is_a_503_with_the_sites_own_page(client, manager):
    client.force_login(manager)
    client.raise_request_exception = False
    with mock.patch("reporting.selectors.periods_to_report", side_effect=OperationalError("server closed")):
        response = client.get(reverse("reporting:home"))
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    html = response.content.decode()
    assert "Sorry, the service is unavailable" in html
    assert "OperationalError" not in html and "server closed" not in html


def test_other_errors_are_a_500_with_the_sites_own_page(client, manager):
    client.force_login(manager)
    client.raise_request_exception = False
    with mock.patch("reporting.selectors.periods_to_report", side_effect=ValueError("boom")):
        response = client.get(reverse("reporting:home"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


# --- Behind a proxy -------------------------------------------------------------------


def test_without_a_trusted_proxy_forwarded_headers_are_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "10.0.0.1"


def test_with_one_trusted_proxy_the_client_is_the_address_it_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client claims to be 1.2.3.4; the proxy appends the address it really saw.
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "1.2.3.4"
    bypassed = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")
    assert client_ip(bypassed) == "10.0.0.1"


@override_settings(
    TRUSTED_PROXY_COUNT=1,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    ALLOWED_HOSTS=["tracker.example.org"],
)
def test_reset_links_are_https_behind_a_tls_proxy(client, mailoutbox):
    factories.UserFactory(username="lee", email="lee@example.org")
    client.post(
        reverse("password_reset"),
        {"email": "lee@example.org"},
        HTTP_HOST="tracker.example.org",
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert len(mailoutbox) == 1
    assert "https://tracker.example.org/accounts/reset/" in mailoutbox[0].body


def test_settings_set_the_proxy_scheme_header_only_with_a_trusted_proxy():
    import importlib
    import os

    from strategy_tracker import settings as module

    with mock.patch.dict(os.environ, {"TRUSTED_PROXY_COUNT": "1"}):
        reloaded = importlib.reload(module)
        assert reloaded.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
        assert reloaded.AXES_CLIENT_IP_CALLABLE == "strategy_tracker.clients.client_ip"
    with mock.patch.dict(os.environ, {"TRUSTED_PROXY_COUNT": "0"}):
        reloaded = importlib.reload(module)
        assert reloaded.SECURE_PROXY_SSL_HEADER is None
    importlib.reload(module)


@override_settings(TRUSTED_PROXY_COUNT=1, AXES_ENABLED=True, AXES_FAILURE_LIMIT=2)
def test_sign_in_lock_out_counts_the_client_behind_the_proxy_not_the_proxy(client, db):
    from axes.utils import reset

    reset()
    factories.UserFactory(username="lee")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    for _ in range(3):
        client.post(reverse("login"), {"username": "lee", "password": "wrong"}, **attacker)
    locked = client.post(reverse("login"), {"username": "lee", "password": "wrong"}, **attacker)
    assert locked.status_code == 429
    # Sam, through the same proxy from another address, is not locked out.
    factories.UserFactory(username="sam")
    other = Client()
    response = other.post(
        reverse("login"),
        {"username": "sam", "password": "wrong"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 200
    reset()


def test_a_drivers_own_connection_error_is_a_503_too(client, manager):
    """A driver error Django did not wrap (raised while closing a cursor, say), or one a
    later error was raised from, is still a lost database: the 503 page, not the 500."""

    class DriverOperationalError(Exception):
        pass

    client.force_login(manager)
    client.raise_request_exception = False
    from django.db import connection

    def lost(*args, **kwargs):
        try:
            raise DriverOperationalError("server closed the connection unexpectedly")
        except DriverOperationalError as error:
            raise RuntimeError("while reading the list") from error

    with (
        mock.patch.object(
            connection, "Database", mock.Mock(spec=["OperationalError"], OperationalError=DriverOperationalError)
        ),
        mock.patch("reporting.selectors.periods_to_report", side_effect=lost),
    ):
        response = client.get(reverse("reporting:home"))
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.content.decode()
