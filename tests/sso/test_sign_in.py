"""Who signs in with the council account, with which role and teams; leavers; sign-out."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY, get_user_model
from django.urls import reverse

from tests import factories
from workforce.models import ProviderGroup, SignInAccount
from workforce.people import person_role
from workforce.roles import DMT, MANAGER, ORGANISATIONAL_PLANNING
from workforce.sso import SESSION_CHECKED_AT

pytestmark = pytest.mark.django_db

OID = "00000000-0000-0000-0000-00000000a11c"
User = get_user_model()


def _alice():
    return User.objects.get(sign_in_account__subject=OID)


def _teams(person) -> set[str]:
    return {team.name for team in person.teams.all()}


def _history(person) -> list[str]:
    return [entry.change_message for entry in LogEntry.objects.filter(object_id=str(person.pk)).order_by("pk")]


def test_the_first_sign_in_creates_the_person_from_the_claims(client, sso, mapping):
    response = sso.sign_in(client, groups=["managers-group", "comms-group"])
    assert response.status_code == 302
    assert response["Location"] == reverse("start")
    alice = _alice()
    assert alice.username == OID, "the username is Entra ID's oid"
    assert (alice.first_name, alice.last_name, alice.email) == ("Alice", "Adams", "alice@example.gov.uk")
    assert not alice.has_usable_password()
    assert person_role(alice) == MANAGER and not alice.is_staff
    assert _teams(alice) == {"Strategic HR", "Corporate Comms Team"}
    assert client.session[SESSION_KEY] == str(alice.pk)
    assert _history(alice) == [
        "Created at the first council sign-in: role Manager; teams: Corporate Comms Team, Strategic HR."
    ]
    assert client.get(reverse("reporting:home")).status_code == 200


def test_without_oid_the_username_is_sub(client, sso, mapping):
    sso.sign_in(client, oid=None)
    assert User.objects.get(sign_in_account__subject="alice-sub").username == "alice-sub"


def test_app_roles_give_a_role_too(client, sso, mapping):
    sso.sign_in(client, groups=None, roles=["dmt-role"])
    assert person_role(User.objects.get(username=OID)) == DMT


def test_with_several_roles_planning_comes_first(client, sso, mapping):
    sso.sign_in(client, groups=["managers-group", "planners-group"], roles=["dmt-role"])
    alice = _alice()
    assert person_role(alice) == ORGANISATIONAL_PLANNING and alice.is_staff


def test_later_sign_ins_refresh_names_role_and_teams_and_record_the_change(client, sso, mapping):
    sso.sign_in(client, groups=["managers-group"])
    client.logout()
    sso.sign_in(client, groups=["comms-group", "dmt-role"], family_name="Brown", email="alice.brown@example.gov.uk")
    alice = _alice()
    assert alice.last_name == "Brown" and alice.email == "alice.brown@example.gov.uk"
    assert person_role(alice) == DMT
    assert _teams(alice) == {"Corporate Comms Team"}
    assert _history(alice)[1:] == [
        "At council sign-in: email and name updated from the council account.",
        "At council sign-in: role Manager → DMT; teams joined: Corporate Comms Team; teams left: Strategic HR.",
    ]
    assert User.objects.filter(sign_in_account__subject=OID).count() == 1


def test_a_sign_in_that_changes_nothing_records_nothing(client, sso, mapping):
    sso.sign_in(client)
    client.logout()
    sso.sign_in(client)
    assert len(_history(_alice())) == 1


def test_no_mapped_group_is_refused_and_nothing_is_created(client, sso, mapping, caplog, settings):
    settings.OIDC_ACCESS_CONTACT = "the IT service desk (0116 305 0000)"
    before = User.objects.count()
    response = sso.sign_in(client, groups=["some-other-group", "comms-group"])  # comms gives a team, no role
    assert response.status_code == 403
    html = response.content.decode()
    assert "You do not have access to Strategy Tracker" in html
    assert "Ask the IT service desk (0116 305 0000) to add you to the Strategy Tracker group" in html
    assert User.objects.count() == before and not SignInAccount.objects.exists()
    assert SESSION_KEY not in client.session
    assert "Council sign-in refused (no_role)" in caplog.text


def test_someone_removed_from_every_mapped_group_is_refused_and_loses_role_and_teams(client, sso, mapping):
    sso.sign_in(client)
    client.logout()
    response = sso.sign_in(client, groups=[])
    assert response.status_code == 403
    alice = _alice()
    assert person_role(alice) is None and _teams(alice) == set()
    assert _history(alice)[-1] == "No mapped group or app role at council sign-in: role and teams taken off."


def test_a_person_deactivated_here_is_refused(client, sso, mapping):
    sso.sign_in(client)
    client.logout()
    User.objects.filter(username=OID).update(is_active=False)
    response = sso.sign_in(client)
    assert response.status_code == 403 and "deactivated" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_person_deactivated_here_is_signed_out_at_their_next_request(client, sso, mapping):
    sso.sign_in(client)
    assert client.get(reverse("reporting:home")).status_code == 200
    User.objects.filter(username=OID).update(is_active=False)
    assert client.get(reverse("reporting:home"))["Location"].startswith(reverse("login"))


# A local account holding the same email address ------------------------------------------------


def test_an_unmarked_local_account_with_the_email_is_not_taken_over_nor_duplicated(client, sso, mapping):
    local = factories.UserFactory(username="alice", email="Alice@example.gov.uk", groups=[MANAGER])
    response = sso.sign_in(client)
    assert response.status_code == 403
    assert "Ask Organisational Planning to mark that account" in response.content.decode()
    assert User.objects.filter(email__iexact="alice@example.gov.uk").count() == 1
    assert not SignInAccount.objects.filter(user=local).exists()


def test_a_marked_local_account_is_linked_once(client, sso, mapping, planner):
    from workforce.sign_in import sign_in_account_set

    local = factories.UserFactory(username="alice", email="alice@example.gov.uk", groups=[DMT])
    sign_in_account_set(user=planner, person=local, link_at_next_sign_in=True, break_glass=False)
    assert sso.sign_in(client).status_code == 302
    assert client.session[SESSION_KEY] == str(local.pk)
    account = SignInAccount.objects.get(user=local)
    assert account.subject == OID and not account.link_at_next_sign_in
    assert person_role(local) == MANAGER and _teams(local) == {"Strategic HR"}
    assert "Linked to the council account at sign-in, as marked." in _history(local)
    assert User.objects.count() == 2  # the planner and Alice
    # Someone else with the same address later (a shared mailbox, a reused address): refused.
    client.logout()
    response = sso.sign_in(client, oid="another-oid", sub="another-sub")
    assert response.status_code == 403
    assert User.objects.count() == 2


# Large Entra ID tenants: the groups overage -----------------------------------------------------

OVERAGE = {
    "groups": None,
    "_claim_names": {"groups": "src1"},
    "_claim_sources": {"src1": {"endpoint": "https://graph.windows.net/tenant/users/x/getMemberObjects"}},
}


def test_an_overage_reads_the_groups_from_graph_when_configured(client, sso, mapping, settings):
    settings.OIDC_GRAPH_GROUPS = True
    sso.provider.graph_groups = ["managers-group", "unmapped-group"]
    assert sso.sign_in(client, **OVERAGE).status_code == 302
    assert person_role(_alice()) == MANAGER
    assert sso.provider.graph_calls == ["Bearer fake-access-token"]


def test_an_overage_without_graph_is_refused_saying_app_roles_must_be_used(client, sso, mapping, caplog):
    response = sso.sign_in(client, **OVERAGE)
    assert response.status_code == 403
    assert "so access must be given through app roles" in response.content.decode()
    assert "Council sign-in refused (groups_overage)" in caplog.text
    assert not User.objects.filter(username=OID).exists()
    assert sso.provider.graph_calls == []


def test_graph_down_is_refused(client, sso, mapping, settings, caplog):
    settings.OIDC_GRAPH_GROUPS = True
    sso.provider.down_paths = {"/graph/me/getMemberGroups"}
    assert sso.sign_in(client, **OVERAGE).status_code == 503
    assert "Council sign-in refused (graph_unavailable)" in caplog.text


# Leavers: the provider is asked again -----------------------------------------------------------


def _overdue(client):
    session = client.session
    session[SESSION_CHECKED_AT] = int(time.time()) - 3 * 3600
    session.save()


def test_after_the_recheck_time_the_next_page_asks_the_provider_silently(client, sso, mapping):
    sso.sign_in(client)
    page = reverse("reporting:home")
    assert client.get(page).status_code == 200
    _overdue(client)
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith("/oidc/authenticate/?silent=1")
    params = sso.start_from(client, response["Location"])
    assert params["prompt"] == "none"
    # The provider says the council account is signed out or disabled: so are they here.
    response = sso.back(client, params["state"], code=None, error="login_required")
    assert response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session


def test_a_recheck_moves_the_person_between_teams(client, sso, mapping):
    sso.sign_in(client)
    _overdue(client)
    params = sso.start_from(client, client.get(reverse("reporting:home"))["Location"])
    sso.provider.id_token = sso.provider.sign(sso.provider.claims(params["nonce"], groups=["comms-group", "dmt-role"]))
    response = sso.back(client, params["state"])
    assert response["Location"] == reverse("reporting:home"), "back to the page they opened"
    assert _teams(_alice()) == {"Corporate Comms Team"} and person_role(_alice()) == DMT
    assert client.get(reverse("reporting:home")).status_code == 200, "checked again: no new redirect"


def test_a_recheck_of_a_leaver_signs_them_out(client, sso, mapping):
    sso.sign_in(client)
    _overdue(client)
    params = sso.start_from(client, client.get(reverse("reporting:home"))["Location"])
    sso.provider.id_token = sso.provider.sign(sso.provider.claims(params["nonce"], groups=[]))
    assert sso.back(client, params["state"]).status_code == 403
    assert SESSION_KEY not in client.session


def test_password_sessions_are_not_rechecked(client, sso, settings):
    admin = factories.UserFactory(username="admin", is_superuser=True, is_staff=True)
    SignInAccount.objects.create(user=admin, break_glass=True)
    assert (
        client.post("/accounts/login/", {"username": "admin", "password": "correct horse battery"}).status_code == 302
    )
    _overdue(client)
    assert client.get(reverse("reporting:home")).status_code == 200


# Signing out -------------------------------------------------------------------------------------


def test_sign_out_also_signs_out_at_the_provider(client, sso, mapping):
    sso.sign_in(client)
    id_token = sso.provider.id_token
    response = client.post("/accounts/logout/")
    assert SESSION_KEY not in client.session
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{sso.provider.issuer}/session/end"
    query = {name: values[0] for name, values in parse_qs(location.query).items()}
    assert query == {
        "client_id": "strategy-tracker",
        "id_token_hint": id_token,
        "post_logout_redirect_uri": "http://testserver/accounts/signed-out/",
    }
    assert "You have signed out" in client.get("/accounts/signed-out/").content.decode()


def test_signing_out_of_the_admin_signs_out_at_the_provider_too(client, sso, mapping):
    sso.sign_in(client, groups=["planners-group"])
    response = client.post("/admin/logout/")
    assert response["Location"].startswith(f"{sso.provider.issuer}/session/end?")
    assert SESSION_KEY not in client.session


def test_sign_out_stays_here_when_the_provider_offers_no_sign_out(client, sso, mapping):
    sso.provider.end_session = False
    sso.sign_in(client)
    response = client.post("/accounts/logout/")
    assert response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session


def test_the_mapping_records_its_history(planner, mapping):
    from workforce.sign_in import provider_group_save

    group = ProviderGroup.objects.get(value="managers-group")
    group.role = DMT
    provider_group_save(user=planner, group=group, teams=[mapping["comms"]])
    assert [h.role for h in group.history.order_by("history_id")][-1] == DMT


def test_an_address_the_provider_has_not_verified_links_nothing(client, sso, mapping, planner):
    from workforce.sign_in import sign_in_account_set

    local = factories.UserFactory(username="alice", email="alice@example.gov.uk", groups=[DMT])
    sign_in_account_set(user=planner, person=local, link_at_next_sign_in=True, break_glass=False)
    assert sso.sign_in(client, email_verified=False).status_code == 302
    assert SignInAccount.objects.get(user=local).subject is None, "the marked account is not taken over"
    assert _alice().email == "", "nor is the unverified address kept"
