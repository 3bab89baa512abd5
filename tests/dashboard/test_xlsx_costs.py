"""Estimated costs in the DMT spreadsheet: each action's, each outcome's and the strategy's."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_costs_by_action_outcome_and_strategy(client, dmt):
    strategy = factories.StrategyFactory()
    one = factories.RecommendationFactory(outcome__strategy=strategy, outcome__number=1)
    two = factories.RecommendationFactory(outcome__strategy=strategy, outcome__number=2)
    factories.ActionFactory(recommendation=one, reference="1.1", estimated_cost=Decimal("1500.50"))
    factories.ActionFactory(recommendation=one, reference="1.2", estimated_cost=Decimal("500"))
    factories.ActionFactory(recommendation=one, reference="1.3")
    factories.ActionFactory(recommendation=two, reference="2.1")
    period = factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=1)
    client.force_login(dmt)
    response = client.get(reverse("dashboard:xlsx", args=[strategy.slug, period.slug]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    summary = [[cell.value for cell in row] for row in workbook["Summary"].iter_rows()]
    header = next(row for row in summary if row[0] == "Outcome")
    cost = header.index("Estimated cost (£)")
    by_outcome = {row[0][:2]: row[cost] for row in summary if row[0] and row[0][:2] in ("1.", "2.")}
    assert by_outcome == {"1.": Decimal("2000.50"), "2.": None}
    total = next(row for row in summary if row[0] == "Estimated cost of the strategy's actions (£)")
    assert total[1:3] == [Decimal("2000.50"), "2 of 4 actions costed"]
    actions = workbook["Actions"]
    header = [cell.value for cell in actions[1]]
    costs = {row[0].value: row[header.index("Estimated cost (£)")].value for row in actions.iter_rows(min_row=2)}
    assert costs == {"1.1": Decimal("1500.50"), "1.2": 500, "1.3": None, "2.1": None}


def test_a_strategy_with_no_costs_says_so(client, dmt):
    action = factories.ActionFactory()
    period = factories.ReportingPeriodFactory(strategy=action.strategy, year=2016, number=1)
    client.force_login(dmt)
    response = client.get(reverse("dashboard:xlsx", args=[action.strategy.slug, period.slug]))
    summary = [
        [cell.value for cell in row]
        for row in openpyxl.load_workbook(io.BytesIO(response.content))["Summary"].iter_rows()
    ]
    total = next(row for row in summary if row[0] == "Estimated cost of the strategy's actions (£)")
    assert total[1] == "No action has an estimated cost"
