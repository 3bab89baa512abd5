"""Organisational Planning manages people in the admin, without a superuser: add, edit,
role and teams, deactivate, set-password email; never a superuser's account."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests import factories
from workforce import people
from workforce.roles import DMT, MANAGER, ORGANISATIONAL_PLANNING

pytestmark = pytest.mark.django_db

User = get_user_model()
ADD = reverse("admin:auth_user_add")
CHANGELIST = reverse("admin:auth_user_changelist")


def change_url(user) -> str:
    return reverse("admin:auth_user_change", args=[user.pk])


def person_data(**overrides) -> dict:
    data = {
        "username": "jsmith",
        "first_name": "Jo",
        "last_name": "Smith",
        "email": "jo.smith@example.gov.uk",
        "role": MANAGER,
        "teams": [],
    }
    return {**data, **overrides}


def change_data(person, **overrides) -> dict:
    data = person_data(
        username=person.username,
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        role=people.person_role(person),
        teams=[team.pk for team in person.teams.all()],
        is_active="on" if person.is_active else "",
    )
    return {key: value for key, value in {**data, **overrides}.items() if value != ""}


def reset_link(message) -> str:
    match = re.search(r"http://testserver(/accounts/reset/[^/]+/[^/]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.gov.uk", "correct horse battery")


@pytest.fixture
def planner_client(client, planner):
    client.force_login(planner)
    return client


def test_a_planner_adds_a_manager_with_a_team_who_gets_a_set_password_email(
    planner_client, planner, team, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        response = planner_client.post(ADD, person_data(teams=[team.pk]))

    person = User.objects.get(username="jsmith")
    assert response.status_code == 302
    assert (person.first_name, person.last_name, person.email) == ("Jo", "Smith", "jo.smith@example.gov.uk")
    assert [g.name for g in person.groups.all()] == [MANAGER]
    assert list(person.teams.all()) == [team]
    assert person.is_active and not person.is_staff and not person.is_superuser
    assert not person.has_usable_password()
    assert not person.user_permissions.exists()
    assert LogEntry.objects.filter(object_id=str(person.pk), user=planner).exists()

    # One email, to the new person only, with a link that lets them choose a password.
    [message] = mail.outbox
    assert message.to == ["jo.smith@example.gov.uk"]
    assert message.subject == "Your Strategy Tracker account"
    assert "Your username is jsmith" in message.body
    planner_client.logout()
    form_page = client.get(reset_link(message), follow=True)
    assert form_page.status_code == 200
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a quarter well reported", "new_password2": "a quarter well reported"},
    )
    assert done.status_code == 302
    assert client.login(username="jsmith", password="a quarter well reported")


def test_a_planner_edits_a_person_role_teams_and_names(planner_client, team, other_team):
    person = factories.UserFactory(username="jsmith", groups=[MANAGER], teams=[team], first_name="Jo")

    response = planner_client.post(
        change_url(person),
        change_data(person, role=ORGANISATIONAL_PLANNING, teams=[other_team.pk], first_name="Joanne"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.first_name == "Joanne"
    assert [g.name for g in person.groups.all()] == [ORGANISATIONAL_PLANNING]
    assert list(person.teams.all()) == [other_team]
    assert person.is_staff  # Organisational Planning works in the admin

    planner_client.post(change_url(person), change_data(person, role=DMT, teams=[]))
    person.refresh_from_db()
    assert [g.name for g in person.groups.all()] == [DMT]
    assert not person.teams.exists()
    assert not person.is_staff  # and a DMT member does not


def test_a_planner_sees_role_and_teams_not_superuser_or_permissions(planner_client, manager):
    page = planner_client.get(change_url(manager)).content.decode()
    for hidden in ("is_superuser", "user_permissions", "is_staff", 'name="groups"', 'name="password"'):
        assert hidden not in page, hidden
    for shown in ('name="role"', 'name="teams"', 'name="is_active"', "Send a set-password email"):
        assert shown in page, shown

    listing = planner_client.get(CHANGELIST).content.decode()
    assert "manager" in listing and "Organisational Planning" in listing


def test_a_planner_deactivates_a_person_on_the_form_or_as_an_action(planner_client, manager, outsider):
    response = planner_client.post(change_url(manager), change_data(manager, is_active=""))
    assert response.status_code == 302
    manager.refresh_from_db()
    assert not manager.is_active
    assert User.objects.filter(pk=manager.pk).exists()  # kept, with their history

    planner_client.post(CHANGELIST, {"action": "deactivate", "_selected_action": [outsider.pk]})
    outsider.refresh_from_db()
    assert not outsider.is_active


def test_a_deactivated_person_cannot_sign_in(client, manager):
    people.person_deactivate(user=factories.UserFactory(groups=[ORGANISATIONAL_PLANNING]), person=manager)
    assert not client.login(username="manager", password="correct horse battery")


def test_a_planner_cannot_delete_a_person(planner_client, manager):
    response = planner_client.post(reverse("admin:auth_user_delete", args=[manager.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=manager.pk).exists()
    actions = planner_client.get(CHANGELIST).context["action_form"].fields["action"].choices
    assert "delete_selected" not in dict(actions)


def test_a_planner_sends_a_set_password_email_from_the_change_page_and_as_an_action(planner_client, manager):
    url = reverse("admin:auth_user_set_password_email", args=[manager.pk])
    confirm = planner_client.get(url)
    assert confirm.status_code == 200
    assert "manager@example.gov.uk" in confirm.content.decode()
    assert mail.outbox == []  # asking sends nothing

    response = planner_client.post(url)
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["manager@example.gov.uk"]
    assert message.subject == "Set your Strategy Tracker password"
    assert reset_link(message)

    planner_client.post(CHANGELIST, {"action": "send_set_password_email", "_selected_action": [manager.pk]})
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["manager@example.gov.uk"]


def test_the_email_goes_to_the_one_person_not_everyone_with_the_address(planner, manager):
    User.objects.filter(pk=manager.pk).update(email="shared@example.gov.uk")
    factories.UserFactory(username="other", email="shared@example.gov.uk")
    manager.refresh_from_db()

    people.set_password_email_send(user=planner, person=manager, domain="tracker.example", use_https=True)

    [message] = mail.outbox
    assert "Your username is manager" in message.body
    assert "https://tracker.example/accounts/reset/" in message.body


def test_no_email_to_a_deactivated_person(planner_client, manager):
    User.objects.filter(pk=manager.pk).update(is_active=False)
    response = planner_client.post(reverse("admin:auth_user_set_password_email", args=[manager.pk]), follow=True)
    assert mail.outbox == []
    assert "is deactivated" in response.content.decode()


def test_a_planner_cannot_create_or_promote_a_superuser_or_give_permissions(planner_client, manager):
    response = planner_client.post(
        ADD,
        person_data(is_superuser="on", is_staff="on", user_permissions=["1"], groups=["1"], password1="x"),
    )
    assert response.status_code == 302
    made = User.objects.get(username="jsmith")
    assert not made.is_superuser and not made.is_staff
    assert not made.user_permissions.exists()
    assert [g.name for g in made.groups.all()] == [MANAGER]

    planner_client.post(change_url(manager), change_data(manager, is_superuser="on", is_staff="on"))
    manager.refresh_from_db()
    assert not manager.is_superuser and not manager.is_staff


def test_a_planner_cannot_see_edit_or_deactivate_a_superuser(planner_client, planner, superuser):
    assert planner_client.get(change_url(superuser)).status_code == 403
    assert planner_client.post(change_url(superuser), change_data(superuser, role=MANAGER)).status_code == 403
    email_url = reverse("admin:auth_user_set_password_email", args=[superuser.pk])
    assert planner_client.post(email_url).status_code == 403
    password_url = reverse("admin:auth_user_password_change", args=[superuser.pk])
    assert planner_client.post(password_url, {"password1": "x", "password2": "x"}).status_code == 403
    assert planner_client.get(reverse("admin:auth_user_history", args=[superuser.pk])).status_code == 403
    planner_client.post(CHANGELIST, {"action": "deactivate", "_selected_action": [superuser.pk]})
    superuser.refresh_from_db()
    assert superuser.is_active and superuser.is_superuser
    assert "root" not in planner_client.get(CHANGELIST).content.decode()
    assert mail.outbox == []

    # And the services refuse, whoever calls them.
    with pytest.raises(PermissionDenied):
        people.person_update(user=planner, person=superuser, role=MANAGER, teams=[])
    with pytest.raises(PermissionDenied):
        people.person_deactivate(user=planner, person=superuser)
    with pytest.raises(PermissionDenied):
        people.set_password_email_send(user=planner, person=superuser, domain="x", use_https=True)


def test_a_planner_cannot_set_anyones_password_directly(planner_client, manager):
    url = reverse("admin:auth_user_password_change", args=[manager.pk])
    assert planner_client.get(url).status_code == 403


def test_the_superuser_keeps_djangos_whole_user_admin(client, superuser, manager):
    client.force_login(superuser)
    page = client.get(change_url(manager)).content.decode()
    assert 'name="is_superuser"' in page and 'name="user_permissions"' in page
    assert client.get(reverse("admin:auth_user_delete", args=[manager.pk])).status_code == 200
    assert client.get(change_url(superuser)).status_code == 200
    assert client.get(ADD).status_code == 200
    listing = client.get(CHANGELIST + f"?role={MANAGER}")
    assert [p.username for p in listing.context["cl"].result_list] == ["manager"]


def test_a_staff_manager_or_dmt_member_cannot_reach_the_user_admin(client, manager, dmt):
    for person in (manager, dmt):
        User.objects.filter(pk=person.pk).update(is_staff=True)
        client.force_login(person)
        assert client.get(CHANGELIST).status_code == 403
        assert client.get(ADD).status_code == 403
        assert client.get(change_url(person)).status_code == 403
        with pytest.raises(PermissionDenied):
            people.person_create(user=person, person=User(username="x", email="x@example.gov.uk"), role=MANAGER)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"role": ""}, "role", "Choose the person's role: Organisational Planning, Manager or DMT."),
        ({"role": "Superuser"}, "role", "Select a valid choice. Superuser is not one of the available choices."),
        ({"email": ""}, "email", "Enter the person's email address."),
        ({"email": "not an address"}, "email", "Enter a valid email address."),
        ({"email": "MANAGER@example.gov.uk"}, "email", "Another person already has this email address"),
        ({"username": "manager"}, "username", "A user with that username already exists."),
        ({"username": "jo smith"}, "username", "Enter a valid username."),
    ],
)
def test_form_errors_say_what_to_fix(planner_client, manager, overrides, field, message):
    response = planner_client.post(ADD, person_data(**overrides))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert any(error.startswith(message) for error in errors[field]), errors
    assert not User.objects.filter(username=person_data(**overrides)["username"]).exclude(pk=manager.pk).exists()


def test_a_planner_cannot_take_away_their_own_role_or_deactivate_themselves(planner_client, planner):
    response = planner_client.post(change_url(planner), change_data(planner, role=MANAGER, is_active=""))
    errors = response.context["adminform"].form.errors
    assert errors["role"] == ["You cannot take away your own Organisational Planning role: ask another planner."]
    assert errors["is_active"] == ["You cannot deactivate your own account: ask another planner."]
    planner.refresh_from_db()
    assert planner.is_active and people.person_role(planner) == ORGANISATIONAL_PLANNING

    planner_client.post(CHANGELIST, {"action": "deactivate", "_selected_action": [planner.pk]})
    planner.refresh_from_db()
    assert planner.is_active
    with pytest.raises(ValidationError):
        people.person_deactivate(user=planner, person=planner)


def test_the_role_and_team_lists_filter_people(planner_client, manager, dmt, team):
    names = lambda url: {p.username for p in planner_client.get(url).context["cl"].result_list}  # noqa: E731
    assert names(CHANGELIST + f"?role={DMT}") == {"dmt"}
    assert names(CHANGELIST + f"?teams__id__exact={team.pk}") == {"manager"}
    assert "manager" in names(CHANGELIST + "?q=manager%40example")


def test_the_people_list_runs_the_same_queries_for_5_and_50_people(planner_client, team, django_assert_num_queries):
    def grow(n):
        for _ in range(n):
            factories.UserFactory(groups=[MANAGER], teams=[team], password=None)

    grow(5)
    # session, the planner, their permissions (2), the filters' teams, the count, the full
    # count, the planner's groups (the admin's menu asks who is a planner), the page of
    # people, their groups and their teams (one query each, prefetched).
    with django_assert_num_queries(11):
        assert planner_client.get(CHANGELIST).status_code == 200
    grow(45)
    with django_assert_num_queries(11):
        assert planner_client.get(CHANGELIST).status_code == 200


def test_a_planner_can_find_people_to_link_as_lead_officers(planner_client, manager):
    factories.UserFactory(username="gone", first_name="Gareth", is_active=False)
    url = reverse("admin:autocomplete")
    response = planner_client.get(
        url, {"app_label": "actions", "model_name": "action", "field_name": "lead_officer_user", "term": "manager"}
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["manager"]
    gone = planner_client.get(
        url, {"app_label": "actions", "model_name": "action", "field_name": "lead_officer_user", "term": "Gareth"}
    )
    assert gone.json()["results"] == []
