"""One page's tables, found as grids of cells: ruled tables from the cell boxes pdfplumber
finds, and tables without lines from where lines of text start (clustered left edges), rows
following the order the producer drew the cells in. ``actions.pdf_layout`` joins them over
pages into a document's tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from actions.pdf_lines import Known, Word, joined_lines

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


def lines_of(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines across the page, top to bottom."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and abs(word.top - lines[-1][0].top) < word.size / 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


# Ruled tables.


def ruled_grid(page: PageText, boxes: list[list[Box | None]], words: list[Word]) -> Grid:
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
                    slots.append(Merged(covering))
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
    for line in lines_of([word for word in rest if word.bottom > foot and x0 <= word.x0 and word.x1 <= x1 + 1]):
        if line[0].top - bottom > 1.5 * line[0].size:
            break  # apart from the table: what follows it
        for word in line:
            c = max(i for i, left in enumerate(lefts) if left <= word.x0 + 1) if word.x0 + 1 >= lefts[0] else 0
            placed.setdefault(lowest[c], []).append(word)
        bottom = max(word.bottom for word in line)


@dataclass
class Merged:
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
    lines = lines_of(words)
    return [sorted(line, key=lambda w: w.x0) for line in lines]


# Tables without lines.


def unruled_grids(page: PageText, words: list[Word]) -> list[Grid]:
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


# Where a page's last table ends, for joining it to the next page's (actions.pdf_layout).


def mark_foot(grid: Grid) -> None:
    """Mark the cells of the page's last table whose text reaches the foot of the table's text."""
    cells = [slot for row in grid.rows for slot in row if isinstance(slot, Cell) and slot.lines]
    if not cells:
        return
    grid.foot = max(cell.lines[-1][0].bottom for cell in cells)
    grid.line = max(cell.lines[-1][0].size for cell in cells)
    for cell in cells:
        last = cell.lines[-1][0]  # a cell broken over a page may end a line or two short (widows, orphans)
        cell.reaches_foot = last.bottom >= grid.foot - 3.5 * last.size
