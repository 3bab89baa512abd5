"""After a refresh the newest strategy has no quarter yet: the dashboard still opens a report,
and the new strategy's page says it has none and leads to the strategies that have one."""

import datetime

import pytest
from django.urls import reverse

from actions.services import Carried, strategy_refresh
from reporting.models import ReportingPeriod
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def refreshed(team, planner):
    """2016/17 with Q4 closed, refreshed into 2017/18, which has no quarter yet; and an older
    strategy, 2015/16, with a quarter of its own."""
    older = factories.StrategyFactory(
        slug="workforce-2015-16",
        title="Workforce Strategy 2015/16",
        period_label="2015/16",
        period_start=datetime.date(2015, 4, 1),
        period_end=datetime.date(2016, 3, 31),
    )
    factories.ReportingPeriodFactory(strategy=older, year=2015, number=4, state=ReportingPeriod.State.CLOSED)
    old = factories.StrategyFactory()
    factories.ReportingPeriodFactory(strategy=old, year=2016, number=4, state=ReportingPeriod.State.CLOSED)
    action = factories.ActionFactory(strategy=old, recommendation__outcome__strategy=old, lead_teams=[team])
    new = strategy_refresh(
        source=old,
        user=planner,
        title="Workforce Strategy 2017/18",
        slug="workforce-2017-18",
        period_label="2017/18",
        period_start=datetime.date(2017, 4, 1),
        period_end=datetime.date(2018, 3, 31),
        carried=[Carried(action, "2.1", "By the end of June 2017")],
    )
    return older, old, new


def test_the_dashboard_opens_the_newest_strategy_with_a_quarter(client, dmt, refreshed):
    _older, old, _new = refreshed
    client.force_login(dmt)
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 302
    assert response.url == reverse("dashboard:quarter", args=[old.slug, "q4-2016-17"])


def test_a_strategy_with_no_quarter_says_so_and_links_to_every_report(client, dmt, refreshed):
    older, old, new = refreshed
    client.force_login(dmt)
    html = client.get(reverse("dashboard:strategy", args=[new.slug])).content.decode()
    assert f"{new.title} has no reporting quarter yet, so it has no report." in html
    for reported in (old, older):
        assert f'href="{reverse("dashboard:strategy", args=[reported.slug])}"' in html


def test_with_no_quarter_anywhere_the_dashboard_says_so(client, dmt):
    factories.StrategyFactory()
    client.force_login(dmt)
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200
    assert "No strategy has a reporting quarter yet" in response.content.decode()


def test_with_no_strategy_the_dashboard_says_so(client, dmt):
    client.force_login(dmt)
    assert "No strategy has been loaded yet" in client.get(reverse("dashboard:index")).content.decode()
