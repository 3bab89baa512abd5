"""A bad fixture is refused whole, with an error naming the file and the record."""

import copy
import json
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from actions.models import Action
from outcomes.models import Outcome, Recommendation, Risk, Strategy
from tests import factories
from workforce.models import Team

pytestmark = pytest.mark.django_db

SLUG = "leicestershire-cfs-2016-17"
REAL_FIXTURES = sorted((Path(__file__).resolve().parents[2] / "fixtures").glob("*.json"))


def action(reference, description="Scope out and write the Workforce Engagement Plan", **fields):
    return {
        "model": "actions.action",
        "fields": {
            "strategy": [SLUG],
            "outcome": [SLUG, 1],
            "recommendation": [SLUG, 1, 1],
            "reference": reference,
            "order": 1,
            "description": description,
            "lead_teams": [["Strategic HR"]],
            "timescale": "March-April 2016",
            "start_date": "2016-03-01",
            "due_date": "2016-04-30",
            **fields,
        },
    }


GOOD = [
    {"model": "workforce.team", "fields": {"name": "Strategic HR", "kind": "corporate"}},
    {
        "model": "outcomes.strategy",
        "fields": {
            "slug": SLUG,
            "title": "Children and Family Services Workforce Strategy 2016/17",
            "organisation": "Leicestershire County Council",
            "period_label": "2016/17",
            "period_start": "2016-04-01",
            "period_end": "2017-03-31",
        },
    },
    {"model": "outcomes.outcome", "fields": {"strategy": [SLUG], "number": 1, "title": "a shared vision"}},
    {
        "model": "outcomes.recommendation",
        "fields": {"outcome": [SLUG, 1], "number": 1, "title": "develop a Workforce Engagement Plan"},
    },
    {"model": "outcomes.risk", "fields": {"strategy": [SLUG], "number": 1, "risk": "Capacity", "likelihood": "high"}},
    action("1.1.1"),
    action("1.1.2", "Monthly staff briefings"),
]


def write(tmp_path, records, name="strategy.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(records, indent=2))
    return path


def good():
    return copy.deepcopy(GOOD)


def load_refused(path, *fragments):
    """Load a fixture that must be refused; return the error, after checking nothing stayed."""
    models = [Team, Strategy, Outcome, Recommendation, Risk, Action]
    before = {model: set(model.objects.values_list("pk", flat=True)) for model in models}
    with pytest.raises(CommandError) as caught:
        call_command("loaddata", str(path), verbosity=0)
    message = str(caught.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message
    assert {model: set(model.objects.values_list("pk", flat=True)) for model in models} == before
    assert not Strategy.objects.filter(slug=SLUG).exists()
    return message


def test_our_loaddata_is_the_one_django_runs():
    assert get_commands()["loaddata"] == "outcomes"


def test_a_good_fixture_loads(tmp_path):
    call_command("loaddata", str(write(tmp_path, good())), verbosity=0)
    assert sorted(Action.objects.values_list("reference", flat=True)) == ["1.1.1", "1.1.2"]
    assert Action.objects.get(reference="1.1.1").lead_teams.get().name == "Strategic HR"


def test_a_lead_team_that_does_not_exist(tmp_path):
    records = good()
    records[6]["fields"]["lead_teams"] = [["Strategic HR"], ["Nobody"]]
    message = load_refused(
        write(tmp_path, records), f"record 7, actions.action ('{SLUG}', '1.1.2')", 'team "Nobody" does not exist'
    )
    assert "Strategic HR" not in message  # only the missing team is named


def test_an_outcome_that_does_not_exist(tmp_path):
    records = good()
    records[5]["fields"]["outcome"] = [SLUG, 9]
    load_refused(write(tmp_path, records), "record 6, actions.action", f"outcome ('{SLUG}', 9) does not exist")


def test_an_outcome_of_another_strategy(tmp_path):
    factories.OutcomeFactory(strategy__slug="other-strategy", number=1)
    records = good()
    records[5]["fields"]["outcome"] = ["other-strategy", 1]
    records[5]["fields"]["recommendation"] = None
    load_refused(
        write(tmp_path, records),
        f"record 6, actions.action ('{SLUG}', '1.1.1')",
        "outcome: The outcome belongs to another strategy.",
    )


def test_a_duplicate_action_reference_in_one_file(tmp_path):
    records = [*good(), action("1.1.1", "The same reference, written twice")]
    load_refused(
        write(tmp_path, records), f"record 8, actions.action ('{SLUG}', '1.1.1')", "the same action as record 6"
    )


def test_a_malformed_date(tmp_path):
    records = good()
    records[1]["fields"]["period_end"] = "2016-13-45"
    load_refused(write(tmp_path, records), "record 2", "outcomes.strategy", "2016-13-45", "invalid date")


@pytest.mark.parametrize(
    ("index", "field", "value", "record"),
    [
        (0, "kind", "boss", "record 1, workforce.team ('Strategic HR',)"),
        (4, "likelihood", "certain", f"record 5, outcomes.risk ('{SLUG}', 1)"),
    ],
)
def test_an_unknown_choice(tmp_path, index, field, value, record):
    records = good()
    records[index]["fields"][field] = value
    load_refused(write(tmp_path, records), record, f"{field}: Value '{value}' is not a valid choice.")


def test_a_negative_estimated_cost(tmp_path):
    records = good()
    records[6]["fields"]["estimated_cost"] = "-100.00"
    load_refused(write(tmp_path, records), f"record 7, actions.action ('{SLUG}', '1.1.2')", "action_cost_not_negative")


def test_a_bad_file_refuses_the_files_loaded_with_it(tmp_path):
    first = write(tmp_path, good()[:2], "first.json")
    records = good()[2:]
    records[0]["fields"]["title"] = ""
    second = write(tmp_path, records, "second.json")
    with pytest.raises(CommandError, match=r"second\.json: record 1, outcomes\.outcome .*title: This field cannot be"):
        call_command("loaddata", str(first), str(second), verbosity=0)
    assert not Strategy.objects.exists() and not Team.objects.exists()


def test_references_to_a_later_file_still_load(tmp_path):
    records = good()
    actions = write(tmp_path, records[1:], "actions.json")
    teams = write(tmp_path, records[:1], "teams.json")
    call_command("loaddata", str(actions), str(teams), verbosity=0)
    assert Action.objects.get(reference="1.1.2").lead_teams.get().name == "Strategic HR"


def test_loading_twice_still_changes_nothing(tmp_path):
    path = write(tmp_path, good())
    call_command("loaddata", str(path), verbosity=0)
    call_command("loaddata", str(path), verbosity=0)
    assert Action.objects.count() == 2 and Team.objects.count() == 1


@pytest.mark.skipif(not REAL_FIXTURES, reason="the project's fixtures are not written yet")
def test_the_projects_fixtures_load():
    call_command("loaddata", *map(str, REAL_FIXTURES), verbosity=0)
    assert Strategy.objects.exists() and Action.objects.exists()
