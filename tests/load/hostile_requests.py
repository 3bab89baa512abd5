"""The most expensive requests each role may send, for the load test's hostile clients
(`tests/load/locustfile.py`). Plain data, so tests can check them against the limits."""

import io
import re

# The longest search the action list allows (10 words in 200 characters), with every other
# filter set, so that the state of each action in the quarter is worked out as well.
SEARCH_WORDS = [
    "workforce-development",
    "recruitment-retention",
    "supervision-appraisal",
    "professional-standard",
    "engagement-wellbeing",
    "communication-plan",
    "implementation-review",
    "safeguarding-training",
    "leadership-management",
    "agency",
]
LONGEST_SEARCH = {
    "q": " ".join(SEARCH_WORDS),
    "status": "in_progress",
    "rag": "green",
    "overdue": "no",
    "needs_update": "yes",
}

# The spreadsheet format's choice on the admin's import form.
XLSX_CHOICE = re.compile(r'<option value="(\d+)"[^>]*>\s*xlsx\s*</option>')
IMPORT_HEADERS = [
    "strategy", "outcome", "recommendation", "reference", "order", "description", "lead_teams",
    "lead_officer", "timescale", "estimated_cost", "framework_link", "notes",
]  # fmt: skip
#: The import's row limit, IMPORT_MAX_ROWS (settings), which the locustfile cannot read: a
#: test keeps the two the same.
IMPORT_MAX_ROWS = 500
DESCRIPTION = "Develop and implement a Workforce Engagement Plan with every service area. " * 6


def largest_import(rows: int, strategy: str = "leicestershire-cfs-2016-17") -> bytes:
    """An .xlsx of `rows` new actions (the import's row limit, IMPORT_MAX_ROWS, for the
    largest allowed) in outcome 1, recommendation 1 of `strategy`, each with a long
    description and two lead teams, all of which the preview must check."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(IMPORT_HEADERS)
    for n in range(rows):
        sheet.append([strategy, 1, 1, f"9.9.{n + 1}", 900 + n, f"{DESCRIPTION}({n})",
                      "Strategic HR; Corporate Comms Team", "", "March-April 2016 (and then monthly)",
                      1500, "", ""])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
