"""The header highlights the section each page belongs to, and no other: the action pages
theirs, the planners' cycle, DMT meeting and refresh pages Returns, the report Dashboard."""

import re

import pytest
from django.urls import reverse

from reporting.models import ProgressUpdate
from tests import factories

pytestmark = pytest.mark.django_db


def highlighted(html: str) -> list[str]:
    """The header's highlighted items, by their link text."""
    return re.findall(r'navigation-item--active">\s*<a class="govuk-header__link"[^>]*>([^<]+)</a>', html)


@pytest.fixture
def asked(period, action):
    """A Red update in the open quarter asking DMT for help."""
    return factories.ProgressUpdateFactory(
        action=action, period=period, rag="red", progress="Stuck", help_needed="Money"
    )


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    ("name", "section"),
    [
        ("refresh", "Returns"),
        ("dmt", "Returns"),
        ("dmt_decision", "Returns"),
        ("returns", "Returns"),
        ("list", "All actions"),
        ("detail", "All actions"),
        ("detail_from_yours", "Your actions"),
        ("home", "Your actions"),
    ],
)
def test_each_page_highlights_its_own_section(client, planner, period, action, asked: ProgressUpdate, name, section):
    strategy, quarter = period.strategy.slug, period.slug
    url = {
        "refresh": reverse("reporting:strategy_refresh", args=[strategy]),
        "dmt": reverse("reporting:dmt", args=[strategy, quarter]),
        "dmt_decision": reverse("reporting:dmt_decision", args=[strategy, quarter, asked.pk]),
        "returns": reverse("reporting:returns", args=[strategy, quarter]),
        "list": reverse("reporting:list"),
        "detail": reverse("reporting:detail", args=[action.pk]),
        "detail_from_yours": reverse("reporting:detail", args=[action.pk]) + "?from=yours",
        "home": reverse("reporting:home"),
    }[name]
    assert highlighted(page(client, planner, url)) == [section]


def test_the_dashboard_highlights_only_itself(client, dmt, period, action):
    client.force_login(dmt)
    response = client.get(reverse("dashboard:index"), follow=True)
    assert highlighted(response.content.decode()) == ["Dashboard"]
