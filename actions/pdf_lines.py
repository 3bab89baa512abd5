"""A PDF table cell's lines turned back into its text, as the Word cell held it.

Where the document spaces its paragraphs (space after a paragraph in Word or LibreOffice, a
paragraph's margins in HTML), a line set further below the one before than lines are set
within a paragraph starts a paragraph, and no other line does: a paragraph whose last line
fills the cell to its edge still ends there (a cell going on over a page is read as below).

Where it does not, a line that ends short of the cell's edge, where the next line's first
word would have fitted, ended a paragraph (a line break in the Word cell), as does a line that reads as a
known name (a lead team). Other lines wrapped: joined with a space, or with nothing where a
word was broken, at the cell's edge (a word too long for the cell: its two parts make a word
found whole elsewhere in the document, or the second is a word's last letter or two), at its
hyphen or slash, or before a comma or stop.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def size(self) -> float:
        return max(self.bottom - self.top, 1.0)


class Known(NamedTuple):
    """What tells a line that ended a paragraph from one that wrapped, where the space left does
    not: the document's words (a word broken at a cell's edge is found whole elsewhere), and
    names that stand on a line of their own (the lead teams: "Corporate Comms Team" then
    "Organisational Planning" on the next line are two teams, whether or not the next fitted)."""

    words: frozenset[str]
    names: frozenset[str]
    #: Where the document spaces its paragraphs, the gap between two lines of a cell (in the
    #: height of their text) past which the second starts a paragraph; None where it does not.
    paragraph_gap: float | None = None

    def ends(self, paragraph: str, following: str) -> bool:
        """Whether the paragraph is a name, and not the start of a longer one the next line goes on with."""
        said = " ".join(paragraph.split()).casefold()
        longer = f"{said} {' '.join(following.split()).casefold()}"
        return said in self.names and not any(name.startswith(longer) for name in self.names)


def joined_lines(lines: list[list[Word]], right: float, known: Known) -> str:
    """A cell's lines as its text: a line break where a paragraph ended (the next line's first
    word would have fitted, or the paragraph reads as a known name), else a space, or nothing
    where a word was broken: at the cell's edge, at its hyphen or slash, or before a comma."""
    text = paragraph = ""
    for index, line in enumerate(lines):
        words = " ".join(word.text for word in line)
        if index == 0:
            text = paragraph = words
            continue
        before, first = lines[index - 1], line[0]
        last = before[-1].text
        room = right - before[-1].x1
        if known.paragraph_gap is not None and first.top > before[0].bottom - first.size:  # set on one page
            ended = line_gap(before, line) > known.paragraph_gap
        else:
            ended = room > first.size * 0.3 + (first.x1 - first.x0)
        if ended or known.ends(paragraph, words):
            text, paragraph = f"{text}\n{words}", words
            continue
        joined = first.text[0] in ",.;:)" or (
            len(last) > 1 and (last[-1] == "/" or last[-1] == "-" and last[-2].isalpha())
        )
        broken = room < 2 * (before[-1].x1 - before[-1].x0) / len(last) and (
            (_bare(last + first.text) in known.words and _bare(last) not in known.words)
            or _is_word_end(first.text)
            or (len(last) >= 10 and last[-1].isalnum() and bool(_LINK.search(last)))
        )
        glue = "" if joined or broken else " "
        text, paragraph = text + glue + words, paragraph + glue + words
    return text.strip()


def line_gap(before: list[Word], line: list[Word]) -> float:
    """The space between a line and the line above it, in the height of the line's text."""
    return (min(w.top for w in line) - max(w.bottom for w in before)) / max(w.size for w in line)


#: Words of one or two letters: anything else that short starting a line is the end of a broken word.
_SHORT_WORDS = frozenset(
    [
        "a",
        "i",
        "an",
        "as",
        "at",
        "be",
        "by",
        "do",
        "go",
        "he",
        "if",
        "in",
        "is",
        "it",
        "me",
        "my",
        "no",
        "of",
        "on",
        "or",
        "so",
        "to",
        "up",
        "us",
        "we",
        "eg",
        "ie",
    ]
)


_LINK = re.compile(r"/|\w\.\w")  # an address or words joined by slashes, broken where it met the edge


def _is_word_end(text: str) -> bool:
    letters = text.rstrip(".,;:)]'\"!?")
    return 0 < len(letters) <= 2 and letters.isalpha() and letters.islower() and letters not in _SHORT_WORDS


def _bare(text: str) -> str:
    return text.strip(".,;:()[]'\"!?").casefold()


def vocabulary_of(words: Iterable[Word]) -> frozenset[str]:
    """The document's words, to tell a word broken at a cell's edge from two words."""
    return frozenset(_bare(word.text) for word in words)
