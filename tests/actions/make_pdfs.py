"""Regenerate the PDFs in tests/actions/pdfs/: each strategy's plan as a Word document
(built as tests/actions/word_documents.py builds it), saved as PDF by LibreOffice.

The tests read the committed PDFs; only this script needs LibreOffice
(Debian: ``apt-get install -y libreoffice-writer-nogui``). Run it from the project's root
after a strategy's fixture or the Word documents' layout changes:

    SECRET_KEY=any python -m tests.actions.make_pdfs
"""

from __future__ import annotations

import io
import os
import pathlib
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).parent
PDFS = HERE / "pdfs"

#: (strategy, its columns, landscape): each a PDF named after the strategy and orientation.
DOCUMENTS = [
    (
        "leicestershire-cfs-2016-17",
        ["outcome", "recommendation", "rationale", "action", "lead_teams", "timescale", "measure", "indicator"],
        True,
    ),
    ("lincolnshire-cs-2014-16", ["outcome", "action", "lead_teams", "timescale", "framework_link"], False),
    (
        "leicester-city-ecs-2017-20",
        ["outcome", "recommendation", "reference", "action", "lead_teams", "timescale", "framework_link"],
        True,
    ),
    ("leicester-city-ecs-2017-20", ["outcome", "reference", "action", "lead_teams", "timescale"], False),
]

#: The strategies whose plans space their paragraphs, as Word's own Normal style does (4pt
#: after each): a cell's measures, one a paragraph, are told apart by that space. The other
#: plans are set without it (python-docx's Normal style), as many councils' tables are.
SPACED = {"leicestershire-cfs-2016-17"}


def pdf_name(slug: str, landscape: bool) -> str:
    return f"{slug}-{'landscape' if landscape else 'portrait'}.pdf"


def word_document(slug: str, fields: list[str], landscape: bool) -> bytes:
    """The strategy's plan as tests/actions/word_documents.py builds it, its table ruled and as
    wide as the page (python-docx's own table is unruled and as wide as a portrait page)."""
    import docx
    from django.core.management import call_command
    from docx.enum.section import WD_ORIENT
    from docx.shared import Emu, Pt

    from outcomes.models import Strategy
    from tests.actions.word_documents import COLUMNS, MERGED, build_docx, plan_rows

    call_command("loaddata", "teams", slug, verbosity=0)
    rows = plan_rows(Strategy.objects.get(slug=slug), fields)
    merged = {i for i, name in enumerate(fields) if name in MERGED}
    content = build_docx(rows, [COLUMNS[name][0] for name in fields], merged=merged)
    document = docx.Document(io.BytesIO(content))
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    document.styles["Normal"].font.size = Pt(8 if len(fields) > 5 else 9)  # as a plan of many columns is set
    if slug in SPACED:
        document.styles["Normal"].paragraph_format.space_after = Pt(4)
    table = document.tables[0]
    table.style = document.styles["Table Grid"]
    width = Emu((section.page_width - section.left_margin - section.right_margin) // len(table.columns))
    for column in table.columns:
        column.width = width
        for cell in column.cells:
            cell.width = width
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main() -> None:
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_tracker.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    PDFS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for slug, fields, landscape in DOCUMENTS:
            name = pdf_name(slug, landscape)
            source = pathlib.Path(folder) / name.replace(".pdf", ".docx")
            source.write_bytes(word_document(slug, fields, landscape))
            subprocess.run(
                ["soffice", "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
                check=True,
                capture_output=True,
                timeout=300,
            )
            (PDFS / name).write_bytes((pathlib.Path(folder) / name).read_bytes())
            print(f"wrote {PDFS / name}", file=sys.stderr)


if __name__ == "__main__":
    main()
