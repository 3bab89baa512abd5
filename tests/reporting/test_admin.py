"""The Organisational Planning admin: the action list's filters, and fixed query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.models import ProgressUpdate, ReportingPeriod
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "actions_action",
    "reporting_progressupdate",
    "reporting_reportingperiod",
    "outcomes_strategy",
    "outcomes_outcome",
    "outcomes_recommendation",
    "outcomes_successmeasure",
    "outcomes_risk",
    "workforce_team",
    "workforce_teammembership",
    "workforce_workforcefigure",
]


def grow(size: int) -> None:
    """Add a strategy with `size` actions, each led by two teams, half with an Amber update."""
    strategy = factories.StrategyFactory()
    factories.SuccessMeasureFactory(recommendation__outcome__strategy=strategy)
    factories.RiskFactory(strategy=strategy)
    teams = [factories.TeamFactory(name=f"Team {n}") for n in range(3)]
    period = factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=3)
    factories.bulk_actions(size, teams=teams[:2], periods=[period], strategy=strategy, rags=("amber",), skip_every=2)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context)


@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_changelist_runs_the_same_queries_at_10_and_500_actions(client, planner, changelist):
    client.force_login(planner)
    url = reverse(f"admin:{changelist}_changelist")
    grow(10)
    at_10 = queries(client, url)
    grow(490)
    assert queries(client, url) == at_10


def test_action_changelist_query_count_is_pinned(client, planner, django_assert_num_queries):
    client.force_login(planner)
    grow(500)
    url = reverse("admin:actions_action_changelist")
    # session, user, the user's permissions (2), each strategy's quarter to report on, the
    # filters' choices (strategies, outcomes, lead teams), the quarters again (the admin builds
    # its root queryset and its filtered queryset apart), the total count, the filtered count,
    # the user's groups (only planners see progress updates in the admin), the page of actions
    # with their quarter's update joined, and their lead teams.
    with django_assert_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_num_queries(14):
        response = client.get(url + "?status=in_progress&rag=amber&overdue=yes")
    assert response.status_code == 200


def test_action_changelist_filters(client, planner):
    client.force_login(planner)
    grow(10)
    url = reverse("admin:actions_action_changelist")
    assert client.get(url).context["cl"].result_count == 10
    assert client.get(url + "?rag=amber").context["cl"].result_count == 5
    assert client.get(url + "?needs_update=yes").context["cl"].result_count == 5
    assert client.get(url + "?status=none").context["cl"].result_count == 5
    assert client.get(url + "?overdue=yes").context["cl"].result_count == 10
    # The words as one phrase: on their own, "3" is in every reference whose recommendation's
    # number has a 3 in it, which depends on how many recommendations earlier tests made.
    assert client.get(url + "?q=%22Action+3%22").context["cl"].result_count == 1
    team = factories.TeamFactory(name="Team 0")
    assert client.get(url + f"?lead_teams__id__exact={team.pk}").context["cl"].result_count == 10


def test_team_autocomplete_for_lead_teams(client, planner):
    client.force_login(planner)
    factories.TeamFactory(name="Strategic HR")
    factories.TeamFactory(name="Corporate Comms Team")
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "strat", "app_label": "actions", "model_name": "action", "field_name": "lead_teams"},
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Strategic HR"]


def test_action_page_shows_its_progress_updates(client, planner, period):
    client.force_login(planner)
    update = factories.ProgressUpdateFactory(period=period, progress="Plan agreed by DMT")
    response = client.get(reverse("admin:actions_action_change", args=[update.action.pk]))
    assert response.status_code == 200
    assert "Plan agreed by DMT" in response.content.decode()


def test_admin_save_reads_the_timescale_into_dates(client, planner):
    client.force_login(planner)
    action = factories.ActionFactory(lead_teams=[factories.TeamFactory()])
    data = {
        "strategy": action.strategy_id,
        "outcome": action.outcome_id,
        "recommendation": action.recommendation_id,
        "reference": action.reference,
        "order": 1,
        "description": action.description,
        "lead_teams": [t.pk for t in action.lead_teams.all()],
        "timescale": "December 2015 (and then ongoing)",
        "updates-TOTAL_FORMS": 0,
        "updates-INITIAL_FORMS": 0,
    }
    response = client.post(reverse("admin:actions_action_change", args=[action.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    action.refresh_from_db()
    assert (action.start_date, action.due_date, action.is_ongoing) == (
        datetime.date(2015, 12, 1),
        datetime.date(2015, 12, 31),
        True,
    )


def test_closed_quarter_updates_cannot_be_changed_in_the_admin(client, planner, period):
    client.force_login(planner)
    update = factories.ProgressUpdateFactory(period=period)
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.CLOSED)
    response = client.post(
        reverse("admin:reporting_progressupdate_change", args=[update.pk]),
        {"action": update.action_id, "period": period.pk, "status": "in_progress", "rag": "red", "progress": "x"},
    )
    assert response.status_code == 403  # read only: the admin offers no way to change it
    update.refresh_from_db()
    assert update.rag == "green"
    page = client.get(reverse("admin:reporting_progressupdate_change", args=[update.pk]))
    assert page.status_code == 200 and 'name="progress"' not in page.content.decode()


def test_a_closed_quarter_and_its_updates_cannot_be_changed_or_deleted(client, planner, period):
    client.force_login(planner)
    update = factories.ProgressUpdateFactory(period=period)
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.CLOSED)
    delete_update = client.post(reverse("admin:reporting_progressupdate_delete", args=[update.pk]), {"post": "yes"})
    assert delete_update.status_code == 403
    assert ProgressUpdate.objects.filter(pk=update.pk).exists()
    page = client.get(reverse("admin:reporting_reportingperiod_change", args=[period.pk]))
    assert page.status_code == 200
    assert 'name="state"' not in page.content.decode()  # cannot be reopened
    response = client.post(reverse("admin:reporting_reportingperiod_change", args=[period.pk]), {"state": "open"})
    period.refresh_from_db()
    assert response.status_code == 403 and not period.is_open
    assert (
        client.post(reverse("admin:reporting_reportingperiod_delete", args=[period.pk]), {"post": "yes"}).status_code
        == 403
    )


def test_updates_on_the_action_page_are_read_only(client, planner, period):
    client.force_login(planner)
    update = factories.ProgressUpdateFactory(period=period, progress="As written by the manager")
    html = client.get(reverse("admin:actions_action_change", args=[update.action.pk])).content.decode()
    assert "As written by the manager" in html
    assert 'name="updates-0-progress"' not in html


def test_quarter_filters_are_ignored_before_any_quarter_exists(client, planner):
    client.force_login(planner)
    factories.ActionFactory()
    assert not ReportingPeriod.objects.exists()
    response = client.get(reverse("admin:actions_action_changelist") + "?status=none&rag=red&overdue=yes")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
