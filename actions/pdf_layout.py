"""A PDF's pages turned back into tables: rows of cells, as a Word document's tables are read.

A page gives words at places and, where the table is ruled, the cells its lines enclose
(found by pdfplumber). Where a table has no lines, its columns are where lines of text
start (clustered left edges) and its rows follow the order the producer drew the cells
in: Word, LibreOffice and browsers draw a table cell by cell, row by row, so a cell in a
column left of the one before starts a new row.

Over pages: a table at the top of a page with the columns of the table at the bottom of
the page before continues it; a first row equal to the table's header is the header
repeated, and left out; a first row whose every cell continues a cell that reached the
foot of the page before is the rest of a row broken over the page, joined to it. Running
headers and footers (a line near the top or foot of the page, apart from the rest, that
recurs on other pages or reads as a page number) are left out before any of this.

A cell's lines are joined into its text by ``actions.pdf_lines``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from actions.pdf_grids import Cell, Grid, Merged, PageText, lines_of, mark_foot, ruled_grid, unruled_grids
from actions.pdf_lines import Known, line_gap, vocabulary_of
from actions.word_tables import MAX_CELL_CHARACTERS, MAX_CELLS, MAX_COLUMNS, Table
from outcomes.spreadsheets import SpreadsheetRefused, max_rows


def tables_of(pages: list[PageText], names: Iterable[str] = ()) -> list[Table]:
    """The tables of the pages, joined over pages, as word_tables.read_tables gives them; a cell's
    line that reads as one of ``names`` ends a paragraph."""
    running = _running_lines(pages)
    grids: list[Grid] = []
    counter = _Counter()
    for page in pages:
        words = [word for word in page.words if id(word) not in running]
        found = [ruled_grid(page, boxes, words) for boxes in page.ruled] or unruled_grids(page, words)
        found = [grid for grid in found if grid.rows]
        for grid in found:
            if len(grid.lefts) > MAX_COLUMNS:
                raise SpreadsheetRefused(
                    f"Page {page.number} has a table of more than {MAX_COLUMNS} columns. A plan's table has one "
                    "column a field: save a copy without the other columns and try again."
                )
            counter.count(grid)
        if found:
            found[0].first_on_page = found[-1].last_on_page = True
            mark_foot(found[-1])
        grids += found
    spacing = _paragraph_gap(grids)  # read before cells broken over pages are joined
    # The foot of the text of a page: where the lowest table's text ends on any page.
    foot = max((grid.foot for grid in grids if grid.last_on_page), default=0.0)
    joined: list[Grid] = []
    for grid in grids:
        if joined and _continues(joined[-1], grid):
            _join(joined[-1], grid, foot)
        else:
            joined.append(grid)
    known = Known(
        vocabulary_of(w for page in pages for w in page.words),
        frozenset(" ".join(name.split()).casefold() for name in names),
        spacing,
    )
    return [_table(grid, known) for grid in joined]


#: Lines of one paragraph are set alike; a paragraph's spacing adds a quarter of a line or more.
_PARAGRAPH_SPACING = 0.25
#: The paragraph gaps a document shows before it is taken to space its paragraphs: more than
#: one, so that a line set apart once by chance (a larger character, a picture) does not decide.
_SPACED_PARAGRAPHS = 3


def _paragraph_gap(grids: list[Grid]) -> float | None:
    """The gap between two lines of a cell past which the second starts a paragraph, where the
    document spaces its paragraphs: the gap lines of one paragraph are set with (the narrowest
    most lines of cells keep), plus a quarter of a line. None where no more than a couple of
    lines are set further apart than that, as in a document whose paragraphs are not spaced."""
    gaps = sorted(
        line_gap(before, line)
        for grid in grids
        for row in grid.rows
        for cell in row
        if isinstance(cell, Cell)
        for before, line in zip(cell.lines, cell.lines[1:], strict=False)
    )
    if not gaps:
        return None
    threshold = gaps[len(gaps) // 10] + _PARAGRAPH_SPACING
    return threshold if sum(gap > threshold for gap in gaps) >= _SPACED_PARAGRAPHS else None


class _Counter:
    """Rows and cells counted as the pages' tables are found, against the Word import's limits."""

    def __init__(self):
        self.rows = self.cells = 0

    def count(self, grid: Grid) -> None:
        self.rows += len(grid.rows)
        if self.rows > max_rows():
            raise SpreadsheetRefused(f"The tables have more than {max_rows()} rows; load the plan in parts.")
        self.cells += sum(len(row) for row in grid.rows)
        if self.cells > MAX_CELLS:
            raise SpreadsheetRefused(
                f"The tables have more than {MAX_CELLS:,} cells (reading stopped at page {grid.page}); "
                "load the plan in parts."
            )


# Running headers and footers.

_PAGE_NUMBER = re.compile(r"^[-–—\s]*(page\s*)?\d+(\s*(of|/)\s*\d+)?[-–—\s]*$", re.IGNORECASE)
_BAND = 0.15  # the part of a page at its top and at its foot where running lines are


def _running_lines(pages: list[PageText]) -> set[int]:
    """The ids of the words of running headers, footers and page numbers."""
    candidates = []
    for page in pages:
        lines = lines_of(page.words)
        for index, line in enumerate(lines):
            top, bottom = min(w.top for w in line), max(w.bottom for w in line)
            size = max(w.size for w in line)
            if top < page.height * _BAND:
                after = lines[index + 1 :]
                apart = not after or min(w.top for w in after[0]) - bottom > 1.2 * size
                apart = apart and all(top < page.height * _BAND for line_ in lines[:index] for _ in line_[:1])
            elif bottom > page.height * (1 - _BAND):
                before = lines[:index]
                apart = not before or top - max(w.bottom for w in before[-1]) > 1.2 * size
            else:
                continue
            if apart:
                text = " ".join(w.text for w in sorted(line, key=lambda w: w.x0))
                candidates.append((page.number, round(top / 4), re.sub(r"\d+", "#", text), text, line))
    recurring: dict[tuple[int, str], set[int]] = {}
    for number, place, shape, _, _ in candidates:
        recurring.setdefault((place, shape), set()).add(number)
    running: set[int] = set()
    for _, place, shape, text, line in candidates:
        if len(recurring[(place, shape)]) > 1 or _PAGE_NUMBER.match(text):
            running.update(id(word) for word in line)
    return running


# Over pages.


def _origin(slot: object) -> Cell | None:
    if isinstance(slot, Merged):
        return slot.cell
    return slot if isinstance(slot, Cell) else None


def _continues(table: Grid, grid: Grid) -> bool:
    """Whether the grid, first on its page, continues the table ending the page before."""
    if not (grid.first_on_page and table.last_on_page and grid.page == table.page + 1):
        return False
    if len(grid.lefts) != len(table.lefts):
        return False
    return all(abs(a - b) < 3 for a, b in zip(grid.lefts, table.lefts, strict=True))


def _row_texts(row: list[object]) -> list[str]:
    return [" ".join(cell.text().split()) if isinstance(cell, Cell) else "" for cell in row]


def _join(table: Grid, grid: Grid, foot: float) -> None:
    """Add the grid's rows to the table: the header repeated left out, a row broken over the
    page joined to its first part, cells merged down over the page kept one cell."""
    rows = grid.rows
    if rows and table.rows and _row_texts(rows[0]) == _row_texts(table.rows[0]):
        rows = rows[1:]
    if not rows:
        table.page = grid.page
        return
    first, last = rows[0], table.rows[-1]
    written = [(slot, _origin(last[c])) for c, slot in enumerate(first) if isinstance(slot, Cell) and slot.lines]
    # A row broken over the page: the table ran to the foot of the page, and each cell written
    # on this page continues one that ran to the foot of the table.
    full = table.foot >= foot - 1.5 * table.line
    # (or was empty there, its text gone over whole, where the row began just above the foot
    # or the table is ruled, so that an empty cell is drawn).
    tops = [cell.lines[0][0].top for cell in map(_origin, last) if cell is not None and cell.lines]
    began_low = bool(tops) and min(tops) >= table.foot - 4 * table.line
    own = [slot for slot in last if isinstance(slot, Cell)]  # the cells the row itself begins
    went_over = all(
        above is not None and (above.reaches_foot or (not above.lines and (table.ruled or began_low)))
        for _, above in written
    )
    broken = (
        full
        and bool(written)
        and went_over
        and (
            began_low
            or not any(cell.lines for cell in own)
            or any(above is not None and above.reaches_foot for _, above in written)
        )
    )
    # The rows spanned by cells merged down over the page, empty here: their text ended above.
    # A cell spanning as many rows whose column's cell ran to the foot continues that cell, the
    # row they were merged across having ended at the foot of the page.
    going_on = {
        slot.rowspan
        for c, slot in enumerate(first)
        if isinstance(slot, Cell)
        and not slot.lines
        and slot.rowspan > 1
        and c < len(last)
        and (above := _origin(last[c])) is not None
        and above.lines
    }
    replaced: dict[int, Cell] = {}  # id of a cell on this page: the cell above it continues
    for c, slot in enumerate(first):
        above = _origin(last[c]) if c < len(last) else None
        if not isinstance(slot, Cell) or above is None:
            continue
        merged_above = isinstance(last[c], Merged) or above.rowspan > 1
        if (
            broken
            or (merged_above and (not slot.lines or (full and above.reaches_foot)))
            or (not slot.lines and slot.rowspan > 1 and above.lines)
            or (full and above.reaches_foot and slot.rowspan in going_on)
        ):
            above.lines += slot.lines
            replaced[id(slot)] = above
    for row in rows:
        for c, slot in enumerate(row):
            cell = _origin(slot)
            if cell is not None and id(cell) in replaced:
                row[c] = Merged(replaced[id(cell)])
    table.rows += rows[1:] if broken else rows
    table.page, table.last_on_page, table.lefts = grid.page, grid.last_on_page, grid.lefts
    table.foot, table.line = grid.foot, grid.line


def _table(grid: Grid, known: Known) -> Table:
    rows: Table = []
    for r, row in enumerate(grid.rows, start=1):
        cells = []
        for c, slot in enumerate(row, start=1):
            if isinstance(slot, Merged):
                cells.append((slot.cell.text(known), True))
            elif isinstance(slot, Cell):
                text = slot.text(known)
                if len(text) > MAX_CELL_CHARACTERS:
                    raise SpreadsheetRefused(
                        f"Row {r}, column {c} of the table ending on page {grid.page} has {len(text):,} characters; "
                        f"a cell may have at most {MAX_CELL_CHARACTERS:,}."
                    )
                cells.append((text, False))
            else:
                cells.append(("", False))
        rows.append(cells)
    return rows
