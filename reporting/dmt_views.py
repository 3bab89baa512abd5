"""Organisational Planning's pages for the DMT meeting: the quarter's key messages, and DMT's
response to each Red action's request for help. Planners only; the writes are in services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from reporting import selectors, services
from reporting.cycle_views import planner_period
from reporting.dmt_forms import DecisionForm, KeyMessagesForm
from reporting.models import ReportingPeriod


def _dmt_url(period: ReportingPeriod) -> str:
    return reverse("reporting:dmt", args=[period.strategy.slug, period.slug])


@login_required
@require_http_methods(["GET", "POST"])
def dmt_page(request: HttpRequest, strategy: str, quarter: str) -> HttpResponse:
    """The quarter's key messages (written while it is open) and its requests for help."""
    period, periods = planner_period(request, strategy, quarter)
    initial = {"key_messages": period.key_messages, "strategic_lead": period.strategic_lead}
    form = KeyMessagesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        # A closed quarter's key messages are refused by the service (PermissionDenied: a 403 page).
        try:
            services.key_messages_set(period=period, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"The key messages for {period} were saved.")
            return redirect(_dmt_url(period))
    return render(
        request,
        "reporting/dmt_page.html",
        {
            "period": period,
            "strategy": period.strategy,
            "form": form,
            "requests": list(selectors.requests_for_help(period)),
            "decisions_open": services.dmt_decision_open(period, periods),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def dmt_decision(request: HttpRequest, strategy: str, quarter: str, update: int) -> HttpResponse:
    """Record DMT's response to one Red action's request for help in the quarter."""
    period, periods = planner_period(request, strategy, quarter)
    asked = get_object_or_404(selectors.requests_for_help(period), pk=update)
    if not services.dmt_decision_open(period, periods):
        messages.info(request, f"A later quarter has closed: DMT's decisions on {period} are fixed.")
        return redirect(_dmt_url(period))
    existing = getattr(asked, "dmt_decision", None)
    initial = {"outcome": existing.outcome, "note": existing.note} if existing else None
    form = DecisionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.dmt_decision_record(update=asked, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"DMT's decision on {asked.action.reference} was saved.")
            return redirect(_dmt_url(period))
    return render(
        request,
        "reporting/dmt_decision.html",
        {"period": period, "strategy": period.strategy, "form": form, "asked": asked},
    )
