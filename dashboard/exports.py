"""The report pack: the dashboard's content as an A4 PDF (WeasyPrint) and a workbook (openpyxl).

Every row of the workbook is written by outcomes.spreadsheets.append_row(): text that a
spreadsheet program could take for a formula stays text.
"""

from decimal import Decimal
from io import BytesIO

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from actions.selectors import strategy_costs
from dashboard import charts, pdf_budget
from dashboard.collector import collector_paused
from dashboard.counting import HEADLINE
from dashboard.report_types import Report
from outcomes.spreadsheets import append_row
from reporting.words import closed_words, rag_colour, rag_words, status_words


def filename(report: Report, extension: str) -> str:
    return f"{report.strategy.slug}-{report.period.slug}-dmt-report.{extension}"


def report_pdf(report: Report, *, base_url: str) -> bytes:
    """An A4 PDF: strategy and quarter on every page, page numbers, exceptions first.

    Built within dashboard.pdf_budget's limits: raises PdfTooLarge past them."""
    with collector_paused():
        html = render_to_string(
            "dashboard/report_pdf.html",
            {
                "report": report,
                **charts.report_charts(report),
            },
        )
        return pdf_budget.write_pdf(html, base_url=base_url)


def state_words(action) -> tuple[str, str]:
    """The action's status and RAG as at the quarter, in words."""
    return status_words(action.status_as_at), rag_words(action.status_as_at, action.rag_as_at)


UK_DATE = "dd/mm/yyyy"
# Numbers as GOV.UK writes them: commas between the thousands; money to the penny.
WHOLE_NUMBER = "#,##0"
POUNDS = "#,##0.00"
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _table(sheet, name: str, header: list[str], rows: list[list], widths: dict[int, int]) -> None:
    """Write `header` and `rows` below what the sheet holds as an Excel table (filters on
    every column, banded rows), dates as dd/mm/yyyy, whole numbers and the columns of pounds
    with commas between the thousands; a header alone gets a filter instead."""
    append_row(sheet, header)
    first_row = sheet.max_row
    for cell in sheet[first_row]:
        cell.font = BOLD
        cell.alignment = WRAP
    for row in rows:
        append_row(sheet, row)
    last_row = first_row + len(rows)
    last_column = get_column_letter(len(header))
    ref = f"A{first_row}:{last_column}{last_row}"
    if rows:
        table = Table(displayName=name, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        sheet.add_table(table)
    else:
        sheet.auto_filter.ref = ref
    pounds = {index for index, title in enumerate(header) if "(£)" in title}
    for line in sheet.iter_rows(min_row=first_row + 1, max_row=last_row):
        for index, cell in enumerate(line):
            cell.alignment = WRAP
            if cell.is_date:
                cell.number_format = UK_DATE
            elif isinstance(cell.value, (int, float, Decimal)) and not isinstance(cell.value, bool):
                cell.number_format = POUNDS if index in pounds else _number_format(cell.value)
    for index in range(1, len(header) + 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width or 0, widths.get(index, 14))


def _number_format(value) -> str:
    """Commas between the thousands, and a fraction's digits only where it has them:
    1,466 and 1,305.2 (a whole number would otherwise end in a point); 5.5 as it is."""
    if value == int(value):
        return WHOLE_NUMBER
    return "#,##0.###" if abs(value) >= 1000 else "General"


def _print_setup(sheet: Worksheet, *, header_row: int | None) -> None:
    """Printed, a sheet is landscape A4 and one page wide (as many pages long as it takes),
    its header row repeated at the top of every page: the Actions sheet has 18 columns."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages long as it needs
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if header_row is not None:
        sheet.print_title_rows = f"{header_row}:{header_row}"


def _none_row(header: list[str], sentence: str, column: int = 0) -> list:
    """The one row of a sheet with nothing to list, saying so in `column`: the sheet is still a
    table like the others (an Excel table needs a row below its header)."""
    row: list[object] = [None] * len(header)
    row[column] = sentence
    return row


def _sheet(
    workbook: Workbook, title: str, header: list[str], rows, widths: dict[int, int] | None = None, *, none: str = ""
):
    """A sheet holding one table from its first row, its header row frozen and printed on
    every page; when there are no rows, one saying so (`none`) in its first column."""
    sheet = workbook.create_sheet(title)
    rows = list(rows)
    _table(sheet, title.replace(" ", ""), header, rows or [_none_row(header, none)], widths or {})
    if not rows:  # the sentence runs on across the empty cells beside it rather than wrapping
        sheet.cell(row=2, column=1).alignment = Alignment(vertical="top")
    sheet.freeze_panes = "A2"
    _print_setup(sheet, header_row=1)
    return sheet


def _colour_rag(sheet, header: list[str], actions, column: str = "RAG") -> None:
    """Fill each action's RAG cell (its rows from the second) with its state's colour, the
    report's own (reporting.words); the cell keeps its words."""
    index = header.index(column) + 1
    for (cell,), action in zip(sheet.iter_rows(min_row=2, min_col=index, max_col=index), actions, strict=False):
        colour = rag_colour(action.status_as_at, action.rag_as_at)
        cell.fill = PatternFill("solid", start_color=colour, end_color=colour)


def _decision_words(decision) -> str:
    if decision is None:
        return ""
    return f"{decision.outcome_label}: {decision.note}" if decision.note else decision.outcome_label


ACTION_HEADER = [
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
    "DMT decision",
    "DMT decision last quarter",
    "Reason",
    "Next steps",
    "Evidence",
    "Estimated cost (£)",
    "Carried forward from",
]
ACTION_WIDTHS = {
    1: 10,
    2: 9,
    3: 60,
    4: 24,
    5: 18,
    6: 12,
    10: 50,
    11: 40,
    12: 30,
    13: 30,
    15: 40,
    16: 30,
    17: 16,
    18: 16,
}


def _action_row(action) -> list:
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
        _decision_words(action.decision),
        _decision_words(action.previous_decision),
        action.period_reason or "",
        action.period_next_steps or "",
        action.period_evidence or "",
        action.estimated_cost,
        action.carried_from or "",
    ]


def _summary(workbook: Workbook, report: Report) -> None:
    """The summary: title, whether the figures may still change, key messages, then the
    headline and the outcomes as two tables."""
    summary = workbook.active
    assert isinstance(summary, Worksheet)  # a new workbook starts with one sheet
    summary.title = "Summary"
    append_row(summary, [report.strategy.title])
    summary["A1"].font = Font(bold=True, size=14)
    append_row(summary, [f"DMT quarterly progress report, {report.period}, as at {report.period.end:%d/%m/%Y}"])
    if report.period.is_open:
        append_row(
            summary, [f"{report.period} is still open for updates: these figures may change until it is closed."]
        )
        summary.cell(row=summary.max_row, column=1).font = Font(bold=True, color="D4351C")
    else:
        append_row(summary, [closed_words(report.period)])
    append_row(summary, ["Key messages", report.period.key_messages or "None written for this quarter."])
    summary.cell(row=summary.max_row, column=1).font = BOLD
    summary.cell(row=summary.max_row, column=2).alignment = WRAP
    if report.period.strategic_lead:
        append_row(summary, ["Strategic lead", report.period.strategic_lead])
        summary.cell(row=summary.max_row, column=1).font = BOLD
    append_row(summary, [])
    _table(
        summary,
        "Headline",
        ["Headline", "Number of actions"],
        [[row.label, row.value] for row in report.headline],
        {1: 40, 2: 18},
    )
    append_row(summary, [])
    costs = strategy_costs(report.strategy)
    costs_by_outcome = {outcome.pk: outcome.cost_total for outcome in costs.outcomes}
    _table(
        summary,
        "ByOutcome",
        [
            "Outcome",
            *[label for _, label, _ in HEADLINE],
            "Per cent complete",
            "Direction of travel",
            *([f"Against {report.year_earlier_label}"] if report.year_earlier_label else []),
            "Estimated cost (£)",
        ],
        [
            [
                f"{row.outcome.number}. {row.outcome.title}",
                *[getattr(row.counts, key) for key, _, _ in HEADLINE],
                row.counts.percent_complete,
                f"{row.direction.arrow} {row.direction.words}" if row.direction else "No earlier quarter",
                *(
                    [
                        f"{row.year_direction.arrow} {row.year_direction.words}"
                        if row.year_direction
                        else "No actions then"
                    ]
                    if report.year_earlier_label
                    else []
                ),
                costs_by_outcome.get(row.outcome.pk),
            ]
            for row in report.outcomes
        ],
        {1: 40},
    )
    append_row(
        summary,
        [
            "Estimated cost of the strategy's actions (£)",
            costs.total if costs.total is not None else "No action has an estimated cost",
            f"{costs.costed} of {costs.action_count} actions costed",
        ],
    )
    summary.cell(row=summary.max_row, column=1).font = BOLD
    summary.cell(row=summary.max_row, column=2).number_format = POUNDS
    summary.column_dimensions["A"].width = 50
    summary.column_dimensions["B"].width = 60
    # Its tables' headers are its own rows, part way down: none repeats on every page.
    _print_setup(summary, header_row=None)


def _action_rows(actions: list, none: str) -> list[list]:
    """A row for each action; when there are none, one row that says so under the action's
    heading (`_none_row`)."""
    if actions:
        return [_action_row(a) for a in actions]
    return [_none_row(ACTION_HEADER, none, ACTION_HEADER.index("Action"))]


def report_xlsx(report: Report) -> bytes:
    """A workbook: Summary (key messages, headline, outcomes and costs), Exceptions, Due next
    quarter, Actions (every action's update and DMT's decisions), Indicators, Measures (of
    success, against their targets), Risks."""
    workbook = Workbook()
    _summary(workbook, report)
    for title, actions, none in (
        ("Exceptions", report.exceptions, f"No exceptions in {report.period}."),
        ("Due next quarter", report.due_next, f"No actions fall due in {report.next_quarter_label}."),
        ("Actions", report.actions, "The strategy has no actions."),
    ):
        sheet = _sheet(workbook, title, ACTION_HEADER, _action_rows(actions, none), ACTION_WIDTHS)
        _colour_rag(sheet, ACTION_HEADER, actions)
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
                row.target,  # empty when there is none: "Against target" says so
                row.moved,
                row.against_target,
            ]
            for row in report.indicators
        ),
        {1: 40, 6: 20, 7: 20},
        none="No workforce indicators are linked to this strategy.",
    )
    _sheet(
        workbook,
        "Measures",
        [
            "Recommendation",
            "Measure of success",
            "Workforce figure",
            "Latest",
            "Quarter",
            "Target",
            "Unit",
            "Against target",
        ],
        (
            [
                row.measure.recommendation.reference,
                row.measure.measure,
                row.measure.workforce_indicator.name if row.measure.workforce_indicator else "",
                row.value,
                row.quarter.label if row.quarter else "",
                row.target,  # empty when there is none: "Against target" says so
                row.unit,
                row.against_target,
            ]
            for row in report.measures
        ),
        {1: 14, 2: 60, 3: 30, 8: 18},
        none="No measure of success in this strategy is shown by a workforce figure.",
    )
    _sheet(
        workbook,
        "Risks",
        ["Risk", "Control"],
        ([r.risk, r.control] for r in report.risks),
        {1: 60, 2: 60},
        none="The strategy lists no risks.",
    )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
