"""The spreadsheet a DMT officer would filter: a table with filters on every sheet, UK dates,
what falls due next quarter, whether the figures may still change, RAG in colour and words,
key messages and DMT decisions, and formula-like text kept as text."""

import io

import openpyxl
import pytest
from django.urls import reverse

from reporting import services
from reporting.models import ProgressUpdate
from tests.spreadsheets import assert_no_formula_in, assert_text_cells

pytestmark = pytest.mark.django_db


def workbook_of(client, user, timeline, name="q3"):
    client.force_login(user)
    response = client.get(reverse("dashboard:xlsx", args=[timeline["strategy"].slug, timeline[name].slug]))
    assert response.status_code == 200
    return response.content, openpyxl.load_workbook(io.BytesIO(response.content))


def rows_of(sheet) -> dict:
    header = [cell.value for cell in sheet[1]]
    return {row[0].value: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)}


def test_every_sheet_is_a_filtered_table_with_a_frozen_header(client, dmt, timeline):
    _, workbook = workbook_of(client, dmt, timeline)
    for sheet in workbook.worksheets:
        refs = [table.ref for table in sheet.tables.values()] + (
            [sheet.auto_filter.ref] if sheet.auto_filter.ref else []
        )
        assert refs, f"{sheet.title} has no table or filter"
        for table in sheet.tables.values():
            assert table.autoFilter is not None, f"{sheet.title}: {table.displayName} has no filter"
        if sheet.title != "Summary":
            assert sheet.freeze_panes == "A2", sheet.title
            assert refs[0].startswith("A1:"), sheet.title
    summary = workbook["Summary"]
    assert {table.displayName for table in summary.tables.values()} == {"Headline", "ByOutcome"}
    assert workbook["Actions"].column_dimensions["C"].width >= 50  # the action's words get room


def test_dates_are_uk_dates(client, dmt, timeline):
    _, workbook = workbook_of(client, dmt, timeline)
    for title in ("Actions", "Exceptions", "Due next quarter"):
        for row in rows_of(workbook[title]).values():
            cell = row["Due date"]
            assert cell.is_date and cell.number_format == "dd/mm/yyyy", (title, cell.number_format)


def test_due_next_quarter_has_its_own_sheet(client, dmt, timeline):
    _, workbook = workbook_of(client, dmt, timeline)
    due = rows_of(workbook["Due next quarter"])
    assert list(due) == [timeline["actions"]["F"].reference]  # due 31 January 2017, in Q4


def test_due_next_quarter_with_nothing_due_is_still_a_table_and_says_so(client, dmt, timeline):
    # As at Q2 nothing falls due in Q3 (D was due in August, F is due in January).
    _, workbook = workbook_of(client, dmt, timeline, "q2")
    sheet = workbook["Due next quarter"]
    (table,) = sheet.tables.values()
    assert table.ref == f"A1:{openpyxl.utils.get_column_letter(sheet.max_column)}2"
    assert table.autoFilter is not None
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == [cell.value for cell in workbook["Actions"][1]]
    (row,) = rows_of(sheet).values()
    assert row["Action"].value == "No actions fall due in Q3 2016/17."
    assert [name for name, cell in row.items() if cell.value is not None] == ["Action"]


def test_the_summary_says_an_open_quarter_may_still_change(client, dmt, timeline):
    _, workbook = workbook_of(client, dmt, timeline, "q3")
    text = [row[0] for row in workbook["Summary"].iter_rows(values_only=True) if row and row[0]]
    assert "Q3 2016/17 is still open for updates: these figures may change until it is closed." in text
    _, workbook = workbook_of(client, dmt, timeline, "q2")
    text = [row[0] for row in workbook["Summary"].iter_rows(values_only=True) if row and row[0]]
    assert "Q2 2016/17 is closed: these figures no longer change." in text
    assert not any("still open" in line for line in text)


def test_rag_cells_are_coloured_and_spelt_out(client, dmt, timeline):
    _, workbook = workbook_of(client, dmt, timeline)
    rows = rows_of(workbook["Actions"])
    red = rows[timeline["actions"]["A"].reference]["RAG"]
    assert red.value == "Red" and red.fill.fgColor.rgb.endswith("F4CDC6")
    complete = rows[timeline["actions"]["B"].reference]["RAG"]
    assert complete.value == "Complete" and complete.fill.fgColor.rgb.endswith("BBD4EA")


def test_key_messages_and_dmt_decisions_are_included_as_text(client, planner, dmt, timeline):
    services.key_messages_set(
        period=timeline["q3"], user=planner, key_messages="=SUM(A1) of risks is falling", strategic_lead="Jane Smith"
    )
    update = ProgressUpdate.objects.get(action=timeline["actions"]["A"], period=timeline["q3"])
    services.dmt_decision_record(update=update, user=planner, outcome="agreed", note="-£5k from reserves")
    content, workbook = workbook_of(client, dmt, timeline)
    assert_no_formula_in(content)
    summary = {row[0].value: row for row in workbook["Summary"].iter_rows() if row[0].value}
    assert_text_cells([summary["Key messages"][1]], ["=SUM(A1) of risks is falling"])
    assert summary["Strategic lead"][1].value == "Jane Smith"
    row = rows_of(workbook["Exceptions"])[timeline["actions"]["A"].reference]
    assert row["DMT decision"].value == "Agreed: -£5k from reserves"
    assert row["DMT decision"].data_type == "s"
