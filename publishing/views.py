"""Organisational Planning's publishing pages: a signed-off quarter's commentaries to withhold,
its preview, and publishing, correcting and withdrawing it. Planners only: each write's
service refuses anyone else itself; a view turns a refusal into a page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions.models import Action
from publishing import services
from publishing.forms import CorrectForm, WithdrawForm, WithholdForm
from publishing.models import Publication, PublishedFile
from publishing.public_views import MAX_AGE, SERVED_FILES
from reporting.cycle_views import planner_period
from reporting.models import ProgressUpdate, ReportingPeriod


def _page_url(period: ReportingPeriod) -> str:
    return reverse("publishing:quarter", args=[period.strategy.slug, period.slug])


def _refused(request: HttpRequest, period: ReportingPeriod, error: ValidationError) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect(_page_url(period))


@login_required
@require_GET
def quarter(request: HttpRequest, strategy: str, quarter: str) -> HttpResponse:
    """Where a quarter is published from: whether it can be, its versions, and each action's
    commentary with whether it is withheld."""
    period, _ = planner_period(request, strategy, quarter)
    publication = Publication.objects.filter(period=period).select_related("withdrawn_by").first()
    versions = (
        list(
            publication.versions.select_related("published_by").only(
                "number",
                "published_at",
                "reason",
                "publication_id",
                "published_by__first_name",
                "published_by__last_name",
                "published_by__username",
            )
        )
        if publication
        else []
    )
    withheld = services.withheld_for(period)
    updates = (
        ProgressUpdate.objects.filter(period=period)
        .exclude(progress="")
        .select_related("action")
        .only("progress", "action__reference", "action__description", "action__order")
        .order_by("action__order", "action__reference")
    )
    commentaries = [(update, withheld.get(update.action_id)) for update in updates]
    return render(
        request,
        "publishing/quarter.html",
        {
            "period": period,
            "strategy": period.strategy,
            "publication": publication,
            "versions": versions,
            "commentaries": commentaries,
            "withheld_count": len(withheld),
            "correct_form": CorrectForm(),
        },
    )


@login_required
@require_GET
def preview(request: HttpRequest, strategy: str, quarter: str) -> HttpResponse:
    """The public page as it would be published now (never kept: the signed-in middleware
    marks it no-store)."""
    return preview_file(request, strategy, quarter, PublishedFile.PAGE)


@login_required
@require_GET
def preview_file(request: HttpRequest, strategy: str, quarter: str, name: str) -> HttpResponse:
    """A file of the report as it would be published now: its PDF or its open data."""
    period, _ = planner_period(request, strategy, quarter)
    if name != PublishedFile.PAGE and name not in SERVED_FILES:
        raise Http404(f"A report has no file {name!r}.")
    try:
        content = services.report_preview(period=period, user=request.user, name=name)
    except ValidationError as error:
        return _refused(request, period, error)
    return HttpResponse(content, content_type=services.CONTENT_TYPES[name])


@login_required
@require_POST
def publish(request: HttpRequest, strategy: str, quarter: str) -> HttpResponse:
    period, _ = planner_period(request, strategy, quarter)
    try:
        version = services.report_publish(period=period, user=request.user)
    except ValidationError as error:
        return _refused(request, period, error)
    messages.success(
        request, f"{period.label} is published, at {request.build_absolute_uri(version.publication.get_absolute_url())}"
    )
    return redirect(_page_url(period))


@login_required
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, strategy: str, quarter: str) -> HttpResponse:
    """Publish a correction: a new version, with what it corrects."""
    period, _ = planner_period(request, strategy, quarter)
    form = CorrectForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.report_correct(period=period, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason" if hasattr(error, "error_dict") else None, error)
        else:
            messages.success(request, f"Version {version.number} of {period.label} is published.")
            return redirect(_page_url(period))
    return render(request, "publishing/correct.html", {"period": period, "strategy": period.strategy, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, strategy: str, quarter: str) -> HttpResponse:
    """Withdraw the report: its addresses then say when and why."""
    period, _ = planner_period(request, strategy, quarter)
    publication = get_object_or_404(Publication, period=period)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_withdraw(period=period, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason" if hasattr(error, "error_dict") else None, error)
        else:
            messages.success(request, f"The {period.label} report is withdrawn.")
            return redirect(_page_url(period))
    context = {
        "period": period,
        "strategy": period.strategy,
        "form": form,
        "publication": publication,
        "kept_minutes": MAX_AGE // 60,
    }
    return render(request, "publishing/withdraw.html", context)


def _action(period: ReportingPeriod, pk: int) -> Action:
    return get_object_or_404(Action, pk=pk, strategy_id=period.strategy_id)


@login_required
@require_http_methods(["GET", "POST"])
def withhold(request: HttpRequest, strategy: str, quarter: str, action: int) -> HttpResponse:
    """Withhold an action's commentary from the public report, with the reason shown in its place."""
    period, _ = planner_period(request, strategy, quarter)
    chosen = _action(period, action)
    update = get_object_or_404(ProgressUpdate, period=period, action=chosen)
    form = WithholdForm(
        request.POST if request.method == "POST" else None,
        initial={"reason": services.withheld_for(period).get(chosen.pk, "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.commentary_withhold(
                period=period, action=chosen, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("reason" if hasattr(error, "error_dict") else None, error)
        else:
            messages.success(request, f"The commentary of {chosen.reference} is withheld from the public report.")
            return redirect(_page_url(period) + "#commentaries")
    context = {"period": period, "strategy": period.strategy, "form": form, "action": chosen, "update": update}
    return render(request, "publishing/withhold.html", context)


@login_required
@require_POST
def release(request: HttpRequest, strategy: str, quarter: str, action: int) -> HttpResponse:
    """Publish an action's commentary after all."""
    period, _ = planner_period(request, strategy, quarter)
    chosen = _action(period, action)
    try:
        services.commentary_release(period=period, action=chosen, user=request.user)
    except ValidationError as error:
        return _refused(request, period, error)
    messages.success(request, f"The commentary of {chosen.reference} will be published.")
    return redirect(_page_url(period) + "#commentaries")
