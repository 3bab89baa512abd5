"""Bar charts drawn on the server as inline SVG, so they need no JavaScript, print, and go
into the PDF. Every bar carries its label and value as text: nothing is told by colour alone.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

# Colours from the GOV.UK palette, each paired with words in the chart.
COLOURS = {
    "complete": "#1d70b8",
    "on_track": "#00703c",
    "at_risk": "#f47738",
    "off_track": "#d4351c",
    "not_started": "#505a5f",
    "on_hold": "#6f72af",
    "cancelled": "#b1b4b6",
    "overdue": "#942514",
    "no_update": "#505a5f",
    "total": "#0b0c0c",
    "progress": "#1d70b8",
}


@dataclass
class Bar:
    label: str
    value: float
    text: str
    colour: str
    y: int = 0
    width: float = 0.0
    pattern: bool = False


def bar_chart(*, title: str, bars: list[Bar], maximum: float | None = None, chart_id: str) -> SafeString:
    """A horizontal bar chart: one row a bar, its label on the left and its value on the right."""
    row, label_width, bar_width = 28, 220, 300
    top = max([maximum or 0, *(bar.value for bar in bars)]) or 1
    for index, bar in enumerate(bars):
        bar.y = index * row
        bar.width = round(bar_width * bar.value / top, 1)
    return render_to_string(
        "dashboard/_bar_chart.svg",
        {
            "title": title,
            "bars": bars,
            "chart_id": chart_id,
            "height": row * len(bars),
            "label_width": label_width,
            "bar_x": label_width + 8,
            "value_x": label_width + 8 + bar_width + 8,
            "width": label_width + bar_width + 80,
        },
    )


def headline_chart(report) -> SafeString:
    bars = [
        Bar(row.label, row.value, str(row.value), COLOURS[row.key], pattern=row.key == "no_update")
        for row in report.headline
        if row.key not in ("total", "cancelled")
    ]
    return bar_chart(
        title=f"Actions by status and RAG, {report.period}", bars=bars, maximum=report.counts.total, chart_id="headline"
    )


def outcome_chart(report) -> SafeString:
    bars = [
        Bar(
            f"Outcome {row.outcome.number}",
            row.counts.percent_complete,
            f"{row.counts.percent_complete}%",
            COLOURS["progress"],
        )
        for row in report.outcomes
    ]
    return bar_chart(title=f"Actions complete by outcome, {report.period}", bars=bars, maximum=100, chart_id="outcomes")


def report_charts(report) -> dict[str, SafeString]:
    """Both charts of the report, for the page and the PDF alike."""
    return {"headline_chart": headline_chart(report), "outcome_chart": outcome_chart(report)}
