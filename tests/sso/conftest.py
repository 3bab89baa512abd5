from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group

from tests import factories
from tests.sso.fake_provider import CLIENT_ID, CLIENT_SECRET, FakeProvider
from workforce.models import ProviderGroup
from workforce.roles import DMT, MANAGER, ORGANISATIONAL_PLANNING

SSO_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "workforce.sso.ProviderBackend",
    "workforce.sso.BreakGlassBackend",
]


def sso_settings(settings, issuer: str) -> None:
    """Single sign-on on, as strategy_tracker/settings.py sets it when OIDC_ISSUER is set."""
    settings.SSO_ENABLED = True
    settings.OIDC_ISSUER = issuer
    settings.OIDC_DISCOVERY_URL = f"{issuer}/.well-known/openid-configuration"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_TIMEOUT_SECONDS = 1
    settings.AUTHENTICATION_BACKENDS = SSO_BACKENDS


@pytest.fixture(scope="session")
def fake_provider():
    provider = FakeProvider()
    yield provider
    provider.close()


class Flow:
    """Sign-ins through the fake provider, one step at a time or whole."""

    def __init__(self, provider: FakeProvider):
        self.provider = provider

    def start(self, client, next_url: str = "") -> dict:
        """Off to the provider: the parameters the application sent it."""
        response = client.get("/oidc/authenticate/" + (f"?next={next_url}" if next_url else ""))
        assert response.status_code == 302, response.content
        location = response["Location"]
        assert location.startswith(self.provider.issuer + "/auth?")
        return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}

    def start_from(self, client, url: str) -> dict:
        """Follow the application's own redirect (the periodic check) to the provider."""
        response = client.get(url)
        assert response.status_code == 302, response.content
        return {name: values[0] for name, values in parse_qs(urlsplit(response["Location"]).query).items()}

    def back(self, client, state: str | None, code: str | None = "a-code", **extra):
        query = {**({"state": state} if state is not None else {}), **({"code": code} if code else {}), **extra}
        return client.get("/oidc/callback/", query)

    def sign_in(self, client, *, token=None, **changes):
        """A whole sign-in whose ID token has these `changes` (or is `token(nonce)`)."""
        params = self.start(client)
        nonce = params["nonce"]
        self.provider.id_token = token(nonce) if token else self.provider.sign(self.provider.claims(nonce, **changes))
        return self.back(client, params["state"])


@pytest.fixture
def sso(settings, fake_provider, empty_cache):
    """Single sign-on on, against the fake provider, with the roles' groups mapped."""
    fake_provider.reset()
    sso_settings(settings, fake_provider.issuer)
    settings.OIDC_GRAPH_URL = f"{fake_provider.issuer}/graph"
    return Flow(fake_provider)


@pytest.fixture
def mapping(db):
    """A group for each role; managers join two teams, planners one."""
    hr = factories.TeamFactory(name="Strategic HR")
    comms = factories.TeamFactory(name="Corporate Comms Team")
    for name in (ORGANISATIONAL_PLANNING, MANAGER, DMT):
        Group.objects.get_or_create(name=name)
    managers = ProviderGroup.objects.create(value="managers-group", role=MANAGER)
    managers.teams.set([hr])
    comms_group = ProviderGroup.objects.create(value="comms-group", role="")
    comms_group.teams.set([comms])
    ProviderGroup.objects.create(value="dmt-role", role=DMT)
    planners = ProviderGroup.objects.create(value="planners-group", role=ORGANISATIONAL_PLANNING)
    planners.teams.set([factories.TeamFactory(name="Organisational Planning")])
    return {"hr": hr, "comms": comms}
