"""The tables of an uploaded PDF, read within bounds counted as they are read.

Councils publish their plans as PDF. A PDF has no tables, only words and lines at places on
pages; ``read_pdf_tables`` puts the tables back into the shape ``actions.word_tables.read_tables``
gives for a Word document (rows of (text, merged from above) cells), so the same mapping,
preview and load follow. How each page is turned into rows of cells is in
``actions.pdf_layout``; here the file is checked, opened and read page by page.

Nothing the file says of its own size is trusted. Before anything is parsed the upload's
bytes are counted and every compressed stream is unpacked within a bound; the pages are
counted as the page tree is walked, and each page's characters and drawn objects are counted
as the page is drawn, so a hostile file is refused, naming the page, before it costs much.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterable

from django.template.defaultfilters import filesizeformat
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdfpage import PDFPage
from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent
from pdfplumber.pdf import PDF

from actions import pdf_grids, pdf_layout, pdf_lines
from actions.word_tables import MAX_TABLES, Table, check_mapped_columns
from outcomes.spreadsheets import (
    MAX_UNPACK_RATIO,
    RATIO_CHECKED_ABOVE,
    SpreadsheetRefused,
    max_unpacked_bytes,
    max_upload_bytes,
)

#: The pages read: a plan's tables run to a few dozen pages.
MAX_PAGES = 100
#: What one page may draw, counted as it is drawn (a page is refused on the first one past):
#: characters, and lines, rectangles, curves and pictures. A dense page of a plan draws a few
#: thousand characters and a few hundred lines.
MAX_PAGE_CHARACTERS = 20_000
MAX_PAGE_OBJECTS = 5_000

UNREADABLE = "The file could not be read as a PDF. Save it again as PDF (or upload the Word document) and try again."
PROTECTED = (
    "The PDF is protected by a password, so its text cannot be read. "
    "Save a copy without the password (or upload the Word document) and try again."
)
TOO_LARGE = (
    "The PDF is too large once unpacked (more than {limit}). "
    "Save a copy with only the plan's pages, without pictures, and try again."
)
EXPANDS = "The PDF unpacks to far more than its own size, which a PDF saved from Word does not do. Save it again."
SCANNED = (
    "The PDF has no text, only pictures of pages: it was scanned. The import reads text, so it cannot read "
    "a scanned plan. Upload the Word document, or a PDF saved from Word rather than scanned."
)
NO_TABLES = "The PDF has no tables. The plan must be in a table, one action a row."


def read_pdf_tables(upload, *, names: Iterable[str] = ()) -> list[Table]:
    """The tables of an uploaded PDF, each a list of rows of (text, merged from above).

    A table continued over several pages is one table, its header repeated on each page
    read once; running headers, footers and page numbers are left out. A line of a cell that
    reads as one of ``names`` (the lead teams) ends a paragraph, as in the Word cell. Raises
    SpreadsheetRefused with a sentence for the planner, naming the page where it stopped,
    when the file cannot be read within the limits.
    """
    data = _read_counted(upload)
    if not data.lstrip()[:5] == b"%PDF-":
        raise SpreadsheetRefused(UNREADABLE)
    check_streams(data)
    pages = _read_pages(_open(data))  # not closed: pdfplumber's close walks every page again
    if not any(page.words for page in pages):
        raise SpreadsheetRefused(SCANNED)
    tables = pdf_layout.tables_of(pages, names)
    if not tables:
        raise SpreadsheetRefused(NO_TABLES)
    if len(tables) > MAX_TABLES:
        raise SpreadsheetRefused(f"The PDF has more than {MAX_TABLES} tables; load the plan's tables only.")
    check_mapped_columns(tables, keep="the plan's pages")
    return tables


def _read_counted(upload) -> bytes:
    """The upload's bytes, at most one more than the import takes (its declared size not trusted)."""
    limit = max_upload_bytes()
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise SpreadsheetRefused(
            f"The file is larger than {filesizeformat(limit)}, the most the import takes. "
            "Save a copy with only the plan's pages and try again."
        )
    return data


_STREAM = re.compile(rb"stream\r?\n")
_END = re.compile(rb"endstream")


def check_streams(data: bytes) -> None:
    """Refuse a PDF whose compressed streams unpack past IMPORT_MAX_UNPACKED_BYTES in all, or one
    of them past MAX_UNPACK_RATIO times its packed size, each unpacked within a bound before
    the PDF is parsed (the PDF reader itself would unpack a stream whole, however large)."""
    limit, total, position = max_unpacked_bytes(), 0, 0
    while match := _STREAM.search(data, position):
        end = _END.search(data, match.end())
        if end is None:
            break
        packed = data[match.end() : end.start()]
        position = end.end()
        for _ in range(3):  # a stream may be packed more than once
            unpacked = _inflate(packed, limit - total + 1)
            if unpacked is None:
                break
            total += len(unpacked)
            if total > limit:
                raise SpreadsheetRefused(TOO_LARGE.format(limit=filesizeformat(limit)))
            if len(unpacked) > RATIO_CHECKED_ABOVE and len(unpacked) > MAX_UNPACK_RATIO * max(len(packed), 1):
                raise SpreadsheetRefused(EXPANDS)
            packed = unpacked


def _inflate(packed: bytes, bound: int) -> bytes | None:
    """The stream unpacked to at most ``bound`` bytes, or None when it is not zlib-packed."""
    try:
        return zlib.decompressobj().decompress(packed, bound)
    except zlib.error:
        return None


def _open(data: bytes) -> PDF:
    try:
        return PDF(io.BytesIO(data))
    except Exception as error:  # pdfplumber wraps pdfminer's errors
        cause = error.__cause__ or (error.args[0] if error.args else None)
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise SpreadsheetRefused(PROTECTED) from error
        raise SpreadsheetRefused(UNREADABLE) from error


def _read_pages(pdf: PDF) -> list[pdf_grids.PageText]:
    """Each page's words and ruled tables, the pages counted as the page tree is walked."""
    pages = []
    try:
        for number, page_obj in enumerate(PDFPage.create_pages(pdf.doc), start=1):
            if number > MAX_PAGES:
                raise SpreadsheetRefused(
                    f"The PDF has more than {MAX_PAGES} pages; the import reads at most {MAX_PAGES}. "
                    "Save a copy with only the plan's pages and try again."
                )
            pages.append(_read_page(_CountedPage(pdf, page_obj, page_number=number)))
    except SpreadsheetRefused:
        raise
    except Exception as error:
        raise SpreadsheetRefused(
            f"Page {len(pages) + 1} of the PDF could not be read: the file is damaged. Save it again as PDF "
            "and try again."
        ) from error
    return pages


def _read_page(page: _CountedPage) -> pdf_grids.PageText:
    words = page.extract_words(use_text_flow=True, keep_blank_chars=False)
    ruled = [table for table in page.find_tables() if len(table.columns) > 1]
    if ruled:  # again, each table closed at its top and foot: a cell running on to the next page has no foot drawn
        found = page.find_tables({"explicit_horizontal_lines": sorted(_closing_lines(page, ruled))})
        ruled = [table for table in found if len(table.columns) > 1]
    return pdf_grids.PageText(
        number=page.page_number,
        width=float(page.width),
        height=float(page.height),
        words=[pdf_lines.Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"]) for w in words],
        ruled=[[list(row.cells) for row in table.rows] for table in ruled],
    )


def _closing_lines(page: Page, tables) -> set[float]:
    """The heights where each ruled table's side lines start and end: its top and foot, drawn or not."""
    heights = set()
    for table in tables:
        x0, top, x1, bottom = table.bbox
        sides = [edge for edge in page.edges if edge["orientation"] == "v" and x0 - 1 <= edge["x0"] <= x1 + 1]
        reach = [(edge["top"], edge["bottom"]) for edge in sides if edge["bottom"] >= top and edge["top"] <= bottom]
        while True:  # side lines drawn a cell at a time: follow them on past the table found
            more = [(t, b) for t, b in ((e["top"], e["bottom"]) for e in sides) if b > bottom and t <= bottom + 1]
            if not more:
                break
            bottom = max(b for _, b in more)
        heights |= {min([top] + [t for t, _ in reach]), bottom}
    return heights


class _CountedPage(Page):
    """A pdfplumber page drawn by a device that counts what it draws and stops past the limits."""

    @property
    def layout(self):
        if not hasattr(self, "_layout"):
            device = _CountingDevice(self.pdf.rsrcmgr, pageno=self.page_number, laparams=self.pdf.laparams)
            PDFPageInterpreter(self.pdf.rsrcmgr, device).process_page(self.page_obj)
            self._layout = device.get_result()
        return self._layout


class _CountingDevice(PDFPageAggregatorWithMarkedContent):
    characters = objects = 0

    def render_char(self, *args, **kwargs):
        self.characters += 1
        if self.characters > MAX_PAGE_CHARACTERS:
            raise SpreadsheetRefused(
                f"Page {self.pageno} of the PDF has more than {MAX_PAGE_CHARACTERS:,} characters, more than a "
                "page of a plan holds. Save a copy with only the plan's pages and try again."
            )
        return super().render_char(*args, **kwargs)

    def paint_path(self, *args, **kwargs):
        self._count()
        return super().paint_path(*args, **kwargs)

    def render_image(self, *args, **kwargs):
        self._count()
        return super().render_image(*args, **kwargs)

    def _count(self) -> None:
        self.objects += 1
        if self.objects > MAX_PAGE_OBJECTS:
            raise SpreadsheetRefused(
                f"Page {self.pageno} of the PDF draws more than {MAX_PAGE_OBJECTS:,} lines, shapes and pictures, "
                "more than a page of a plan holds. Save a copy with only the plan's pages and try again."
            )
