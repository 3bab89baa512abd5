"""The admin's action page chooses an outcome and a recommendation from lists that fit the
page and say whose they are; the spreadsheet import names its columns by their headings and
says what each holds."""

import re

import pytest
from django.urls import reverse

from actions.admin import OPTION_WORDS
from tests import factories

pytestmark = pytest.mark.django_db

LONG_TITLE = "Develop and implement a Workforce Engagement Plan that reaches every team " * 30


@pytest.fixture
def two_years():
    """Two strategies whose outcomes share a name, as a refresh makes them."""
    made = {}
    for year in (2016, 2017):
        strategy = factories.StrategyFactory(slug=f"workforce-{year}", title=f"Workforce Strategy {year}")
        recommendation = factories.RecommendationFactory(
            outcome__strategy=strategy, outcome__number=1, outcome__title="A shared vision", number=1, title=LONG_TITLE
        )
        made[year] = factories.ActionFactory(recommendation=recommendation, reference="1.1.1")
    return made


def options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, name
    return [text.strip() for text in re.findall(r"<option[^>]*>(.*?)</option>", select.group(1), re.S)]


def test_an_actions_outcomes_and_recommendations_are_its_strategys_named_with_it(admin_client, two_years):
    html = admin_client.get(reverse("admin:actions_action_change", args=[two_years[2017].pk])).content.decode()
    assert options(html, "outcome")[1:] == ["1. A shared vision (Workforce Strategy 2017)"]
    recommendations = options(html, "recommendation")[1:]
    assert len(recommendations) == 1
    assert recommendations[0].endswith("… (Workforce Strategy 2017)")
    assert len(recommendations[0]) <= OPTION_WORDS + len(" (Workforce Strategy 2017)")


def test_a_new_actions_lists_name_each_strategy(admin_client, two_years):
    html = admin_client.get(reverse("admin:actions_action_add")).content.decode()
    assert sorted(options(html, "outcome")[1:]) == [
        "1. A shared vision (Workforce Strategy 2016)",
        "1. A shared vision (Workforce Strategy 2017)",
    ]


def test_an_outcome_of_another_strategy_is_refused(admin_client, two_years):
    action, other = two_years[2017], two_years[2016]
    response = admin_client.post(
        reverse("admin:actions_action_change", args=[action.pk]),
        {
            "strategy": action.strategy_id,
            "outcome": other.outcome_id,
            "recommendation": "",
            "reference": "1.1.1",
            "order": 1,
            "description": "Plan",
            "timescale": "Ongoing",
            "progress_updates-TOTAL_FORMS": 0,
            "progress_updates-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    action.refresh_from_db()
    assert action.outcome_id != other.outcome_id


def test_the_list_of_outcomes_costs_one_query_whatever_the_strategies(admin_client, django_assert_max_num_queries):
    for year in range(2000, 2030):
        factories.OutcomeFactory(strategy__slug=f"s-{year}", strategy__title=f"Strategy {year}")
    with django_assert_max_num_queries(30):  # not one an outcome
        admin_client.get(reverse("admin:actions_action_add"))


def test_the_import_names_each_column_by_its_heading_with_what_it_holds(admin_client):
    html = admin_client.get(reverse("admin:actions_action_import")).content.decode()
    assert "This importer will import the following fields" not in html
    rows = re.findall(r"<tr><td><code>(.*?)</code></td><td>(.*?)(?:<div|</td>)", html)
    assert ("lead_teams", "Lead teams") in rows
    assert ("is_ongoing", "Ongoing or recurring") in rows
    assert "Lead team names as in the admin, separated by &quot;;&quot;." in html
    assert "Yes: it finds the row's record" in html
