"""The PDF a DMT would table: tagged for screen readers, key messages first, exceptions grouped
by outcome, and table headers that never run into each other."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reporting.services import key_messages_set
from tests import factories

pytestmark = pytest.mark.django_db


def pdf_of(client, user, timeline, name="q3") -> PdfReader:
    client.force_login(user)
    response = client.get(reverse("dashboard:pdf", args=[timeline["strategy"].slug, timeline[name].slug]))
    assert response.status_code == 200
    return PdfReader(BytesIO(response.content))


def _widths(font) -> tuple[dict[int, float], float]:
    """A Type 0 font's glyph widths (thousandths of an em) by glyph id, and its default width."""
    descendant = font["/DescendantFonts"][0].get_object()
    widths, default = {}, float(descendant.get("/DW", 1000))
    array = list(descendant.get("/W", []))
    index = 0
    while index < len(array):
        first, second = int(array[index]), array[index + 1]
        if isinstance(second, list) or hasattr(second, "__iter__"):
            for offset, width in enumerate(second):
                widths[first + offset] = float(width)
            index += 2
        else:
            for glyph in range(first, int(second) + 1):
                widths[glyph] = float(array[index + 2])
            index += 3
    return widths, default


def text_boxes(page) -> list[dict]:
    """Each text-showing operation on the page as a box in page coordinates, measured from
    the embedded font's own glyph widths; bold runs marked. WeasyPrint writes Type 0 fonts
    with two-byte glyph ids."""
    fonts = {name: font.get_object() for name, font in page["/Resources"]["/Font"].items()}
    measures = {name: _widths(font) for name, font in fonts.items()}
    boxes, state = [], {"font": None, "size": 0.0}

    def visit(operator, operands, cm, tm):
        if operator == b"Tf":
            state["font"], state["size"] = operands[0], float(operands[1])
            return
        if operator not in (b"Tj", b"TJ") or state["font"] not in measures:
            return
        widths, default = measures[state["font"]]
        parts = operands[0] if operator == b"TJ" else [operands[0]]
        advance = 0.0  # in text space units (thousandths of an em)
        glyphs = 0
        for part in parts:
            if isinstance(part, bytes | str):
                data = part if isinstance(part, bytes) else part.encode("latin-1")
                for i in range(0, len(data) - 1, 2):
                    advance += widths.get(int.from_bytes(data[i : i + 2], "big"), default)
                    glyphs += 1
            else:
                advance -= float(part)
        if not glyphs:
            return
        # Text space to page space: the text matrix, then the current transformation.
        a, b, c, d, e, f = (float(v) for v in tm)
        ca, cb, cc, cd, ce, cf = (float(v) for v in cm)
        x, y = e * ca + f * cc + ce, e * cb + f * cd + cf
        scale_x, scale_y = abs(a * ca), abs(d * cd)
        size = state["size"]
        boxes.append(
            {
                "font": str(fonts[state["font"]].get("/BaseFont", "")),
                "x0": x,
                "x1": x + advance / 1000 * size * scale_x,
                "y0": y - 0.2 * size * scale_y,
                "y1": y + 0.75 * size * scale_y,
                "bold": "Bold" in str(fonts[state["font"]].get("/BaseFont", "")),
            }
        )

    page.extract_text(visitor_operand_before=visit)
    return boxes


def overlaps(one, two, slack=0.5) -> bool:
    return (
        one["x0"] < two["x1"] - slack
        and two["x0"] < one["x1"] - slack
        and one["y0"] < two["y1"] - slack
        and two["y0"] < one["y1"] - slack
    )


def test_the_pdf_is_tagged_with_a_title_and_language(client, dmt, timeline):
    reader = pdf_of(client, dmt, timeline)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root, "no structure tree: a screen reader gets no headings or tables"
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == "Children's Workforce Strategy 2016/17: DMT report, Q3 2016/17"
    # The title, not the file name, is what a reader's window shows.
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]


def test_key_messages_key_figures_and_the_outcomes_open_the_first_page(client, dmt, planner, timeline):
    period = timeline["q3"]
    key_messages_set(
        period=period, user=planner, key_messages="Agency use is falling at last.", strategic_lead="Jane Smith"
    )
    reader = pdf_of(client, dmt, timeline)
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Key messages" in first
    assert "Agency use is falling at last." in first
    assert "Strategic lead: Jane Smith" in first
    assert "At a glance" in first and "Actions by outcome" in first
    assert first.index("Key messages") < first.index("At a glance") < first.index("By outcome")


def test_exceptions_are_grouped_by_outcome(client, dmt, timeline):
    reader = pdf_of(client, dmt, timeline)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    start = text.index("Exceptions:")
    # Each outcome's heading names it and counts its exceptions.
    first, second = timeline["strategy"].outcomes.order_by("number")
    one, two = text.index(f"{first.title} (1)", start), text.index(f"{second.title} (2)", start)
    assert one < text.index("1.1.1 Action A", start) < two < text.index("2.1.4 Action D", start)
    # An action with no update says so once, then that it is overdue.
    assert "No update; Overdue. Lead" in text and "No update; No update" not in text


def test_no_header_cell_overlaps_another_on_any_page(client, dmt, timeline):
    # Long outcome titles and a long indicator: the widest tables the report has.
    for outcome in timeline["strategy"].outcomes.all():
        outcome.title = "a workforce with a shared vision and purpose, well supported and well led in every team"
        outcome.save()
    indicator = factories.WorkforceIndicatorFactory(name="% of social workers with an appraisal in the last year")
    indicator.strategies.add(timeline["strategy"])
    reader = pdf_of(client, dmt, timeline)
    checked = 0
    for number, page in enumerate(reader.pages, start=1):
        headers = [box for box in text_boxes(page) if box["bold"]]
        checked += len(headers)
        for index, one in enumerate(headers):
            for two in headers[index + 1 :]:
                assert not overlaps(one, two), f"page {number}: header text at {one} overlaps {two}"
    assert checked > 50, "the check found the tables' header cells"


def test_every_page_is_portrait_for_printing_double_sided(client, dmt, timeline):
    """DMT prints the pack double-sided: one landscape page among portrait ones lands sideways
    on its sheet. The widest table, by outcome, fits a portrait page (see the next test)."""
    for outcome in timeline["strategy"].outcomes.all():
        outcome.title = "a workforce with a shared vision and purpose, well supported and well led in every team"
        outcome.save()
    reader = pdf_of(client, dmt, timeline)
    assert any("By outcome" in page.extract_text() for page in reader.pages)
    sizes = [(round(float(page.mediabox.width)), round(float(page.mediabox.height))) for page in reader.pages]
    assert set(sizes) == {(595, 842)}, f"not every page is A4 portrait: {sizes}"


def test_the_first_page_is_filled_rather_than_broken_early(client, dmt, timeline):
    """No section starts a page of its own: the first page ran out at the charts, 40% of it
    blank, because the exceptions began a new page. Its last line of text is now near the foot
    of its printed area (the footer's page number aside)."""
    for action in timeline["actions"].values():  # exceptions enough to run onto a second page
        action.description = "Agree and publish the workforce plan with every team. " * 6
        action.save()
    reader = pdf_of(client, dmt, timeline)
    assert len(reader.pages) > 1
    body = [box for box in text_boxes(reader.pages[0]) if box["y0"] > 60]  # above the footer
    lowest = min(box["y0"] for box in body)
    height = float(reader.pages[0].mediabox.height)
    assert lowest < 0.2 * height, f"page 1's text ends {lowest:.0f} pt from the foot of an {height:.0f} pt page"
