"""PDFs made at test time with WeasyPrint from an HTML table, as a council's web team would
publish a plan: the header repeated on each page, running headers and footers with page
numbers in the page margins, ruled or not, portrait or landscape."""

from html import escape

from weasyprint import HTML

STYLE = """
@page {{
  size: A4 {orientation}; margin: 2.2cm 1.5cm;
  @top-left {{ content: "Workforce Strategy: action plan"; font-size: 8pt; }}
  @top-right {{ content: "Children and Family Services"; font-size: 8pt; }}
  @bottom-center {{ content: "Page " counter(page) " of " counter(pages); font-size: 8pt; }}
  @bottom-right {{ content: "Published 2016"; font-size: 8pt; }}
}}
body {{ font-family: "DejaVu Sans"; font-size: 8pt; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ vertical-align: top; text-align: left; padding: 3pt 4pt; {border} }}
th {{ font-weight: bold; }}
td p {{ margin: 0 0 4pt; }}
"""


def build_pdf(
    rows: list[list[str]],
    headers: list[str],
    *,
    merged=frozenset(),
    blank=frozenset(),
    ruled: bool = True,
    landscape: bool = False,
    running: bool = True,
    paragraphs: bool = False,
) -> bytes:
    """The rows as one HTML table, printed to PDF. Columns in ``merged`` span the rows that
    repeat them (rowspan), those in ``blank`` are left blank where they repeat the row above;
    line breaks in a cell become <br>, or with ``paragraphs`` each line a <p>, spaced apart by its
    margin. Without ``running``, no running headers or footers."""
    style = STYLE.format(
        orientation="landscape" if landscape else "portrait", border="border: 0.75pt solid #000;" if ruled else ""
    )
    body = []
    for r, row in enumerate(rows):
        cells = []
        for c, text in enumerate(row):
            repeats = r > 0 and text == rows[r - 1][c]
            if c in merged and repeats:
                continue
            if c in blank and repeats:
                text = ""
            span = 1
            if c in merged:
                while r + span < len(rows) and rows[r + span][c] == text:
                    span += 1
            lines = [escape(line) for line in text.split("\n")]
            content = "".join(f"<p>{line}</p>" for line in lines) if paragraphs and text else "<br>".join(lines)
            cells.append(f'<td rowspan="{span}">{content}</td>' if span > 1 else f"<td>{content}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    head = "".join(f"<th>{escape(header)}</th>" for header in headers)
    html = (
        f"<html><head><style>{style}</style></head><body><p>Action plan</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></body></html>"
    )
    if not running:
        html = html.replace("@top-", "@x-top-").replace("@bottom-", "@x-bottom-")  # unknown at-rules: ignored
    return HTML(string=html).write_pdf()
