"""The tables of an uploaded Word document, read within bounds counted as they are read.

A Word table's XML may claim anything: a cell spanning five million columns, a cell merged
down two thousand rows, a merge with no row above. python-docx's ``row.cells`` expands a span
into as many cells and follows a merge up the rows recursively; here the XML is walked one
row at a time instead, every row, column and cell counted as read against the limits below,
and a file past them is refused with a sentence naming the table and row.
"""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from outcomes.spreadsheets import SpreadsheetRefused, check_archive, max_rows

UNREADABLE = "The file could not be read as a Word document (.docx). Save it from Word as .docx and try again."
TOO_LARGE = (
    "The Word document is too large once unpacked (more than {limit}). "
    "Save a copy with only the plan's tables, without pictures, and try again."
)
EXPANDS = "The Word document unpacks to far more than its own size, which Word does not do. Save it again from Word."
NO_TABLES = "The Word document has no tables. The plan must be in a table, one action a row."
MAX_TABLES = 100
#: Bounds on what is read from the tables, counted as read (never the document's own sizes):
#: the columns of a row (a cell merged across counts each column it spans), the cells of all
#: the tables, and the characters of a cell. Rows are bounded by IMPORT_MAX_ROWS.
MAX_COLUMNS = 50
MAX_CELLS = 20_000  # below IMPORT_MAX_ROWS rows of MAX_COLUMNS (25,000)
MAX_CELL_CHARACTERS = 20_000
#: The header columns of all the tables: the mapping page has a field for each, two for each
#: table, and must stay within the fields Django accepts in one form (DATA_UPLOAD_MAX_NUMBER_FIELDS,
#: 1,000): 600 + 2 × MAX_TABLES + a few.
MAX_MAPPED_COLUMNS = 600

Cell = tuple[str, bool]  # the text, and whether it continues a cell merged from the row above
Table = list[list[Cell]]


def read_tables(upload) -> list[Table]:
    """The tables of an uploaded .docx, each a list of rows of (text, merged from above).

    The archive is checked before it is parsed (the upload's size is checked by the form).
    The tables are read from their XML, one row at a time, with every row, column and cell
    counted as it is read: a cell's own claim to span or merge is never expanded beyond the
    limits (python-docx's ``row.cells`` would expand a span of millions of columns, and
    follows a merge up the rows recursively). Raises SpreadsheetRefused with a sentence for
    the planner, naming the table and row, when it cannot be read within them.
    """
    data = upload.read()
    check_archive(data, unreadable=UNREADABLE, too_large=TOO_LARGE, expands=EXPANDS)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # a zip archive, but not a Word document
        raise SpreadsheetRefused(UNREADABLE) from error
    body = document.element.body
    found = body.findall(qn("w:tbl"))
    if len(found) > MAX_TABLES:
        raise SpreadsheetRefused(f"The Word document has more than {MAX_TABLES} tables; load the plan's tables only.")
    reader = _TableReader()
    tables = [rows for number, tbl in enumerate(found, start=1) if (rows := reader.table(number, tbl))]
    if not tables:
        raise SpreadsheetRefused(NO_TABLES)
    check_mapped_columns(tables, keep="the plan's tables")
    return tables


def check_mapped_columns(tables: list[Table], *, keep: str) -> None:
    """Refuses tables with more header columns in all than the mapping page can ask about
    (MAX_MAPPED_COLUMNS), Word's or a PDF's alike; `keep` says what to save a copy with."""
    columns = sum(len(table[0]) for table in tables)
    if columns > MAX_MAPPED_COLUMNS:
        raise SpreadsheetRefused(
            f"The tables have {columns:,} columns in all; a plan is loaded from at most {MAX_MAPPED_COLUMNS} at a "
            f"time. Save a copy with only {keep} and try again."
        )


class _TableReader:
    """Reads tables from their XML within the limits, counting rows and cells across the document."""

    def __init__(self):
        self.rows, self.cells, self.row_limit = 0, 0, max_rows()

    def table(self, number: int, tbl) -> Table:
        rows: Table = []
        above: dict[int, str] = {}  # each column's text in the row above, for cells merged down
        for row_number, tr in enumerate(tbl.iterchildren(qn("w:tr")), start=1):
            self.rows += 1
            if self.rows > self.row_limit:
                raise SpreadsheetRefused(f"The tables have more than {self.row_limit} rows; load the plan in parts.")
            rows.append(self.row(f"Table {number}, row {row_number}", tr, above))
        return rows

    def row(self, where: str, tr, above: dict[int, str]) -> list[Cell]:
        cells: list[Cell] = []
        for tc in tr.iterchildren(qn("w:tc")):
            span, merge = _span_and_merge(tc, where)
            column = len(cells)
            if column + span > MAX_COLUMNS:
                raise SpreadsheetRefused(
                    f"{where} has more than {MAX_COLUMNS} columns. A plan's table has one column a field: "
                    "remove the other columns, or cells merged across them, and try again."
                )
            self.cells += span
            if self.cells > MAX_CELLS:
                raise SpreadsheetRefused(
                    f"The tables have more than {MAX_CELLS:,} cells (reading stopped at {where}); "
                    "load the plan in parts."
                )
            if merge == "continue" and column in above:  # merged down: the text of the cell above
                text, continued = above[column], True
            else:  # a merge with nothing above it is a cell of its own, as Word shows it
                text, continued = _cell_text(tc, where, column + 1), False
            above[column] = text
            cells.append((text, continued))
            for offset in range(1, span):  # merged across: counted once, in its first column
                above.pop(column + offset, None)
                cells.append(("", False))
        return cells


def _span_and_merge(tc, where: str) -> tuple[int, str | None]:
    """A cell's columns spanned and how it is merged down ("restart", "continue" or None),
    read from its XML, the span refused past MAX_COLUMNS before it is turned into a number."""
    properties = tc.find(qn("w:tcPr"))
    if properties is None:
        return 1, None
    span = 1
    grid_span = properties.find(qn("w:gridSpan"))
    if grid_span is not None:
        value = (grid_span.get(qn("w:val")) or "1").strip()
        if not value.isdigit() or len(value) > 3 or int(value) > MAX_COLUMNS:
            raise SpreadsheetRefused(
                f"{where} has a cell merged across more than {MAX_COLUMNS} columns. "
                "Unmerge the cell in Word and try again."
            )
        span = max(int(value), 1)
    v_merge = properties.find(qn("w:vMerge"))
    merge = None if v_merge is None else (v_merge.get(qn("w:val")) or "continue")
    return span, merge


def _cell_text(tc, where: str, column: int) -> str:
    """The cell's paragraphs, a line each (a table inside the cell is not read)."""
    # A paragraph's text needs no document part, so none is given.
    paragraphs = (Paragraph(p, None).text for p in tc.iterchildren(qn("w:p")))  # type: ignore[arg-type]
    text = "\n".join(paragraphs).strip()
    if len(text) > MAX_CELL_CHARACTERS:
        raise SpreadsheetRefused(
            f"{where}, column {column} has {len(text):,} characters; a cell may have at most "
            f"{MAX_CELL_CHARACTERS:,}. Shorten it in Word and try again."
        )
    return text
