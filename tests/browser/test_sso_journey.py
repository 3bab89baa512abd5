"""Signing in with the council account, through a real OpenID provider's login page.

The provider is npm's oidc-provider (tests/oidc/provider.js, installed by
scripts/oidc-provider-install), run with Node.js on 127.0.0.1 with test users in groups. A
manager, a DMT member and a planner each sign in and land where their role and teams take
them; someone in no mapped group is refused; someone moved between groups has their teams
changed at their next sign-in; signing out signs out at the provider too.
"""

import json
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
from csp.constants import SELF
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests import factories
from tests.sso.conftest import sso_settings
from tests.sso.fake_provider import CLIENT_ID, CLIENT_SECRET
from workforce.models import ProviderGroup
from workforce.roles import DMT, MANAGER, ORGANISATIONAL_PLANNING

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROVIDER_DIR = Path(__file__).resolve().parent.parent / "oidc"
PASSWORD = "council passphrase 2016"


def _user(login: str, groups: list[str], *, name: str) -> dict:
    first, last = name.split()
    return {
        "password": PASSWORD,
        "sub": f"{login}-sub",
        "oid": f"{login}-oid",
        "email": f"{login}@council.example.gov.uk",
        "name": name,
        "given_name": first,
        "family_name": last,
        "groups": groups,
    }


USERS = {
    "mandy": _user("mandy", ["sg-managers", "sg-hr"], name="Mandy Manager"),
    "dee": _user("dee", ["sg-dmt"], name="Dee Director"),
    "pat": _user("pat", ["sg-planners"], name="Pat Planner"),
    "nora": _user("nora", ["sg-canteen"], name="Nora Nobody"),
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory):
    """The OpenID provider on 127.0.0.1, its client registered for the live server."""
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("oidc-provider is not installed: run scripts/oidc-provider-install")
    users = tmp_path_factory.mktemp("oidc") / "users.json"
    users.write_text(json.dumps(USERS))
    port = _free_port()
    env = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_USERS_FILE": str(users),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URI": f"{live_server.url}/oidc/callback/",
        "OIDC_POST_LOGOUT_REDIRECT_URI": f"{live_server.url}/accounts/signed-out/",
    }
    process = subprocess.Popen(
        ["node", "provider.js"], cwd=PROVIDER_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if line.startswith("listening"):
                break
            if process.poll() is not None:
                pytest.fail(f"the OpenID provider stopped: {line}{process.stdout.read()}")
        else:
            pytest.fail("the OpenID provider did not start in 20 s")
        yield {"issuer": f"http://127.0.0.1:{port}", "users": users}
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def council(provider, settings, live_server):
    """Single sign-on on against the provider, with the council's groups mapped."""
    sso_settings(settings, provider["issuer"])
    settings.OIDC_TIMEOUT_SECONDS = 5
    directives = django_settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**directives, "form-action": [SELF, provider["issuer"]]}}
    provider["users"].write_text(json.dumps(USERS))
    hr = factories.TeamFactory(name="Strategic HR")
    comms = factories.TeamFactory(name="Corporate Comms Team")
    planning = factories.TeamFactory(name="Organisational Planning")
    ProviderGroup.objects.create(value="sg-managers", role=MANAGER)
    ProviderGroup.objects.create(value="sg-hr").teams.set([hr])
    ProviderGroup.objects.create(value="sg-comms").teams.set([comms])
    ProviderGroup.objects.create(value="sg-dmt", role=DMT)
    ProviderGroup.objects.create(value="sg-planners", role=ORGANISATIONAL_PLANNING).teams.set([planning])
    period = factories.ReportingPeriodFactory(year=2016, number=3)
    recommendation = factories.RecommendationFactory(outcome__strategy=period.strategy)
    factories.ActionFactory(
        recommendation=recommendation, reference="1.1.1", lead_teams=[hr], description="Run HR's survey"
    )
    factories.ActionFactory(
        recommendation=recommendation, reference="1.1.2", lead_teams=[comms], description="Write the comms plan"
    )
    return provider


def council_sign_in(page, live_server, login: str, check_accessibility=None) -> None:
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    if check_accessibility:
        check_accessibility(page)
    page.get_by_role("button", name="Sign in with your council account").click()
    expect(page.get_by_role("heading", name="Council sign-in")).to_be_visible()
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in to the council").click()
    page.wait_for_load_state()


def _teams(login: str) -> set[str]:
    person = get_user_model().objects.get(sign_in_account__subject=f"{login}-oid")
    return {team.name for team in person.teams.all()}


def test_a_manager_lands_on_their_teams_actions(page, live_server, council, check_accessibility):
    council_sign_in(page, live_server, "mandy", check_accessibility)
    expect(page.get_by_role("heading", name="Your actions")).to_be_visible()
    expect(page.get_by_text("Run HR's survey")).to_be_visible()
    expect(page.get_by_text("Write the comms plan")).to_have_count(0)
    assert _teams("mandy") == {"Strategic HR"}
    check_accessibility(page)


def test_dmt_lands_on_the_dashboard(page, live_server, council):
    council_sign_in(page, live_server, "dee")
    assert page.url.startswith(live_server.url + "/dashboard/")


def test_a_planner_reaches_the_admin(page, live_server, council):
    council_sign_in(page, live_server, "pat")
    expect(page.get_by_role("heading", name="Your actions")).to_be_visible()
    page.goto(live_server.url + "/admin/")
    expect(page.get_by_role("heading", name="Organisational Planning")).to_be_visible()
    assert _teams("pat") == {"Organisational Planning"}


def test_someone_in_no_mapped_group_is_refused(page, live_server, council, check_accessibility):
    council_sign_in(page, live_server, "nora")
    expect(page.get_by_role("heading", name="You do not have access to Strategy Tracker")).to_be_visible()
    check_accessibility(page)
    assert not get_user_model().objects.filter(username="nora-oid").exists()


def test_a_person_moved_between_groups_changes_teams_at_the_next_sign_in(page, live_server, council):
    council_sign_in(page, live_server, "mandy")
    expect(page.get_by_text("Run HR's survey")).to_be_visible()
    # Signing out ends the provider's session too (its own page asks), then comes back here.
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()
    moved = {**USERS, "mandy": {**USERS["mandy"], "groups": ["sg-managers", "sg-comms"]}}
    council["users"].write_text(json.dumps(moved))
    council_sign_in(page, live_server, "mandy")
    expect(page.get_by_text("Write the comms plan")).to_be_visible()
    expect(page.get_by_text("Run HR's survey")).to_have_count(0)
    assert _teams("mandy") == {"Corporate Comms Team"}
