"""A PDF's tables read back as the same Word document's tables are read: PDFs from two
producers (LibreOffice from the Word documents, committed in tests/actions/pdfs/, and
WeasyPrint from HTML, made here), portrait and landscape, ruled and not, with tables
crossing pages; and every limit refused, quickly, with a sentence naming the page."""

import io
import re
import time
import zlib
from html import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from actions import pdf_grids, pdf_layout, pdf_tables
from actions.pdf_tables import read_pdf_tables
from actions.word_tables import read_tables
from outcomes.models import Strategy
from outcomes.spreadsheets import SpreadsheetRefused
from tests.actions.make_pdfs import DOCUMENTS, PDFS, SPACED, pdf_name, word_document
from tests.actions.pdf_documents import build_pdf
from tests.actions.word_documents import COLUMNS, MERGED, build_docx, plan_rows

pytestmark = pytest.mark.django_db

QUICK = 3.0  # seconds

#: (strategy, columns, ruled, landscape) of the plans printed with WeasyPrint.
PRINTED = [
    (
        "leicestershire-cfs-2016-17",
        ["outcome", "recommendation", "rationale", "action", "lead_teams", "timescale", "measure", "indicator"],
        True,
        True,
    ),
    ("lincolnshire-cs-2014-16", ["outcome", "action", "lead_teams", "timescale", "framework_link"], False, False),
    (
        "leicester-city-ecs-2017-20",
        ["outcome", "recommendation", "reference", "action", "lead_teams", "timescale", "framework_link"],
        True,
        False,
    ),
]


def shown(tables):
    """The tables as a reader sees them: each cell's words, and whether it continues the cell
    above (a blank cell merged down or left blank reads the same)."""
    return [
        [[(" ".join(text.split()), continued and bool(text)) for text, continued in row] for row in t] for t in tables
    ]


def upload(content: bytes, name: str = "plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def printed(slug, fields, ruled, landscape):
    """The strategy's plan as a Word document and as WeasyPrint prints it: merged cells spanning
    rows where ruled, left blank where not."""
    call_command("loaddata", "teams", slug, verbosity=0)
    rows = plan_rows(Strategy.objects.get(slug=slug), fields)
    headers = [COLUMNS[name][0] for name in fields]
    repeated = {i for i, name in enumerate(fields) if name in MERGED}
    merged, blank = (repeated, set()) if ruled else (set(), repeated)
    word = build_docx(rows, headers, merged=merged, blank=blank)
    spaced = slug in SPACED  # its paragraphs spaced apart, as LibreOffice's PDF of it spaces them
    return word, build_pdf(
        rows, headers, merged=merged, blank=blank, ruled=ruled, landscape=landscape, paragraphs=spaced
    )


@pytest.mark.parametrize(("slug", "fields", "landscape"), DOCUMENTS, ids=[pdf_name(s, o) for s, _, o in DOCUMENTS])
def test_libreoffices_pdf_of_a_word_document_reads_as_the_document(slug, fields, landscape):
    pdf = (PDFS / pdf_name(slug, landscape)).read_bytes()
    tables = read_pdf_tables(upload(pdf))

    assert shown(tables) == shown(read_tables(upload(word_document(slug, fields, landscape), "plan.docx")))
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 3  # the table crosses pages


@pytest.mark.parametrize(("slug", "fields", "ruled", "landscape"), PRINTED, ids=[p[0] for p in PRINTED])
def test_weasyprints_pdf_of_a_plan_reads_as_the_word_document(slug, fields, ruled, landscape):
    word, pdf = printed(slug, fields, ruled, landscape)
    tables = read_pdf_tables(upload(pdf))

    assert shown(tables) == shown(read_tables(upload(word, "plan.docx")))
    cells = " ".join(text for table in tables for row in table for text, _ in row)
    assert not re.search("Page [0-9]+ of [0-9]+|Published 2016|Workforce Strategy: action plan", cells)
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 3


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "not ruled"])
def test_lines_of_a_cell_keep_its_paragraphs_and_join_its_wrapped_lines(ruled):
    paragraphs = [["Strategic HR\nLearning and Development", "Scope out the plan"]]
    wrapped = [
        [
            "HR",
            "Scope out and write the Workforce Engagement Plan, ensuring that the development of the strategy "
            "includes input from the Corporate Communications team, the Principal Social Worker and others",
        ]
    ]
    for rows in (paragraphs, wrapped):
        content = build_pdf(rows, ["Lead Team(s)", "Action"], ruled=ruled, running=False)
        tables = read_pdf_tables(upload(content))
        assert tables == [[[("Lead Team(s)", False), ("Action", False)], [(rows[0][0], False), (rows[0][1], False)]]]
    assert len(pdf_grids.lines_of(pdf_tables._read_pages(pdf_tables._open(content))[0].words)) > 3  # it wrapped


# Limits, each checked as the file is read.


def small_plan(rows=3, ruled=True) -> bytes:
    return build_pdf([[f"Action {n}", "Strategic HR"] for n in range(rows)], ["Action", "Lead"], ruled=ruled)


def refused(content) -> str:
    started = time.perf_counter()
    with pytest.raises(SpreadsheetRefused) as refusal:
        read_pdf_tables(upload(content) if isinstance(content, bytes) else content)
    assert time.perf_counter() - started < QUICK
    return str(refusal.value)


def test_pages_are_counted_as_read(monkeypatch):
    monkeypatch.setattr(pdf_tables, "MAX_PAGES", 2)
    assert refused(small_plan(rows=120)).startswith("The PDF has more than 2 pages; the import reads at most 2.")


def test_characters_of_a_page_are_counted_as_drawn(monkeypatch):
    monkeypatch.setattr(pdf_tables, "MAX_PAGE_CHARACTERS", 130)
    read_pdf_tables(upload(small_plan(rows=1)))  # 119 characters, the running header and footer's included
    assert refused(small_plan(rows=3)).startswith("Page 1 of the PDF has more than 130 characters")


def test_lines_and_pictures_of_a_page_are_counted_as_drawn(monkeypatch):
    monkeypatch.setattr(pdf_tables, "MAX_PAGE_OBJECTS", 10)
    read_pdf_tables(upload(small_plan(ruled=False)))  # no lines drawn
    assert refused(small_plan()).startswith("Page 1 of the PDF draws more than 10 lines, shapes and pictures")


def test_cells_rows_columns_and_characters_have_the_word_imports_limits(monkeypatch, settings):
    monkeypatch.setattr(pdf_layout, "MAX_CELLS", 6)
    assert refused(small_plan(rows=3)) == (
        "The tables have more than 6 cells (reading stopped at page 1); load the plan in parts."
    )
    monkeypatch.setattr(pdf_layout, "MAX_CELLS", 20_000)
    settings.IMPORT_MAX_ROWS = 3
    assert refused(small_plan(rows=3)) == "The tables have more than 3 rows; load the plan in parts."
    settings.IMPORT_MAX_ROWS = 500
    monkeypatch.setattr(pdf_layout, "MAX_COLUMNS", 1)
    assert refused(small_plan()).startswith("Page 1 has a table of more than 1 columns.")
    monkeypatch.setattr(pdf_layout, "MAX_COLUMNS", 50)
    monkeypatch.setattr(pdf_layout, "MAX_CELL_CHARACTERS", 7)
    assert refused(small_plan()) == (
        "Row 2, column 1 of the table ending on page 1 has 8 characters; a cell may have at most 7."
    )


def test_the_upload_is_counted_as_read_not_as_it_says(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    content = small_plan()
    lying = upload(content)
    lying.size = 10
    assert refused(lying).startswith("The file is larger than 1000")


def test_streams_are_unpacked_within_a_bound_before_the_pdf_is_parsed(settings):
    bomb = zlib.compress(b"0" * 60_000_000, 9)  # 60 MB in about 60 KB
    content = b"%%PDF-1.4\n1 0 obj << /Length %d /Filter /FlateDecode >> stream\n%s\nendstream endobj\n%%%%EOF" % (
        len(bomb),
        bomb,
    )
    assert refused(content).startswith("The PDF is too large once unpacked (more than 20.0")
    settings.IMPORT_MAX_UNPACKED_BYTES = 100
    assert refused(small_plan()).startswith("The PDF is too large once unpacked (more than 100")


@pytest.mark.parametrize(
    "content", [b"not a pdf", b"%PDF-1.7\nbroken", b"PK\x03\x04 a Word document"], ids=["text", "broken", "zip"]
)
def test_a_file_that_is_not_a_pdf_is_refused(content):
    assert refused(content) == pdf_tables.UNREADABLE


def test_a_pdf_protected_by_a_password_says_so():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(small_plan())))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    assert refused(out.getvalue()) == pdf_tables.PROTECTED


def test_a_scanned_pdf_says_it_has_no_text():
    picture = io.BytesIO()
    Image.new("L", (200, 100), 255).save(picture, format="PNG")
    html = '<img src="data:image/png;base64,{}">'.format(__import__("base64").b64encode(picture.getvalue()).decode())
    message = refused(HTML(string=html).write_pdf())
    assert message == pdf_tables.SCANNED
    assert message.startswith("The PDF has no text, only pictures of pages: it was scanned.")


def test_a_pdf_without_a_table_says_so():
    assert refused(HTML(string="<p>The plan is in the appendix.</p>").write_pdf()) == pdf_tables.NO_TABLES


# Paragraphs spaced apart.


def spaced_cell(measures: list[str], width: float, *, paragraphs: bool = True) -> bytes:
    """A ruled table of one action and its measures, in a measures column ``width`` points wide:
    each measure a <p> spaced from the next by its margin, or lines split by <br> only."""
    cell = "".join(f"<p>{escape(m)}</p>" for m in measures) if paragraphs else "<br>".join(escape(m) for m in measures)
    html = f"""<html><head><style>
      body {{ font-family: "DejaVu Sans"; font-size: 9pt; }}
      table {{ border-collapse: collapse; }}
      th, td {{ vertical-align: top; text-align: left; padding: 2pt; border: 0.75pt solid #000; }}
      td p {{ margin: 0 0 4pt; }}
    </style></head><body><table>
      <tr><th>Action</th><th>Measure</th></tr>
      <tr><td>Train staff</td><td><div style="width: {width}pt">{cell}</div></td></tr>
    </table></body></html>"""
    return HTML(string=html).write_pdf()


def test_a_measure_that_fills_its_last_line_ends_where_the_paragraphs_are_spaced():
    pages = pdf_tables._read_pages(pdf_tables._open(spaced_cell(["Organisational"], 300)))
    word = next(w for w in pages[0].words if w.text == "Organisational")
    width = word.x1 - word.x0 + 1  # the word, and a point to spare
    # "Staff trained" leaves less room on its line than "Organisational" needs, and
    # "Organisational" fills its line: nothing but the space between the paragraphs says
    # that the next measure starts a paragraph of its own.
    measures = ["Staff trained", "Organisational", "Leadership programme agreed", "Managers supported"]

    tables = read_pdf_tables(upload(spaced_cell(measures, width)))

    assert tables == [[[("Action", False), ("Measure", False)], [("Train staff", False), ("\n".join(measures), False)]]]
    # Lines split by <br> alone are not spaced: there the measures that fill their lines run on.
    unspaced = read_pdf_tables(upload(spaced_cell(measures, width, paragraphs=False)))
    assert unspaced[0][1][1][0].startswith("Staff trained Organisational Leadership")
