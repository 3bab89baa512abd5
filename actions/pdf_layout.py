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
from dataclasses import dataclass, field

from actions.pdf_lines import Known, Word, joined_lines, line_gap, vocabulary_of
from actions.word_tables import MAX_CELL_CHARACTERS, MAX_CELLS, MAX_COLUMNS, Table
from outcomes.spreadsheets import SpreadsheetRefused, max_rows

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass
class PageText:
    """What a page gives: its words in the order drawn, and the cell boxes of each ruled table
    as pdfplumber finds them (rows of boxes, None where a merged cell covers the place)."""

    number: int
    width: float
    height: float
    words: list[Word]
    ruled: list[list[list[Box | None]]] = field(default_factory=list)


@dataclass
class Cell:
    lines: list[list[Word]]
    right: float  # where the cell's text may reach
    rowspan: int = 1
    reaches_foot: bool = False  # its text ends within a few lines of the foot of the page's table

    def text(self, known: Known | None = None) -> str:
        return joined_lines(self.lines, self.right, known or Known(frozenset(), frozenset()))


ACROSS = "across"  # a place covered by a cell merged across from the left


@dataclass
class Grid:
    """A table, or the part of it on one page: column left edges, rows of slots (a Cell, a
    Cell merged down from above, or ACROSS)."""

    page: int
    lefts: list[float]
    rows: list[list[object]]
    first_on_page: bool = False
    last_on_page: bool = False
    ruled: bool = True
    foot: float = 0.0  # where the text of the page's last table ends
    line: float = 0.0  # the height of a line of its text


def tables_of(pages: list[PageText], names: Iterable[str] = ()) -> list[Table]:
    """The tables of the pages, joined over pages, as word_tables.read_tables gives them; a cell's
    line that reads as one of ``names`` ends a paragraph."""
    running = _running_lines(pages)
    grids: list[Grid] = []
    counter = _Counter()
    for page in pages:
        words = [word for word in page.words if id(word) not in running]
        found = [_ruled_grid(page, boxes, words) for boxes in page.ruled] or _unruled_grids(page, words)
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
            _mark_foot(found[-1])
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


def _lines_of(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines across the page, top to bottom."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and abs(word.top - lines[-1][0].top) < word.size / 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def _running_lines(pages: list[PageText]) -> set[int]:
    """The ids of the words of running headers, footers and page numbers."""
    candidates = []
    for page in pages:
        lines = _lines_of(page.words)
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


# Ruled tables.


def _ruled_grid(page: PageText, boxes: list[list[Box | None]], words: list[Word]) -> Grid:
    """A ruled table's rows of slots, each cell holding the words whose middle is inside it."""
    lefts = sorted({box[0] for row in boxes for box in row if box})
    placed: dict[Box, list[Word]] = {}
    cells_boxes = [box for row in boxes for box in row if box]
    rest = []
    for word in words:
        x, y = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
        home = next((b for b in cells_boxes if b[0] <= x < b[2] and b[1] <= y < b[3]), None)
        if home is None:
            rest.append(word)
        else:
            placed.setdefault(home, []).append(word)
    _overflow(boxes, lefts, placed, rest)
    rows: list[list[object]] = []
    above: dict[int, Cell] = {}  # each column's cell, for the places it covers below
    for r, row in enumerate(boxes):
        slots: list[object] = []
        for c, box in enumerate(row):
            if box is None:
                covering = above.get(c)
                if covering is not None and _covers_from_above(boxes, r, c, lefts):
                    slots.append(_Merged(covering))
                else:
                    slots.append(ACROSS)
                continue
            inside = placed.get(box, [])
            pad = min((w.x0 - box[0] for w in inside), default=0.0)
            rowspan = sum(1 for other in boxes[r:] if _row_top(other) < box[3] - 1)
            cell = Cell(_cell_lines(inside), right=box[2] - max(pad, 0.0), rowspan=max(rowspan, 1))
            for covered in range(c, c + _colspan(box, lefts)):
                above[covered] = cell
            slots.append(cell)
        rows.append(slots)
    return Grid(page.number, lefts, rows)


def _overflow(boxes: list[list[Box | None]], lefts: list[float], placed: dict[Box, list[Word]], rest: list[Word]):
    """Words running on below a table's last row, as a cell broken over a page is drawn by some
    producers (its lines stop where the row would have ended): given to the last row's cells."""
    cells = [box for row in boxes for box in row if box]
    x0, x1 = min(box[0] for box in cells), max(box[2] for box in cells)
    foot = max(box[3] for box in cells)
    lowest = {
        c: max((box for box in cells if box[0] <= left + 1 < box[2]), key=lambda b: b[3])
        for c, left in enumerate(lefts)
    }
    bottom = foot
    # Words below the last row's foot, or across it (their middle below it, their line begun inside).
    for line in _lines_of([word for word in rest if word.bottom > foot and x0 <= word.x0 and word.x1 <= x1 + 1]):
        if line[0].top - bottom > 1.5 * line[0].size:
            break  # apart from the table: what follows it
        for word in line:
            c = max(i for i, left in enumerate(lefts) if left <= word.x0 + 1) if word.x0 + 1 >= lefts[0] else 0
            placed.setdefault(lowest[c], []).append(word)
        bottom = max(word.bottom for word in line)


@dataclass
class _Merged:
    """A place covered by a cell merged down from a row above."""

    cell: Cell


def _row_top(row: list[Box | None]) -> float:
    return min(box[1] for box in row if box)


def _colspan(box: Box, lefts: list[float]) -> int:
    return max(sum(1 for left in lefts if box[0] - 1 <= left < box[2] - 1), 1)


def _covers_from_above(boxes: list[list[Box | None]], r: int, c: int, lefts: list[float]) -> bool:
    """Whether the empty place (r, c) is under a cell of a row above (not beside one of its own row)."""
    left = lefts[c]
    return not any(box and box[0] < left - 1 and box[2] > left + 1 for box in boxes[r])


def _cell_lines(words: list[Word]) -> list[list[Word]]:
    lines = _lines_of(words)
    return [sorted(line, key=lambda w: w.x0) for line in lines]


# Tables without lines.


def _unruled_grids(page: PageText, words: list[Word]) -> list[Grid]:
    """The table of a page without ruled tables: columns where lines of text start, rows in the
    order the cells were drawn. A page whose text never starts in two columns on one line
    has none."""
    pieces = _pieces(words)
    if not pieces:
        return []
    lefts = _column_lefts(pieces)
    if len(lefts) < 2:
        return []

    def column(piece: list[Word]) -> int:
        return max(i for i, left in enumerate(lefts) if left <= piece[0].x0 + 2) if piece[0].x0 + 2 >= lefts[0] else -1

    tops: dict[int, set[int]] = {}
    for piece in pieces:
        tops.setdefault(round(piece[0].top), set()).add(column(piece))
    start = min((top for top, columns in tops.items() if len(columns) > 1), default=None)
    rows: list[list[object]] = []
    cells: list[tuple[int, list[list[Word]]]] = []
    previous = None
    for piece in pieces:
        c = column(piece)
        if start is None or round(piece[0].top) < start or c < 0:
            continue
        if c + 1 < len(lefts) and piece[-1].x1 > lefts[c + 1] + 2:
            if rows or cells:
                break  # text across the columns: the table has ended
            continue
        if (
            previous is not None
            and c == previous[0]
            and 0 <= piece[0].top - previous[1][-1][0].bottom < 0.45 * piece[0].size
        ):
            previous[1].append(piece)
            continue
        # A row's cells start level with each other: a cell further right but lower starts a row.
        if cells and (c <= cells[-1][0] or piece[0].top > cells[0][1][0][0].top + 0.5 * piece[0].size):
            rows.append(_unruled_row(cells, lefts))
            cells = []
        previous = (c, [piece])
        cells.append(previous)
    if cells:
        rows.append(_unruled_row(cells, lefts))
    rights = _column_rights(rows, len(lefts))
    for row in rows:
        for c, slot in enumerate(row):
            if isinstance(slot, Cell):
                slot.right = rights[c]
    return [Grid(page.number, lefts, rows, ruled=False)]


def _pieces(words: list[Word]) -> list[list[Word]]:
    """Runs of words on one line, drawn one after another with no more than a space or two between."""
    pieces: list[list[Word]] = []
    for word in words:
        last = pieces[-1][-1] if pieces else None
        if last and abs(word.top - last.top) < word.size / 2 and 0 <= word.x0 - last.x1 < word.size:
            pieces[-1].append(word)
        else:
            pieces.append([word])
    return pieces


def _column_lefts(pieces: list[list[Word]]) -> list[float]:
    """Left edges where pieces start at the same height as a piece further along the line."""
    by_top: dict[int, list[float]] = {}
    for piece in pieces:
        by_top.setdefault(round(piece[0].top), []).append(piece[0].x0)
    starts = sorted(x for xs in by_top.values() if len(xs) > 1 for x in xs)
    lefts: list[float] = []
    for x in starts:
        if not lefts or x - lefts[-1] > 3:
            lefts.append(x)
    return lefts


def _unruled_row(cells: list[tuple[int, list[list[Word]]]], lefts: list[float]) -> list[object]:
    row: list[object] = [Cell([], right=0.0) for _ in lefts]
    for c, lines in cells:
        row[c] = Cell(lines, right=0.0)
    return row


def _column_rights(rows: list[list[object]], count: int) -> list[float]:
    rights = [0.0] * count
    for row in rows:
        for c, slot in enumerate(row):
            if isinstance(slot, Cell):
                rights[c] = max([rights[c]] + [line[-1].x1 for line in slot.lines])
    return rights


# Over pages.


def _mark_foot(grid: Grid) -> None:
    """Mark the cells of the page's last table whose text reaches the foot of the table's text."""
    cells = [slot for row in grid.rows for slot in row if isinstance(slot, Cell) and slot.lines]
    if not cells:
        return
    grid.foot = max(cell.lines[-1][0].bottom for cell in cells)
    grid.line = max(cell.lines[-1][0].size for cell in cells)
    for cell in cells:
        last = cell.lines[-1][0]  # a cell broken over a page may end a line or two short (widows, orphans)
        cell.reaches_foot = last.bottom >= grid.foot - 3.5 * last.size


def _origin(slot: object) -> Cell | None:
    if isinstance(slot, _Merged):
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
        merged_above = isinstance(last[c], _Merged) or above.rowspan > 1
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
                row[c] = _Merged(replaced[id(cell)])
    table.rows += rows[1:] if broken else rows
    table.page, table.last_on_page, table.lefts = grid.page, grid.last_on_page, grid.lefts
    table.foot, table.line = grid.foot, grid.line


def _table(grid: Grid, known: Known) -> Table:
    rows: Table = []
    for r, row in enumerate(grid.rows, start=1):
        cells = []
        for c, slot in enumerate(row, start=1):
            if isinstance(slot, _Merged):
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
