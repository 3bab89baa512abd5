"""Word documents built with python-docx from a loaded strategy's own plan, for the Word import."""

import io
from dataclasses import dataclass

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


# The three strategies' plans laid out as their documents lay them out, and a plan of another
# council's shape: several tables, headers over one or two rows, cells merged down and across.


@dataclass
class PlanTable:
    """A table of a plan document: its header rows (None: the cell to its left spans this
    column too), its rows, and the columns merged down while they repeat the row above."""

    header: list[list[str | None]]
    rows: list[list[str]]
    merged: frozenset[int] = frozenset()
    heading: str = ""


def build_plan_docx(tables: list[PlanTable]) -> bytes:
    """A .docx of the tables, each after its heading paragraph; a cell's lines are paragraphs."""
    document = docx.Document()
    for plan_table in tables:
        if plan_table.heading:
            document.add_heading(plan_table.heading, level=2)
        header, rows = plan_table.header, plan_table.rows
        width = len(header[0]) if header else len(rows[0])
        table = document.add_table(rows=len(header) + len(rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(header):
            for c, text in enumerate(row):
                if text is None:
                    continue
                span = 1
                while c + span < width and row[c + span] is None:
                    span += 1
                cell = table.cell(r, c).merge(table.cell(r, c + span - 1)) if span > 1 else table.cell(r, c)
                _write(cell, text)
        top = len(header)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if c in plan_table.merged and r > 0 and text == rows[r - 1][c]:
                    continue
                _write(table.cell(top + r, c), text)
        for c in plan_table.merged:
            first = 0
            for r in range(1, len(rows) + 1):
                if r == len(rows) or rows[r][c] != rows[first][c]:
                    if r - 1 > first:
                        table.cell(top + first, c).merge(table.cell(top + r - 1, c))
                    first = r
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _write(cell, text: str) -> None:
    lines = text.split("\n")
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _by_outcome(strategy: Strategy):
    actions = Action.objects.filter(strategy=strategy).order_by("order", "reference")
    actions = actions.select_related("outcome", "recommendation").prefetch_related("lead_teams")
    by_outcome: dict[int, list[Action]] = {}
    for action in actions:
        by_outcome.setdefault(action.outcome.number, []).append(action)
    return by_outcome


def leicestershire_tables(strategy: Strategy) -> list[PlanTable]:
    """Leicestershire CFS 2016/17: a table per outcome, the header over two rows ("We want…"
    above "Theme"; "How we know it has worked…" across the measure and its evidence), the
    outcome, recommendation, rationale and measures merged down beside their actions; then
    its table of risks and their controls."""
    header: list[list[str | None]] = [
        ["We want…", "We Will…", "Why we will…", "How we will…", "Who will…", "When will\nwe…"]
        + ["How we know it has worked...", None],
        ["Theme", "Recommendations", "Outcome(s)", "Actions", "Lead Team(s)", "Timescale"]
        + ["Measure of Success", "Indicator of Success / Evidence"],
    ]
    tables = []
    for actions in _by_outcome(strategy).values():
        rows = [
            [
                f"…{a.outcome.title}",
                f"…{a.recommendation.title}" if a.recommendation else "",
                a.recommendation.rationale if a.recommendation else "",
                a.description,
                "\n".join(t.name for t in a.lead_teams.all()),
                a.timescale,
                _measures(a, "measure"),
                _measures(a, "indicator"),
            ]
            for a in actions
        ]
        heading = f"Outcome {actions[0].outcome.number}"
        tables.append(PlanTable(header, rows, merged=frozenset({0, 1, 2, 6, 7}), heading=heading))
    risks = [[risk.risk, risk.control] for risk in strategy.risks.order_by("number")]
    if risks:  # the document's risk table follows the plan: not a plan, so not loaded
        tables.append(PlanTable([["Risk", "Control"]], risks, heading="Risks"))
    return tables


def lincolnshire_tables(strategy: Strategy) -> list[PlanTable]:
    """Lincolnshire CS 2014-16: its five numbered priorities, each with its actions (bullets in
    the document, a row each here), the header repeated on each priority's table."""
    header: list[list[str | None]] = [["Priority", "Action", "Lead", "Timescale", "Links to framework"]]
    return [
        PlanTable(
            header,
            [
                [
                    f"{a.outcome.number}. {a.outcome.title}",
                    a.description,
                    "\n".join(t.name for t in a.lead_teams.all()),
                    a.timescale,
                    a.framework_link,
                ]
                for a in actions
            ],
            merged=frozenset({0}),
        )
        for actions in _by_outcome(strategy).values()
    ]


def leicester_city_tables(strategy: Strategy) -> list[PlanTable]:
    """Leicester City ECS 2017-20: a table per theme, its commitments under headings within it
    (the objective column), each action numbered as the document numbers it."""
    header: list[list[str | None]] = [["Theme", "Objective", "Ref.", "Actions", "Lead", "When", "Framework"]]
    return [
        PlanTable(
            header,
            [
                [
                    a.outcome.title,
                    a.recommendation.title if a.recommendation else "",
                    a.reference,
                    a.description,
                    "\n".join(t.name for t in a.lead_teams.all()),
                    a.timescale,
                    a.framework_link,
                ]
                for a in actions
            ],
            merged=frozenset({0, 1}),
        )
        for actions in _by_outcome(strategy).values()
    ]


#: Each strategy's plan as its document lays it out.
LAID_OUT = {
    "leicestershire-cfs-2016-17": leicestershire_tables,
    "lincolnshire-cs-2014-16": lincolnshire_tables,
    "leicester-city-ecs-2017-20": leicester_city_tables,
}


# A plan of another council's shape: six columns, the header repeated
# so the plan is four tables, no outcome or recommendation column, measures in a column headed
# "Outcomes", people as lead officers, costs in prose, an action's items "i." to "vii." in its
# cell, a timescale on two lines; and a copy with the columns reordered under a two-row header.

MEASURE_2 = (
    "More applications from experienced social workers and foster carers in the county, with the number of "
    "vacancies for qualified social workers falling below ten per cent by the end of the year, fewer posts "
    "covered by agency staff, and new starters telling us in their first review that the campaign, the "
    "website and the events were what brought them to apply to the council rather than to a neighbour."
)
ITEMS = [f"{n} {text}" for n, text in zip(
    ["i.", "ii.", "iii.", "iv.", "v.", "vi.", "vii."],
    ["induction for new starters", "supervision skills", "assessment and analysis", "court skills",
     "working with partners", "reflective practice", "leadership for team managers"],
    strict=True,
)]  # fmt: skip
PLAN = [
    # Action, Links to framework, Outcomes, Timescale, Lead Officer, Resources (Estimated Costs)
    [
        "1. Agree the workforce strategy with the Children's Trust Board",
        "Strategy",
        "The strategy is agreed by the Board and every service knows its part in delivering it.",
        "Strategy agreed by October 2009\nImplementation - ongoing",
        "Jane Smith",
        "nil",
    ],
    [
        "2. Run a recruitment campaign for social workers and foster carers",
        "Recruitment and retention",
        MEASURE_2,
        "March 2010",
        "Amir Patel",
        "Materials, promotional costs (£1000)\nPlus cost of running programme",
    ],
    [
        "3. Deliver a programme of workforce development events for front line staff:\n" + "\n".join(ITEMS),
        "Workforce development",
        "Every front line worker attends at least three events in the year and rates them as useful.\n"
        "Audits of case files show the skills taught being used in practice with families.",
        "April 2009 - March 2010",
        "Jane Smith",
        "£12,000",
    ],
    [
        "4. Set up a peer mentoring scheme for newly qualified social workers in every locality team",
        "Workforce development",
        "Every newly qualified social worker has a mentor within a month of starting and stays a second year.",
        "Summer 2009",
        "Amir Patel",
        "£1.5k",
    ],
    [
        "5. Review the council's pay and grading of social work posts against its neighbours",
        "Recruitment and retention",
        "Pay for social work posts is in line with the region's and fewer leavers give pay as their reason.",
        "December 2009",
        "Chris O'Neill",
        "Within existing budget",
    ],
    [
        "6. Publish a quarterly workforce report to the management team with vacancies and agency use",
        "Strategy",
        "The management team sees each quarter where vacancies are and acts on them before they grow.",
        "Quarterly",
        "Jane Smith",
        "Analyst time, about £2,500 a year",
    ],
    [
        "7. Hold an annual celebration of practice for staff and partners across the children's workforce",
        "Workforce development",
        "Staff survey results show staff feel their work is seen and valued by the council's leaders.",
        "July 2009 and then annually",
        "Chris O'Neill",
        "£800",
    ],
]
HEADER = ["Action", "Links to framework", "Outcomes", "Timescale", "Lead Officer", "Resources (Estimated Costs)"]
PAGES = [PLAN[0:2], PLAN[2:3], PLAN[3:5], PLAN[5:7]]  # the header repeated at each page: four tables
#: The copy: columns reordered, the header over two rows.
ORDER = [4, 3, 0, 5, 1, 2]
TWO_ROW_HEADER = [
    ["Lead", "Timescale", "Action", "Resources", "Links to", "Outcomes"],
    ["Officer", "", "", "(Estimated Costs)", "framework", ""],
]


def issue_plan(*, reordered: bool = False) -> bytes:
    if not reordered:
        return build_plan_docx([PlanTable([HEADER], rows) for rows in PAGES])
    return build_plan_docx([PlanTable(TWO_ROW_HEADER, [[row[c] for c in ORDER] for row in rows]) for rows in PAGES])
