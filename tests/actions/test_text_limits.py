"""Every free-text field of the plan has a limit, far above the longest text of the three
strategies' documents, kept by full_clean() (so by the admin, the imports and the services)
and shown by the admin's forms: one character past it is refused, naming the limit."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions.models import Action
from actions.word_import import Mapping, load_plan
from outcomes.limits import TextLimit
from outcomes.models import Outcome, Recommendation, Risk, Strategy, SuccessMeasure
from tests import factories
from tests.actions.test_import_export import csv_file, rows, upload
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

LIMITS = {
    (Action, "description"): 4000,
    (Action, "notes"): 4000,
    (Strategy, "vision"): 2000,
    (Strategy, "mission"): 2000,
    (Strategy, "governance"): 4000,
    (Strategy, "source_notes"): 20000,
    (Outcome, "narrative"): 20000,
    (Recommendation, "title"): 2000,
    (Recommendation, "rationale"): 4000,
    (SuccessMeasure, "measure"): 2000,
    (SuccessMeasure, "indicator"): 2000,
    (Risk, "risk"): 2000,
    (Risk, "control"): 2000,
}
FACTORIES = {
    Action: factories.ActionFactory,
    Strategy: factories.StrategyFactory,
    Outcome: factories.OutcomeFactory,
    Recommendation: factories.RecommendationFactory,
    SuccessMeasure: lambda: SuccessMeasure(
        recommendation=factories.RecommendationFactory(), number=1, measure="Fewer vacancies"
    ),
    Risk: lambda: Risk(strategy=factories.StrategyFactory(), number=1, risk="Budget"),
}
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_every_free_text_field_of_the_plan_has_a_limit_kept_by_full_clean():
    for model in {model for model, _ in LIMITS}:
        for field in model._meta.get_fields():
            if field.get_internal_type() == "TextField":
                assert (model, field.name) in LIMITS, f"{model.__name__}.{field.name} has no limit"
    for (model, name), limit in LIMITS.items():
        field = model._meta.get_field(name)
        assert field.max_length == limit  # the admin's textarea says so too
        assert any(isinstance(v, TextLimit) and v.limit_value == limit for v in field.validators)


@pytest.mark.parametrize(("model", "name"), list(LIMITS), ids=[f"{m.__name__}.{n}" for m, n in LIMITS])
def test_one_character_past_the_limit_is_refused_by_full_clean(model, name):
    limit = LIMITS[(model, name)]
    record = FACTORIES[model]()
    setattr(record, name, "x" * limit)
    record.full_clean(exclude=[f.name for f in model._meta.fields if f.name != name])

    setattr(record, name, "x" * (limit + 1))
    with pytest.raises(ValidationError) as refused:
        record.full_clean(exclude=[f.name for f in model._meta.fields if f.name != name])

    assert refused.value.message_dict[name] == [f"Enter {limit:,} characters or fewer (this has {limit + 1:,})."]


def test_no_text_of_the_three_strategies_is_refused():
    for path in FIXTURES.glob("*.json"):
        for record in json.loads(path.read_text()):
            for (model, name), limit in LIMITS.items():
                if record["model"] == model._meta.label_lower and name in record["fields"]:
                    assert len(record["fields"][name]) <= limit, (path.name, record["fields"].get("reference"))


def test_the_admin_refuses_a_description_one_past_the_limit(client, action):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:actions_action_change", args=[action.pk])
    data = form_data(client.get(url))
    data["description"] = "x" * 4001

    response = client.post(url, data)

    assert response.status_code == 200
    # The admin's form checks the field's max_length first, in Django's own words.
    assert "Ensure this value has at most 4000 characters (it has 4001)." in response.content.decode()
    action.refresh_from_db()
    assert len(action.description) < 4001


def test_the_spreadsheet_import_refuses_a_description_one_past_the_limit(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    strategy = factories.StrategyFactory(slug="leicestershire-cfs-2016-17")
    factories.RecommendationFactory(outcome__strategy=strategy, outcome__number=1, number=1)
    factories.OutcomeFactory(strategy=strategy, number=2)
    factories.TeamFactory(name="Strategic HR")
    factories.TeamFactory(name="Corporate Comms Team")
    data = rows(strategy)
    data[1][5] = "x" * 4001

    response = upload(client, csv_file(data), "csv")

    result = response.context["result"]
    assert [row.number for row in result.invalid_rows] == [2]
    assert "Enter 4,000 characters or fewer (this has 4,001)." in response.content.decode()
    assert Action.objects.count() == 0


def test_the_word_import_refuses_a_description_one_past_the_limit(planner):
    strategy = factories.StrategyFactory()
    tables = [[[("Outcome", False), ("How we will…", False)], [("1. People", False), ("x" * 4001, False)]]]

    records = load_plan(
        strategy, tables, [Mapping(table=1, header_rows=1, columns=["outcome", "action"])], user=planner, save=True
    )

    assert records[0].errors == [
        'Table 1, row 2, column "How we will…": the action is too long: enter 4,000 characters or fewer '
        "(this has 4,001). Shorten it in the document."
    ]
    assert Action.objects.count() == 0
