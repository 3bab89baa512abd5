"""A planner cannot reach a superuser's records around the Users page: no team membership
added, changed or removed, no action's lead officer set or unset to one, by any admin page
(a team's members, the memberships list, an action, an action's history, the import).
One rule decides: workforce.people.person_records_check, the Users page's can_manage_person."""

import pytest
import tablib
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from actions.models import Action
from actions.resources import ActionResource
from tests import factories
from tests.admin_forms import form_data
from workforce.models import TeamMembership

pytestmark = pytest.mark.django_db

REFUSAL = "Only a superuser may add a superuser to a team, take one off, or make one an action&#x27;s lead officer."


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", "root@example.gov.uk", "correct horse battery")


@pytest.fixture
def planner_client(client, planner):
    client.force_login(planner)
    return client


def refused(response) -> bool:
    return response.status_code == 200 and REFUSAL in response.content.decode()


# A team's page: its members inline ---------------------------------------------------------


def team_post(client, team, rows: list[dict], initial: int = 0):
    url = reverse("admin:workforce_team_change", args=[team.pk])
    data = {**form_data(client.get(url)), "memberships-INITIAL_FORMS": str(initial)}
    data["memberships-TOTAL_FORMS"] = str(len(rows))
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"memberships-{n}-{key}"] = value
    return client.post(url, data)


def test_a_planner_cannot_add_a_superuser_to_a_team(planner_client, team, root):
    response = team_post(planner_client, team, [{"team": team.pk, "user": root.pk}])
    assert refused(response)
    assert not TeamMembership.objects.filter(user=root).exists()


def test_a_planner_cannot_take_a_superuser_off_a_team(planner_client, team, root):
    membership = TeamMembership.objects.create(user=root, team=team)
    row = {"id": membership.pk, "team": team.pk, "user": root.pk, "DELETE": "on"}
    response = team_post(planner_client, team, [row], initial=1)
    assert refused(response)
    assert TeamMembership.objects.filter(pk=membership.pk).exists()


def test_a_planner_cannot_delete_a_team_a_superuser_is_in(planner_client, team, root):
    TeamMembership.objects.create(user=root, team=team)
    response = planner_client.post(reverse("admin:workforce_team_delete", args=[team.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert TeamMembership.objects.filter(user=root, team=team).exists()


def test_a_planner_adds_and_removes_other_people_on_a_team(planner_client, team, other_team, manager, root):
    TeamMembership.objects.create(user=root, team=team)  # shown, left alone
    kept = TeamMembership.objects.get(user=manager, team=team)
    person = factories.UserFactory(username="lee")
    rows = [
        {"id": TeamMembership.objects.get(user=root).pk, "team": team.pk, "user": root.pk},
        {"id": kept.pk, "team": team.pk, "user": manager.pk, "DELETE": "on"},
        {"team": team.pk, "user": person.pk},
    ]
    response = team_post(planner_client, team, rows, initial=2)
    assert response.status_code == 302
    assert set(team.members.values_list("username", flat=True)) == {"root", "lee"}


def test_a_superuser_adds_a_superuser_to_a_team(client, team, root):
    client.force_login(root)
    other = get_user_model().objects.create_superuser("root2", "root2@example.gov.uk", "x")
    assert team_post(client, team, [{"team": team.pk, "user": other.pk}]).status_code == 302
    assert TeamMembership.objects.filter(user=other, team=team).exists()


# The memberships list ----------------------------------------------------------------------


def test_a_planner_cannot_add_a_membership_for_a_superuser(planner_client, team, root):
    response = planner_client.post(reverse("admin:workforce_teammembership_add"), {"user": root.pk, "team": team.pk})
    assert refused(response)
    assert not TeamMembership.objects.filter(user=root).exists()


def test_a_planner_cannot_move_or_delete_a_superusers_membership(planner_client, team, other_team, root):
    membership = TeamMembership.objects.create(user=root, team=team)
    url = reverse("admin:workforce_teammembership_change", args=[membership.pk])
    assert refused(planner_client.post(url, {"user": root.pk, "team": other_team.pk}))
    delete = reverse("admin:workforce_teammembership_delete", args=[membership.pk])
    assert planner_client.post(delete, {"post": "yes"}).status_code == 403
    bulk = planner_client.post(
        reverse("admin:workforce_teammembership_changelist"),
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
    )
    assert bulk.status_code == 403
    membership.refresh_from_db()
    assert membership.team == team


def test_a_planner_cannot_hand_a_membership_to_a_superuser(planner_client, team, manager, root):
    membership = TeamMembership.objects.get(user=manager)
    url = reverse("admin:workforce_teammembership_change", args=[membership.pk])
    assert refused(planner_client.post(url, {"user": root.pk, "team": team.pk}))
    membership.refresh_from_db()
    assert membership.user == manager


def test_a_planner_adds_a_membership_for_anyone_else(planner_client, other_team, manager):
    response = planner_client.post(
        reverse("admin:workforce_teammembership_add"), {"user": manager.pk, "team": other_team.pk}
    )
    assert response.status_code == 302
    assert TeamMembership.objects.filter(user=manager, team=other_team).exists()


# An action's lead officer ------------------------------------------------------------------


def action_post(client, action, **changes):
    url = reverse("admin:actions_action_change", args=[action.pk])
    data = {**form_data(client.get(url)), **changes}
    return client.post(url, {key: value for key, value in data.items() if value is not None})


def test_a_planner_cannot_make_a_superuser_an_actions_lead_officer(planner_client, action, root):
    assert refused(action_post(planner_client, action, lead_officer_user=root.pk))
    action.refresh_from_db()
    assert action.lead_officer_user is None


def test_a_planner_cannot_unlink_a_superuser_lead_officer_but_edits_the_rest(planner_client, action, root, manager):
    Action.objects.filter(pk=action.pk).update(lead_officer_user=root)
    assert refused(action_post(planner_client, action, lead_officer_user=manager.pk))
    response = action_post(planner_client, action, lead_officer_user="", description="Refined")
    assert refused(response)
    response = action_post(planner_client, action, description="Refined wording of the action")
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.lead_officer_user == root and action.description == "Refined wording of the action"


def test_a_planner_names_anyone_else_lead_officer(planner_client, action, manager):
    assert action_post(planner_client, action, lead_officer_user=manager.pk).status_code == 302
    action.refresh_from_db()
    assert action.lead_officer_user == manager


def test_a_planner_cannot_add_an_action_led_by_a_superuser(planner_client, action, root):
    url = reverse("admin:actions_action_add")
    data = form_data(planner_client.get(reverse("admin:actions_action_change", args=[action.pk])))
    data.update(reference="9.9.9", lead_officer_user=root.pk)
    assert refused(planner_client.post(url, data))
    assert not Action.objects.filter(reference="9.9.9").exists()


def test_a_planner_cannot_revert_an_action_to_a_version_led_by_a_superuser(planner_client, action, root):
    client = Client()
    client.force_login(root)
    assert action_post(client, action, lead_officer_user=root.pk).status_code == 302
    assert action_post(client, action, lead_officer_user="").status_code == 302
    led_by_root = action.history.filter(lead_officer_user=root).latest("history_date")
    url = reverse("admin:actions_action_simple_history", args=[action.pk, led_by_root.history_id])
    page = planner_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, False)}
    assert data["lead_officer_user"] == root.pk  # the version as it was, led by root
    assert refused(planner_client.post(url, data))
    action.refresh_from_db()
    assert action.lead_officer_user is None


def test_the_import_cannot_name_a_lead_officer_account(action, root):
    """The spreadsheet import has no column for a person's account: a lead officer is linked
    to an account only on the action's page, where the rule above applies."""
    strategy = action.strategy
    assert "lead_officer_user" not in [field.column_name for field in ActionResource().get_import_fields()]
    headers = ["strategy", "outcome", "recommendation", "reference", "description", "lead_officer_user"]
    row = [strategy.slug, action.outcome.number, "", action.reference, action.description, root.pk]
    ActionResource().import_data(tablib.Dataset(row, headers=headers), raise_errors=True)
    action.refresh_from_db()
    assert action.lead_officer_user is None


# The yearly refresh ------------------------------------------------------------------------


def test_a_refresh_does_not_carry_a_superuser_lead_officer_for_a_planner(root, planner):
    """Carrying an action forward names its lead officer on the new action: refused for a
    superuser's, with nothing saved; a superuser may."""
    from django.core.exceptions import ValidationError

    from actions.services import Carried, strategy_refresh
    from outcomes.models import Strategy

    action = factories.ActionFactory(lead_officer_user=root, timescale="Ongoing")
    source = action.strategy
    new = {
        "title": "Next",
        "slug": "next",
        "period_label": "next",
        "period_start": source.period_end.replace(year=source.period_end.year + 1),
        "period_end": source.period_end.replace(year=source.period_end.year + 2),
    }
    with pytest.raises(ValidationError) as refusal:
        strategy_refresh(source=source, user=planner, carried=[Carried(action, "9.9", "Ongoing")], **new)
    assert f"Action {action.reference}'s lead officer can be named only by a superuser" in str(refusal.value)
    assert not Strategy.objects.filter(slug="next").exists()

    made = strategy_refresh(source=source, user=root, carried=[Carried(action, "9.9", "Ongoing")], **new)
    assert made.actions.get().lead_officer_user == root
