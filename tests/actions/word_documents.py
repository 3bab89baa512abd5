"""Word documents built with python-docx from a loaded strategy's own plan, for the Word import."""

import io

import docx

from actions.models import Action
from outcomes.models import Strategy

#: field: (header as a council writes it, the cell's text for an action)
COLUMNS = {
    "outcome": ("We want…", lambda a: f"{a.outcome.number}. {a.outcome.title}"),
    "recommendation": ("We will…", lambda a: a.recommendation.title if a.recommendation else ""),
    "rationale": ("Why we will…", lambda a: a.recommendation.rationale if a.recommendation else ""),
    "reference": ("Ref.", lambda a: a.reference),
    "action": ("How we will…", lambda a: a.description),
    "lead_teams": ("Who will… Lead Team(s)", lambda a: "\n".join(t.name for t in a.lead_teams.all())),
    "lead_officer": ("Lead officer", lambda a: a.lead_officer),
    "timescale": ("When will we…", lambda a: a.timescale),
    "measure": ("Measure of Success", lambda a: _measures(a, "measure")),
    "indicator": ("Indicator of Success / Evidence", lambda a: _measures(a, "indicator")),
    "framework_link": ("Links to", lambda a: a.framework_link),
    "estimated_cost": ("Cost", lambda a: "" if a.estimated_cost is None else f"£{a.estimated_cost:,}"),
}


def _measures(action, name):
    """The recommendation's measures (or their evidence) as one cell, a paragraph each."""
    if action.recommendation is None:
        return ""
    return "\n".join(getattr(m, name) for m in action.recommendation.measures.order_by("number"))


#: The columns merged down while their value is the same as the row above's.
MERGED = {"outcome", "recommendation", "rationale", "measure", "indicator"}


def plan_rows(strategy: Strategy, fields: list[str]) -> list[list[str]]:
    actions = Action.objects.filter(strategy=strategy).order_by("order", "reference")
    actions = actions.select_related("outcome", "recommendation").prefetch_related("lead_teams")
    return [[COLUMNS[name][1](action) for name in fields] for action in actions]


def build_docx(rows: list[list[str]], headers: list[str], *, merged=frozenset(), blank=frozenset()):
    """A .docx with a paragraph and one table: the headers, then the rows.

    Columns in ``merged`` are merged down, and those in ``blank`` left blank, while they
    repeat the row above. Line breaks in a cell become paragraphs.
    """
    document = docx.Document()
    document.add_paragraph("Action plan")
    table = document.add_table(rows=1 + len(rows), cols=len(headers))
    for c, header in enumerate(headers):
        table.cell(0, c).text = header
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            if (c in merged or c in blank) and r > 1 and text == rows[r - 2][c]:
                continue
            cell = table.cell(r, c)
            lines = text.split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    for c in merged:
        top = 1
        for r in range(2, len(rows) + 2):
            if r == len(rows) + 1 or rows[r - 1][c] != rows[top - 1][c]:
                if r - 1 > top:
                    table.cell(top, c).merge(table.cell(r - 1, c))
                top = r
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
