"""How the plan import reads the text of one cell: an action's description and leading
number, its items, an outcome's title, the lead officers. Only the text is read, so a cell of a
PDF's table reads as a Word document's does."""

from __future__ import annotations

import re

ITEM = re.compile(
    r"^\s*(?:\d+(?:\.\d+)+\.?|\d+[.)]|\(?[a-zA-Z][.)]|\(?(?:[ivx]+|[IVX]+)[.)]|[•\u2022\u25cf\u25aa*\-–])\s+"
)
_BULLET = re.compile(r"^[•\u2022\u25cf\u25aa*\-–]\s+")
LEADING_NUMBER = re.compile(r"^\s*(?:(?P<dotted>\d+(?:\.\d+)+)\.?|(?P<plain>\d+)[.)])\s+")


def description_and_number(text: str, *, reference: str = "") -> tuple[str, str]:
    """An action cell as one description, and its leading number ("" for none).

    The cell's lines are joined by spaces, except that each numbered, lettered or bulleted
    item starts a line of its own (a cell that is one bulleted item loses its bullet). The
    leading number ("3. ", "2.1.4 ") is taken off, unless the plan gives the action a
    ``reference`` that is another number (then it is the text's).
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    number = ""
    if lines and (match := LEADING_NUMBER.match(lines[0])):
        number = match["dotted"] or match["plain"]
        if reference and reference != number:
            number = ""
        else:
            lines[0] = lines[0][match.end() :]
    items = [item for item in item_lines("\n".join(lines)) if item]
    if len(items) == 1:  # a lone bullet is the document's layout, not the action's words
        items[0] = _BULLET.sub("", items[0])
    return "\n".join(items), number


def item_lines(text: str) -> list[str]:
    """A cell's items, a line each (the lines of an item joined)."""
    items: list[str] = []
    for line in (line.strip() for line in text.splitlines() if line.strip()):
        if items and not ITEM.match(line):
            items[-1] += " " + line
        else:
            items.append(line)
    return [joined(item) for item in items]


def title_of(text: str) -> str:
    """An outcome's or recommendation's title as one line, without the leading "…" that
    carries on the column's header ("We want…" / "…a workforce with a shared vision")."""
    return re.sub(r"^(?:…|\.\.\.)\s*", "", joined(text))


def joined(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def officers_of(text: str) -> str:
    """The lead officers of a cell as one line: a person a line joined by "; ", unless a line
    is a single word (a name wrapped over two lines), when the lines are joined by spaces."""
    lines = [joined(line) for line in text.splitlines() if line.strip()]
    return ("; " if all(len(line.split()) > 1 for line in lines) else " ").join(lines)


def shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
