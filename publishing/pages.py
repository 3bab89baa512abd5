"""A published quarter's page and PDF, drawn from its snapshot (`publishing.public_data`) alone.

Both read nothing but the snapshot and the version's facts (`VersionFacts`): what the
public sees is what the snapshot holds, whenever the page is drawn. The preview draws the
same page from a fresh snapshot; publishing draws it once and keeps the bytes.

The page links its stylesheets by their plain names (not the hashed ones of a deployment's
manifest), so that a page kept for years still finds them after the site is upgraded.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import PrefixNode
from django.utils.safestring import SafeString

from dashboard import charts, pdf_budget
from dashboard.collector import collector_paused
from publishing.public_data import PUBLIC_ACTION_FIELDS
from reporting.models import RAG, Status
from reporting.words import COUNT_WORDS, NO_UPDATE

# Where a later version's or a withdrawal's notice goes in a kept page (`with_notice`).
NOTICE_MARK = "<!--notices-->"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


@dataclass(frozen=True)
class EarlierVersion:
    number: int
    published_at: datetime
    url: str


@dataclass(frozen=True)
class VersionFacts:
    """What a version's page says of itself, besides the snapshot: its number, when it was
    published, what it corrected, the versions before it, the day DMT approved it, and the
    addresses of its files ({file name: address})."""

    number: int
    published_at: datetime
    approved_on: date
    reason: str = ""
    earlier: list[EarlierVersion] = field(default_factory=list)
    links: Mapping[str, str] = field(default_factory=dict)
    # A preview's page says so, and leads back to the planner's page (`back_url`).
    preview: bool = False
    back_url: str = ""


@dataclass
class _Counts:
    """The few numbers a chart of `dashboard.charts` reads: its total and its segments."""

    total: int
    segments: list[tuple[str, str, int]]


@dataclass
class _TrendRow:
    period: "_Label"
    counts: _Counts


@dataclass
class _Label:
    label: str


def _by_word(pairs) -> dict[str, int]:
    return dict(pairs)


def headline_counts(snapshot: Mapping) -> _Counts:
    """The quarter's actions split into states that do not overlap, as the dashboard's chart
    splits them: complete, Green, Amber, Red, cancelled, no update, and the rest (on hold or
    not rated)."""
    summary = snapshot["summary"]
    status, rag = _by_word(summary["by_status"]), _by_word(summary["by_rag"])
    parts = {
        "complete": status.get(Status.COMPLETE.label, 0),
        "on_track": rag.get(RAG.GREEN.word, 0),
        "at_risk": rag.get(RAG.AMBER.word, 0),
        "off_track": rag.get(RAG.RED.word, 0),
        "cancelled": status.get(Status.CANCELLED.label, 0),
        "no_update": status.get(NO_UPDATE, 0),
    }
    parts["unrated"] = max(summary["actions"] - sum(parts.values()), 0)
    order = ["complete", "on_track", "at_risk", "off_track", "unrated", "cancelled", "no_update"]
    return _Counts(summary["actions"], [(key, _segment_words(key), parts[key]) for key in order])


def _segment_words(key: str) -> str:
    return NO_UPDATE if key == "no_update" else COUNT_WORDS[key]


def trend_rows(snapshot: Mapping) -> list[_TrendRow]:
    """Each published quarter's Green, Amber and Red actions, for the trend chart."""
    rows = []
    for row in snapshot["trend"]:
        rag = _by_word(row["by_rag"])
        segments = [
            ("on_track", COUNT_WORDS["on_track"], rag.get(RAG.GREEN.word, 0)),
            ("at_risk", COUNT_WORDS["at_risk"], rag.get(RAG.AMBER.word, 0)),
            ("off_track", COUNT_WORDS["off_track"], rag.get(RAG.RED.word, 0)),
        ]
        rows.append(_TrendRow(_Label(row["quarter"]), _Counts(sum(n for _, _, n in segments), segments)))
    return rows


def _context(snapshot: Mapping, facts: VersionFacts) -> dict:
    label = snapshot["quarter"]["label"]
    trend = trend_rows(snapshot)
    return {
        "snapshot": snapshot,
        "facts": facts,
        "fields": {f.name: f.title for f in PUBLIC_ACTION_FIELDS},
        "static_prefix": PrefixNode.handle_simple("STATIC_URL"),
        "ogl_url": OGL_URL,
        "notice_mark": SafeString(NOTICE_MARK),
        "trend": trend,
        "headline_chart": charts.stacked_chart(
            chart_id="published-headline",
            title=f"All {snapshot['summary']['actions']:,} actions by state, {label}",
            bars=[("All actions", headline_counts(snapshot))],
        ),
        "trend_chart": charts.trend_chart(
            chart_id="published-trend",
            title=f"Actions rated Green, Amber and Red in each published quarter to {label}",
            trend=trend,
        )
        if len(trend) > 1
        else "",
    }


def report_page(snapshot: Mapping, facts: VersionFacts) -> str:
    """The version's page: a whole HTML document, the same for every reader."""
    return render_to_string("publishing/report.html", _context(snapshot, facts))


def report_pdf(snapshot: Mapping, facts: VersionFacts) -> bytes:
    """The version's tagged PDF (PDF/UA-1, as the DMT's), within the dashboard's PDF budget:
    raises pdf_budget.PdfTooLarge past it."""
    with collector_paused():
        html = render_to_string("publishing/report_pdf.html", _context(snapshot, facts))
        return pdf_budget.write_pdf(html, base_url=settings.SITE_URL)


def with_notice(page: bytes, notice: str) -> bytes:
    """A kept page with `notice` (HTML) in its notices' place: the page as kept otherwise."""
    return page.replace(NOTICE_MARK.encode(), notice.encode(), 1)
