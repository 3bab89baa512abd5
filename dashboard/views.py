"""The DMT's quarterly progress dashboard, and the same report as PDF and spreadsheet."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from dashboard import charts, exports, page_cache, pdf_budget
from dashboard.collector import with_collector_paused
from dashboard.report import report_build, strategies_summary
from dashboard.report_types import Report
from outcomes.models import Strategy
from reporting import selectors as action_selectors
from strategy_tracker import pace
from workforce.roles import is_planner


def _report(slug: str, quarter: str) -> Report:
    strategy = get_object_or_404(Strategy, slug=slug)
    periods = list(action_selectors.periods_for_strategy(strategy))
    period = next((p for p in periods if p.slug == quarter), None)
    if period is None:
        raise Http404(f"{strategy} has no quarter {quarter!r}.")
    return report_build(strategy, period, periods)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Open the newest strategy that has a quarter to report, at its open quarter (else its
    latest): one just refreshed has none yet, and DMT still needs last year's report. The
    report links to every other strategy's; with no quarter anywhere, a page says why."""
    strategy = _reported().first()
    if strategy is None:
        return render(
            request, "dashboard/empty.html", {"strategy": None, "reported": [], "loaded": Strategy.objects.exists()}
        )
    return strategy_view(request, strategy.slug)


def _reported():
    """The strategies with at least one quarter, newest first (`Strategy.Meta.ordering`): one query."""
    return Strategy.objects.filter(periods__isnull=False).distinct().only("slug", "title", "period_start")


@login_required
@require_GET
def summary(request: HttpRequest) -> HttpResponse:
    """Every strategy on one page, one row each, at its open quarter (else its latest)."""
    return render(request, "dashboard/summary.html", {"rows": strategies_summary()})


@login_required
@require_GET
def strategy_view(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = get_object_or_404(Strategy, slug=slug)
    period = action_selectors.period_to_report(list(action_selectors.periods_for_strategy(strategy)))
    if period is None:  # say so, and lead to the strategies that do have a report
        return render(request, "dashboard/empty.html", {"strategy": strategy, "reported": _reported()})
    return redirect("dashboard:quarter", slug=strategy.slug, quarter=period.slug)


@login_required
@require_GET
@with_collector_paused
def quarter(request: HttpRequest, slug: str, quarter: str) -> HttpResponse:
    """The report on screen. Its content is the same for every reader but for the planner's
    link to key messages and decisions, so it is built once and kept until the data changes
    (`page_cache`); the page around it (the header, with its sign-out form) is each reader's."""
    planner = is_planner(request.user)

    def build() -> dict:
        report = _report(slug, quarter)
        context = {
            "report": report,
            "strategies": Strategy.objects.only("slug", "title"),
            "is_planner": planner,
            **charts.report_charts(report),
        }
        content = render_to_string("dashboard/_report_content.html", context)
        return {"title": f"{report.strategy.title}: {report.period}", "content": content}

    # The content is kept as rendered: a SafeString, which the cache gives back as one.
    page = page_cache.page(("dashboard", slug, quarter, planner), build)
    return render(request, "dashboard/report.html", {"page": page})


DOWNLOAD_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _download(request: HttpRequest, slug: str, quarter: str, kind: str) -> HttpResponse:
    """The report as a file, kept like the page on screen until the data changes: DMT's
    members each download the same pack before the meeting, and a PDF takes a second or more
    to make. The same for every reader (links in it are made against this site's address)."""
    base_url = request.build_absolute_uri("/")

    def build() -> dict:
        report = _report(slug, quarter)
        content = exports.report_pdf(report, base_url=base_url) if kind == "pdf" else exports.report_xlsx(report)
        return {"content": content, "filename": exports.filename(report, kind)}

    def build_paced() -> dict:
        # A PDF is paced per person only when it is built: a kept one is served to anyone at once.
        with pace.paced(request.user, pace.PDF):
            return build()

    try:
        kept = page_cache.page((kind, slug, quarter, base_url), build_paced if kind == "pdf" else build)
    except pdf_budget.PdfTooLarge as refusal:  # a page saying so, not a worker killed
        return pdf_budget.refusal_page(request, slug=slug, quarter=quarter, refusal=refusal)
    except pace.PaceExceeded as refusal:
        links = (
            (reverse("dashboard:xlsx", args=[slug, quarter]), "Download the spreadsheet"),
            (reverse("dashboard:quarter", args=[slug, quarter]), "Read the report on screen"),
        )
        return pace.refusal_page(request, refusal, links=links)
    response = HttpResponse(kept["content"], content_type=DOWNLOAD_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{kept["filename"]}"'
    return response


@login_required
@require_GET
@with_collector_paused
def report_pdf(request: HttpRequest, slug: str, quarter: str) -> HttpResponse:
    return _download(request, slug, quarter, "pdf")


@login_required
@require_GET
@with_collector_paused
def report_xlsx(request: HttpRequest, slug: str, quarter: str) -> HttpResponse:
    return _download(request, slug, quarter, "xlsx")
