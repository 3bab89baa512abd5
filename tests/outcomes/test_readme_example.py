"""The README's example strategy loads as written."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from actions.models import Action
from actions.timescales import parse_timescale

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
