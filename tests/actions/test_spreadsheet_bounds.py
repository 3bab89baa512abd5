"""A workbook is read within bounds counted as read, never its own declared size: every row
read counts (a blank one too), and columns beyond the limit are never read. A file missing
a column the import needs is refused with a sentence naming it, never a stack trace."""

import io
import string
import time
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.models import Action
from outcomes import spreadsheets
from tests import factories
from tests.actions.test_import_export import upload
from tests.actions.test_import_limits import refusal

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy(db):
    strategy = factories.StrategyFactory(slug="leicestershire-cfs-2016-17")
    factories.RecommendationFactory(outcome__strategy=strategy, outcome__number=1, number=1)
    factories.TeamFactory(name="Strategic HR")
    factories.TeamFactory(name="Corporate Comms Team")
    return strategy


def workbook_declaring(dimension: str, cells: dict[str, str]) -> bytes:
    """A small workbook whose sheet declares `dimension` and holds only `cells` (each in its own row)."""
    book = io.BytesIO()
    openpyxl.Workbook().save(book)
    with zipfile.ZipFile(book) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    rows = "".join(
        f'<row r="{ref.lstrip(string.ascii_uppercase)}"><c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c></row>'
        for ref, text in cells.items()
    )
    members["xl/worksheets/sheet1.xml"] = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_workbook_declaring_a_billion_cells_is_refused_quickly(admin_client, strategy):
    content = workbook_declaring("A1:XFD1048576", {"XFD1048576": "x"})
    assert len(content) < 10_000
    started = time.perf_counter()

    message = refusal(upload(admin_client, SimpleUploadedFile("actions.xlsx", content), "xlsx"))

    assert time.perf_counter() - started < 5
    assert message.startswith("The file has more than 10,500 rows, blank rows included.")
    assert Action.objects.count() == 0


def test_blank_rows_count_as_read(settings):
    settings.IMPORT_MAX_ROWS = 3
    read = []

    def blank_rows():
        yield ["reference"]
        for number in range(1_000_000):
            read.append(number)
            yield [None]

    with pytest.raises(spreadsheets.SpreadsheetRefused) as refused:
        spreadsheets.read_rows(blank_rows(), fill=None)
    assert str(refused.value).startswith("The file has more than 10,003 rows, blank rows included.")
    assert len(read) == 10_004  # 10,003 read after the header; the next is refused, the rest never read


def test_the_declared_dimension_is_not_trusted():
    content = workbook_declaring("A1:XFD1048576", {"A1": "reference", "A2": "1.1.1"})
    dataset = spreadsheets.SpreadsheetXLSX().create_dataset(content)
    assert dataset.headers == ["reference"] and list(dataset) == [("1.1.1",)]


def test_columns_beyond_the_limit_are_not_read_and_a_cell_in_the_next_is_refused():
    limit = spreadsheets.MAX_COLUMNS
    last = openpyxl.utils.get_column_letter(limit)
    content = workbook_declaring(f"A1:{last}2", {"A1": "reference", f"{last}2": "x"})
    with pytest.raises(spreadsheets.SpreadsheetRefused) as refused:
        spreadsheets.SpreadsheetXLSX().create_dataset(content)
    assert "more cells than the first row has headings" in str(refused.value)

    beyond = openpyxl.utils.get_column_letter(limit + 1)
    content = workbook_declaring(f"A1:{beyond}1", {f"{beyond}1": "x"})
    with pytest.raises(spreadsheets.SpreadsheetRefused) as refused:
        spreadsheets.SpreadsheetXLSX().create_dataset(content)
    assert str(refused.value) == (
        f"Row 1 has a cell beyond column {limit}. The import reads at most {limit} columns: "
        "remove the cells beyond them."
    )


def test_a_csv_row_past_the_column_limit_is_refused():
    limit = spreadsheets.MAX_COLUMNS
    content = ("reference\n" + "," * limit + "x\n").encode()
    with pytest.raises(spreadsheets.SpreadsheetRefused) as refused:
        spreadsheets.SpreadsheetCSV().create_dataset(content)
    assert str(refused.value).startswith(f"Row 2 has a cell beyond column {limit}.")


def table_file(kind: str, table: list[list]) -> SimpleUploadedFile:
    if kind == "csv":
        return SimpleUploadedFile("actions.csv", "".join(",".join(map(str, row)) + "\n" for row in table).encode())
    book = openpyxl.Workbook()
    for row in table:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("actions.xlsx", out.getvalue())


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("headers", "named"),
    [
        (["strategy", "description"], "The file has no reference column."),
        (["description", "timescale"], "The file has no strategy and reference columns."),
    ],
)
def test_a_file_without_a_column_the_import_needs_names_it(admin_client, strategy, kind, headers, named):
    table = [headers, [strategy.slug if h == "strategy" else "Plan" for h in headers]]

    response = upload(admin_client, table_file(kind, table), kind)

    message = refusal(response)
    assert message.startswith(named) and "Add it as the heading of a column" in message
    html = response.content.decode()
    for name in ["Traceback", "site-packages", "resources.py", "FieldError"]:
        assert name not in html, name
    assert Action.objects.count() == 0
