"""The README's example strategy loads as written."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from actions.models import Action
from actions.timescales import parse_timescale
from outcomes.models import SuccessMeasure

pytestmark = pytest.mark.django_db


def test_readme_example_strategy_loads(tmp_path):
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    example = re.search(r"```json\n(.*?)```", readme, re.S)[1]
    fixture = tmp_path / "example.json"
    fixture.write_text(example)
    call_command("loaddata", str(fixture), verbosity=0)
    call_command("loaddata", str(fixture), verbosity=0)
    action = Action.objects.get(strategy__slug="example-2024-25", reference="1.1.1")
    assert [team.name for team in action.lead_teams.all()] == ["Strategic HR"]
    parsed = parse_timescale(action.timescale)
    assert (action.start_date, action.due_date, action.is_ongoing) == (parsed.start, parsed.due, parsed.ongoing)


def test_a_fixture_links_a_carried_action_and_a_measures_indicator(tmp_path):
    """The README's fixture keys for a carried-forward action and a measure's workforce figure."""
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    example = json.loads(re.search(r"```json\n(.*?)```", readme, re.S)[1])
    first = tmp_path / "example.json"
    first.write_text(json.dumps(example))
    indicator = {"model": "workforce.workforceindicator", "fields": {"name": "% agency staff", "unit": "%"}}
    refreshed = [
        {**record, "fields": {**record["fields"]}} for record in example if record["model"] != "workforce.team"
    ]
    for record in refreshed:
        for key, value in record["fields"].items():
            if value == ["example-2024-25"] or (isinstance(value, list) and value[:1] == ["example-2024-25"]):
                record["fields"][key] = ["example-2025-26", *value[1:]]
        if record["model"] == "outcomes.strategy":
            record["fields"] |= {"slug": "example-2025-26", "period_start": "2025-04-01", "period_end": "2026-03-31"}
        if record["model"] == "outcomes.successmeasure":
            record["fields"]["workforce_indicator"] = ["% agency staff"]
        if record["model"] == "actions.action":
            record["fields"] |= {"predecessor": ["example-2024-25", "1.1.1"], "timescale": "April - June 2025"}
    second = tmp_path / "refreshed.json"
    second.write_text(json.dumps([indicator, *refreshed]))
    call_command("loaddata", str(first), str(second), verbosity=0)
    carried = Action.objects.get(strategy__slug="example-2025-26", reference="1.1.1")
    assert carried.predecessor == Action.objects.get(strategy__slug="example-2024-25", reference="1.1.1")
    measure = SuccessMeasure.objects.get(recommendation__outcome__strategy__slug="example-2025-26")
    assert measure.workforce_indicator.name == "% agency staff"
