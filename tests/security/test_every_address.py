"""Every address of the product, walked from the URL resolver, as someone not signed in and as
a signed-in planner.

Not signed in, an address either leads to signing in (a redirect that ends on the sign-in
page, the site's or the admin's), or answers 403, 404 or 405; the sign-in pages themselves
(signing in and out, resetting a password) answer as they must. Only the published reports
under /published/ answer 200, with `Cache-Control: public` so that a CDN may keep them. No
other page, for anyone, signed in or not, carries `Cache-Control: public`.

Each address's parameters are filled with the values of real objects (an action's id, a
strategy's short name, a quarter's, a published version's number...), so that a view which
forgot its check would answer 200 rather than 404. A pattern the walk cannot fill fails the
test by name: a new parameter must be taught here.
"""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.regex_helper import normalize

from actions.models import Action
from publishing import services as publishing_services
from publishing.models import PublishedFile
from publishing.public_views import SERVED_FILES
from reporting import services
from reporting.models import DmtDecision, Reminder
from tests import factories
from workforce.models import Directorate, ProviderGroup, ServiceArea, SignInAccount, TeamMembership, WorkforceFigure
from workforce.roles import DMT, MANAGER

pytestmark = pytest.mark.django_db

# The pages of signing in, out and resetting a password: what someone not signed in must reach.
SIGN_IN_PAGES = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "admin:login",
    "admin:logout",
    "signed_out",  # "You have signed out", after signing out at the council's identity provider
}
PUBLIC_NAMESPACE = "published"


# --- The walk ------------------------------------------------------------------------------------


def patterns(resolvers=None, chain=()):
    """Every URL pattern with the resolvers above it, depth first."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from patterns(entry.url_patterns, (*chain, entry))
        else:
            yield (*chain, entry)


def pattern_name(chain) -> str:
    namespaces = [r.namespace for r in chain[:-1] if isinstance(r, URLResolver) and r.namespace]
    return ":".join([*namespaces, chain[-1].name or "(unnamed)"])


def describe(chain) -> str:
    return "".join(str(part.pattern) for part in chain)


def fill(part, values) -> list[str]:
    """The path of one pattern piece with its parameters filled (one path for each choice of
    a parameter with several real values, such as a published file's name)."""
    pattern = part.pattern
    if isinstance(pattern, RoutePattern):
        route, names = str(pattern), re.findall(r"<(?:\w+:)?(\w+)>", str(pattern))
        paths = [route]
        for name in names:
            choices = values(name)
            paths = [re.sub(rf"<(?:\w+:)?{name}>", choice, path) for path in paths for choice in choices]
        return paths
    assert isinstance(pattern, RegexPattern), pattern
    paths = []
    for template, names in normalize(pattern.regex.pattern)[:1]:
        filled = [template]
        for name in names:
            filled = [f.replace(f"%({name})s", choice) for f in filled for choice in values(name)]
        paths += filled
    return paths


def addresses(world) -> list[tuple[str, str, str]]:
    """(name, pattern, address) for every pattern, its parameters filled from `world`."""
    found = []
    for chain in patterns():
        namespace = next((r.namespace for r in chain if isinstance(r, URLResolver) and r.namespace), "")
        admin_model = _admin_model(chain) if namespace == "admin" else None
        paths = [""]
        for part in chain:
            paths = [path + piece for path in paths for piece in fill(part, world.values_for(namespace, admin_model))]
        for path in paths:
            address = "/" + path.lstrip("^").replace("$", "")
            match = resolve(urlsplit(address).path)
            # Filled right, the address reaches the pattern's view; or an earlier pattern of the
            # same literal address takes it (the site's password pages before Django's own).
            shadowed = match.route in (address.lstrip("/"), describe(chain))
            assert match.func == chain[-1].callback or shadowed, (
                f"{describe(chain)} filled as {address} reaches {match.view_name} instead"
            )
            found.append((pattern_name(chain), describe(chain), address))
    return found


def _admin_model(chain):
    """The model of an admin address ("admin/reporting/progressupdate/..."), or None."""
    if len(chain) < 3 or not isinstance(chain[1], URLResolver):
        return None
    label = str(chain[1].pattern).strip("/")
    if "/" not in label:
        return None
    app_label, model_name = label.split("/")
    return apps.get_model(app_label, model_name)


class World:
    """One of everything, and the value each parameter is filled with."""

    def __init__(self, planner):
        self.planner = planner
        self.team = factories.TeamFactory(
            name="Strategic HR",
            service_area=ServiceArea.objects.create(
                name="Workforce", directorate=Directorate.objects.create(name="Children and Family Services")
            ),
        )
        TeamMembership.objects.get_or_create(user=planner, team=self.team)
        self.action = factories.ActionFactory(lead_teams=[self.team])
        self.strategy = self.action.strategy
        factories.SuccessMeasureFactory(recommendation=self.action.recommendation)
        factories.RiskFactory(strategy=self.strategy)
        WorkforceFigure.objects.create(indicator=factories.WorkforceIndicatorFactory(), year=2016, quarter=3, value=5)
        self.period = services.period_open(strategy=self.strategy, year=2016, number=3, user=planner)
        self.update = factories.ProgressUpdateFactory(
            action=self.action, period=self.period, rag="red", help_needed="Funding"
        )
        DmtDecision.objects.create(update=self.update, outcome="agreed", decided_by=planner)
        self.reminder = Reminder.objects.create(period=self.period, recipient=planner, sent_by=planner)
        self.period = services.period_close(period=self.period, user=planner)
        # Signed off, published and corrected: version 2 is the newest, version 1 still served.
        approver = factories.UserFactory(username="approver", groups=[DMT])
        services.period_sign_off(
            period=self.period, user=planner, approver=approver, approved_on=datetime.date(2017, 1, 25)
        )
        publishing_services.report_publish(period=self.period, user=planner)
        self.version = publishing_services.report_correct(period=self.period, user=planner, reason="A correction")
        ProviderGroup.objects.create(value="sg-tracker-managers", role=MANAGER).teams.set([self.team])
        SignInAccount.objects.create(user=planner, subject="council-account-of-the-planner")
        AccessAttempt.objects.create(username="x", ip_address="127.0.0.1", user_agent="t", failures_since_start=1)
        AccessLog.objects.create(username="x", ip_address="127.0.0.1", user_agent="t")
        AccessFailureLog.objects.create(username="x", ip_address="127.0.0.1", user_agent="t")

    def values_for(self, namespace: str, admin_model):
        """The function that gives a parameter's values in this namespace (and admin model)."""

        def values(name: str) -> list[str]:
            if namespace == "admin":
                return self._admin_values(name, admin_model)
            if namespace == PUBLIC_NAMESPACE:
                return self._published_values(name)
            by_name = {
                "pk": [self.action.pk],
                "strategy": [self.strategy.slug],
                "slug": [self.strategy.slug],
                "quarter": [self.period.slug],
                "reminder": [self.reminder.pk],
                "update": [self.update.pk],
                "action": [self.action.pk],
                "name": [PublishedFile.PAGE, *sorted(SERVED_FILES)],  # a file of the planner's preview
                "uidb64": [urlsafe_base64_encode(force_bytes(self.planner.pk))],
                "token": [default_token_generator.make_token(self.planner)],
            }
            if name not in by_name:
                raise AssertionError(f"No value to fill the parameter {name!r} of {namespace or 'the site'} with")
            return [str(value) for value in by_name[name]]

        return values

    def _published_values(self, name: str) -> list[str]:
        """A published report's address: its strategy, its quarter ("2016-q3"), each of its
        versions and each file kept beside a version's page."""
        by_name = {
            "slug": [self.strategy.slug],
            "quarter": [publishing_services.public_quarter_slug(self.period)],
            "number": [1, self.version.number],
            "name": sorted(SERVED_FILES),
        }
        if name not in by_name:
            raise AssertionError(f"No value to fill the parameter {name!r} of the published reports with")
        return [str(value) for value in by_name[name]]

    def _admin_values(self, name: str, model) -> list[str]:
        if name == "app_label":
            return ["reporting"]
        if name == "url":
            return ["no-such-page/"]
        if model is None and name == "content_type_id":  # "view on site": r/<content type>/<object>/
            return [str(ContentType.objects.get_for_model(Action).pk)]
        if model is None and name == "object_id":
            return [str(self.action.pk)]
        assert model is not None, f"An admin parameter {name!r} outside a model's addresses"
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"Make a {model._meta.verbose_name} in World: the walk fills its admin addresses"
        if name in ("object_id", "id", "_0"):
            return [str(obj.pk)]
        if name == "_1":  # a historical record of it (django-simple-history's admin)
            return [str(obj.history.order_by("history_id").first().history_id)]
        raise AssertionError(f"No value to fill the admin parameter {name!r} with")


@pytest.fixture
def world(planner):
    return World(planner)


# --- The checks ----------------------------------------------------------------------------------


def is_public(name: str) -> bool:
    return name.split(":")[0] == PUBLIC_NAMESPACE


def cache_control(response) -> set[str]:
    return {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",") if part.strip()}


def leads_to_sign_in(client: Client, response) -> bool:
    """A redirect whose chain ends on the site's or the admin's sign-in page."""
    sign_in = {reverse(settings.LOGIN_URL), reverse("admin:login")}
    for _hop in range(5):
        if response.status_code not in (301, 302, 303, 307, 308):
            return False
        location = urlsplit(response["Location"])
        if location.netloc:
            return False
        if location.path in sign_in:
            return True
        assert "public" not in cache_control(response), location.path
        response = client.get(location.path)
    return False


def test_the_walk_fills_every_pattern(world):
    found = addresses(world)
    walked = {pattern for _name, pattern, _address in found}
    assert walked == {describe(chain) for chain in patterns()}
    assert len(walked) > 150  # the admin's addresses among them
    published = sorted(address for name, _pattern, address in found if is_public(name))
    version = world.version.number
    assert published == sorted(
        [
            "/published/",
            "/published/feed.atom",
            f"/published/{world.strategy.slug}/2016-q3/",
            *(f"/published/{world.strategy.slug}/2016-q3/v{n}/" for n in (1, version)),
            *(f"/published/{world.strategy.slug}/2016-q3/v{n}/{f}" for n in (1, version) for f in SERVED_FILES),
        ]
    )


def anonymous_problems(world, method: str) -> list[str]:
    """What someone not signed in reaches that they must not, by `method`, for every address."""
    client = Client()
    wrong = []
    for name, pattern, address in addresses(world):
        response = getattr(client, method)(address)
        if "public" in cache_control(response) and not is_public(name):
            wrong.append(f"{method.upper()} {address} ({name}) says Cache-Control: {response['Cache-Control']}")
        if is_public(name):
            reads = method in ("get", "head")
            if reads and (response.status_code != 200 or "public" not in cache_control(response)):
                wrong.append(
                    f"{method.upper()} {address} ({name}): {response.status_code}, {response.get('Cache-Control')}"
                )
            if response.cookies:  # a CDN keeps no response that sets a cookie
                wrong.append(f"{method.upper()} {address} ({name}) sets cookies {sorted(response.cookies)}")
            if method == "post" and response.status_code not in (403, 405):
                wrong.append(f"POST {address} ({name}): {response.status_code}")
            continue
        if response.status_code in (403, 404, 405) or leads_to_sign_in(client, response):
            continue
        if name in SIGN_IN_PAGES and response.status_code in (200, 302):
            continue
        wrong.append(f"{method.upper()} {address} ({name}, {pattern}): {response.status_code}")
    return wrong


@pytest.mark.parametrize("method", ["get", "head", "post"])
def test_someone_not_signed_in_reaches_nothing_but_signing_in_and_the_published_reports(world, method):
    wrong = anonymous_problems(world, method)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ["planner", "dmt", "manager"])
def test_no_signed_in_page_carries_cache_control_public(world, planner, dmt, role):
    """Signed in, whatever the role (a planner who is a superuser reaches every page), no page
    may be kept by a shared cache, a published report's neither: every 200 is no-store, private."""
    client = Client(raise_request_exception=False)
    planner.is_superuser = True
    planner.save()
    people = {"planner": planner, "dmt": dmt, "manager": factories.UserFactory(groups=[MANAGER], teams=[world.team])}
    client.force_login(people[role])
    wrong = []
    for name, _pattern, address in addresses(world):
        if name in ("logout", "admin:logout"):
            continue  # signing out would end the walk's session
        response = client.get(address)
        if "public" in cache_control(response):
            wrong.append(f"{address} ({name}): {response['Cache-Control']}")
        if response.status_code == 200:
            assert "no-store" in cache_control(response) and "private" in cache_control(response), address
    assert not wrong, "\n".join(wrong)


@pytest.mark.urls("tests.security.open_urls")
def test_an_address_open_to_anyone_is_caught(world):
    """The walk's own check: the site's addresses and two more, one open to anyone, one that
    says Cache-Control: public though it is not a published report."""
    wrong = anonymous_problems(world, "get")
    assert wrong == [
        f"GET /open-to-anyone/{world.action.pk}/ (open, open-to-anyone/<int:pk>/): 200",
        "GET /kept-by-any-cache/ (cached) says Cache-Control: public, max-age=60",
        "GET /kept-by-any-cache/ (cached, kept-by-any-cache/): 200",
    ]
