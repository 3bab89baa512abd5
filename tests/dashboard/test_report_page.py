"""The report on screen shows each figure in one place, says "No actions" for an outcome
that has none, and lists the other strategies cleanly."""

import re

import pytest
from django.urls import reverse

from dashboard.counting import KEY_FIGURES, Counts, figure_keys
from tests import factories
from tests.dashboard.test_views import quarter_url

pytestmark = pytest.mark.django_db


def _page(client, user, timeline) -> str:
    client.force_login(user)
    return client.get(quarter_url(timeline)).content.decode()


def _section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


def test_each_count_is_shown_in_one_place(client, dmt, timeline):
    """The report showed the strategy's counts three times: as key figures, as a bar with a
    number for each state, and as a table; and each outcome's counts twice, as a chart card
    and a table row.

    Kept, one form for each: the key figures hold the strategy's counts, each a link to its
    list, because DMT reads them first and at a glance; each outcome's counts are the
    by-outcome table, the data table of the one chart that compares the outcomes (a bar an
    outcome, which shows the split where a column of numbers cannot); the trend's chart and
    table give each quarter. A chart's key names its states, not their numbers: the numbers
    are in its table."""
    html = _page(client, dmt, timeline)
    report_links = [url.replace("&amp;", "&") for url in re.findall(r'href="(/actions/\?strategy=[^"]+)"', html)]
    for url in set(report_links):
        if "outcome=" in url or report_links.count(url) == 1:
            continue
        # A strategy-wide count's list may also be where a long outcome list of exceptions
        # continues; this report's exceptions are short, so each count is linked once.
        pytest.fail(f"{url} is linked {report_links.count(url)} times")
    at_a_glance = _section(html, "at-a-glance")
    assert "<table" not in at_a_glance and "<svg" not in at_a_glance
    by_outcome = _section(html, "by-outcome")
    assert by_outcome.count('<svg class="app-chart"') == 1 and by_outcome.count("<table") == 1
    trend = _section(html, "trend")
    assert trend.count('<svg class="app-chart"') == 1 and trend.count("<table") == 1
    assert "outcome-charts" not in html and "headline-table" not in html
    # No chart's key repeats its table's numbers.
    for key in re.findall(r'<ul class="app-chart-key">.*?</ul>', html, re.S):
        assert not re.search(r": \d", key), key


def test_the_key_figures_add_a_count_only_when_some_action_is_in_it():
    assert figure_keys(Counts(total=3, complete=3)) == KEY_FIGURES
    assert figure_keys(Counts(total=2, on_hold=1, cancelled=1)) == [
        "total",
        "complete",
        "on_track",
        "at_risk",
        "off_track",
        "on_hold",
        "cancelled",
        "no_update",
        "overdue",
    ]


def test_the_by_outcome_table_has_the_key_figures_columns(client, dmt, timeline):
    html = _page(client, dmt, timeline)
    figures = re.findall(r'<span class="app-key-figure__label">([^<]+)</span>', _section(html, "at-a-glance"))
    assert "On hold" in figures  # action E is on hold at Q3
    table = _section(html, "by-outcome")
    head = table[table.index("<thead") : table.index("</thead>")]
    columns = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', head)
    assert columns == ["Outcome", *figures, "Per cent complete", "Direction of travel"]


def test_an_outcome_with_no_actions_says_no_actions(client, dmt, timeline):
    """It drew an empty bar with a key of seven "0" lines, and a row of noughts."""
    factories.OutcomeFactory(strategy=timeline["strategy"], number=3, title="a workforce still to plan")
    html = _page(client, dmt, timeline)
    table = _section(html, "by-outcome")
    row = table[table.index("3. a workforce still to plan") :]
    row = row[: row.index("</tr>")]
    assert "No actions" in row
    assert "<a " not in row and ">0<" not in row
    assert re.search(r">Outcome 3</text>\s*<text [^>]*>No actions</text>", table)


def test_other_strategies_are_listed_with_no_stray_semicolon(client, dmt, timeline):
    """The current strategy, last of three, left the list ending "…Strategy B;"."""
    for slug, title in (("a", "A strategy"), ("b", "B strategy")):
        factories.StrategyFactory(slug=slug, title=title)
    html = _page(client, dmt, timeline)
    others = html[html.index('id="other-strategies"') : html.index("</ul>", html.index('id="other-strategies"'))]
    assert re.findall(r'<a class="govuk-link" href="([^"]+)">([^<]+)</a>', others) == [
        (reverse("dashboard:strategy", args=["a"]), "A strategy"),
        (reverse("dashboard:strategy", args=["b"]), "B strategy"),
    ]
    assert ";" not in others
