"""Every bad token, state or provider answer is refused with a page that says so and a log
line, never a 500, and nobody is signed in or created."""

import base64
import json
import time

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model

from tests.sso.fake_provider import new_key

pytestmark = pytest.mark.django_db

HOUR = 3600


def _unsigned(claims: dict) -> str:
    """A token with `alg: none` and no signature."""

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def _refused(response, reason: str, caplog, status: int = 400, *, signed_in_before: bool = False):
    assert response.status_code == status, response.content[:500]
    html = response.content.decode()
    assert f'data-reason="{reason}"' in html
    assert "You have not been signed in" in html or status != 400
    assert any(f"Council sign-in refused ({reason})" in record.getMessage() for record in caplog.records), [
        r.getMessage() for r in caplog.records
    ]
    if not signed_in_before:
        assert not get_user_model().objects.filter(username__contains="a11c").exists(), "nobody is created"


def test_a_good_token_signs_in(client, sso, mapping, caplog):
    response = sso.sign_in(client)
    assert response.status_code == 302, response.content
    assert client.session[SESSION_KEY]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"iss": "https://login.example.com/another-tenant/v2.0"}, "token_issuer"),
        ({"aud": "https://graph.microsoft.com"}, "token_audience"),
        ({"aud": "another-client"}, "token_audience"),
        ({"aud": ["strategy-tracker", "another-client"], "azp": "another-client"}, "token_other_client"),
        ({"exp": "past"}, "token_expired"),
        ({"nbf": "future"}, "token_not_yet_valid"),
        ({"iat": "future"}, "token_not_yet_valid"),
        ({"sub": None, "oid": None}, "token_claims"),
        ({"nonce": "a-nonce-from-another-sign-in"}, "token_nonce"),
        ({"nonce": None}, "token_nonce"),
    ],
)
def test_each_bad_claim_is_refused(client, sso, mapping, caplog, changes, reason):
    at = int(time.time())
    when = {"past": at - HOUR, "future": at + HOUR}
    changes = {name: when.get(value, value) if isinstance(value, str) else value for name, value in changes.items()}
    if "exp" in changes and changes["exp"] == at - HOUR:
        changes["iat"] = at - 2 * HOUR
    _refused(sso.sign_in(client, **changes), reason, caplog)
    assert SESSION_KEY not in client.session


def test_a_token_signed_by_another_key_is_refused(client, sso, mapping, caplog):
    stranger = new_key()
    response = sso.sign_in(client, token=lambda nonce: sso.provider.sign(sso.provider.claims(nonce), key=stranger))
    _refused(response, "token_signature", caplog)


def test_a_token_naming_an_unknown_key_is_refused(client, sso, mapping, caplog):
    response = sso.sign_in(client, token=lambda nonce: sso.provider.sign(sso.provider.claims(nonce), kid="other"))
    _refused(response, "token_signature", caplog)


def test_alg_none_is_refused(client, sso, mapping, caplog):
    response = sso.sign_in(client, token=lambda nonce: _unsigned(sso.provider.claims(nonce)))
    _refused(response, "token_algorithm", caplog)


def test_a_token_signed_with_the_client_secret_is_refused(client, sso, mapping, caplog):
    """HS256 with the shared secret: the algorithm-confusion attack."""
    response = sso.sign_in(
        client, token=lambda nonce: sso.provider.sign(sso.provider.claims(nonce), key="x" * 32, algorithm="HS256")
    )
    _refused(response, "token_algorithm", caplog)


def test_garbage_is_refused(client, sso, mapping, caplog):
    _refused(sso.sign_in(client, token=lambda nonce: "not.a.token"), "token_malformed", caplog)


def test_a_replayed_token_is_refused(client, sso, mapping, caplog):
    """The provider (or someone between) hands back the token of an earlier sign-in: its
    nonce is not the new sign-in's; and the same sign-in's token twice is refused too."""
    first = sso.start(client)
    old_token = sso.provider.sign(sso.provider.claims(first["nonce"]))
    sso.provider.id_token = old_token
    assert sso.back(client, first["state"]).status_code == 302
    client.logout()
    second = sso.start(client)
    _refused(sso.back(client, second["state"]), "token_nonce", caplog, signed_in_before=True)
    assert SESSION_KEY not in client.session


def test_a_nonce_is_accepted_once(client, sso, mapping, caplog):
    """Two callbacks sharing a nonce: the second is refused even when its state is fresh."""
    params = sso.start(client)
    sso.provider.id_token = sso.provider.sign(sso.provider.claims(params["nonce"]))
    assert sso.back(client, params["state"]).status_code == 302
    client.logout()
    again = sso.start(client)
    # The same nonce put back under the new state, as an attacker holding the session might.
    session = client.session
    session["oidc_states"][again["state"]]["nonce"] = params["nonce"]
    session.save()
    _refused(sso.back(client, again["state"]), "token_nonce", caplog, signed_in_before=True)
    assert SESSION_KEY not in client.session


def test_a_replayed_state_is_refused(client, sso, mapping, caplog):
    params = sso.start(client)
    sso.provider.id_token = sso.provider.sign(sso.provider.claims(params["nonce"]))
    assert sso.back(client, params["state"]).status_code == 302
    _refused(sso.back(client, params["state"]), "state_unknown", caplog, signed_in_before=True)
    assert SESSION_KEY not in client.session, "a replayed callback signs out"


def test_a_missing_state_is_refused(client, sso, mapping, caplog):
    sso.start(client)
    _refused(sso.back(client, None), "state_missing", caplog)


def test_a_state_from_another_browser_is_refused(client, sso, mapping, caplog, django_user_model):
    from django.test import Client

    other = Client()
    params = sso.start(other)
    sso.provider.id_token = sso.provider.sign(sso.provider.claims(params["nonce"]))
    sso.start(client)
    _refused(sso.back(client, params["state"]), "state_unknown", caplog)


def test_the_provider_refusing_the_code_is_refused(client, sso, mapping, caplog):
    sso.provider.token_status = 400
    _refused(sso.sign_in(client), "provider_refused", caplog)


def test_an_error_from_the_provider_is_shown(client, sso, mapping, caplog):
    params = sso.start(client)
    response = sso.back(client, params["state"], code=None, error="access_denied")
    _refused(response, "provider_error", caplog)
    assert "access_denied" in response.content.decode()


def test_an_error_is_shown_only_as_a_code(client, sso, mapping, caplog):
    params = sso.start(client)
    response = sso.back(client, params["state"], code=None, error="Call 0800 000 000 to unlock your account")
    _refused(response, "provider_error", caplog)
    assert "0800" not in response.content.decode()


@pytest.mark.parametrize("path", ["/token", "/jwks", "/userinfo"])
def test_a_provider_that_fails_is_refused(client, sso, mapping, caplog, path):
    sso.provider.down_paths = {path}
    _refused(sso.sign_in(client), "provider_unavailable", caplog, status=503)


def test_a_slow_provider_is_given_up_on(client, sso, mapping, caplog, settings):
    params = sso.start(client)
    sso.provider.id_token = sso.provider.sign(sso.provider.claims(params["nonce"]))
    sso.provider.delay = 2  # the time-out is 1 s (tests/sso/conftest.py)
    started = time.monotonic()
    response = sso.back(client, params["state"])
    assert time.monotonic() - started < 1.9
    _refused(response, "provider_unavailable", caplog, status=503)


def test_a_provider_that_is_down_is_refused_at_the_start(client, sso, caplog, settings):
    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"  # nothing listens
    response = client.get("/oidc/authenticate/")
    _refused(response, "provider_unavailable", caplog, status=503)
    assert "did not answer in time" in response.content.decode()


def test_a_discovery_document_naming_another_issuer_is_refused(client, sso, caplog, settings):
    settings.OIDC_ISSUER = "https://login.example.com/other"
    _refused(client.get("/oidc/authenticate/"), "provider_misconfigured", caplog, status=503)
