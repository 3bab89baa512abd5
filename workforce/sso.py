"""Single sign-on with the council's identity provider (OpenID Connect, mozilla-django-oidc).

Off unless OIDC_ISSUER is set (strategy_tracker/settings.py; docs/sign-in.md). Here: the
provider's published configuration, the checks every ID token must pass, the groups of a
large Entra ID tenant (the "overage") from Microsoft Graph, and the two ways in while it is
on: `ProviderBackend` (the council account) and `BreakGlassBackend` (a password, for
superusers marked break-glass only). workforce.sign_in turns the checked claims into an
account; workforce.sso_views shows the pages.
"""

import hashlib
import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from workforce.models import SignInAccount
from workforce.sign_in import ProviderClaims, SignInRefused, person_sign_in

logger = logging.getLogger("workforce.sso")

DISCOVERY_CACHE_SECONDS = 3600
# Where the session keeps the ID token (the sign-out hint) and when the provider was last asked.
SESSION_ID_TOKEN = "oidc_id_token"
SESSION_CHECKED_AT = "oidc_checked_at"


def sso_enabled() -> bool:
    """Whether single sign-on is on: OIDC_ISSUER is set."""
    return bool(getattr(settings, "SSO_ENABLED", False))


def _timeout() -> tuple[float, float]:
    seconds = float(settings.OIDC_TIMEOUT_SECONDS)
    return (seconds, seconds)


def _get(url: str, what: str, **kwargs) -> requests.Response:
    """GET from the provider within the time-out; SignInRefused("provider_unavailable") if it
    is down, slow or answers with an error."""
    try:
        timeout = _timeout()
        response = requests.get(url, timeout=timeout, **kwargs)
        response.raise_for_status()
    except requests.RequestException as error:
        raise SignInRefused("provider_unavailable", f"{what} ({url}): {error}") from error
    return response


def provider_configuration() -> dict[str, Any]:
    """The provider's published configuration (its discovery document), kept an hour in the
    shared cache; its issuer must be OIDC_ISSUER."""
    url = settings.OIDC_DISCOVERY_URL
    key = "oidc-discovery:" + hashlib.sha256(url.encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found
    try:
        document = _get(url, "discovery").json()
    except ValueError as error:
        raise SignInRefused("provider_unavailable", f"discovery ({url}) is not JSON") from error
    if document.get("issuer", "").rstrip("/") != settings.OIDC_ISSUER.rstrip("/"):
        raise SignInRefused("provider_misconfigured", f"discovery names issuer {document.get('issuer')!r}")
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not document.get(name):
            raise SignInRefused("provider_misconfigured", f"discovery has no {name}")
    cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


# Why each library refusal happened, in the words of the log and the refusal page's code.
_TOKEN_ERRORS: list[tuple[type[Exception], str]] = [
    (jwt.ExpiredSignatureError, "token_expired"),
    (jwt.ImmatureSignatureError, "token_not_yet_valid"),
    (jwt.InvalidIssuerError, "token_issuer"),
    (jwt.InvalidAudienceError, "token_audience"),
    (jwt.InvalidSignatureError, "token_signature"),
    (jwt.InvalidAlgorithmError, "token_algorithm"),
    (jwt.MissingRequiredClaimError, "token_claims"),
    (jwt.PyJWTError, "token_malformed"),
]


def id_token_claims(id_token: str, *, nonce: str | None, provider: dict[str, Any]) -> dict[str, Any]:
    """The claims of an ID token that passes every check: signed with the configured
    algorithm (never `none`) by a key the provider publishes, issued by OIDC_ISSUER, for this
    client (its audience, and its authorised party when named), in date (exp, nbf and iat,
    within OIDC_CLOCK_SKEW_SECONDS), carrying this sign-in's nonce, seen once.
    Raises SignInRefused naming the first check failed."""
    try:
        header = jwt.get_unverified_header(id_token)
    except jwt.PyJWTError as error:
        raise SignInRefused("token_malformed", str(error)) from error
    algorithm = header.get("alg")
    if algorithm != settings.OIDC_RP_SIGN_ALGO:
        raise SignInRefused("token_algorithm", f"alg {algorithm!r}, expected {settings.OIDC_RP_SIGN_ALGO}")
    key = _signing_key(header, provider)
    client_id = settings.OIDC_RP_CLIENT_ID
    try:
        claims = jwt.decode(
            id_token,
            key,
            algorithms=[settings.OIDC_RP_SIGN_ALGO],
            audience=client_id,
            issuer=provider["issuer"],
            leeway=settings.OIDC_CLOCK_SKEW_SECONDS,
            options={"require": ["iss", "aud", "exp", "iat", "sub"]},
        )
    except jwt.PyJWTError as error:
        reason = next(code for kind, code in _TOKEN_ERRORS if isinstance(error, kind))
        raise SignInRefused(reason, str(error)) from error
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if claims.get("azp", client_id) != client_id or (len(audiences) > 1 and "azp" not in claims):
        raise SignInRefused("token_other_client", f"issued to {claims.get('azp')!r} for {audiences}")
    if nonce is None or claims.get("nonce") != nonce:
        raise SignInRefused("token_nonce", "the nonce is not this sign-in's")
    # A nonce is used once: the same token offered again (a replay) is refused.
    if not cache.add("oidc-nonce:" + hashlib.sha256(nonce.encode()).hexdigest(), 1, timeout=24 * 3600):
        raise SignInRefused("token_nonce", "the nonce was used before")
    return claims


def _signing_key(header: dict[str, Any], provider: dict[str, Any]) -> Any:
    """The provider's published key that signed the token (by kid and algorithm)."""
    try:
        keys = _get(provider["jwks_uri"], "keys").json().get("keys", [])
    except ValueError as error:
        raise SignInRefused("provider_unavailable", "the key set is not JSON") from error
    for jwk in keys:
        if header.get("kid") and jwk.get("kid") != header["kid"]:
            continue
        if jwk.get("alg", header["alg"]) != header["alg"] or jwk.get("use", "sig") != "sig":
            continue
        try:
            return jwt.PyJWK(jwk).key
        except jwt.PyJWTError:
            continue
    raise SignInRefused("token_signature", f"no published key with kid {header.get('kid')!r}")


def _claim_values(claims: dict[str, Any], access_token: str | None) -> set[str]:
    """The person's groups and app roles, from the claims named by OIDC_GROUPS_CLAIM and
    OIDC_ROLES_CLAIM. When Entra ID sends a groups overage instead of the list, they are read
    from Microsoft Graph if OIDC_GRAPH_GROUPS is on; otherwise SignInRefused("groups_overage")
    unless the person's app roles already map (docs/sign-in.md)."""
    values: set[str] = set()
    for name in (settings.OIDC_GROUPS_CLAIM, settings.OIDC_ROLES_CLAIM):
        found = claims.get(name) or []
        values.update(str(value) for value in (found if isinstance(found, list) else [found]))
    overage = settings.OIDC_GROUPS_CLAIM in (claims.get("_claim_names") or {})
    if not overage:
        return values
    if settings.OIDC_GRAPH_GROUPS and access_token:
        return values | _graph_member_groups(access_token)
    raise SignInRefused("groups_overage", "the groups claim was replaced by _claim_names (overage)")


def _graph_member_groups(access_token: str) -> set[str]:
    """The person's group object IDs from Microsoft Graph (getMemberGroups), with their own
    access token: needs the GroupMember.Read.All delegated permission."""
    url = settings.OIDC_GRAPH_URL.rstrip("/") + "/me/getMemberGroups"
    timeout = _timeout()
    try:
        response = requests.post(
            url,
            json={"securityEnabledOnly": False},
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=timeout,
        )
        response.raise_for_status()
        return {str(value) for value in response.json().get("value", [])}
    except (requests.RequestException, ValueError) as error:
        raise SignInRefused("graph_unavailable", f"getMemberGroups ({url}): {error}") from error


def provider_claims(claims: dict[str, Any], access_token: str | None) -> ProviderClaims:
    """The claims as sign-in reads them: the subject from the first of OIDC_USERNAME_CLAIMS
    present (oid, which Entra ID keeps for a person across applications, else sub)."""
    subject = next((str(claims[name]) for name in settings.OIDC_USERNAME_CLAIMS if claims.get(name)), "")
    if not subject:
        raise SignInRefused("token_claims", f"none of {settings.OIDC_USERNAME_CLAIMS} in the claims")
    return ProviderClaims(
        subject=subject,
        # An address the provider says it has not verified is not taken as the person's.
        email=str(claims.get("email") or "") if claims.get("email_verified") is not False else "",
        first_name=str(claims.get("given_name") or ""),
        last_name=str(claims.get("family_name") or (claims.get("name") if not claims.get("given_name") else "") or ""),
        values=_claim_values(claims, access_token),
    )


class ProviderBackend(OIDCAuthenticationBackend):
    """Sign-in with the council account: the code flow's last step (the token request), every
    check of the ID token, then workforce.sign_in. Raises SignInRefused for the callback page
    to show; answers nothing (None) to a password sign-in, and never asks the provider then."""

    def __init__(self, *args, **kwargs):
        # Not the library's: it reads the provider's endpoints here, for every sign-in, the
        # break-glass password one (with the provider down) included.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if request is None or not sso_enabled():
            return None
        code, state = request.GET.get("code"), request.GET.get("state")
        if not code or not state:
            return None
        self.request = request
        provider = provider_configuration()
        payload = {
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "client_secret": settings.OIDC_RP_CLIENT_SECRET,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": request.build_absolute_uri(reverse("oidc_authentication_callback")),
        }
        if kwargs.get("code_verifier"):
            payload["code_verifier"] = kwargs["code_verifier"]
        timeout = _timeout()
        try:
            response = requests.post(provider["token_endpoint"], data=payload, timeout=timeout)
        except requests.RequestException as error:
            raise SignInRefused("provider_unavailable", f"token request: {error}") from error
        if response.status_code != 200:
            detail = f"token request answered {response.status_code}: {response.text[:200]}"
            raise SignInRefused("provider_unavailable" if response.status_code >= 500 else "provider_refused", detail)
        try:
            tokens = response.json()
        except ValueError as error:
            raise SignInRefused("provider_refused", "the token response is not JSON") from error
        id_token, access_token = tokens.get("id_token"), tokens.get("access_token")
        if not id_token:
            raise SignInRefused("token_malformed", "the token response has no id_token")
        claims = id_token_claims(id_token, nonce=kwargs.get("nonce"), provider=provider)
        if provider.get("userinfo_endpoint") and access_token:
            info = _get(provider["userinfo_endpoint"], "userinfo", headers={"Authorization": f"Bearer {access_token}"})
            try:
                userinfo = info.json()
            except ValueError:
                userinfo = {}  # a signed userinfo: the ID token says enough
            if userinfo.get("sub") not in (None, claims["sub"]):
                raise SignInRefused("token_claims", "userinfo names another subject")
            claims = {**userinfo, **claims}  # the signed ID token wins
        person = person_sign_in(claims=provider_claims(claims, access_token))
        person.oidc_id_token = id_token  # kept in the session once signed in (the sign-out hint)
        return person

    def get_user(self, user_id):
        """The signed-in person, unless deactivated since: then they are signed out."""
        person = self.UserModel._default_manager.filter(pk=user_id).first()
        return person if person is not None and person.is_active else None


class BreakGlassBackend(ModelBackend):
    """Password sign-in while single sign-on is on: superusers marked break-glass only. A
    refused password counts as a failed sign-in for django-axes like any other."""

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        if not sso_enabled():
            return True
        return bool(user.is_superuser) and SignInAccount.objects.filter(user_id=user.pk, break_glass=True).exists()
