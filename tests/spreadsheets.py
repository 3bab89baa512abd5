"""Text that a spreadsheet program could take for a formula, and how an export must show it."""

import io
import zipfile

FORMULAE = ['=HYPERLINK("http://x","y")', "+1", "-5% turnover", "@SUM(A1)", "\tx", "\rx"]


def readable(value: str) -> str:
    """The text as a reader sees it: a workbook stores a carriage return as a line break."""
    return value.replace("\r", "\n")


def assert_text_cells(cells, expected):
    """Each cell holds its text as text (never a formula), readable, with Excel's quote prefix."""
    for cell, text in zip(cells, expected, strict=True):
        assert cell.data_type == "s", (text, cell.data_type)
        assert cell.value == readable(text)
        assert cell.quotePrefix


def assert_no_formula_in(workbook_bytes: bytes):
    """No worksheet of the workbook holds a formula element at all."""
    with zipfile.ZipFile(io.BytesIO(workbook_bytes)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, name
