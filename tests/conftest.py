import importlib
import os

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.cache import cache

from tests import factories
from workforce.roles import DMT, MANAGER, ORGANISATIONAL_PLANNING

# Sync Playwright runs beside Django's live_server thread in the browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _roles_exist(request):
    """The three roles with their permissions, as the data migration makes them.

    A browser test's transactional database is emptied afterwards, groups included, and a
    flush does not rerun data migrations: a test that comes after one would find no roles,
    or the roles without the planners' permissions to map council groups (workforce 0003).
    """
    names = set(request.fixturenames)
    if "transactional_db" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    elif not request.node.get_closest_marker("django_db"):
        return  # no database in this test
    planners_map_groups = Group.objects.filter(
        name=ORGANISATIONAL_PLANNING, permissions__codename="change_providergroup"
    ).exists()
    if Group.objects.filter(permissions__isnull=False).distinct().count() < 3 or not planners_map_groups:
        importlib.import_module("reporting.migrations.0002_roles").create_roles(apps, None)
        importlib.import_module("workforce.migrations.0003_sign_in").grant(apps, None)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def period(db):
    """Q3 2016/17, open for updates."""
    return factories.ReportingPeriodFactory(year=2016, number=3)


@pytest.fixture
def team(db):
    return factories.TeamFactory(name="Organisational Planning")


@pytest.fixture
def other_team(db):
    return factories.TeamFactory(name="Strategic HR")


@pytest.fixture
def action(db, team):
    return factories.ActionFactory(lead_teams=[team])


@pytest.fixture
def manager(db, team):
    """A manager in the action's lead team."""
    return factories.UserFactory(username="manager", groups=[MANAGER], teams=[team])


@pytest.fixture
def outsider(db, other_team):
    """A manager in a team that does not lead the action."""
    return factories.UserFactory(username="outsider", groups=[MANAGER], teams=[other_team])


@pytest.fixture
def planner(db):
    return factories.UserFactory(username="planner", groups=[ORGANISATIONAL_PLANNING], is_staff=True)


@pytest.fixture
def dmt(db):
    return factories.UserFactory(username="dmt", groups=[DMT])


@pytest.fixture
def groups(db):
    return {group.name: group for group in Group.objects.all()}


@pytest.fixture
def empty_cache():
    """The shared cache emptied before and after the test: the pace's counts, the PDF
    budget's refusals and the password-reset limits are kept there."""
    cache.clear()
    yield
    cache.clear()
