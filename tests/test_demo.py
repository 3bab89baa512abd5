"""What README's run command sets up: the Leicestershire strategy, demo users and progress."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from actions.models import Action

pytestmark = pytest.mark.django_db

PASSWORD = "demo-password-2016"


@pytest.fixture
def demo(settings):
    call_command("loaddata", "teams", "leicestershire-cfs-2016-17", verbosity=0)
    call_command("demo_data", users=True, seed=2016, verbosity=0)


def test_planner_sees_the_strategy_actions_in_the_admin(client, demo):
    assert client.login(username="planner", password=PASSWORD)
    response = client.get(reverse("admin:actions_action_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == Action.objects.count() == 34
    strategy_page = client.get(reverse("admin:outcomes_strategy_changelist"))
    assert "Children and Family Services Workforce Strategy 2016/17" in strategy_page.content.decode()


def test_manager_has_actions_to_update(client, demo):
    assert client.login(username="manager", password=PASSWORD)
    response = client.get(reverse("reporting:home"))
    assert response.status_code == 200
    actions = list(response.context["actions"])
    assert actions
    assert all("Strategic HR" in [team.name for team in action.lead_teams.all()] for action in actions)


def test_dmt_opens_the_leicestershire_dashboard(client, demo):
    assert client.login(username="dmt", password=PASSWORD)
    response = client.get(reverse("dashboard:index"), follow=True)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.strategy.slug == "leicestershire-cfs-2016-17"
    assert str(report.period) == "Q4 2016/17"
    assert report.counts.total == 34
    assert report.exceptions


def test_no_user_exists_without_the_demo_command(django_user_model):
    call_command("loaddata", "teams", "leicestershire-cfs-2016-17", verbosity=0)
    assert not django_user_model.objects.exists()
