"""A published quarter's open data: CSV and JSON described by a Frictionless Data Package under
the Open Government Licence, checked by the frictionless library; the CSV gives the same
counts as the page and the DMT report; formula-like text is written as text."""

import datetime
import json
from collections import Counter
from pathlib import Path

import frictionless
import pytest

from dashboard.report import report_build
from publishing.public_data import (
    CSV_NAME,
    FIELD_NAMES,
    JSON_NAME,
    LICENCE_TITLE,
    PACKAGE_NAME,
    action_rows,
    fields_table,
    public_snapshot,
)
from reporting import selectors as action_selectors
from reporting import services
from reporting.models import ProgressUpdate, Status
from tests import factories
from tests.publishing.conftest import OGL, PUBLISHED_AT, csv_rows, errors, files_of, json_rows, validate
from tests.spreadsheets import FORMULAE

pytestmark = pytest.mark.django_db


def snapshot_of(timeline, name="q3", withheld=None):
    return public_snapshot(timeline[name], withheld=withheld or {}, trend_periods=[])


def test_the_files_of_a_quarter(timeline):
    files = files_of(snapshot_of(timeline))
    assert sorted(files) == [CSV_NAME, JSON_NAME, PACKAGE_NAME]
    assert all(isinstance(content, bytes) for content in files.values())
    assert files[CSV_NAME].startswith(b"\xef\xbb\xbfreference,outcome,")  # UTF-8 with a byte order mark, for Excel


def test_the_data_package_is_valid(timeline, folder):
    files = files_of(snapshot_of(timeline, withheld={timeline["actions"]["A"].pk: "Personal information"}))
    report = validate(files, folder)
    assert report.valid, errors(report)
    assert report.stats["tasks"] == 2  # the CSV and the JSON, each read against the schema


def test_the_data_package_names_the_licence_the_quarter_and_the_schema(timeline):
    package = json.loads(files_of(snapshot_of(timeline), version=2)[PACKAGE_NAME])
    assert package["licenses"] == [{"name": "OGL-UK-3.0", "path": OGL, "title": LICENCE_TITLE}]
    assert LICENCE_TITLE == "Open Government Licence v3.0"
    assert package["name"] == "leics-2016-q3"
    assert "Q3 2016/17" in package["title"]
    assert (package["version"], package["created"]) == ("2.0.0", PUBLISHED_AT.isoformat())
    assert [(r["name"], r["path"]) for r in package["resources"]] == [
        ("actions", CSV_NAME),
        ("actions-json", JSON_NAME),
    ]
    for resource in package["resources"]:
        assert [f["name"] for f in resource["schema"]["fields"]] == list(FIELD_NAMES)


def test_a_changed_csv_fails_the_check(timeline, folder):
    """The package gives the CSV's size and hash: a file altered after publishing is caught."""
    files = files_of(snapshot_of(timeline))
    files[CSV_NAME] = files[CSV_NAME].replace(b"A in Q3", b"X in Q3")  # the same size: the hash catches it
    assert {error[0] for error in errors(validate(files, folder))} == {"hash-count"}


def test_a_value_outside_the_schema_fails_the_check(timeline, folder):
    """The check can fail: a status not among the published words is refused."""
    snapshot = snapshot_of(timeline)
    snapshot["outcomes"][0]["actions"][0]["status"] = "Nearly there"
    assert "constraint-error" in {error[0] for error in errors(validate(files_of(snapshot), folder))}


def test_the_csv_and_the_json_hold_the_snapshots_rows(timeline):
    snapshot = snapshot_of(timeline, withheld={timeline["actions"]["A"].pk: "Personal information"})
    files = files_of(snapshot)
    rows = action_rows(snapshot)
    assert csv_rows(files) == rows
    typed = json_rows(files)
    assert [row["reference"] for row in typed] == [row["reference"] for row in rows]
    first, overdue = typed[0], next(row for row in typed if row["reference"] == "2.1.4")
    assert (first["commentary"], first["withheld_reason"], first["overdue"]) == ("", "Personal information", False)
    assert (overdue["overdue"], overdue["ongoing"], overdue["rag"]) == (True, False, "")


def test_an_action_with_no_due_date_has_an_empty_date(timeline, folder):
    action = timeline["actions"]["F"]
    action.due_date, action.is_ongoing = None, True
    action.save()
    files = files_of(snapshot_of(timeline))
    assert next(r for r in json_rows(files) if r["reference"] == "2.1.6")["due"] is None
    assert next(r for r in csv_rows(files) if r["reference"] == "2.1.6")["due"] == ""
    assert validate(files, folder).valid


@pytest.mark.parametrize("name", ["q1", "q2", "q3"])
def test_the_csv_gives_the_counts_of_the_page_and_the_dmt_report(timeline, name):
    """Loaded into a spreadsheet, the CSV counted by status and by RAG gives the snapshot's
    summary (what the public page shows) and the DMT report's counts for the quarter."""
    snapshot = snapshot_of(timeline, name)
    rows = csv_rows(files_of(snapshot))
    by_status, by_rag = Counter(row["status"] for row in rows), Counter(row["rag"] for row in rows if row["rag"])
    summary = snapshot["summary"]
    assert {word: count for word, count in summary["by_status"] if count} == dict(by_status)
    assert {word: count for word, count in summary["by_rag"] if count} == dict(by_rag)
    assert summary["actions"] == len(rows)
    assert summary["overdue"] == sum(row["overdue"] == "Yes" for row in rows)

    strategy = timeline["strategy"]
    counts = report_build(strategy, timeline[name], list(action_selectors.periods_for_strategy(strategy))).counts
    assert len(rows) == counts.total
    assert (by_rag["Green"], by_rag["Amber"], by_rag["Red"]) == (counts.on_track, counts.at_risk, counts.off_track)
    assert by_status[Status.COMPLETE.label] == counts.complete
    assert by_status[Status.NOT_STARTED.label] == counts.not_started
    assert by_status[Status.ON_HOLD.label] == counts.on_hold
    assert by_status[Status.CANCELLED.label] == counts.cancelled
    assert by_status["No update"] == counts.no_update
    assert sum(row["overdue"] == "Yes" for row in rows) == counts.overdue


def test_read_through_its_data_package_the_csv_gives_the_same_counts(timeline, folder):
    """As a tool reading the Data Package would load it: typed by the Table Schema (the
    booleans as booleans, the dates as dates), the same counts as the snapshot's."""
    snapshot = snapshot_of(timeline)
    files = files_of(snapshot)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    for resource_name in ("actions", "actions-json"):
        rows = frictionless.Package(str(folder / PACKAGE_NAME)).get_resource(resource_name).read_rows()
        assert len(rows) == snapshot["summary"]["actions"]
        by_status = Counter(row["status"] for row in rows)
        assert [[word, by_status[word]] for word, _count in snapshot["summary"]["by_status"]] == snapshot["summary"][
            "by_status"
        ]
        by_rag = Counter(row["rag"] for row in rows if row["rag"])
        assert [[word, by_rag[word]] for word, _count in snapshot["summary"]["by_rag"]] == snapshot["summary"]["by_rag"]
        assert sum(row["overdue"] is True for row in rows) == snapshot["summary"]["overdue"]
        assert {type(row["due"]) for row in rows} == {datetime.date}


def test_the_counts_hold_for_a_quarter_closed_and_then_changed(timeline, planner):
    """Closed through the product (states recorded), then an action added: the CSV still
    counts as the report of the quarter does."""
    timeline["q3"] = services.period_close(period=timeline["q3"], user=planner)
    factories.ActionFactory(strategy=timeline["strategy"], outcome=timeline["actions"]["A"].outcome, reference="9.9.9")
    rows = csv_rows(files_of(snapshot_of(timeline)))
    strategy = timeline["strategy"]
    counts = report_build(strategy, timeline["q3"], list(action_selectors.periods_for_strategy(strategy))).counts
    assert len(rows) == counts.total == 6


def test_formula_like_text_is_written_as_text(timeline, folder):
    """Text beginning =, +, -, @, a tab or a carriage return sits behind an apostrophe in the
    CSV (the rule of every export, outcomes.spreadsheets), and as written in the JSON."""
    actions = list(timeline["actions"].values())
    for action, text in zip(actions, FORMULAE, strict=True):
        action.description = text
        action.save()
        ProgressUpdate.objects.update_or_create(
            action=action,
            period=timeline["q3"],
            defaults={"status": Status.IN_PROGRESS, "rag": "green", "progress": text, "completed_on": None},
        )
    files = files_of(snapshot_of(timeline))
    rows = csv_rows(files)
    assert [row["description"] for row in rows] == [f"'{text}" for text in FORMULAE]
    assert [row["commentary"] for row in rows] == [f"'{text}" for text in FORMULAE]
    assert [row["commentary"] for row in json_rows(files)] == FORMULAE
    assert validate(files, folder).valid


def test_the_same_snapshot_gives_the_same_bytes(timeline):
    assert files_of(snapshot_of(timeline)) == files_of(snapshot_of(timeline))
    assert files_of(snapshot_of(timeline), version=2)[CSV_NAME] == files_of(snapshot_of(timeline))[CSV_NAME]


def test_the_documentation_lists_the_fields_as_the_schema_does():
    """docs/open-data.md holds the table `fields_table()` makes from PUBLIC_ACTION_FIELDS: a
    field added, renamed or redescribed must be documented (paste the table printed here)."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "open-data.md").read_text()
    start, end = "<!-- fields: generated from PUBLIC_ACTION_FIELDS -->\n", "<!-- /fields -->"
    documented = doc.split(start, 1)[1].split(end, 1)[0]
    assert documented == fields_table(), f"Replace the table in docs/open-data.md with:\n{fields_table()}"
