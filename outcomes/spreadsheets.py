"""Spreadsheet files in and out: every cell is data, and an upload is read within limits.

Out: text that a spreadsheet program could take for a formula (it begins with =, +, -, @,
a tab or a carriage return) is written as text, never as a formula: in a workbook the cell
is a text cell with Excel's quote prefix (the text itself is unchanged), in CSV the text
gets a leading apostrophe, as OWASP recommends. Both the admin's exports and the DMT pack
write their cells through `text_cell()` / `csv_value()`, which share `is_formula_like()`.

In: an upload is refused with a sentence a planner understands, never an exception's
text, when it is larger than IMPORT_MAX_UPLOAD_BYTES, holds more than IMPORT_MAX_ROWS
rows, or (a workbook being a zip archive) would unpack to more than
IMPORT_MAX_UNPACKED_BYTES or unpacks to an absurd multiple of its own size. Rows are
counted while they are read, so a long file is refused without being read to its end.

Nothing a file says of its own size is trusted: a workbook's declared dimension (which
may claim a million rows of 16,384 columns) is ignored, every row read counts, a blank one
too (at most MAX_BLANK_ROWS of them beside IMPORT_MAX_ROWS with data), and no cell beyond
MAX_COLUMNS is read.
"""

import csv
import io
import zipfile

import tablib
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from import_export.formats.base_formats import CSV, XLSX, Format
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

#: What a cell's text begins with when a spreadsheet program may run it as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: A member of a workbook archive larger than this that unpacks to more than
#: MAX_UNPACK_RATIO times its packed size is refused: Excel's own files stay far below.
RATIO_CHECKED_ABOVE = 1024 * 1024
MAX_UNPACK_RATIO = 100

#: The columns read from a row; a cell with text in the next column is refused, and
#: columns beyond that are never read.
MAX_COLUMNS = 100
#: Blank rows read beside IMPORT_MAX_ROWS rows with data: a sheet often ends in formatted
#: empty rows, but a million of them is not a spreadsheet saved from Excel.
MAX_BLANK_ROWS = 10_000

XLSX_UNREADABLE = (
    "The file could not be read as an Excel spreadsheet (.xlsx). Save it from Excel as .xlsx or as CSV and try again."
)
CSV_UNREADABLE = (
    'The file could not be read as CSV. Save it from Excel as "CSV UTF-8 (Comma delimited)" or as .xlsx and try again.'
)
UNREADABLE = "The file could not be read. Save it from Excel as .xlsx or as CSV, choose that format and try again."
EXPANDS = (
    "The spreadsheet unpacks to far more than its own size, which a spreadsheet saved from Excel does not do. "
    "Save it from Excel as .xlsx or as CSV and try again."
)


class SpreadsheetRefused(Exception):
    """An upload that is not imported; the message is shown to the planner as it is."""


def is_formula_like(value) -> bool:
    """The rule for every export: text a spreadsheet program could take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_value(value):
    """A CSV cell: formula-like text behind an apostrophe, everything else as it is."""
    return f"'{value}" if is_formula_like(value) else value


def imported_value(value):
    """A cell as read from an upload: an exported cell's apostrophe is taken off again."""
    if isinstance(value, str) and value.startswith("'") and is_formula_like(value[1:]):
        return value[1:]
    return value


def text_cell(sheet, value) -> Cell:
    """A workbook cell for `value`: text is always a text cell, never a formula or an error code."""
    formula_like = is_formula_like(value)
    if isinstance(value, str):
        # A workbook reader sees a carriage return as a line break; write one, so the file
        # reads the same whichever XML library wrote it.
        value = ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    try:
        cell = Cell(sheet, value=value)  # type: ignore[call-arg]  # openpyxl's row and column default to None
    except ValueError:  # a type a workbook cannot hold: its text
        cell = Cell(sheet, value=str(value))  # type: ignore[call-arg]  # as above
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if formula_like or is_formula_like(cell.value):
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
    return cell


def append_row(sheet, values) -> None:
    """Add a row of cells to a worksheet, each written by `text_cell()`."""
    sheet.append([text_cell(sheet, value) for value in values])


def max_upload_bytes() -> int:
    return settings.IMPORT_MAX_UPLOAD_BYTES


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


def max_unpacked_bytes() -> int:
    return settings.IMPORT_MAX_UNPACKED_BYTES


def check_upload_size(upload) -> None:
    """Refuse a file larger than the import takes, from its size alone (before it is read)."""
    limit = max_upload_bytes()
    if upload.size > limit:
        raise SpreadsheetRefused(
            f"The file is {filesizeformat(upload.size)}; the import takes files of up to {filesizeformat(limit)}. "
            "Split it into smaller files and import them one after another."
        )


def check_archive(
    data: bytes,
    *,
    unreadable: str = XLSX_UNREADABLE,
    too_large: str = "The spreadsheet is too large once unpacked (more than {limit}). "
    "Remove other sheets, pictures and formatting, or save it as CSV, and try again.",
    expands: str = EXPANDS,
) -> None:
    """Refuse an archive (a workbook, a Word document) that would unpack too far, from its
    directory alone. The messages name the kind of file; ``too_large`` gets the ``{limit}``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as error:  # not a zip archive at all, or a damaged one
        raise SpreadsheetRefused(unreadable) from error
    limit = max_unpacked_bytes()
    if sum(member.file_size for member in members) > limit:
        raise SpreadsheetRefused(too_large.format(limit=filesizeformat(limit)))
    for member in members:
        if member.file_size > RATIO_CHECKED_ABOVE and member.file_size > MAX_UNPACK_RATIO * member.compress_size:
            raise SpreadsheetRefused(expands)


def read_rows(rows, fill) -> tablib.Dataset:
    """The first row as the headers, then each row that is not blank, up to IMPORT_MAX_ROWS.

    Reading stops at the first row over the limit: the rest of the file is never read. Every
    row read counts, a blank one too: at most IMPORT_MAX_ROWS + MAX_BLANK_ROWS are read.
    A row shorter than the headers is filled with `fill`; one longer must be blank beyond them.
    """
    dataset, limit = tablib.Dataset(), max_rows()
    read_limit = limit + MAX_BLANK_ROWS
    headers = next(rows, None)
    if headers is None:
        return dataset
    headers = _within_columns(headers, 1)
    while headers and headers[-1] is None:  # a workbook's row is read as wide as the limit
        headers.pop()
    dataset.headers = headers
    width = len(headers)
    for number, row in enumerate(rows, start=2):
        if number - 1 > read_limit:
            raise SpreadsheetRefused(
                f"The file has more than {read_limit:,} rows, blank rows included. Import at most {limit:,} rows "
                f"at a time, with no more than {MAX_BLANK_ROWS:,} blank rows: delete the empty rows below the "
                "data (or copy the data into a new sheet) and try again."
            )
        values = _within_columns(row, number)
        if all(value in (None, "") for value in values):
            continue
        if len(dataset) >= limit:
            raise SpreadsheetRefused(
                f"The file has more than {limit:,} rows. Import at most {limit:,} rows at a time: "
                "split it into smaller files and import them one after another."
            )
        if any(value not in (None, "") for value in values[width:]):
            raise SpreadsheetRefused(
                f"Row {number} has more cells than the first row has headings. "
                "Give every column a heading in the first row, or remove the cells beyond them."
            )
        dataset.append(values[:width] + [fill] * (width - len(values)))
    return dataset


def _within_columns(row, number: int) -> list:
    """The row's first MAX_COLUMNS values; a value in the next column is refused (beyond it
    nothing is read: a workbook is read no wider, and a CSV row is refused if it goes on)."""
    if len(row) > MAX_COLUMNS and any(value not in (None, "") for value in row[MAX_COLUMNS:]):
        raise SpreadsheetRefused(
            f"Row {number} has a cell beyond column {MAX_COLUMNS}. The import reads at most {MAX_COLUMNS} columns: "
            "remove the cells beyond them."
        )
    return [imported_value(value) for value in row[:MAX_COLUMNS]]


class SpreadsheetCSV(CSV):
    """CSV, read within the limits and written with formula-like text escaped."""

    def create_dataset(self, in_stream, **kwargs):
        try:
            text = in_stream.decode(self.encoding or "utf-8-sig") if isinstance(in_stream, bytes) else in_stream
            return read_rows(csv.reader(io.StringIO(text, newline="")), fill="")
        except SpreadsheetRefused:
            raise
        except Exception as error:  # not text, not UTF-8, or not CSV
            raise SpreadsheetRefused(CSV_UNREADABLE) from error

    def export_data(self, dataset, **kwargs):
        rows = ([csv_value(value) for value in row] for row in dataset)
        escaped = tablib.Dataset(*rows, headers=[csv_value(value) for value in dataset.headers or []] or None)
        return super().export_data(escaped, **kwargs)


class SpreadsheetXLSX(XLSX):
    """Excel workbooks: the archive checked before it is opened, rows read one at a time,
    and text written as text cells."""

    def create_dataset(self, in_stream):
        check_archive(in_stream)
        try:
            book = load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        except Exception as error:  # a zip archive, but not a workbook
            raise SpreadsheetRefused(XLSX_UNREADABLE) from error
        try:
            sheet = book.active
            # The sheet's declared dimension is not trusted: read the rows the file holds,
            # one column past the limit (so a cell there is refused), and nothing wider.
            sheet.reset_dimensions()
            return read_rows(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), fill=None)
        except SpreadsheetRefused:
            raise
        except Exception as error:  # a damaged sheet
            raise SpreadsheetRefused(XLSX_UNREADABLE) from error
        finally:
            book.close()

    def export_data(self, dataset, **kwargs):
        book = Workbook()
        sheet = book.active
        sheet.title = (dataset.title or "Export")[:31]
        if dataset.headers:
            append_row(sheet, dataset.headers)
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            sheet.freeze_panes = "A2"
        for row in dataset:
            append_row(sheet, row)
        wrap = Alignment(wrap_text=True, vertical="top")
        widths = {}
        for row in sheet.iter_rows():
            for cell in row:
                text = "" if cell.value is None else str(cell.value)
                widths[cell.column] = max(widths.get(cell.column, 8), min(len(text), 60))
                if "\n" in text:
                    cell.alignment = wrap
        for column, width in widths.items():
            sheet.column_dimensions[get_column_letter(column)].width = width
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


#: The formats the admin imports and exports, in the order its menus offer them.
SPREADSHEET_FORMATS: list[type[Format]] = [SpreadsheetXLSX, SpreadsheetCSV]
