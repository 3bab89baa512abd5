"""Sign-in lock-outs: failures are counted per account and, apart, per client address, for a
short while only, and the account's owner can lift a lock-out by resetting their password.
A wrong old password on the password-change page counts as a failed sign-in too."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's
NEW_PASSWORD = "a long new passphrase 2016"
LIMIT = 3


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    reset()
    yield
    reset()


def sign_in(username: str, password: str, **client_address):
    """A fresh client (no shared cookies) signing in from the given address."""
    return Client().post(reverse("login"), {"username": username, "password": password}, **client_address)


def locked(response) -> bool:
    return response.status_code == 429 and "Too many attempts to sign in" in response.content.decode()


def test_a_rotating_forwarded_address_is_locked_out_of_the_account(settings):
    """Reached directly with TRUSTED_PROXY_COUNT=1, a client can write any X-Forwarded-For:
    a new address for each guess is still counted against the account."""
    settings.TRUSTED_PROXY_COUNT = 1
    factories.UserFactory(username="lee")
    for n in range(LIMIT - 1):
        response = sign_in("lee", "wrong", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        assert not locked(response)
    assert locked(sign_in("lee", "wrong", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.100"))
    response = sign_in("lee", PASSWORD, REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.200")
    assert locked(response)
    assert "for lee" in response.content.decode()


def test_an_attacker_spread_over_many_addresses_is_locked_out_of_one_account():
    factories.UserFactory(username="lee")
    for n in range(LIMIT):
        sign_in("lee", "wrong", REMOTE_ADDR=f"198.51.100.{n}")
    response = sign_in("lee", PASSWORD, REMOTE_ADDR="198.51.100.99")
    assert locked(response)
    assert SESSION_KEY not in Client().session


def test_one_address_trying_many_accounts_is_locked_out_of_all():
    factories.UserFactory(username="sam")
    for n in range(LIMIT - 1):
        assert not locked(sign_in(f"guess{n}", "wrong", REMOTE_ADDR="203.0.113.66"))
    assert locked(sign_in("guess-last", "wrong", REMOTE_ADDR="203.0.113.66"))
    assert locked(sign_in("sam", PASSWORD, REMOTE_ADDR="203.0.113.66"))
    # Sam, from their own address, is not.
    assert sign_in("sam", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_a_locked_account_does_not_lock_out_a_colleague():
    factories.UserFactory(username="lee")
    factories.UserFactory(username="sam")
    for n in range(LIMIT):
        sign_in("lee", "wrong", REMOTE_ADDR=f"198.51.100.{n}")
    assert locked(sign_in("lee", PASSWORD, REMOTE_ADDR="192.0.2.10"))
    assert sign_in("sam", PASSWORD, REMOTE_ADDR="192.0.2.10").status_code == 302


def test_the_lock_out_is_short_and_failures_during_it_do_not_extend_it(settings):
    factories.UserFactory(username="lee")
    for n in range(LIMIT):
        sign_in("lee", "wrong", REMOTE_ADDR=f"198.51.100.{n}")
    # The attacker keeps trying while the account is locked: the lock-out is not renewed.
    for n in range(3):
        assert locked(sign_in("lee", "wrong", REMOTE_ADDR=f"192.0.2.{n}"))
    assert AccessAttempt.objects.filter(username="lee").count() == LIMIT
    # A quarter of an hour after the last counted failure, Lee signs in.
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=16))
    assert sign_in("lee", PASSWORD, REMOTE_ADDR="192.0.2.10").status_code == 302


def test_the_owner_resetting_their_password_lifts_the_lock_out(mailoutbox):
    factories.UserFactory(username="lee", email="lee@example.gov.uk")
    for n in range(LIMIT):
        sign_in("lee", "wrong", REMOTE_ADDR=f"198.51.100.{n}")
    assert locked(sign_in("lee", PASSWORD, REMOTE_ADDR="192.0.2.10"))

    owner = Client(REMOTE_ADDR="192.0.2.10")
    response = owner.post(reverse("password_reset"), {"email": "lee@example.gov.uk"})
    assert response.status_code == 302
    link = re.search(r"https?://testserver(/accounts/reset/\S+/)", mailoutbox[0].body).group(1)
    form_url = owner.get(link)["Location"]
    response = owner.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("password_reset_complete")

    assert sign_in("lee", NEW_PASSWORD, REMOTE_ADDR="192.0.2.10").status_code == 302


# Changing a password ------------------------------------------------------------------------


def change_password(client, old: str):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        REMOTE_ADDR="192.0.2.20",
    )


def test_wrong_old_passwords_sign_the_person_out_and_lock_the_account(manager):
    client = Client()
    client.force_login(manager)
    for _ in range(LIMIT - 1):
        response = change_password(client, "wrong")
        assert response.status_code == 200
        assert "old_password" in response.context["form"].errors
        assert client.session.get(SESSION_KEY) == str(manager.pk)
    response = change_password(client, "wrong")
    assert locked(response)
    assert SESSION_KEY not in client.session
    assert client.get(reverse("reporting:home"))["Location"].startswith("/accounts/login/")
    # Locked as a failed sign-in would lock it: the right password does not sign in.
    assert locked(sign_in("manager", PASSWORD, REMOTE_ADDR="198.51.100.1"))
    manager.refresh_from_db()
    assert manager.check_password(PASSWORD)


def test_a_right_old_password_changes_it_and_counts_nothing(manager):
    client = Client()
    client.force_login(manager)
    change_password(client, "wrong")
    response = change_password(client, PASSWORD)
    assert response["Location"] == reverse("password_change_done")
    assert client.session.get(SESSION_KEY) == str(manager.pk)
    manager.refresh_from_db()
    assert manager.check_password(NEW_PASSWORD)


def test_a_refused_new_password_is_not_a_failed_sign_in(manager):
    client = Client()
    client.force_login(manager)
    for _ in range(LIMIT + 1):
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
        )
        assert response.status_code == 200
    assert client.session.get(SESSION_KEY) == str(manager.pk)
    assert not AccessAttempt.objects.exists()


def test_the_admins_password_change_is_the_sites_own(planner):
    """A planner changing their password from the admin is sent to the page that counts."""
    client = Client()
    client.force_login(planner)
    for _ in range(LIMIT + 1):
        response = client.post(
            "/admin/password_change/",
            {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("password_change")
    assert client.get(reverse("admin:password_change"))["Location"] == reverse("password_change")
    planner.refresh_from_db()
    assert planner.check_password(PASSWORD)
    # The page it is sent to counts: the last wrong old password signs them out.
    for _ in range(LIMIT):
        response = change_password(client, "wrong")
    assert locked(response)
    assert SESSION_KEY not in client.session
