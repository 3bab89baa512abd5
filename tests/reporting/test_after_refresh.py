"""After a refresh: "Your actions" lists each line of carried work once, in document order,
and offers no update on an action finished in an earlier quarter."""

import datetime

import pytest
from django.urls import reverse

from actions.services import Carried, strategy_refresh
from reporting.models import ReportingPeriod, Status
from tests import factories

NEW = {
    "title": "Workforce Strategy 2017/18",
    "slug": "workforce-2017-18",
    "period_label": "2017/18",
    "period_start": datetime.date(2017, 4, 1),
    "period_end": datetime.date(2018, 3, 31),
}


@pytest.fixture
def old(db, team):
    """2016/17 with Q3 closed and Q4 open: 1.1 in progress, 1.2 completed in Q3, 1.3 completed
    in Q4, 1.4 with no update yet."""
    strategy = factories.StrategyFactory()
    q3 = factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=3, state=ReportingPeriod.State.CLOSED)
    factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=4)
    q4 = ReportingPeriod.objects.get(strategy=strategy, year=2016, number=4)
    actions = {
        ref: factories.ActionFactory(strategy=strategy, reference=ref, order=order, lead_teams=[team])
        for order, ref in enumerate(["1.1", "1.2", "1.3", "1.4"], start=1)
    }
    factories.ProgressUpdateFactory(action=actions["1.1"], period=q3, status=Status.IN_PROGRESS, rag="green")
    factories.ProgressUpdateFactory(
        action=actions["1.2"], period=q3, status=Status.COMPLETE, rag="", completed_on=datetime.date(2016, 12, 1)
    )
    factories.ProgressUpdateFactory(
        action=actions["1.3"], period=q4, status=Status.COMPLETE, rag="", completed_on=datetime.date(2017, 2, 1)
    )
    return strategy


def refresh(old, planner):
    carried = [
        Carried(old.actions.get(reference="1.1"), "2.1", "By the end of June 2017"),
        Carried(old.actions.get(reference="1.4"), "2.4", "By the end of June 2017"),
    ]
    return strategy_refresh(source=old, user=planner, carried=carried, **NEW)


def your_actions(client, manager):
    client.force_login(manager)
    response = client.get(reverse("reporting:home"))
    assert response.status_code == 200
    return response


def references(response) -> list[str]:
    return [f"{action.strategy.period_label} {action.reference}" for action in response.context["actions"]]


def test_each_carried_line_is_listed_once_as_the_old_action_while_the_new_strategy_has_no_quarter(
    client, manager, planner, old
):
    refresh(old, planner)
    # Those needing a Q4 update first, in document order; no copy marked "No update" on top.
    assert references(your_actions(client, manager)) == ["2016/17 1.1", "2016/17 1.4", "2016/17 1.2", "2016/17 1.3"]


def test_each_carried_line_is_listed_once_as_the_new_action_once_its_strategy_has_a_quarter(
    client, manager, planner, old
):
    new = refresh(old, planner)
    ReportingPeriod.objects.filter(strategy=old).update(state=ReportingPeriod.State.CLOSED)
    factories.ReportingPeriodFactory(strategy=new, year=2017, number=1)
    listed = references(your_actions(client, manager))
    # The two carried lines as their 2017/18 actions, needing an update first; the finished
    # ones stay in 2016/17, in document order.
    assert listed == ["2017/18 2.1", "2017/18 2.4", "2016/17 1.2", "2016/17 1.3"]


def test_update_is_not_offered_on_an_action_finished_in_an_earlier_quarter(client, manager, old):
    response = your_actions(client, manager)
    html = response.content.decode()
    # 1.2 was completed in Q3: nothing to update in Q4. 1.3 completed in Q4: its update can change.
    assert "> for action 1.2<" not in html
    assert 'Update<span class="govuk-visually-hidden"> for action 1.1<' in html
    assert 'Update<span class="govuk-visually-hidden"> for action 1.4<' in html
    assert 'Change update<span class="govuk-visually-hidden"> for action 1.3<' in html


def test_the_action_page_offers_no_update_on_an_action_finished_in_an_earlier_quarter(client, manager, old):
    client.force_login(manager)
    done_earlier = old.actions.get(reference="1.2")
    html = client.get(reverse("reporting:detail", args=[done_earlier.pk])).content.decode()
    assert reverse("reporting:update", args=[done_earlier.pk]) not in html
    assert "Complete in Q3 2016/17: it needs no update for Q4 2016/17." in html
    # One still open is offered its update.
    open_one = old.actions.get(reference="1.1")
    html = client.get(reverse("reporting:detail", args=[open_one.pk])).content.decode()
    assert reverse("reporting:update", args=[open_one.pk]) in html
