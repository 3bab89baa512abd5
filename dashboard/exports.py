"""The report pack: the dashboard's content as an A4 PDF (WeasyPrint) and a workbook (openpyxl).

Every row of the workbook is written by outcomes.spreadsheets.append_row(): text that a
spreadsheet program could take for a formula stays text.
"""

from io import BytesIO

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dashboard import charts
from dashboard.selectors import HEADLINE, Report
from outcomes.spreadsheets import append_row
from reporting.words import rag_words, status_words


def filename(report: Report, extension: str) -> str:
    return f"{report.strategy.slug}-{report.period.slug}-dmt-report.{extension}"


def report_pdf(report: Report, *, base_url: str) -> bytes:
    """An A4 PDF: strategy and quarter on every page, page numbers, exceptions first."""
    from weasyprint import HTML  # imported here: it takes most of a second to load

    html = render_to_string(
        "dashboard/report_pdf.html",
        {
            "report": report,
            **charts.report_charts(report),
        },
    )
    # Tagged PDF/UA-1: a structure tree, the document's title and language, so a screen
    # reader can read it. Whole fonts: subsetting them costs more time than it saves.
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1", full_fonts=True)


def state_words(action) -> tuple[str, str]:
    """The action's status and RAG as at the quarter, in words."""
    return status_words(action.status_as_at), rag_words(action.status_as_at, action.rag_as_at)


def _sheet(workbook: Workbook, title: str, header: list[str], rows, widths: dict[int, int] | None = None):
    sheet = workbook.create_sheet(title)
    append_row(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    sheet.freeze_panes = "A2"
    for index in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = (widths or {}).get(index, 18)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return sheet


def report_xlsx(report: Report) -> bytes:
    """A workbook: Summary (headline and outcomes), Exceptions, Actions (every action's update), Indicators."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Summary"
    append_row(summary, [report.strategy.title])
    append_row(summary, [f"DMT quarterly progress report, {report.period}"])
    summary["A1"].font = Font(bold=True, size=14)
    append_row(summary, [])
    append_row(summary, ["Headline", "Number of actions"])
    for row in report.headline:
        append_row(summary, [row.label, row.value])
    append_row(summary, [])
    append_row(summary, ["Outcome", *[label for _, label, _ in HEADLINE], "% complete", "Direction of travel"])
    for row in report.outcomes:
        append_row(
            summary,
            [
                f"{row.outcome.number}. {row.outcome.title}",
                *[getattr(row.counts, key) for key, _, _ in HEADLINE],
                row.counts.percent_complete,
                f"{row.direction.arrow} {row.direction.words}" if row.direction else "No earlier quarter",
            ],
        )
    summary.column_dimensions["A"].width = 60
    for cell in summary[4]:
        cell.font = Font(bold=True)

    action_header = [
        "Reference",
        "Outcome",
        "Action",
        "Lead",
        "Timescale",
        "Due date",
        "Status",
        "RAG",
        "Overdue",
        "Progress this quarter",
        "Help needed from DMT",
        "Reason",
        "Next steps",
        "Evidence",
    ]

    def action_row(action):
        status, rag = state_words(action)
        return [
            action.reference,
            action.outcome_number,
            action.description,
            ", ".join(action.lead_names),
            action.timescale,
            action.due_date,
            status,
            rag,
            "Yes" if action.is_overdue else "No",
            action.period_progress or "",
            action.period_help_needed or "",
            action.period_reason or "",
            action.period_next_steps or "",
            action.period_evidence or "",
        ]

    widths = {1: 10, 2: 9, 3: 60, 10: 50, 11: 40, 13: 40}
    _sheet(workbook, "Exceptions", action_header, (action_row(a) for a in report.exceptions), widths)
    _sheet(workbook, "Actions", action_header, (action_row(a) for a in report.actions), widths)
    _sheet(
        workbook,
        "Indicators",
        ["Indicator", "Unit", "This quarter", "Last quarter", "Target", "Moved", "Against target"],
        (
            [
                row.indicator.name,
                row.indicator.unit,
                row.value,
                row.previous,
                row.target,
                row.moved,
                row.against_target,
            ]
            for row in report.indicators
        ),
        {1: 40},
    )
    _sheet(workbook, "Risks", ["Risk", "Control"], ([r.risk, r.control] for r in report.risks), {1: 60, 2: 60})
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
