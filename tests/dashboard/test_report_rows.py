"""The report reads each action's row by position into ReportAction: the columns must be its
leading fields, in order, and each value must land in the field of its name."""

from dataclasses import fields

import pytest

from dashboard.report import report_build
from dashboard.report_types import ReportAction
from dashboard.selectors import NOT_COLUMNS, REPORT_FIELDS
from reporting import selectors as action_selectors


def test_the_columns_read_are_reportactions_leading_fields_in_order():
    names = [f.name for f in fields(ReportAction)]
    assert names[: len(REPORT_FIELDS)] == REPORT_FIELDS
    assert names[len(REPORT_FIELDS) :] == list(NOT_COLUMNS)


@pytest.mark.django_db
def test_each_value_lands_in_the_field_of_its_name(timeline):
    strategy, q3 = timeline["strategy"], timeline["q3"]
    report = report_build(strategy, q3, list(action_selectors.periods_for_strategy(strategy)))
    expected = {
        row["id"]: row
        for row in action_selectors.actions_as_at([q3], strategy.actions.all()).values(
            "id", "reference", "description", "due_date", "outcome_as_at", "status_as_at", "rag_as_at", "is_overdue"
        )
    }
    assert len(report.actions) == len(expected) == 6
    for action in report.actions:
        row = expected[action.id]
        assert (action.reference, action.description, action.due_date, action.outcome_id) == (
            row["reference"],
            row["description"],
            row["due_date"],
            row["outcome_as_at"],
        )
        assert (action.status_as_at, action.rag_as_at, action.is_overdue) == (
            row["status_as_at"],
            row["rag_as_at"],
            row["is_overdue"],
        )
