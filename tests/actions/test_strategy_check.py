"""The strategy check: are the objectives SMART, with leads, dates and measures of success?"""

import pytest
from django.urls import reverse

from actions.selectors import strategy_check
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    client.force_login(factories.UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def failing(db):
    """A strategy built to fail each check once, beside records that pass it."""
    team = factories.TeamFactory(name="Strategic HR")
    strategy = factories.StrategyFactory(slug="failing")
    measured = factories.RecommendationFactory(outcome__strategy=strategy, outcome__number=1, number=1)
    outcome = measured.outcome
    unmeasured = factories.RecommendationFactory(outcome=outcome, number=2, title="Recommendation with no measure")
    factories.SuccessMeasureFactory(recommendation=measured, number=1, indicator="Staff Survey")
    no_indicator = factories.SuccessMeasureFactory(
        recommendation=measured, number=2, measure="Measure with no indicator", indicator=""
    )

    def action(reference, **fields):
        defaults = {"recommendation": measured, "lead_teams": [team], "timescale": "March-April 2016"}
        return factories.ActionFactory(reference=reference, description=f"Action {reference}", **defaults | fields)

    return {
        "strategy": strategy,
        "passing": [action("1.1.1"), action("1.1.2", lead_teams=[], lead_officer="Head of Strategy")],
        "no_lead": [
            action("1.1.3", lead_teams=[]),
            action("1.9", recommendation=None, outcome=outcome, strategy=strategy, lead_teams=[]),
        ],
        "unreadable": [action("1.1.4", timescale="TBC"), action("1.1.5", timescale="")],
        "unmeasured": unmeasured,
        "no_indicator": no_indicator,
    }


def test_the_check_lists_each_failure(failing):
    check = strategy_check(failing["strategy"])

    assert not check.passed
    assert [a.reference for a in check.actions_without_lead] == ["1.1.3", "1.9"]
    assert [a.reference for a in check.unreadable_timescales] == ["1.1.4", "1.1.5"]
    assert check.recommendations_without_measure == [failing["unmeasured"]]
    assert check.measures_without_indicator == [failing["no_indicator"]]


def test_a_strategy_that_passes(failing):
    # Another strategy's failures are not this one's.
    action = factories.ActionFactory(lead_teams=[factories.TeamFactory()], timescale="Ongoing")
    factories.SuccessMeasureFactory(recommendation=action.recommendation)
    check = strategy_check(action.strategy)
    assert check.passed
    assert not (
        check.actions_without_lead
        or check.unreadable_timescales
        or check.recommendations_without_measure
        or check.measures_without_indicator
    )


def check_section(client, strategy) -> str:
    response = client.get(reverse("admin:outcomes_strategy_change", args=[strategy.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index("Are the objectives SMART?")
    return html[start : html.index("</fieldset>", start)]


def test_the_admin_strategy_page_shows_each_failure(admin_client, failing):
    html = check_section(admin_client, failing["strategy"])

    for key in ("no_lead", "unreadable"):
        for action in failing[key]:
            assert reverse("admin:actions_action_change", args=[action.pk]) in html
            assert action.reference in html
    assert "Action 1.1.3" in html and "Action 1.9" in html  # the actions with no lead, described
    assert "“TBC”" in html and "“(none given)”" in html  # the timescales, as written
    assert reverse("admin:outcomes_recommendation_change", args=[failing["unmeasured"].pk]) in html
    assert "Recommendation with no measure" in html
    assert reverse("admin:outcomes_successmeasure_change", args=[failing["no_indicator"].pk]) in html
    assert "Measure with no indicator" in html
    for action in failing["passing"]:
        assert reverse("admin:actions_action_change", args=[action.pk]) not in html


def test_the_admin_strategy_page_says_when_the_check_passes(admin_client):
    action = factories.ActionFactory(lead_teams=[factories.TeamFactory()])
    factories.SuccessMeasureFactory(recommendation=action.recommendation)
    html = check_section(admin_client, action.strategy)
    assert "Every action has a lead" in html
    assert reverse("admin:actions_action_change", args=[action.pk]) not in html
