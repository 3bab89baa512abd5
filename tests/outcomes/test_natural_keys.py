"""Fixtures refer to records by natural keys: a dump reloads into an empty database as it was."""

import io
import json

import pytest
from django.core.management import call_command

from actions.models import Action
from outcomes.models import Strategy
from tests import factories
from tests.counts import record_counts
from workforce.models import Team

pytestmark = pytest.mark.django_db

MODELS = [
    "workforce.team",
    "outcomes.strategy",
    "outcomes.outcome",
    "outcomes.recommendation",
    "outcomes.successmeasure",
    "outcomes.risk",
    "actions.action",
]


def dump() -> list[dict]:
    out = io.StringIO()
    call_command("dumpdata", *MODELS, natural_foreign=True, natural_primary=True, stdout=out, indent=None)
    return json.loads(out.getvalue())


def empty() -> None:
    """Delete every strategy (and so its outcomes, recommendations, measures, risks and
    actions) and every team: a flush of what the dump holds, inside the test's transaction."""
    Strategy.objects.all().delete()
    Team.objects.all().delete()


def test_dumpdata_flush_loaddata_gives_identical_data(tmp_path):
    team = factories.TeamFactory(name="Strategic HR")
    measure = factories.SuccessMeasureFactory(target_value=100, target_unit="%")
    recommendation = measure.recommendation
    factories.ActionFactory(recommendation=recommendation, reference="1.1.1", lead_teams=[team])
    factories.ActionFactory(recommendation=recommendation, reference="1.1.2", lead_teams=[team])
    factories.RiskFactory(strategy=recommendation.outcome.strategy)
    before = dump()
    assert all("pk" not in record for record in before)

    fixture = tmp_path / "round-trip.json"
    fixture.write_text(json.dumps(before))
    empty()
    assert Action.objects.count() == 0
    call_command("loaddata", str(fixture), verbosity=0)

    assert dump() == before
    assert Action.objects.get(reference="1.1.2").lead_teams.get() == Team.objects.get(name="Strategic HR")


def test_loading_twice_changes_nothing(tmp_path):
    factories.ActionFactory(lead_teams=[factories.TeamFactory()])
    factories.RiskFactory()
    fixture = tmp_path / "strategy.json"
    fixture.write_text(json.dumps(dump()))
    before = record_counts()
    call_command("loaddata", str(fixture), verbosity=0)
    call_command("loaddata", str(fixture), verbosity=0)
    assert record_counts() == before


def test_a_strategy_loads_beside_another(tmp_path):
    factories.ActionFactory(reference="1.1.1", recommendation__outcome__strategy__slug="first")
    fixture = tmp_path / "first.json"
    fixture.write_text(json.dumps(dump()))
    empty()
    factories.ActionFactory(reference="1.1.1", recommendation__outcome__strategy__slug="second")
    call_command("loaddata", str(fixture), verbosity=0)
    assert sorted(Action.objects.values_list("strategy__slug", flat=True)) == ["first", "second"]
