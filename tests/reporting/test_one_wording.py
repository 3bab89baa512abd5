"""One place each: the statuses' and ratings' words (their choices' labels, and what
reporting.words makes of them) with their colours, a person's name, and the rule of a
finished action. Every other place calls these, so changing one changes them all."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook

from dashboard import exports
from dashboard.counting import Counts
from dashboard.report import report_build
from reporting import origins, selectors, words
from reporting.admin import StatusFilter
from reporting.filters import ActionFilter
from reporting.models import RAG, Status
from tests import factories
from workforce.people import person_name

ROOT = Path(settings.BASE_DIR)


def test_a_rating_has_one_wording_from_which_every_other_is_made():
    assert [(rag.word, rag.meaning) for rag in RAG] == [
        ("Red", "off track"),
        ("Amber", "at risk"),
        ("Green", "on track"),
    ]
    assert words.RAG_WORDS == {RAG.RED: "Red", RAG.AMBER: "Amber", RAG.GREEN: "Green"}
    assert [words.rag_count_words(rag) for rag in RAG] == ["Off track (Red)", "At risk (Amber)", "On track (Green)"]
    assert words.rag_words(Status.IN_PROGRESS, RAG.AMBER) == "Amber"
    assert words.rag_words(Status.ON_HOLD, "") == words.NO_RATING == "No rating"
    assert words.rag_words(Status.COMPLETE, "") == Status.COMPLETE.label
    assert words.rag_words(None, None) == words.NO_UPDATE


def test_the_report_the_charts_and_the_filters_name_the_states_from_that_one_place():
    assert [(key, label) for key, label, _ in origins.COUNTS] == [
        (key, words.COUNT_WORDS[key]) for key, _, _ in origins.COUNTS
    ]
    assert {key: label for key, label, _ in origins.COUNTS}["off_track"] == "Off track (Red)"
    segments = {key: label for key, label, _ in Counts().segments}
    assert segments["on_track"] == words.COUNT_WORDS["on_track"] == "On track (Green)"
    assert segments["unrated"] == "On hold or no rating"
    assert segments["no_update"] == words.NO_UPDATE
    assert list(ActionFilter().filters["status"].extra["choices"]) == words.STATUS_FILTER_CHOICES
    assert StatusFilter.lookups(None, None, None) == words.STATUS_FILTER_CHOICES
    assert words.STATUS_FILTER_CHOICES[-1] == ("none", "No update")


def test_each_state_has_one_colour_keyed_on_its_value():
    assert words.rag_colour(Status.IN_PROGRESS, RAG.RED) == words.RAG_COLOURS[RAG.RED]
    assert words.rag_colour(Status.COMPLETE, "") == words.RAG_COLOURS[Status.COMPLETE]
    assert words.rag_colour(Status.ON_HOLD, "") == words.rag_colour(None, None) == words.RAG_COLOURS[words.UNRATED]
    assert set(words.RAG_COLOURS) == {words.rag_css(s, r) for s, r in [(None, None), (Status.COMPLETE, "")]} | set(RAG)


@pytest.mark.django_db
def test_the_spreadsheet_colours_a_rag_cell_by_the_actions_state_not_by_its_words(monkeypatch, planner):
    period = factories.ReportingPeriodFactory(year=2016, number=3)
    action = factories.ActionFactory(recommendation__outcome__strategy=period.strategy, reference="1.1.1")
    factories.ProgressUpdateFactory(action=action, period=period, status=Status.IN_PROGRESS, rag=RAG.RED, progress="x")
    report = report_build(period.strategy, period, [period])
    # Were the colours keyed on the words, other words would leave the cell bare.
    monkeypatch.setattr(exports, "rag_words", lambda status, rag: f"Rating {rag}")
    sheet = load_workbook(BytesIO(exports.report_xlsx(report)))["Actions"]
    column = exports.ACTION_HEADER.index("RAG") + 1
    cell = sheet.cell(row=2, column=column)
    assert cell.value == "Rating red"
    assert cell.fill.start_color.rgb.endswith(words.RAG_COLOURS[RAG.RED])


@pytest.mark.django_db
def test_a_person_is_named_in_one_place():
    assert person_name(factories.UserFactory(username="jo", first_name="Jo", last_name="Bloggs")) == "Jo Bloggs"
    assert person_name(factories.UserFactory(username="sam", first_name="", last_name="")) == "sam"
    assert person_name(None) == ""
    definitions, built = [], []
    for path in [*ROOT.glob("*/**/*.py"), *ROOT.glob("templates/**/*.*")]:
        if any(part in {".venv", "tests", "node_modules", "migrations"} for part in path.parts):
            continue
        text = path.read_text(errors="ignore")
        definitions += [path] * len(re.findall(r"def person_name\b", text))
        if path != ROOT / "workforce" / "people.py" and re.search(r"get_full_name\b[^\n]*get_username", text):
            built.append(path.relative_to(ROOT))
    assert definitions == [ROOT / "workforce" / "people.py"]
    assert built == [], "a person's name is built outside workforce.people.person_name"


def test_a_finished_action_is_one_rule():
    assert [status for status in Status if selectors.is_finished(status)] == [Status.COMPLETE, Status.CANCELLED]
    assert not selectors.is_finished(None)  # no update is not finished: still due, still carried forward
