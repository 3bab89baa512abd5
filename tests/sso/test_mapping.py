"""Organisational Planning keeps the mapping and the marks in the admin, through the services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests import factories
from workforce.models import ProviderGroup, SignInAccount
from workforce.roles import DMT, MANAGER
from workforce.sign_in import mapped_role_and_teams, sign_in_account_set

pytestmark = pytest.mark.django_db


def test_a_planner_maps_a_group_in_the_admin(client, planner, team):
    client.force_login(planner)
    assert client.get("/admin/workforce/providergroup/").status_code == 200
    response = client.post(
        "/admin/workforce/providergroup/add/",
        {
            "value": "b1e4c0de-0000-4000-8000-000000000001",
            "description": "SG-Tracker-Managers",
            "role": MANAGER,
            "teams": [team.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    group = ProviderGroup.objects.get()
    assert group.role == MANAGER and list(group.teams.all()) == [team]
    assert group.history.count() >= 1
    assert mapped_role_and_teams(["b1e4c0de-0000-4000-8000-000000000001", "unmapped"]) == (MANAGER, [team])


def test_a_manager_cannot_reach_the_mapping(client, manager):
    client.force_login(manager)
    assert client.get("/admin/workforce/providergroup/").status_code in (302, 403)


def test_a_planner_marks_a_local_account_to_link_in_the_admin(client, planner):
    person = factories.UserFactory(username="alice", groups=[DMT])
    client.force_login(planner)
    response = client.post("/admin/workforce/signinaccount/add/", {"user": person.pk, "link_at_next_sign_in": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    account = SignInAccount.objects.get(user=person)
    assert account.link_at_next_sign_in and not account.break_glass


def test_only_a_superuser_marks_break_glass_and_only_on_a_superuser(planner):
    root = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    other_root = factories.UserFactory(username="root2", is_superuser=True, is_staff=True)
    person = factories.UserFactory(username="alice", groups=[DMT])
    with pytest.raises(PermissionDenied):
        sign_in_account_set(user=planner, person=other_root, link_at_next_sign_in=False, break_glass=True)
    with pytest.raises(ValidationError):
        sign_in_account_set(user=root, person=person, link_at_next_sign_in=False, break_glass=True)
    with pytest.raises(PermissionDenied):
        sign_in_account_set(user=planner, person=person, link_at_next_sign_in=False, break_glass=True)
    assert sign_in_account_set(user=root, person=other_root, link_at_next_sign_in=False, break_glass=True).break_glass
    assert not SignInAccount.objects.filter(user=person).exists()


def test_a_linked_account_cannot_be_marked_to_link_again(planner):
    person = factories.UserFactory(username="alice", groups=[DMT])
    SignInAccount.objects.create(user=person, subject="an-oid")
    with pytest.raises(ValidationError):
        sign_in_account_set(user=planner, person=person, link_at_next_sign_in=True, break_glass=False)


LIST_QUERIES = {"providergroup": 9, "signinaccount": 8}


@pytest.mark.parametrize("rows", [1, 30])
def test_the_mapping_and_accounts_lists_cost_the_same_at_any_length(client, planner, rows, django_assert_num_queries):
    teams = [factories.TeamFactory(name=f"Team {n}") for n in range(3)]
    for n in range(rows):
        ProviderGroup.objects.create(value=f"group-{n}", role=MANAGER).teams.set(teams)
        SignInAccount.objects.create(user=factories.UserFactory(username=f"person{n}"), subject=f"oid-{n}")
    client.force_login(planner)
    # The mapping: session, user, the planner's own and group permissions, the count (twice:
    # filtered and in all), the planner's groups, the page of groups, their teams (one prefetch).
    # The accounts: the same, with each account's person joined instead of a prefetch.
    with django_assert_num_queries(LIST_QUERIES["providergroup"]):
        assert client.get("/admin/workforce/providergroup/").status_code == 200
    with django_assert_num_queries(LIST_QUERIES["signinaccount"]):
        assert client.get("/admin/workforce/signinaccount/").status_code == 200
