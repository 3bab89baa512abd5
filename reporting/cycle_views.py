"""Organisational Planning's pages for the quarterly cycle: each strategy's returns, closing
and reopening a quarter, and reminding the leads who have not reported. Planners only: the
pages are read by planners, and each write's service refuses anyone else itself (the one
rule is workforce.roles); a view turns a refusal into a page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reporting import reminders, returns, selectors, services, words
from reporting.cycle_forms import (
    PeriodCloseForm,
    PeriodReopenForm,
    PeriodSignOffForm,
    RemindersSendForm,
    ReturnsFilterForm,
)
from reporting.models import Reminder, ReportingPeriod
from reporting.reminders import REMIND_AGAIN_AFTER, missing_actions, reminders_overview, reminders_send
from workforce.people import person_name
from workforce.quarters import quarter_from_slug
from workforce.roles import planner_required

NAMED_IN_MESSAGE = 3  # reminders sent to more people are counted in the message, not named


def _require_planner(request: HttpRequest) -> None:
    """Who may read the cycle's pages: the rule the services apply to its writes."""
    planner_required(request.user, "run the quarterly cycle")


def planner_period(request: HttpRequest, strategy: str, quarter: str) -> tuple[ReportingPeriod, list[ReportingPeriod]]:
    """The strategy's quarter in the address and all its quarters (one query), for a planner;
    PermissionDenied for anyone else, Http404 for a quarter the strategy does not have."""
    _require_planner(request)
    try:
        wanted = quarter_from_slug(quarter)
    except ValueError as error:
        raise Http404(str(error)) from error
    periods = returns.strategy_periods(strategy)
    period = next((period for period in periods if period.quarter == wanted), None)
    if period is None:
        raise Http404(f"The strategy has no quarter {wanted.label}")
    return period, periods


def _returns_url(period: ReportingPeriod) -> str:
    return reverse("reporting:returns", args=[period.strategy.slug, period.slug])


@login_required
@require_GET
def returns_index(request: HttpRequest) -> HttpResponse:
    """Every strategy with its open quarter (else its latest) and a link to its returns."""
    _require_planner(request)
    return render(request, "reporting/returns_index.html", {"strategies": returns.strategies_for_index()})


@login_required
@require_GET
def returns_strategy(request: HttpRequest, strategy: str) -> HttpResponse:
    """A strategy's returns open at its open quarter, else its latest."""
    _require_planner(request)
    period = selectors.period_to_report(returns.strategy_periods(strategy))
    if period is None:
        raise Http404("The strategy has no quarters yet")
    return redirect(_returns_url(period))


@login_required
@require_GET
def returns_page(request: HttpRequest, strategy: str, quarter: str) -> HttpResponse:
    """The quarter's returns by lead: by default the leads with missing updates, else every
    lead; one lead, if chosen.

    Costs ten queries whatever the number of actions: session, user, the user's groups, the
    strategy's quarters, and the six of `returns.returns_for`.
    """
    period, periods = planner_period(request, strategy, quarter)
    data = returns.returns_for(period, periods=periods)
    form = ReturnsFilterForm(request.GET or None, lead_choices=data.lead_choices)
    filters = form.filters()
    return render(
        request,
        "reporting/returns.html",
        {
            "period": period,
            "strategy": period.strategy,
            "returns": data,
            "leads": returns.leads_filter(data.leads, **filters),
            "filter_form": form,
            "show": filters["show"],
            "lead_chosen": filters["lead"],
            "remind_again_days": REMIND_AGAIN_AFTER.days,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def returns_close(request: HttpRequest, strategy: str, quarter: str) -> HttpResponse:
    """Close the quarter: the page shows what is still missing; the POST closes it."""
    period, _ = planner_period(request, strategy, quarter)
    if request.method == "GET" and not period.is_open:
        messages.info(request, f"{period.label} is already closed.")
        return redirect(_returns_url(period))
    form = PeriodCloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.period_close(period=period, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{period.label} is closed. Its updates can no longer change.")
            return redirect(_returns_url(period))
    return render(
        request,
        "reporting/close.html",
        {"period": period, "strategy": period.strategy, "form": form, "missing": missing_actions(period)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def returns_reopen(request: HttpRequest, strategy: str, quarter: str) -> HttpResponse:
    """Reopen a closed quarter, for a reason that is recorded and shown on its report."""
    period, _ = planner_period(request, strategy, quarter)
    if request.method == "GET" and period.is_open:
        messages.info(request, f"{period.label} is open already.")
        return redirect(_returns_url(period))
    form = PeriodReopenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.period_reopen(period=period, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{period.label} is open for updates again.")
            return redirect(_returns_url(period))
    return render(request, "reporting/reopen.html", {"period": period, "strategy": period.strategy, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def returns_sign_off(request: HttpRequest, strategy: str, quarter: str) -> HttpResponse:
    """Record which DMT member approved the closed quarter's report, and when."""
    period, _ = planner_period(request, strategy, quarter)
    if period.is_open:
        messages.info(request, f"{period.label} is open: close it before recording its sign-off.")
        return redirect(_returns_url(period))
    form = PeriodSignOffForm(
        request.POST if request.method == "POST" else None,
        approvers=services.sign_off_approvers(),
        submit=f"Record the sign-off of {period.label}",
        initial={"approver": period.signed_off_by_id, "approved_on": period.signed_off_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.period_sign_off(
                period=period,
                user=request.user,
                approver=form.cleaned_data["approver"],
                approved_on=form.cleaned_data["approved_on"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"{period.label} is signed off: "
                f"{words.approval_words(form.cleaned_data['approver'], form.cleaned_data['approved_on'])}.",
            )
            return redirect(_returns_url(period))
    return render(request, "reporting/sign_off.html", {"period": period, "strategy": period.strategy, "form": form})


def _add_errors(form, error: ValidationError) -> None:
    """The service's refusal on the form: each field's message beside its field."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET", "POST"])
def returns_reminders(request: HttpRequest, strategy: str, quarter: str) -> HttpResponse:
    """Remind the leads: the page lists exactly who will be emailed about which actions, and
    who was reminded recently (emailed again only if asked); the POST sends."""
    period, _ = planner_period(request, strategy, quarter)
    if not period.is_open:
        messages.info(request, f"{period.label} is closed: nobody needs reminding.")
        return redirect(_returns_url(period))
    form = RemindersSendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            result = reminders_send(
                period,
                user=request.user,
                force=form.cleaned_data["force"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _report_sent(request, result)
            # The page's top, where the message is: not its list of reminders further down.
            return redirect(_returns_url(period))
    plans, nobody = reminders_overview(period, force=True)
    return render(
        request,
        "reporting/reminders.html",
        {
            "period": period,
            "strategy": period.strategy,
            "form": form,
            "to_send": [plan for plan in plans if plan.reminded_recently_at is None],
            "reminded_recently": [plan for plan in plans if plan.reminded_recently_at is not None],
            "remind_again_days": REMIND_AGAIN_AFTER.days,
            "nobody_to_email": nobody,
            "demo_emails": reminders.demo_emails_words(),
        },
    )


def _report_sent(request: HttpRequest, result) -> None:
    if result.sent:
        count = len(result.sent)
        if count <= NAMED_IN_MESSAGE:
            people = "; ".join(
                f"{plan.name} ({len(plan.actions)} action{'s' if len(plan.actions) != 1 else ''})"
                for plan in result.sent
            )
            sent = f"Reminder{'s' if count != 1 else ''} sent to {count}: {people}."
        else:  # the page's list of reminders names them: a banner of names would push it out of sight
            actions = len({action.pk for plan in result.sent for action in plan.actions})
            sent = f"Reminders sent to {count} people, about {actions} action{'s' if actions != 1 else ''}."
        where = reminders.demo_emails_words()
        messages.success(request, f"{sent} {where}" if where else sent)
    elif not result.failed:
        messages.info(request, "Nobody was emailed: nobody else needs reminding.")
    for recipient, error in result.failed:
        messages.error(request, f"The reminder to {person_name(recipient)} could not be sent: {error}")
    if result.nobody:
        count = len(result.nobody)
        references = ", ".join(item.action.reference for item in result.nobody)
        messages.warning(
            request,
            f"{count} missing action{'s have' if count != 1 else ' has'} nobody to email: {references}. "
            "The returns page says why, and where to fix it.",
        )


@login_required
@require_POST
def reminder_resend(request: HttpRequest, strategy: str, quarter: str, reminder: int) -> HttpResponse:
    """Send a reminder that failed again, from the returns page."""
    period, _ = planner_period(request, strategy, quarter)
    failed = get_object_or_404(Reminder.objects.select_related("recipient"), pk=reminder, period=period)
    try:
        result = reminders.reminder_resend(reminder=failed, user=request.user, base_url=request.build_absolute_uri("/"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _report_sent(request, result)
    return redirect(_returns_url(period))
