"""Local passwords while single sign-on is on: break-glass superusers only, no reset pages,
lock-outs still counted; and with it off (the default, the demo) everything as before."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests import factories
from workforce.models import SignInAccount
from workforce.roles import MANAGER

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's
RESET_PAGES = [
    "/accounts/password_reset/",
    "/accounts/password_reset/done/",
    "/accounts/reset/done/",
    "/accounts/reset/MQ/set-password/",
]


@pytest.fixture
def break_glass(db):
    admin = factories.UserFactory(username="admin", is_superuser=True, is_staff=True)
    SignInAccount.objects.create(user=admin, break_glass=True)
    return admin


def _sign_in(client, username: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_with_sso_on_the_sign_in_page_offers_the_council_account_first(client, sso):
    html = client.get("/accounts/login/").content.decode()
    assert "Sign in with your council account" in html
    assert html.index("Sign in with your council account") < html.index('name="password"')
    assert 'href="/oidc/authenticate/"' in html
    assert "Break-glass sign-in for administrators" in html
    assert "Forgotten your password?" not in html


def test_the_council_button_keeps_the_page_asked_for(client, sso):
    html = client.get("/accounts/login/?next=/dashboard/").content.decode()
    assert 'href="/oidc/authenticate/?next=/dashboard/"' in html


def test_with_sso_on_only_break_glass_superusers_use_a_password(client, sso, break_glass):
    factories.UserFactory(username="manager", groups=[MANAGER])
    plain_admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    SignInAccount.objects.create(user=plain_admin, break_glass=False)
    for username in ("manager", "root"):
        response = _sign_in(client, username)
        assert response.status_code == 200, f"{username} must not sign in with a password"
        assert SESSION_KEY not in client.session
    assert _sign_in(client, "admin").status_code == 302
    assert client.session[SESSION_KEY] == str(break_glass.pk)


def test_a_break_glass_mark_taken_away_ends_the_session(client, sso, break_glass):
    _sign_in(client, "admin")
    assert client.get(reverse("reporting:home")).status_code == 200
    SignInAccount.objects.filter(user=break_glass).update(break_glass=False)
    assert client.get(reverse("reporting:home"))["Location"].startswith(reverse("login"))


def test_sessions_from_before_sso_was_on_end(client, settings, break_glass):
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
    _sign_in(client, "admin")
    from tests.sso.conftest import SSO_BACKENDS

    settings.AUTHENTICATION_BACKENDS = SSO_BACKENDS
    assert client.get(reverse("reporting:home")).status_code == 302


@pytest.mark.parametrize("path", RESET_PAGES)
def test_with_sso_on_the_password_reset_pages_are_gone(client, sso, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", RESET_PAGES[:3])
def test_with_sso_off_the_password_reset_pages_are_there(client, path):
    assert client.get(path).status_code == 200


def test_with_sso_off_passwords_sign_in_and_no_council_button(client):
    factories.UserFactory(username="manager", groups=[MANAGER])
    html = client.get("/accounts/login/").content.decode()
    assert "council account" not in html and "Forgotten your password?" in html
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?state=x&code=y").status_code == 404
    assert _sign_in(client, "manager").status_code == 302


def test_axes_counts_failed_break_glass_sign_ins(client, sso, break_glass, settings, empty_cache):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        _sign_in(client, "admin", "wrong password")
    response = _sign_in(client, "admin")
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert "reset it by email" not in response.content.decode(), "no reset page to send them to"
    assert SESSION_KEY not in client.session


def test_a_client_locked_out_by_failed_passwords_is_refused_a_council_sign_in_too(
    client, sso, mapping, break_glass, settings, empty_cache, caplog
):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    for username in ("admin", "someone-else"):
        _sign_in(client, username, "wrong password")
    response = sso.sign_in(client)
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()  # django-axes' page, as for passwords
    assert "Council sign-in refused (locked_out)" in caplog.text
    assert SESSION_KEY not in client.session


def test_with_sso_on_no_set_password_email_is_sent(sso, planner, mailoutbox):
    from django.core.exceptions import ValidationError

    from workforce.people import set_password_email_send

    person = factories.UserFactory(username="alice", groups=[MANAGER])
    with pytest.raises(ValidationError, match="sign in with their council account"):
        set_password_email_send(user=planner, person=person, domain="tracker.example.gov.uk", use_https=True)
    assert mailoutbox == []
