"""The site's own pages for refusals and failures, the throttled password reset, and the
password change that counts wrong old passwords as failed sign-ins."""

import sys

from axes.utils import reset
from django.conf import settings
from django.contrib.auth import logout, user_login_failed
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.crypto import salted_hmac

from strategy_tracker.clients import client_ip


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Where signing in lands: the DMT's dashboard for a DMT member who leads nothing,
    otherwise "Your actions"."""
    from actions.models import Action
    from workforce.roles import DMT, user_group_names, user_team_ids

    user = request.user
    leads_nothing = not user_team_ids(user) and not Action.objects.filter(lead_officer_user_id=user.pk).exists()
    if DMT in user_group_names(user) and leads_nothing:
        return redirect("dashboard:index")
    return redirect("reporting:home")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: usually a page left open past sign-out."""
    return render(request, "403_csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when the database cannot be reached: the error being handled is still
    current here, and a lost database is an outage to wait out, not a fault to report."""
    if _is_connection_error(sys.exc_info()[1]):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


def _connection_error_types() -> tuple[type, ...]:
    # OperationalError and InterfaceError are what a database raises when its server is gone
    # or refuses connections (IntegrityError and the like are faults in the code). A driver
    # sometimes raises its own, unwrapped by Django, for example while closing a cursor.
    types: list[type] = [OperationalError, InterfaceError]
    for connection in connections.all(initialized_only=True):
        driver = getattr(connection, "Database", None)
        found = (getattr(driver, name, None) for name in ("OperationalError", "InterfaceError"))
        types += [kind for kind in found if isinstance(kind, type)]
    return tuple(types)


def _is_connection_error(error: BaseException | None) -> bool:
    """Whether `error`, or an error it was raised from or while handling, is a lost database."""
    types = _connection_error_types()
    for _ in range(5):
        if error is None:
            return False
        if isinstance(error, types):
            return True
        error = error.__cause__ or error.__context__
    return False


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, limited per email address and per client.

    A client that asks too often is told to wait (429). An address asked for too often
    gets no more emails, and the page says the same as ever, so that nobody can learn
    which addresses have accounts. Counts are kept in the shared cache, so the limits
    hold across several application servers.
    """

    template_name = "registration/password_reset_form.html"

    def post(self, request, *args, **kwargs):
        window = settings.PASSWORD_RESET_WINDOW
        if not _within_limit(f"client:{client_ip(request)}", settings.PASSWORD_RESET_LIMIT_PER_CLIENT, window):
            return render(request, "registration/password_reset_throttled.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        address = form.cleaned_data["email"].strip().lower()
        if not _within_limit(
            f"email:{address}", settings.PASSWORD_RESET_LIMIT_PER_ADDRESS, settings.PASSWORD_RESET_WINDOW
        ):
            # Say what is always said; send nothing.
            return super(auth_views.PasswordResetView, self).form_valid(form)
        return super().form_valid(form)


def _within_limit(subject: str, limit: int, window: int) -> bool:
    """Count one more request for `subject` in the current window; False past the limit."""
    key = "password-reset:" + salted_hmac("password-reset-throttle", subject).hexdigest()
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, where a wrong old password counts as a failed sign-in.

    Without this, someone holding a signed-in session (a computer left unlocked) could guess
    the password there without limit. Each wrong old password is reported to django-axes as
    a failed sign-in for the account, from this client; once that locks the account out, the
    person is signed out too and django-axes' middleware answers with its lock-out page.
    """

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            user = self.request.user
            user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=self.request)
            if getattr(self.request, "axes_locked_out", False):
                logout(self.request)
        return super().form_invalid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's set-a-new-password page, which also lifts a sign-in lock-out on the account.

    Anyone can lock an account by failing to sign in as its owner; the owner, who proves
    who they are through the emailed link, can then sign in at once with the new password.
    """

    def form_valid(self, form):
        response = super().form_valid(form)
        reset(username=form.user.get_username())
        return response
