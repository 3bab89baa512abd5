"""scripts/serve checks single sign-on's settings at start and names each one missing.
(Each case stops at the start-up checks: nothing is installed or started.)"""

import pytest

from tests.security.test_serve_bind import serve

BASE = {"SECRET_KEY": "k" * 50, "TRUSTED_PROXY_COUNT": "1", "BIND": "0.0.0.0:8000"}  # stops at the checks


def test_with_an_issuer_the_client_settings_missing_are_named():
    result = serve(**BASE, OIDC_ISSUER="https://login.microsoftonline.com/tenant/v2.0")
    assert result.returncode == 1
    assert "OIDC_RP_CLIENT_ID is not set: single sign-on is on" in result.stderr
    assert "OIDC_RP_CLIENT_SECRET is not set" in result.stderr


def test_with_every_setting_nothing_is_said_of_single_sign_on():
    result = serve(
        **BASE,
        OIDC_ISSUER="https://login.microsoftonline.com/tenant/v2.0",
        OIDC_RP_CLIENT_ID="c",
        OIDC_RP_CLIENT_SECRET="s",
    )
    assert result.returncode == 1  # for the address it listens on, only
    assert "OIDC" not in result.stderr


def test_an_issuer_over_plain_http_is_refused():
    result = serve(**BASE, OIDC_ISSUER="http://login.example", OIDC_RP_CLIENT_ID="c", OIDC_RP_CLIENT_SECRET="s")
    assert "OIDC_ISSUER=http://login.example is not an https:// address" in result.stderr


@pytest.mark.parametrize("name", ["OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET"])
def test_client_settings_without_an_issuer_are_named(name):
    result = serve(**BASE, **{name: "x"})
    assert f"{name} is set but OIDC_ISSUER is not" in result.stderr


def test_with_no_single_sign_on_settings_nothing_is_said_of_it():
    assert "OIDC" not in serve(**BASE).stderr
