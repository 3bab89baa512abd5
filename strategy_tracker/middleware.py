"""Response headers and session limits that apply to every page."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.cache import add_never_cache_headers

SESSION_STARTED = "started_at"
SESSION_LAST_SEEN = "last_seen_at"
# The last-seen time is written at most once a minute, so reading pages costs no session write.
LAST_SEEN_RESOLUTION = 60


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; no-store on everything a signed-in person sees.

    Pages, PDFs and spreadsheets for a signed-in person hold staff data: no browser or
    proxy may keep a copy. (The Content-Security-Policy comes from django-csp, HSTS and the
    rest from Django's SecurityMiddleware.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = _signed_in(request)
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if signed_in or _signed_in(request):
            add_never_cache_headers(response)
        return response


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def start_session_clock(sender, request, user, **kwargs) -> None:
    """At sign-in: the session's start and last use, which the limits below count from."""
    now = int(time.time())
    request.session[SESSION_STARTED] = now
    request.session[SESSION_LAST_SEEN] = now


class SessionTimeoutMiddleware:
    """Signs a person out after SESSION_IDLE_TIMEOUT seconds without a request, and after
    SESSION_MAX_AGE seconds in all, whatever they do. Both are configurable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(SESSION_STARTED, now)
            last_seen = session.get(SESSION_LAST_SEEN, now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                self._sign_out(
                    request, f"You were signed out after {_minutes(settings.SESSION_IDLE_TIMEOUT)} without use."
                )
            elif now - started > settings.SESSION_MAX_AGE:
                self._sign_out(request, f"You were signed out after {_minutes(settings.SESSION_MAX_AGE)}.")
            elif SESSION_LAST_SEEN not in session or now - last_seen >= LAST_SEEN_RESOLUTION:
                session[SESSION_LAST_SEEN] = now
        return self.get_response(request)

    @staticmethod
    def _sign_out(request, message: str) -> None:
        logout(request)
        messages.info(request, f"{message} Sign in again to carry on.")


def _minutes(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
