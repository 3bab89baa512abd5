"""A Word document's tables are read within bounds counted as they are read: a cell's span
across columns, a cell merged down over many rows, a merge with no row above, the columns
of a row, the cells of all the tables and the characters of a cell. Each hostile document
is refused (or read) quickly, with a sentence naming the table and row, never an exception."""

import io
import time

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from actions import word_tables
from actions.word_tables import read_tables
from outcomes.spreadsheets import SpreadsheetRefused
from tests import factories

pytestmark = pytest.mark.django_db

QUICK = 3.0  # seconds: each of these once took from a second to a minute, or never ended


def cell(text: str = "", *, span: str | None = None, merge: str | None = None) -> str:
    properties = ""
    if span is not None:
        properties += f'<w:gridSpan w:val="{span}"/>'
    if merge == "continue":
        properties += "<w:vMerge/>"
    elif merge:
        properties += f'<w:vMerge w:val="{merge}"/>'
    tcpr = f"<w:tcPr>{properties}</w:tcPr>" if properties else ""
    return f"<w:tc>{tcpr}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def document(*tables: list[list[str]]) -> SimpleUploadedFile:
    """A .docx whose body holds the given tables, each a list of rows of <w:tc> XML."""
    built = docx.Document()
    body = built.element.body
    for rows in tables:
        xml = "".join(f"<w:tr>{''.join(cells)}</w:tr>" for cells in rows)
        body.insert(len(body) - 1, parse_xml(f"<w:tbl {nsdecls('w')}><w:tblPr/>{xml}</w:tbl>"))
    out = io.BytesIO()
    built.save(out)
    return SimpleUploadedFile("plan.docx", out.getvalue())


def refused(upload) -> str:
    started = time.perf_counter()
    with pytest.raises(SpreadsheetRefused) as refusal:
        read_tables(upload)
    assert time.perf_counter() - started < QUICK
    return str(refusal.value)


def header() -> list[str]:
    return [cell("How we will…"), cell("Lead")]


@pytest.mark.parametrize(
    "span", ["5000000", "1000000", "51", "9" * 5000], ids=["5000000", "1000000", "51", "5000 digits"]
)
def test_a_cell_spanning_millions_of_columns_is_refused_naming_its_row(span):
    upload = document([header(), [cell("An action", span=span)]])
    assert refused(upload) == (
        "Table 1, row 2 has a cell merged across more than 50 columns. Unmerge the cell in Word and try again."
    )


def test_a_cell_spanning_the_limit_is_read_once_in_its_first_column():
    tables = read_tables(document([header(), [cell("An action", span="50")]]))
    assert tables[0][1] == [("An action", False)] + [("", False)] * 49


def test_spans_adding_up_past_the_column_limit_are_refused():
    upload = document([header(), [cell("a", span="30"), cell("b", span="21")]])
    assert refused(upload).startswith("Table 1, row 2 has more than 50 columns.")


def test_a_cell_merged_down_over_every_row_allowed_is_read_quickly(settings):
    last = settings.IMPORT_MAX_ROWS - 1  # the header row, then the action merged down over the rest
    rows = [header(), [cell("An action", merge="restart"), cell("Team 1")]]
    rows += [[cell(merge="continue"), cell(f"Team {n}")] for n in range(2, last + 1)]
    started = time.perf_counter()

    tables = read_tables(document(rows))

    assert time.perf_counter() - started < QUICK
    assert len(tables[0]) == settings.IMPORT_MAX_ROWS
    assert tables[0][1] == [("An action", False), ("Team 1", False)]
    assert tables[0][-1] == [("An action", True), (f"Team {last}", False)]


def test_a_merge_in_the_first_row_is_a_cell_of_its_own():
    tables = read_tables(document([[cell("How we will…", merge="continue"), cell("Lead")], [cell("x"), cell("y")]]))
    assert tables[0][0] == [("How we will…", False), ("Lead", False)]


def test_a_merge_below_a_cell_merged_across_is_a_cell_of_its_own():
    rows = [[cell("wide", span="2")], [cell("a"), cell("b", merge="continue")]]
    assert read_tables(document(rows))[0][1] == [("a", False), ("b", False)]


def test_rows_are_counted_across_the_tables_as_read(settings):
    settings.IMPORT_MAX_ROWS = 4
    read_tables(document([header(), header()], [header(), header()]))
    upload = document([header(), header()], [header(), header(), header()])
    assert refused(upload) == "The tables have more than 4 rows; load the plan in parts."


def test_cells_are_counted_as_read_spans_included(monkeypatch):
    monkeypatch.setattr(word_tables, "MAX_CELLS", 10)
    read_tables(document([[cell("a", span="5"), cell("b", span="5")]]))
    upload = document([[cell("a", span="5"), cell("b", span="5")], [cell("c")]])
    assert refused(upload) == (
        "The tables have more than 10 cells (reading stopped at Table 1, row 2); load the plan in parts."
    )


def test_a_cell_over_the_character_limit_is_refused_naming_it():
    limit = word_tables.MAX_CELL_CHARACTERS
    read_tables(document([header(), [cell("x" * limit), cell("Lead")]]))
    upload = document([header(), [cell("Lead"), cell("x" * (limit + 1))]])
    assert refused(upload) == (
        f"Table 1, row 2, column 2 has {limit + 1:,} characters; a cell may have at most {limit:,}. "
        "Shorten it in Word and try again."
    )


def test_the_admin_shows_the_refusal_on_the_upload_form(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    strategy = factories.StrategyFactory()
    upload = document([header(), [cell("An action", span="5000000")]])

    response = client.post(reverse("admin:actions_action_word_import"), {"strategy": strategy.pk, "document": upload})

    assert response.status_code == 200
    assert "Table 1, row 2 has a cell merged across more than 50 columns." in response.content.decode()


def test_the_mapping_page_of_the_largest_document_read_stays_within_djangos_fields(settings):
    # A field a column, two a table (at most: tables with the same header share them), the
    # outcome for a plan with no outcome column and its new name, and the token, step and
    # CSRF token: one form's POST.
    fields = word_tables.MAX_MAPPED_COLUMNS + 2 * word_tables.MAX_TABLES + 2 + 3
    assert fields <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
