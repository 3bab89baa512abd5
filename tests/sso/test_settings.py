"""Single sign-on is switched on by the environment alone, and is off without it."""

import json

from tests.test_settings import run

SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.SSO_ENABLED, s.AUTHENTICATION_BACKENDS, "
    "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'], "
    "s.OIDC_DISCOVERY_URL, s.OIDC_USERNAME_CLAIMS, s.OIDC_RECHECK_SECONDS, "
    "'workforce.sso_views.ProviderSessionMiddleware' in s.MIDDLEWARE]))"
)


def _shown(**env) -> list:
    result = run(["-c", SHOW], SECRET_KEY="k" * 50, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_off_by_default_passwords_as_before():
    enabled, backends, form_action, discovery, _, _, middleware = _shown()
    assert not enabled
    assert backends == ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
    assert form_action == ["'self'"] and discovery == ""
    assert middleware  # installed, and does nothing while off


def test_on_with_an_issuer():
    enabled, backends, form_action, discovery, claims, recheck, _ = _shown(
        OIDC_ISSUER="https://login.microsoftonline.com/tenant/v2.0/",
        OIDC_RP_CLIENT_ID="c",
        OIDC_RP_CLIENT_SECRET="s",
        SESSION_IDLE_TIMEOUT="900",
    )
    assert enabled
    assert backends == [
        "axes.backends.AxesStandaloneBackend",
        "workforce.sso.ProviderBackend",
        "workforce.sso.BreakGlassBackend",
    ]
    # Signing out posts a form that ends at the provider's sign-out page.
    assert form_action == ["'self'", "https://login.microsoftonline.com"]
    assert discovery == "https://login.microsoftonline.com/tenant/v2.0/.well-known/openid-configuration"
    assert claims == ["oid", "sub"] and recheck == 900
