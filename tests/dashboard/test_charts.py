"""The charts' drawing: each state's share of a bar, one patterned shape a state in the trend,
and coordinates written as SVG reads them whatever the language's number format."""

import re
from types import SimpleNamespace

from django.test import override_settings
from django.utils import translation

from dashboard import charts


def _counts(**values):
    order = ["complete", "on_track", "at_risk", "off_track", "unrated", "cancelled", "no_update"]
    segments = [(key, key.replace("_", " ").capitalize(), values.get(key, 0)) for key in order]
    return SimpleNamespace(segments=segments, total=sum(values.values()))


def _trend():
    return [
        SimpleNamespace(period=SimpleNamespace(label="Q1 2016/17"), counts=_counts(no_update=3)),
        SimpleNamespace(
            period=SimpleNamespace(label="Q2 2016/17"), counts=_counts(on_track=1, off_track=1, no_update=1)
        ),
        SimpleNamespace(period=SimpleNamespace(label="Q3 2016/17"), counts=_counts(complete=1, on_track=2)),
    ]


def _subpaths(svg: str) -> dict[str, list[tuple[float, float, float]]]:
    """{pattern: [(x, y, width), ...]} from the trend chart's shapes."""
    shapes = {}
    for path, pattern in re.findall(r'<path d="([^"]+)" fill="url\(#trend-([a-z]+)\)"', svg):
        shapes[pattern] = [
            (float(x), float(y), float(w)) for x, y, w in re.findall(r"M([\d.]+) ([\d.]+)h([\d.]+)v20h-[\d.]+Z", path)
        ]
    return shapes


def test_trend_chart_fills_each_state_once_with_a_bar_part_for_each_quarter_it_has():
    svg = charts.trend_chart(chart_id="trend", title="Trend", trend=_trend())
    shapes = _subpaths(svg)
    # One shape for each state any quarter has; the quarters' parts are its subpaths.
    assert sorted(shapes) == ["cross", "diagonal", "hatch", "solid"]
    assert len(re.findall(r'<path d="M[^"]+" fill="url', svg)) == 4
    bar = charts.WIDTH - 96
    # No update: all of Q1 (row 0), a third of Q2 (row 1, after Green and Red).
    assert shapes["hatch"] == [(96.0, 4.0, bar), (96.0 + round(2 * bar / 3, 1), 34.0, round(bar / 3, 1))]
    # Green: a third of Q2 from the bar's start, two thirds of Q3 after Complete.
    assert shapes["diagonal"] == [
        (96.0, 34.0, round(bar / 3, 1)),
        (round(96 + bar / 3, 1), 64.0, round(2 * bar / 3, 1)),
    ]
    assert shapes["solid"] == [(96.0, 64.0, round(bar / 3, 1))]
    assert shapes["cross"] == [(round(96 + bar / 3, 1), 34.0, round(bar / 3, 1))]
    # Every quarter is named beside its bar, and every state in the key.
    for label in ("Q1 2016/17", "Q2 2016/17", "Q3 2016/17", "No update", "On track"):
        assert label in svg


def test_split_chart_shares_the_bar_by_state_and_names_each_with_its_number():
    svg = charts.split_chart(chart_id="headline", title="All", counts=_counts(complete=1, at_risk=3))
    rects = re.findall(r'<rect x="([\d.]+)" y="4" width="([\d.]+)" height="24" fill="url\(#headline-(\w+)\)"', svg)
    assert rects == [("0", "90.0", "solid"), ("90.0", "270.0", "dots")]
    assert "Complete: 1" in svg and "At risk: 3" in svg


@override_settings(USE_THOUSAND_SEPARATOR=True)
def test_chart_coordinates_are_written_as_svg_reads_them_in_any_language():
    # In German 12.5 is written "12,5": SVG would read a comma as two numbers.
    with translation.override("de"):
        trend = charts.trend_chart(chart_id="trend", title="Trend", trend=_trend())
        split = charts.split_chart(chart_id="headline", title="All", counts=_counts(complete=1, at_risk=2))
    for svg in (trend, split):
        numbers = re.findall(r' (?:x|y|width|height|d)="([^"]*)"', svg)
        assert numbers and not [n for n in numbers if "," in n], numbers
    assert "M96.0 34h88.0v20h-88.0Z" in trend  # Q2's first third: a decimal point, not a comma
