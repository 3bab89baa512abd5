"""The pages of single sign-on: off to the council's sign-in page, back from it, refusals,
sign-out at the provider, and the check that keeps a signed-in person's council account
current. Every refusal is a page naming what happened and what to do, and a log line;
never an error page."""

import logging
import re
import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from workforce.sign_in import SignInRefused
from workforce.sso import SESSION_CHECKED_AT, SESSION_ID_TOKEN, ProviderBackend, provider_configuration, sso_enabled

logger = logging.getLogger("workforce.sso")

PROVIDER_DOWN = (
    "The council's sign-in service did not answer in time, or answered with an error. Try again in a few "
    "minutes. If it keeps happening, tell {contact}."
)
BAD_TOKEN = (
    "The sign-in could not be trusted ({what}), so you have not been signed in. Start again from the sign-in "
    "page. If it keeps happening, tell {contact}."
)
STALE = "This sign-in link has already been used or has expired. Start again from the sign-in page."

# Each refusal: its page's heading, what it says ({contact}: OIDC_ACCESS_CONTACT), its status.
REFUSALS: dict[str, tuple[str, str, int]] = {
    "no_role": (
        "You do not have access to Strategy Tracker",
        "Your council account is not in any group that gives access to Strategy Tracker. Ask {contact} to add "
        "you to the Strategy Tracker group for your role (manager, DMT or Organisational Planning), then sign "
        "in again.",
        403,
    ),
    "deactivated": (
        "Your Strategy Tracker account is deactivated",
        "Organisational Planning has deactivated your account here. Ask them to make it active again.",
        403,
    ),
    "email_taken": (
        "Your account needs to be linked first",
        "Strategy Tracker already has an account with your email address, made before you could sign in with "
        "your council account. Ask Organisational Planning to mark that account “link at their next council "
        "sign-in”, then sign in again: you keep its history and actions.",
        403,
    ),
    "username_taken": (
        "Your account needs to be linked first",
        "An account here already has your council account's identifier as its username. Ask Organisational "
        "Planning to look at it.",
        403,
    ),
    "groups_overage": (
        "Your groups could not be read",
        "You are in too many groups for the council's sign-in service to list them, so access must be given "
        "through app roles. Ask {contact} to give you Strategy Tracker's app role for your role, or to let "
        "Strategy Tracker read groups from Microsoft Graph (its sign-in guide, “Many groups”).",
        403,
    ),
    "graph_unavailable": ("Your groups could not be read", PROVIDER_DOWN, 503),
    "provider_unavailable": ("The council's sign-in service is not answering", PROVIDER_DOWN, 503),
    "provider_misconfigured": (
        "Sign-in with your council account is not set up correctly",
        "The council's sign-in service does not match Strategy Tracker's settings. Tell {contact}.",
        503,
    ),
    "provider_refused": ("You have not been signed in", STALE, 400),
    "provider_error": (
        "You have not been signed in",
        "The council's sign-in service did not sign you in ({what}). Start again from the sign-in page.",
        400,
    ),
    "locked_out": (
        "Too many attempts to sign in",
        "There have been too many failed attempts to sign in from your network. Wait a few minutes, then sign "
        "in again. If it keeps happening, tell {contact}.",
        429,
    ),
    "state_missing": ("You have not been signed in", STALE, 400),
    "state_unknown": ("You have not been signed in", STALE, 400),
    "token_expired": ("You have not been signed in", BAD_TOKEN.replace("{what}", "it had expired"), 400),
    "token_not_yet_valid": ("You have not been signed in", BAD_TOKEN.replace("{what}", "it is not valid yet"), 400),
    "token_issuer": ("You have not been signed in", BAD_TOKEN.replace("{what}", "it came from elsewhere"), 400),
    "token_audience": ("You have not been signed in", BAD_TOKEN.replace("{what}", "it was not for us"), 400),
    "token_other_client": ("You have not been signed in", BAD_TOKEN.replace("{what}", "it was not for us"), 400),
    "token_signature": ("You have not been signed in", BAD_TOKEN.replace("{what}", "its signature"), 400),
    "token_algorithm": ("You have not been signed in", BAD_TOKEN.replace("{what}", "its signature"), 400),
    "token_nonce": ("You have not been signed in", BAD_TOKEN.replace("{what}", "it was used before"), 400),
    "token_claims": ("You have not been signed in", BAD_TOKEN.replace("{what}", "it did not say who you are"), 400),
    "token_malformed": ("You have not been signed in", BAD_TOKEN.replace("{what}", "it was unreadable"), 400),
}


def refusal(request, reason: str, detail: str = "", what: str = ""):
    """The refusal page for `reason`, with a log line; signs out whoever was signed in."""
    logger.warning("Council sign-in refused (%s): %s", reason, detail or "-")
    if request.user.is_authenticated:
        auth.logout(request)
    heading, text, status = REFUSALS[reason]
    context = {"heading": heading, "text": text.format(contact=settings.OIDC_ACCESS_CONTACT, what=what or reason)}
    return render(request, "registration/sign_in_refused.html", {**context, "reason": reason}, status=status)


class AuthenticateView(OIDCAuthenticationRequestView):
    """Off to the council's sign-in page (code flow with PKCE, state and nonce). With
    ?silent=1, the provider is asked not to show anything (prompt=none): the periodic check."""

    def __init__(self, *args, **kwargs):
        # Not the library's: it reads the endpoint from a setting; here it is discovered.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not sso_enabled():
            raise Http404("Single sign-on is off.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_configuration()["authorization_endpoint"]
        except SignInRefused as refused:
            return refusal(request, refused.reason, refused.detail)
        return super().get(request)

    def get_extra_params(self, request):
        return {"prompt": "none"} if request.GET.get("silent") == "1" else {}


class CallbackView(OIDCAuthenticationCallbackView):
    """Back from the council's sign-in page: the state must be one this browser was given
    and not yet used; then ProviderBackend checks the token and the person."""

    def get(self, request):
        if not sso_enabled():
            raise Http404("Single sign-on is off.")
        state = request.GET.get("state")
        states = request.session.get("oidc_states") or {}
        if request.GET.get("error"):
            states.pop(state, None)
            request.session["oidc_states"] = states
            given = request.GET.get("error", "")
            # Shown on the page: an OAuth error code only, never text from the link.
            error = given if re.fullmatch(r"[a-z_]{1,40}", given) else "an unknown error"
            ended = error in {"login_required", "interaction_required", "consent_required"}
            if ended and request.user.is_authenticated:
                # The periodic check: the council account is signed out, disabled or gone.
                logger.warning("Council sign-in ended at the provider (%s): signed out", error)
                auth.logout(request)
                messages.info(request, "Your council sign-in has ended. Sign in again to carry on.")
                return redirect("login")
            return refusal(request, "provider_error", f"the provider answered error={error}", what=error)
        if not state:
            return refusal(request, "state_missing", "callback without state")
        if state not in states:
            return refusal(request, "state_unknown", "callback state not issued to this session or used before")
        if not request.GET.get("code"):
            return refusal(request, "provider_refused", "callback without code")
        try:
            response = super().get(request)
        except SignInRefused as refused:
            return refusal(request, refused.reason, refused.detail)
        person = getattr(self, "user", None)
        if person is None:
            # Django's authenticate() answered nobody: django-axes refused this client.
            return refusal(request, "locked_out", "the sign-in lock-out refused this client")
        if request.user.is_authenticated and request.user.pk == person.pk:
            request.session[SESSION_CHECKED_AT] = int(time.time())
            request.session[SESSION_ID_TOKEN] = getattr(person, "oidc_id_token", "")
            return response
        return refusal(request, "deactivated", "authenticated but not active")


def _is_provider_session(request) -> bool:
    backend = request.session.get(BACKEND_SESSION_KEY)
    return bool(backend) and issubclass(import_string(backend), ProviderBackend)


class ProviderSessionMiddleware:
    """Keeps a council-account session current: OIDC_RECHECK_SECONDS after the provider last
    vouched for the person, the next page they open first goes back to the provider without
    showing anything (prompt=none); a leaver (disabled, or in no mapped group) is then signed
    out. Nothing happens for password sessions, or while single sign-on is off."""

    EXEMPT = ("oidc_authentication_init", "oidc_authentication_callback", "logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            sso_enabled()
            and request.method == "GET"
            and request.user.is_authenticated
            and _is_provider_session(request)
            and time.time() - request.session.get(SESSION_CHECKED_AT, 0) > settings.OIDC_RECHECK_SECONDS
            and request.path not in {reverse(name) for name in self.EXEMPT}
        ):
            query = urlencode({"silent": "1", "next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('oidc_authentication_init')}?{query}")
        return self.get_response(request)


class SignOutView(auth_views.LogoutView):
    """Sign out; after a council sign-in, at the provider too when it offers a sign-out page
    (RP-initiated logout, end_session_endpoint), which comes back to the signed-out page."""

    def post(self, request, *args, **kwargs):
        provider_session = sso_enabled() and request.user.is_authenticated and _is_provider_session(request)
        id_token = request.session.get(SESSION_ID_TOKEN)
        response = super().post(request, *args, **kwargs)
        if not provider_session:
            return response
        try:
            end_session = provider_configuration().get("end_session_endpoint")
        except SignInRefused:
            end_session = None
        if not end_session:
            return response
        query = {
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("signed_out")),
        }
        if id_token:
            query["id_token_hint"] = id_token
        return HttpResponseRedirect(f"{end_session}?{urlencode(query)}")


def signed_out(request):
    """Where the provider's sign-out comes back to."""
    return render(request, "registration/logged_out.html")


def local_passwords_only(view):
    """A password reset page: gone (404) while single sign-on is on."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if sso_enabled():
            raise Http404("Passwords are kept by the council's sign-in service.")
        return view(request, *args, **kwargs)

    return wrapper
