"""Charts drawn on the server as inline SVG, so they need no JavaScript, print, and go into
the PDF. Every state has its own colour, its own fill pattern and its words with the number
beside it: nothing is told by colour alone. Each chart sits beside a table of its figures.

The charts are drawn 360 units wide with 14-unit text and the page never shows them
narrower than about 330 px, so their text is never under 12 px on screen, even at 375 px.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

WIDTH = 360
FONT = 14
ROW = 24

# Colours from the GOV.UK palette; each state also has a pattern of its own (_patterns.svg).
STATES = {
    "complete": ("#1d70b8", "solid"),
    "on_track": ("#00703c", "diagonal"),
    "at_risk": ("#f47738", "dots"),
    "off_track": ("#d4351c", "cross"),
    "unrated": ("#6f72af", "horizontal"),
    "cancelled": ("#b1b4b6", "vertical"),
    "no_update": ("#ffffff", "hatch"),
}


@dataclass
class Segment:
    key: str
    label: str
    value: int
    colour: str
    pattern: str
    x: float = 0.0
    width: float = 0.0
    key_y: int = 0  # the baseline of its line in the chart's key (`split_chart`)


@dataclass
class StackedRow:
    label: str
    total: int
    segments: list[Segment]
    y: int = 0


@dataclass
class StateShape:
    """Every bar's segment of one state, as one shape: a pattern is filled once a state, not
    once a bar and state (WeasyPrint draws a patterned fill afresh each time)."""

    pattern: str
    path: str


def _segments(counts, x: float, width: float) -> list[Segment]:
    segments = []
    for key, label, value in counts.segments:
        colour, pattern = STATES[key]
        share = width * value / counts.total if counts.total else 0
        segments.append(Segment(key, label, value, colour, pattern, round(x, 1), round(share, 1)))
        x += share
    return segments


def _key_html(segments: list[Segment], *, numbers: bool) -> str:
    """A chart's key as text beside the drawing, for paper: WeasyPrint lays out SVG text a
    letter at a time, several times slower than the same words as HTML."""
    return render_to_string("dashboard/_chart_key.html", {"segments": segments, "numbers": numbers})


def split_chart(*, chart_id: str, title: str, counts, paper: bool = False) -> SafeString:
    """One bar of the actions split by state, with a key below naming each state and its number
    (on paper, the key is HTML text after the drawing)."""
    segments = _segments(counts, 0, WIDTH)
    key = [s for s in segments if s.value] or segments
    # The key starts clear of the bar (which ends at 28): its first box's top at 36.
    for index, segment in enumerate(key):
        segment.key_y = 50 + index * ROW
    svg = render_to_string(
        "dashboard/_split_chart.svg",
        {
            "chart_id": chart_id,
            "title": title,
            "segments": segments,
            "key": [] if paper else key,
            "total": counts.total,
            "width": WIDTH,
            "height": 32 if paper else 50 + len(key) * ROW,
            "font": FONT,
        },
    )
    return SafeString(svg + _key_html(key, numbers=True)) if paper else svg


def trend_chart(*, chart_id: str, title: str, trend, paper: bool = False) -> SafeString:
    """One bar a quarter, each split by state as in `split_chart`: how the split moved (on
    paper, the key is HTML text after the drawing)."""
    label_width = 96
    rows = []
    for index, row in enumerate(trend):
        rows.append(
            StackedRow(
                row.period.label, row.counts.total, _segments(row.counts, label_width, WIDTH - label_width), index * 30
            )
        )
    shapes = []
    for key, (_colour, pattern) in STATES.items():
        path = "".join(
            f"M{segment.x} {row.y + 4}h{segment.width}v20h{-segment.width}Z"
            for row in rows
            for segment in row.segments
            if segment.key == key and segment.value
        )
        if path:
            shapes.append(StateShape(pattern, path))
    keys = rows[-1].segments if rows else []
    legend_top = len(rows) * 30 + 10
    legend = []
    for index, segment in enumerate(keys):
        legend.append({"segment": segment, "x": 0, "y": legend_top + index * ROW})
    svg = render_to_string(
        "dashboard/_trend_chart.svg",
        {
            "chart_id": chart_id,
            "title": title,
            "rows": rows,
            "shapes": shapes,
            "legend": [] if paper else legend,
            "label_width": label_width,
            "width": WIDTH,
            "height": legend_top if paper else legend_top + len(keys) * ROW,
            "font": FONT,
        },
    )
    return SafeString(svg + _key_html(keys, numbers=False)) if paper else svg


def report_charts(report, *, paper: bool = False) -> dict:
    """Every chart of the report, for the page and the PDF alike (`paper`: keys as HTML text):
    `outcome_charts` pairs each outcome's row with its chart."""
    return {
        "headline_chart": split_chart(
            chart_id="headline",
            title=f"All {report.counts.total:,} actions by state, {report.period}",
            counts=report.counts,
            paper=paper,
        ),
        "outcome_charts": [
            (
                row,
                split_chart(
                    chart_id=f"outcome-{row.outcome.number}",
                    title=f"Outcome {row.outcome.number}: {row.counts.total:,} actions by state, {report.period}",
                    counts=row.counts,
                    paper=paper,
                ),
            )
            for row in report.outcomes
        ],
        "trend_chart": trend_chart(
            chart_id="trend",
            title=f"Actions by state in each quarter to {report.period}",
            trend=report.trend,
            paper=paper,
        ),
    }
