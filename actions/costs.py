"""An action's estimated cost read from the words of a plan's resources cell.

Plans write costs in prose: "£1000", "£12,000", "£1.5k", "nil", "Materials, promotional costs
(£1000) Plus cost of running programme". ``read_cost`` finds the one amount the cell gives and
keeps the cell as written as the cost's note, so nothing the plan says is lost; the note is
kept in the action's notes under ``NOTE_PREFIX`` and ``cost_note`` finds it again for the
action's page. It never guesses: two different amounts give no cost, and say why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

#: The line of an action's notes that keeps its resources cell as written.
NOTE_PREFIX = "Cost as written: "

_AMOUNT = re.compile(
    r"(?P<minus>-\s*)?£\s*(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d+)?)\s*(?P<unit>k\b|m\b|thousand|million)?",
    re.IGNORECASE,
)
_BARE_AMOUNT = re.compile(r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d+)?)\s*(?P<unit>k|m)?", re.IGNORECASE)
_NOTHING = re.compile(r"(?:nil|none|no cost|£?0(?:\.00)?|n/?a|-|–)\.?", re.IGNORECASE)
_UNITS = {"k": 1000, "thousand": 1000, "m": 1_000_000, "million": 1_000_000}


@dataclass(frozen=True)
class Cost:
    """The amount read (None when none), the cell kept as the cost's note, what is wrong
    (``problem``: the action cannot be loaded) and what the planner should know (``notice``)."""

    amount: Decimal | None
    note: str
    problem: str = ""
    notice: str = ""


def read_cost(text: str) -> Cost:
    """The cost a resources cell gives.

    A cell that is only an amount ("£1,500", "2k") or says there is none ("nil", "-") gives
    just that, with no note. A cell with words around one amount ("Materials (£1000) plus
    running costs") gives the amount and keeps the whole cell as the note. Words with no
    amount ("Within existing budget") are the note alone. Several different amounts, or a
    negative one, give no amount and a problem saying so.
    """
    written = re.sub(r"\s+", " ", text).strip()
    if not written or _NOTHING.fullmatch(written):
        return Cost(None, "")
    if bare := _BARE_AMOUNT.fullmatch(written.lstrip("£").strip()):
        return Cost(_value(bare["number"], bare["unit"]), "")
    found = list(_AMOUNT.finditer(written))
    if any(match["minus"] for match in found):
        return Cost(None, written, "it gives a negative amount; write the cost as a positive amount in pounds")
    amounts = {_value(match["number"], match["unit"]) for match in found}
    amounts.discard(None)
    if len(amounts) > 1:
        listed = ", ".join(f"£{amount:,}" for amount in sorted(a for a in amounts if a is not None))
        return Cost(
            None,
            written,
            notice=f"it gives several amounts ({listed}), so no cost is set; the cell is kept as the cost's note. "
            "Give the total as one amount in the document if the action has one cost",
        )
    return Cost(amounts.pop() if amounts else None, written)


def _value(number: str, unit: str | None) -> Decimal | None:
    try:
        amount = Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None
    return amount * _UNITS.get((unit or "").casefold(), 1)


def note_line(note: str) -> str:
    """The line of the action's notes that keeps the cost's note ("" for none)."""
    return f"{NOTE_PREFIX}{note}" if note else ""


def cost_note(notes: str) -> str:
    """The cost's note kept in an action's notes by the import, or ""."""
    for line in (notes or "").splitlines():
        if line.startswith(NOTE_PREFIX):
            return line[len(NOTE_PREFIX) :]
    return ""


def looks_like_cost(text: str) -> bool:
    """Whether a cell reads as a cost: an amount in pounds, or nil."""
    written = re.sub(r"\s+", " ", text).strip()
    return bool(_AMOUNT.search(written) or (written and _NOTHING.fullmatch(written) and written not in "-–"))
