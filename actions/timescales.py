"""Read an action's timescale, as written in a strategy document, into dates.

``parse_timescale`` understands the forms found in council workforce strategies:
"March 2016", "March-April 2016", "JanuaryFebruary 2016" (two months run together by
PDF extraction), "December 2015 - March 2016", "2016/17", "Q3 2016/17", "2016",
"2017-2020", "By end of March 2016", "31 March 2016", "31/03/2016", "Ongoing", and a
trailing note such as "(and then ongoing)". It never guesses: anything else, such as
"TBC" or "Spring 2016", is reported as unreadable, with no dates.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from workforce.quarters import Quarter, financial_year_bounds


@dataclass(frozen=True)
class Timescale:
    """When an action starts and is due, as read from its written timescale.

    ``readable`` is False when the text could not be read; ``start`` and ``due`` are
    then None and ``ongoing`` is False.
    """

    start: date | None
    due: date | None
    ongoing: bool
    readable: bool


_UNREADABLE = Timescale(start=None, due=None, ongoing=False, readable=False)

_MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# Longest names first, so that "march" is preferred to "mar".
_MONTH = "(?:" + "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
_RECURRING = r"on-?going|on going|monthly|quarterly|annually|annual|yearly|weekly|fortnightly|termly|recurring"

_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
# The text, then an optional trailing note in brackets (the closing one may be lost).
_NOTE = re.compile(r"(?P<main>.*?)\s*(?:\((?P<note>[^()]*)\)?)?")
_RECURRING_WORD = re.compile(rf"\b(?:{_RECURRING})\b")
_RECURRING_TAIL = re.compile(rf",?\s+and\s+(?:then\s+)?(?:{_RECURRING})\b.*")
_RECURRING_ALONE = re.compile(rf"(?:{_RECURRING})\.?")
_DEADLINE = re.compile(r"by\s+(?:the\s+)?(?:end\s+(?:of\s+)?)?|(?:the\s+)?end\s+(?:of\s+)?")
_QUARTER = re.compile(r"(?:q|quarter\s*)([1-4])\s*(\d{4})\s*[/-]\s*(\d{4}|\d{2})")
_YEAR_PAIR = re.compile(r"(\d{4})\s*([/-])\s*(\d{4}|\d{2})")
_FULL_DATE = re.compile(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH}),?\s+(\d{{4}})")
_NUMERIC_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
_MONTH_YEAR = re.compile(rf"({_MONTH})\s*(\d{{4}})")
_MONTH_RANGE = re.compile(rf"({_MONTH})\s*(?:-|/|&|to|and)?\s*({_MONTH})\s*(\d{{4}})")
_RANGE_SEPARATOR = re.compile(r"\s*(?:-|\bto\b|\buntil\b|\btill\b|\bthrough\b)\s*")

Period = tuple[date | None, date]  # (first day, or None for a single date; last day)


def parse_timescale(text: str) -> Timescale:
    """Turn a written timescale into its start and due dates.

    A month or range of months runs from the first day of the first month to the
    last day of the last; a single date, or "By ..."/"End of ...", gives only a due
    date. ``ongoing`` is True for "Ongoing" and when a note says the work continues or
    recurs ("and then ongoing", "and then monthly reports", "quarterly"...).
    """
    cleaned = re.sub(r"\s+", " ", text.translate(_DASHES)).strip().lower()
    parts = _NOTE.fullmatch(cleaned)
    main, note = parts["main"], parts["note"] or ""
    ongoing = bool(_RECURRING_WORD.search(note))
    if tail := _RECURRING_TAIL.search(main):
        main, ongoing = main[: tail.start()], True
    if _RECURRING_ALONE.fullmatch(main):
        return Timescale(start=None, due=None, ongoing=True, readable=True)

    deadline = _DEADLINE.match(main)
    if deadline:
        main = main[deadline.end() :]
    try:
        period = _period(main) or _month_range(main) or _range(main)
    except ValueError:  # a date that does not exist, such as 31/02/2016
        period = None
    if period is None:
        return _UNREADABLE
    start, due = period
    if deadline:
        start = None
    if start is not None and start > due:
        return _UNREADABLE
    return Timescale(start=start, due=due, ongoing=ongoing, readable=True)


def _month_number(name: str) -> int:
    return _MONTH_NUMBERS[name.rstrip(".")]


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last days of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _financial_year(first: str, second: str) -> int | None:
    """The starting year of "2016/17" or "2016/2017", or None if the years do not follow."""
    year = int(first)
    expected = year + 1 if len(second) == 4 else (year + 1) % 100
    return year if int(second) == expected else None


def _period(text: str) -> Period | None:
    """Read a single quarter, financial year, span of years, date, month or year."""
    if match := _QUARTER.fullmatch(text):
        year = _financial_year(match[2], match[3])
        if year is None:
            return None
        quarter = Quarter(year, int(match[1]))
        return quarter.start, quarter.end
    if match := _YEAR_PAIR.fullmatch(text):
        first, separator, second = match.groups()
        if (year := _financial_year(first, second)) is not None:
            return financial_year_bounds(year)
        if separator == "-" and len(second) == 4 and int(second) > int(first):
            return date(int(first), 1, 1), date(int(second), 12, 31)
        return None  # "2016/18" or "2017-20": not a financial year, so not guessed
    if match := _FULL_DATE.fullmatch(text):
        return None, date(int(match[3]), _month_number(match[2]), int(match[1]))
    if match := _NUMERIC_DATE.fullmatch(text):  # day first, as written in the UK
        return None, date(int(match[4]), int(match[3]), int(match[1]))
    if match := _MONTH_YEAR.fullmatch(text):
        return _month_bounds(int(match[2]), _month_number(match[1]))
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 1, 1), date(int(text), 12, 31)
    return None


def _month_range(text: str) -> Period | None:
    """Read "March-April 2016"; a first month after the last belongs to the year before."""
    match = _MONTH_RANGE.fullmatch(text)
    if match is None:
        return None
    first, last, year = _month_number(match[1]), _month_number(match[2]), int(match[3])
    start, _ = _month_bounds(year - 1 if first > last else year, first)
    return start, _month_bounds(year, last)[1]


def _range(text: str) -> Period | None:
    """Read two periods joined by a dash or "to", e.g. "December 2015 - March 2016"."""
    for separator in _RANGE_SEPARATOR.finditer(text):
        first = _period(text[: separator.start()])
        last = _period(text[separator.end() :])
        if first and last:
            return first[0] or first[1], last[1]
    return None
