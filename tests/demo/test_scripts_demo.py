"""What README's run command sets up: the Leicestershire and Lincolnshire strategies, each
mid-cycle in its own quarter, demo users and progress."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from actions.models import Action
from actions.permissions import can_edit_action
from reporting.models import ProgressUpdate, ReportingPeriod
from tests.counts import record_counts

pytestmark = pytest.mark.django_db

PASSWORD = "demo-password-2016"
# What scripts/demo loads, then writes.
FIXTURES = ["teams", "leicestershire-cfs-2016-17", "lincolnshire-cs-2014-16"]
LEICESTERSHIRE, LINCOLNSHIRE = "leicestershire-cfs-2016-17", "lincolnshire-cs-2014-16"


def run_demo():
    call_command("loaddata", *FIXTURES, verbosity=0)
    call_command("demo_data", users=True, seed=2016, verbosity=0)


@pytest.fixture
def demo(settings):
    run_demo()


def needing_update(response) -> list[Action]:
    return [action for action in response.context["actions"] if action.status_as_at is None]


def test_each_strategy_is_open_in_its_own_last_quarter(demo):
    open_quarters = {
        period.strategy.slug: period.label
        for period in ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN).select_related("strategy")
    }
    assert open_quarters == {LEICESTERSHIRE: "Q4 2016/17", LINCOLNSHIRE: "Q4 2015/16"}
    assert ReportingPeriod.objects.filter(strategy__slug=LINCOLNSHIRE).count() == 8
    # Each strategy's updates are in its own quarters only.
    assert not ProgressUpdate.objects.exclude(period__strategy=F("action__strategy")).exists()


def test_planner_sees_both_strategies_actions_in_the_admin(client, demo):
    assert client.login(username="planner", password=PASSWORD)
    response = client.get(reverse("admin:actions_action_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == Action.objects.count() == 34 + 45
    strategy_page = client.get(reverse("admin:outcomes_strategy_changelist")).content.decode()
    assert "Children and Family Services Workforce Strategy 2016/17" in strategy_page
    assert "Lincolnshire" in strategy_page


def test_manager_has_at_least_two_actions_to_update_this_quarter(client, demo):
    assert client.login(username="manager", password=PASSWORD)
    response = client.get(reverse("reporting:home"))
    assert response.status_code == 200
    actions = list(response.context["actions"])
    assert all("Strategic HR" in [team.name for team in action.lead_teams.all()] for action in actions)
    missing = needing_update(response)
    assert len(missing) >= 2
    assert {action.strategy.slug for action in missing} == {LEICESTERSHIRE}
    assert client.get(reverse("reporting:update", args=[missing[0].pk])).status_code == 200


def test_officer_leads_one_action_and_has_it_to_update(client, demo):
    officer = get_user_model().objects.get(username="officer")
    [action] = Action.objects.filter(lead_officer_user=officer)
    assert (action.strategy.slug, action.reference) == (LEICESTERSHIRE, "2.5.3")
    assert action.lead_names == ["Dana Whitfield", "Head of Strategy, Business Support"]
    assert not officer.teams.exists()

    assert client.login(username="officer", password=PASSWORD)
    response = client.get(reverse("reporting:home"))
    assert [a.pk for a in needing_update(response)] == [action.pk]
    assert client.get(reverse("reporting:update", args=[action.pk])).status_code == 200


def test_every_update_is_written_by_someone_who_may_write_it(demo):
    updates = ProgressUpdate.objects.select_related("author", "action__lead_officer_user").prefetch_related(
        "action__lead_teams__members"
    )
    for update in updates:
        action = update.action
        members = {member for team in action.lead_teams.all() for member in team.members.all()}
        assert update.author is not None
        assert update.author == action.lead_officer_user or update.author in members or not members
        assert can_edit_action(update.author, action), (action.reference, update.author)


def test_dmt_opens_the_leicestershire_dashboard(client, demo):
    assert client.login(username="dmt", password=PASSWORD)
    response = client.get(reverse("dashboard:index"), follow=True)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.strategy.slug == LEICESTERSHIRE
    assert str(report.period) == "Q4 2016/17"
    assert report.counts.total == 34
    assert report.exceptions


def test_running_the_demo_again_changes_nothing(demo):
    def story():
        return list(
            ProgressUpdate.objects.order_by("action__strategy__slug", "action__reference", "period__start").values_list(
                "action__reference", "period__year", "period__number", "status", "rag", "progress", "author__username"
            )
        )

    before, updates = record_counts(), story()
    links = list(Action.objects.exclude(lead_officer_user=None).values_list("pk", "lead_officer", "lead_officer_user"))

    run_demo()

    assert record_counts() == before
    assert story() == updates
    assert (
        list(Action.objects.exclude(lead_officer_user=None).values_list("pk", "lead_officer", "lead_officer_user"))
        == links
    )


def test_no_user_exists_without_the_demo_command(django_user_model):
    call_command("loaddata", *FIXTURES, verbosity=0)
    assert not django_user_model.objects.exists()
