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


def _outcomes(*counts):
    return [SimpleNamespace(outcome=SimpleNamespace(number=n), counts=c) for n, c in enumerate(counts, start=1)]


def test_outcome_chart_has_a_bar_an_outcome_and_says_no_actions_for_an_outcome_with_none():
    """An outcome with no actions drew an empty bar and a key of seven "0" lines; its bar now
    says "No actions", and the key names only the states some outcome has."""
    svg = charts.outcome_chart(
        chart_id="outcomes", title="Outcomes", outcomes=_outcomes(_counts(complete=1, at_risk=3), _counts())
    )
    assert "Outcome 1" in svg and "Outcome 2" in svg
    drawing, key = svg.split("</svg>", 1)[0], svg.split('<ul class="app-chart-key">', 1)[1]
    assert re.search(r'<text x="96" y="49" fill="#0b0c0c">No actions</text>', drawing)  # on outcome 2's line
    assert re.findall(r"</svg> ([^<]+)</li>", key) == ["Complete", "At risk"]
    assert ": 0" not in svg and ">0<" not in svg
    empty = charts.outcome_chart(chart_id="outcomes", title="Outcomes", outcomes=_outcomes(_counts()))
    assert "No actions" in empty and "app-chart-key" not in empty


def test_each_key_swatch_has_the_pattern_of_its_part_of_the_bars():
    """On paper in greyscale the bars' colours look alike: each state is told by its pattern,
    so the key's swatch is filled with the very pattern its state's shape is."""
    svg = charts.trend_chart(chart_id="trend", title="Trend", trend=_trend())
    key = svg.split('<ul class="app-chart-key">', 1)[1]
    swatches = re.findall(
        r'<pattern id="trend-key-(\w+)".*?fill="url\(#trend-key-(\w+)\)".*?</svg> ([^<]+)</li>', key, re.S
    )
    assert [(label, pattern) for pattern, used, label in swatches if pattern == used] == [
        ("Complete", "solid"),
        ("On track", "diagonal"),
        ("Off track", "cross"),
        ("No update", "hatch"),
    ]
    assert {pattern for pattern, _used, _label in swatches} == set(_subpaths(svg))  # the bars' own
    # Each swatch's pattern is drawn as the bars' own is: the same markup under another id.
    bars_solid = re.search(r'<pattern id="trend-solid"(.*?)</pattern>', svg, re.S).group(1)
    assert bars_solid in re.search(r'<pattern id="trend-key-solid"(.*?)</pattern>', key, re.S).group(1)


@override_settings(USE_THOUSAND_SEPARATOR=True)
def test_chart_coordinates_are_written_as_svg_reads_them_in_any_language():
    # In German 12.5 is written "12,5": SVG would read a comma as two numbers.
    with translation.override("de"):
        trend = charts.trend_chart(chart_id="trend", title="Trend", trend=_trend())
        split = charts.outcome_chart(
            chart_id="outcomes", title="All", outcomes=_outcomes(_counts(complete=1, at_risk=2))
        )
    for svg in (trend, split):
        numbers = re.findall(r' (?:x|y|width|height|d)="([^"]*)"', svg)
        assert numbers and not [n for n in numbers if "," in n], numbers
    assert "M96.0 34h88.0v20h-88.0Z" in trend  # Q2's first third: a decimal point, not a comma
