"""Charts drawn on the server as inline SVG, so they need no JavaScript, print, and go into
the PDF. Every state has its own colour, its own fill pattern and its words in the key: nothing is
told by colour alone. Each chart sits beside the one table of its figures.

The charts are drawn 360 units wide with 14-unit text and the page never shows them
narrower than about 330 px, so their text is never under 12 px on screen, even at 375 px.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

WIDTH = 360
FONT = 14

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


class BarCounts(Protocol):
    """What a bar is drawn from: its total and its parts (key, label, number), as `Counts` has."""

    @property
    def total(self) -> int: ...

    @property
    def segments(self) -> Sequence[tuple[str, str, int]]: ...


@dataclass
class Segment:
    key: str
    label: str
    value: int
    colour: str
    pattern: str
    x: float = 0.0
    width: float = 0.0


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


def _segments(counts: BarCounts, x: float, width: float) -> list[Segment]:
    segments = []
    for key, label, value in counts.segments:
        colour, pattern = STATES[key]
        share = width * value / counts.total if counts.total else 0
        segments.append(Segment(key, label, value, colour, pattern, round(x, 1), round(share, 1)))
        x += share
    return segments


def _key_html(chart_id: str, segments: list[Segment]) -> str:
    """A chart's key, as HTML text after the drawing: its lines flow side by side where there
    is room, on screen and paper alike (and WeasyPrint lays out SVG text a letter at a time,
    several times slower than the same words as HTML). Each swatch has the pattern of its
    state's part of the bars, so the key is matched in greyscale too."""
    return render_to_string("dashboard/_chart_key.html", {"chart_id": chart_id, "segments": segments})


def stacked_chart(*, chart_id: str, title: str, bars: Sequence[tuple[str, BarCounts]]) -> SafeString:
    """One bar for each (label, counts) in `bars`, each split by state, and the key after it,
    naming only the states some bar has; a bar with no actions says "No actions" instead."""
    label_width = 96
    rows = [
        StackedRow(label, counts.total, _segments(counts, label_width, WIDTH - label_width), index * 30)
        for index, (label, counts) in enumerate(bars)
    ]
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
    present = {segment.key for row in rows for segment in row.segments if segment.value}
    keys = [segment for segment in rows[0].segments if segment.key in present] if rows else []
    svg = render_to_string(
        "dashboard/_stacked_chart.svg",
        {
            "chart_id": chart_id,
            "title": title,
            "rows": rows,
            "shapes": shapes,
            "label_width": label_width,
            "width": WIDTH,
            "height": len(rows) * 30 + 2,
            "font": FONT,
        },
    )
    return SafeString(svg + _key_html(chart_id, keys)) if keys else SafeString(svg)


def trend_chart(*, chart_id: str, title: str, trend) -> SafeString:
    """One bar a quarter, each split by state: how the split moved."""
    return stacked_chart(chart_id=chart_id, title=title, bars=[(row.period.label, row.counts) for row in trend])


def outcome_chart(*, chart_id: str, title: str, outcomes) -> SafeString:
    """One bar an outcome, each split by state: where the strategy stands, outcome by outcome."""
    return stacked_chart(
        chart_id=chart_id,
        title=title,
        bars=[(f"Outcome {row.outcome.number}", row.counts) for row in outcomes],
    )


def report_charts(report) -> dict:
    """Every chart of the report, for the page and the PDF alike.
    Each has one table of its figures beside it: the by-outcome table and the trend table."""
    return {
        "outcome_chart": outcome_chart(
            chart_id="outcomes",
            title=f"Actions by state in each outcome, {report.period}",
            outcomes=report.outcomes,
        ),
        "trend_chart": trend_chart(
            chart_id="trend",
            title=f"Actions by state in each quarter to {report.period}",
            trend=report.trend,
        ),
    }
