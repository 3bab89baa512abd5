"""Signing in and out, changing a password, and resetting a forgotten one by email.

The tests turn django-axes off (tests/conftest.py); its backend stays first in
AUTHENTICATION_BACKENDS, so these also show the sign-in still works through it.
"""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's
NEW_PASSWORD = "a long new passphrase 2016"


def title_of(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


# Signing in ---------------------------------------------------------------------------------


def test_sign_in_page(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert title_of(response).startswith("Sign in")
    assert 'name="username"' in html and 'name="password"' in html
    assert 'autocomplete="current-password"' in html
    assert reverse("password_reset") in html


def test_sign_in_lands_on_your_actions(client, manager):
    response = client.post("/accounts/login/", {"username": "manager", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("start")
    assert client.get(reverse("start"))["Location"] == reverse("reporting:home")
    assert signed_in_user_id(client) == str(manager.pk)
    assert client.get(reverse("reporting:home")).status_code == 200
    manager.refresh_from_db()
    assert manager.last_login is not None


def test_sign_in_returns_to_the_page_asked_for(client, manager, action):
    url = reverse("reporting:detail", args=[action.pk])
    response = client.get(url)
    assert response["Location"] == f"/accounts/login/?next={url}"
    login_page = client.get(response["Location"])
    assert f'name="next" value="{url}"' in login_page.content.decode()
    response = client.post("/accounts/login/", {"username": "manager", "password": PASSWORD, "next": url})
    assert response["Location"] == url


def test_sign_in_does_not_redirect_off_site(client, manager):
    response = client.post(
        "/accounts/login/", {"username": "manager", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("start")


@pytest.mark.parametrize(
    ("username", "password"), [("manager", "wrong password"), ("nobody", PASSWORD), ("", ""), ("manager", "")]
)
def test_a_wrong_sign_in_shows_an_error_summary(client, manager, username, password):
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    html = response.content.decode()
    assert title_of(response).startswith("Error: Sign in")
    assert "govuk-error-summary" in html
    assert "There is a problem" in html
    assert re.search(r'<a href="#id_(username|password)">', html)
    if password:
        assert f'value="{password}"' not in html  # the password is never sent back


def test_an_inactive_user_cannot_sign_in(client, team):
    factories.UserFactory(username="leaver", is_active=False)
    response = client.post("/accounts/login/", {"username": "leaver", "password": PASSWORD})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_sign_in_shows_the_form_again_to_a_signed_in_user_sent_from_a_forbidden_page(client, outsider, action):
    client.force_login(outsider)
    response = client.get("/accounts/login/", {"next": reverse("reporting:update", args=[action.pk])})
    assert response.status_code == 200
    assert "Your account does not have access to that page" in response.content.decode()


# Signing out ------------------------------------------------------------------------------


def test_sign_out(client, manager):
    client.force_login(manager)
    page = client.get(reverse("reporting:home")).content.decode()
    assert 'action="/accounts/logout/"' in page and "Sign out" in page
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session
    assert client.get(reverse("reporting:home"))["Location"].startswith("/accounts/login/")


def test_sign_out_by_get_is_not_allowed(client, manager):
    client.force_login(manager)
    assert client.get("/accounts/logout/").status_code == 405
    assert signed_in_user_id(client) == str(manager.pk)


def test_sign_out_needs_the_csrf_token(manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    assert client.post("/accounts/logout/").status_code == 403
    assert signed_in_user_id(client) == str(manager.pk)


# Changing a password ------------------------------------------------------------------------


def test_change_password_needs_signing_in(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_change_password(client, manager):
    client.force_login(manager)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    manager.refresh_from_db()
    assert manager.check_password(NEW_PASSWORD)
    # Still signed in (the session hash was updated), and the new password works next time.
    assert client.get(reverse("password_change_done")).status_code == 200
    client.logout()
    assert client.login(username="manager", password=NEW_PASSWORD)


@pytest.mark.parametrize(
    ("old", "new1", "new2", "field"),
    [
        ("wrong", NEW_PASSWORD, NEW_PASSWORD, "old_password"),
        (PASSWORD, NEW_PASSWORD, "something else", "new_password2"),
        (PASSWORD, "short", "short", "new_password2"),
        (PASSWORD, "password", "password", "new_password2"),
    ],
)
def test_change_password_refusals(client, manager, old, new1, new2, field):
    client.force_login(manager)
    response = client.post(
        reverse("password_change"), {"old_password": old, "new_password1": new1, "new_password2": new2}
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert title_of(response).startswith("Error: ")
    assert f'href="#id_{field}"' in response.content.decode()
    manager.refresh_from_db()
    assert manager.check_password(PASSWORD)


# Resetting a forgotten password by email ----------------------------------------------------


def test_reset_password_by_email(client, manager, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "manager@example.gov.uk"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["manager@example.gov.uk"]
    assert email.subject == "Reset your Strategy Tracker password"
    assert "Hello manager" in email.body
    link = re.search(r"https?://testserver(/accounts/reset/\S+/)", email.body).group(1)

    # The link trades its token for a session and shows the form.
    response = client.get(link)
    assert response.status_code == 302
    form_url = response["Location"]
    assert form_url.endswith("/set-password/")
    response = client.get(form_url)
    assert response.status_code == 200
    assert "Choose a new password" in response.content.decode()

    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    manager.refresh_from_db()
    assert manager.check_password(NEW_PASSWORD)
    assert client.get(reverse("password_reset_complete")).status_code == 200

    # The new password signs in through the form; the old one no longer does.
    client.logout()
    assert client.post("/accounts/login/", {"username": "manager", "password": PASSWORD}).status_code == 200
    response = client.post("/accounts/login/", {"username": "manager", "password": NEW_PASSWORD})
    assert response.status_code == 302

    # The link works once only.
    client.logout()
    response = client.get(link, follow=True)
    assert "This password reset link does not work" in response.content.decode()


def test_reset_with_mismatched_passwords_shows_an_error(client, manager, mailoutbox):
    client.post(reverse("password_reset"), {"email": "manager@example.gov.uk"})
    link = re.search(r"https?://testserver(/accounts/reset/\S+/)", mailoutbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": "different"})
    assert response.status_code == 200
    assert title_of(response).startswith("Error: ")
    assert "govuk-error-summary" in response.content.decode()
    manager.refresh_from_db()
    assert manager.check_password(PASSWORD)


def test_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, manager, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.gov.uk"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


def test_a_forged_reset_link_does_not_work(client, manager):
    response = client.get("/accounts/reset/MQ/not-a-token/", follow=True)
    assert response.status_code == 200
    assert "This password reset link does not work" in response.content.decode()


def test_five_failed_sign_ins_lock_the_account(client, manager, settings):
    settings.AXES_ENABLED = True
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "manager", "password": "wrong"})
    response = client.post(url, {"username": "manager", "password": "correct horse battery"})
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session
    assert "Too many attempts to sign in" in response.content.decode()
