"""The planner's strategy page: the check, the estimated costs and the links come first."""

from decimal import Decimal

import pytest
from django.urls import reverse

from actions.selectors import strategy_costs
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy():
    strategy = factories.StrategyFactory()
    first = factories.RecommendationFactory(outcome__strategy=strategy, outcome__number=1, outcome__title="shared")
    second = factories.OutcomeFactory(strategy=strategy, number=2, title="stable")
    factories.OutcomeFactory(strategy=strategy, number=3, title="uncosted")
    factories.ActionFactory(recommendation=first, estimated_cost=Decimal("1500.00"))
    factories.ActionFactory(recommendation=first, estimated_cost=Decimal("250.50"))
    factories.ActionFactory(recommendation=first, estimated_cost=None)
    factories.ActionFactory(recommendation=None, outcome=second, strategy=strategy, estimated_cost=Decimal("10000"))
    return strategy


def test_costs_are_totalled_by_outcome_and_strategy_in_one_query(strategy, django_assert_num_queries):
    with django_assert_num_queries(1):  # the outcomes with their sums and counts
        costs = strategy_costs(strategy)
    rows = [(o.number, o.cost_total, o.costed, o.action_count) for o in costs.outcomes]
    assert rows == [(1, Decimal("1750.50"), 2, 3), (2, Decimal("10000"), 1, 1), (3, None, 0, 0)]
    assert (costs.total, costs.costed, costs.action_count) == (Decimal("11750.50"), 3, 4)


def test_no_costs_at_all():
    costs = strategy_costs(factories.StrategyFactory(slug="none"))
    assert (costs.outcomes, costs.total, costs.costed) == ([], None, 0)


@pytest.fixture
def admin_client(client):
    client.force_login(factories.UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def test_the_page_opens_on_the_check_totals_and_links(admin_client, strategy):
    page = admin_client.get(reverse("admin:outcomes_strategy_change", args=[strategy.pk])).content.decode()
    order = [page.index(text) for text in ("Are the objectives SMART?", "Estimated costs", "Its records", "Period")]
    assert order == sorted(order)
    assert "11,750.50" in page and "1,750.50" in page
    assert '<th scope="row">1. shared</th>' in page
    assert f"?strategy__id__exact={strategy.pk}" in page
    assert reverse("admin:actions_action_word_import") in page
    assert page.index("The strategy in document order") > page.index("Period")


def test_a_new_strategy_page_has_no_check(admin_client):
    page = admin_client.get(reverse("admin:outcomes_strategy_add"))
    assert page.status_code == 200
    assert "Are the objectives SMART?" not in page.content.decode()
