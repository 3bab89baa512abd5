"""The council-wide summary: every strategy on one page, one row each, in a fixed number of queries."""

import pytest
from django.urls import reverse

from dashboard.report import report_build
from reporting import selectors
from tests import factories
from tests.dashboard.test_views import build_strategy

pytestmark = pytest.mark.django_db


def test_every_strategy_has_one_row_counted_as_its_own_report(client, dmt, timeline):
    empty = factories.StrategyFactory(slug="no-quarters", title="A strategy with no quarter yet")
    client.force_login(dmt)
    response = client.get(reverse("dashboard:summary"))
    assert response.status_code == 200
    rows = {row.strategy.slug: row for row in response.context["rows"]}
    assert set(rows) == {"leics", empty.slug}
    strategy = timeline["strategy"]
    report = report_build(strategy, timeline["q3"], list(selectors.periods_for_strategy(strategy)))
    by_key = {row.key: row for row in report.headline}
    for figure in rows["leics"].figures:
        assert (figure.value, figure.url) == (by_key[figure.key].value, by_key[figure.key].url)
    assert rows[empty.slug].period is None
    html = response.content.decode()
    assert reverse("dashboard:quarter", args=["leics", "q3-2016-17"]) in html
    assert "No quarter yet" in html


def test_the_summary_costs_the_same_at_10_and_1000_actions(client, dmt, django_assert_num_queries):
    client.force_login(dmt)
    build_strategy(10)
    # session, user, the strategies, each one's quarter to report, their actions counted by
    # strategy and state (one query of the as-at rule)
    with django_assert_num_queries(5):
        client.get(reverse("dashboard:summary"))
    build_strategy(1000)
    with django_assert_num_queries(5):
        response = client.get(reverse("dashboard:summary"))
    assert sorted(row.counts.total for row in response.context["rows"]) == [10, 1000]


def test_only_planners_get_the_link_to_the_meeting_page(client, dmt, planner, timeline):
    url = reverse("dashboard:quarter", args=["leics", "q3-2016-17"])
    meeting = reverse("reporting:dmt", args=["leics", "q3-2016-17"])
    client.force_login(dmt)
    assert meeting not in client.get(url).content.decode()
    client.force_login(planner)
    assert meeting in client.get(url).content.decode()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("dashboard:summary"))
    assert response.status_code == 302
