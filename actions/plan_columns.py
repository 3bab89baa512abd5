"""What a plan's tables are and what each column holds, read from the headers and the cells.

A council's plan often runs over several tables: the header repeated at each page, or one
table per outcome. ``plans_from`` groups tables with the same header into one plan, found by
its header rows (one or more: "We want…" above "Theme"), so the planner maps each plan's
columns once. ``suggest_field`` reads a header's words; ``suggest_column`` reads the cells as
well: a column of people is lead officers, of £ amounts costs, and an "Outcomes" column of
long sentences measures of success, whatever the header says.

Only the tables' text is read (a list of rows of (text, merged from above) cells), so tables
read from a PDF are grouped and suggested the same way as those of a Word document.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Collection
from dataclasses import dataclass

from actions.costs import looks_like_cost
from actions.word_tables import Cell, Table

#: The fields a column can be mapped to, in the order the form offers them.
FIELDS = {
    "": "(not loaded)",
    "outcome": "Outcome (We want…)",
    "recommendation": "Recommendation (We will…)",
    "rationale": "Rationale (Why we will…)",
    "reference": "Reference",
    "action": "Action (How we will…)",
    "lead_teams": "Lead team(s)",
    "lead_officer": "Lead officer (people)",
    "timescale": "Timescale",
    "measure": "Measure of success",
    "indicator": "Indicator or evidence",
    "estimated_cost": "Estimated cost",
    "framework_link": "Framework link",
    "notes": "Notes",
}
#: Header words and the field they suggest; the first that the header contains wins.
_SUGGESTIONS = [
    ("why we will", "rationale"),
    ("how we will know", "measure"),
    ("how we know", "measure"),
    ("how we will", "action"),
    ("lead officer", "lead_officer"),
    ("officer", "lead_officer"),
    ("who will", "lead_teams"),
    ("lead", "lead_teams"),
    ("responsib", "lead_teams"),
    ("when", "timescale"),
    ("timescale", "timescale"),
    ("deadline", "timescale"),
    ("indicator", "indicator"),
    ("evidence", "indicator"),
    ("measure", "measure"),
    ("success", "measure"),
    ("we will", "recommendation"),
    ("recommendation", "recommendation"),
    ("objective", "recommendation"),
    ("we want", "outcome"),
    ("theme", "outcome"),
    ("priority", "outcome"),
    ("outcome", "outcome"),
    ("action", "action"),
    ("cost", "estimated_cost"),
    ("resource", "estimated_cost"),
    ("budget", "estimated_cost"),
    ("links to", "framework_link"),
    ("framework", "framework_link"),
    ("ref", "reference"),
    ("no.", "reference"),
    ("note", "notes"),
    ("comment", "notes"),
]
MAX_HEADER_ROWS = 5
#: Words of a team, post or board, never of a person's name.
_NOT_A_NAME = {
    "team", "teams", "service", "services", "hr", "board", "planning", "development", "strategic", "head",
    "heads", "manager", "managers", "group", "council", "officer", "officers", "department", "unit", "lscb",
    "worker", "workers", "director", "directors", "lead", "leads", "comms", "communications", "university",
    "learning", "support", "partnership", "all", "principal", "assistant", "corporate", "children", "social",
    "work", "workforce", "organisational", "strategy", "of", "and", "the", "for", "in", "panel",
}  # fmt: skip
_NAME = re.compile(r"(?:(?:mr|mrs|ms|miss|dr|prof)\.?\s+)?[A-Z][a-zA-Z'’-]+(?:\s+[A-Z][a-zA-Z'’-]+){1,2}")
_SEPARATORS = re.compile(r"\n|/|;|,|&|\band\b")


def suggest_field(header: str) -> str:
    """The field a column's header words suggest, or "" when they suggest none."""
    words = re.sub(r"\s+", " ", header).strip().lower()
    for stem, name in _SUGGESTIONS:
        if stem in words:
            return name
    return ""


def suggest_column(header: str, cells: list[str], *, team_names: Collection[str] = ()) -> str:
    """The field a column holds, from its header and its cells (the rows below the header).

    The cells decide where they say something the header cannot: people's names are lead
    officers (unless they are names of teams the product knows), £ amounts and "nil" are
    costs, and long sentences, each different, under a header saying outcome or success are
    measures of success (an outcome is a short title, repeated down its rows).
    """
    by_header = suggest_field(header)
    filled = [text for text in cells if text.strip()]
    if not filled:
        return by_header
    known = {name.casefold() for name in team_names}
    if by_header in ("", "lead_teams", "lead_officer") and _mostly(filled, lambda t: _names_people(t, known)):
        return "lead_officer"
    if by_header in ("", "estimated_cost", "notes") and _mostly(filled, looks_like_cost):
        return "estimated_cost"
    if by_header in ("outcome", "measure") and _long_and_different(filled):
        return "measure"
    return by_header


def _mostly(cells: list[str], test) -> bool:
    return sum(1 for text in cells if test(text)) * 2 > len(cells)


def _names_people(text: str, known_teams: Collection[str]) -> bool:
    """Whether every part of a cell is a person's name: two or three capitalised words, none
    a word of a team or post, and not a team the product knows."""
    parts = [part.strip() for part in _SEPARATORS.split(text) if part.strip()]
    return bool(parts) and all(
        _NAME.fullmatch(part)
        and part.casefold() not in known_teams
        and not any(word.casefold().strip(".") in _NOT_A_NAME for word in part.split())
        for part in parts
    )


def _long_and_different(cells: list[str]) -> bool:
    """Sentences (twelve words and more, as a rule), mostly each its own: not an outcome's title."""
    words = statistics.median(len(text.split()) for text in cells)
    return words >= 12 and len(set(cells)) * 3 >= len(cells) * 2


@dataclass
class Plan:
    """Tables with the same header: one plan, mapped once.

    ``tables`` are the tables' numbers (from 1), ``header_rows`` how many rows head each,
    ``headers`` each column's header as the document writes it (its header rows joined).
    """

    tables: list[int]
    header_rows: int
    headers: list[str]

    def rows(self, tables: list[Table]):
        """Each row below the headers as (table number, row number, cells); a row repeating the
        header (a page's repeated header, as a PDF gives it) is left out."""
        heading = [_key(row) for row in tables[self.tables[0] - 1][: self.header_rows]]
        for number in self.tables:
            table = tables[number - 1]
            skip = self.header_rows if _key(table[0]) in heading or not heading else 0
            for row_number, row in enumerate(table, start=1):
                if row_number <= skip or (heading and _key(row) in heading):
                    continue
                yield number, row_number, row

    def cells(self, tables: list[Table], column: int) -> list[str]:
        """The column's cells below the headers, in every table of the plan."""
        return [row[column][0] for _, _, row in self.rows(tables) if column < len(row)]


def plans_from(tables: list[Table]) -> list[Plan]:
    """The plans of a document's tables: tables whose header rows are the same are one plan;
    a table with no header row, as wide as the table before, continues that table's plan."""
    plans: list[Plan] = []
    by_header: dict[tuple, Plan] = {}
    for number, table in enumerate(tables, start=1):
        count = header_rows(table)
        if count == 0 and plans and len(table[0]) == len(tables[plans[-1].tables[-1] - 1][0]):
            plans[-1].tables.append(number)
            continue
        key = tuple(_key(row) for row in table[:count]) or (number,)
        if key in by_header:
            by_header[key].tables.append(number)
            continue
        plan = Plan(tables=[number], header_rows=count, headers=headers_of(table, count))
        by_header[key] = plan
        plans.append(plan)
    return plans


def header_rows(table: Table) -> int:
    """How many rows at the top of a table are its header: the first row if it reads as one
    (short cells, most naming a field, no figures; or a word or two a cell above longer text,
    as "Risk" and "Control" are), and each row below it that reads as a header too."""
    count = 0
    for row in table[: min(MAX_HEADER_ROWS, len(table) - 1)]:
        if not _reads_as_header(row, below_header=count > 0):
            break
        count += 1
    if count == 0 and len(table) > 1 and _labels_above_text(table[0], table[1]):
        count = 1
    return count


def _labels_above_text(first: list[Cell], second: list[Cell]) -> bool:
    """Whether the first row is labels (each cell at most three words, no figures) over a row
    of longer text."""
    labels = [text for text, _ in first if text.strip()]
    below = max((len(text.split()) for text, _ in second), default=0)
    return (
        len(labels) >= 2
        and all(len(text.split()) <= 3 and not re.search(r"[\d£]", text) for text in labels)
        and below > 2 * max(len(text.split()) for text in labels)
    )


def _reads_as_header(row: list[Cell], *, below_header: bool) -> bool:
    texts = [text for text, continued in row if text.strip() and not continued]
    if not texts or any(len(text.split()) > 8 or re.search(r"[\d£]", text) for text in texts):
        return below_header and not texts and any(text for text, _ in row)  # a header cell merged down
    named = sum(1 for text in texts if suggest_field(text))
    return named * 2 >= len(texts) and (below_header or named >= 1)


def headers_of(table: Table, count: int) -> list[str]:
    """Each column's header: its header rows' texts joined, a cell merged down counted once."""
    width = max((len(row) for row in table[:count]), default=len(table[0]))
    headers = []
    for column in range(width):
        parts: list[str] = []
        for row in table[:count]:
            if column < len(row) and row[column][0].strip() and not row[column][1]:
                parts.append(re.sub(r"\s+", " ", row[column][0]).strip())
        headers.append(" ".join(parts))
    return headers


def _key(row: list[Cell]) -> tuple[str, ...]:
    return tuple(re.sub(r"\s+", " ", text).strip().casefold() for text, _ in row)
