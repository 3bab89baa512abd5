"""Financial-year quarters, as used in UK local government.

The financial year runs from 1 April to 31 March and is written "2016/17". Quarter 1
is April-June, Q2 July-September, Q3 October-December and Q4 January-March, so
"Q3 2016/17" is October-December 2016 and "Q4 2016/17" is January-March 2017.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

# The first month of each quarter, counted from the April that opens the year.
_FIRST_MONTH = {1: 4, 2: 7, 3: 10, 4: 1}

_LABEL = re.compile(r"q\s*(\d+)\s*(\d{4})\s*/\s*(\d{4}|\d{2})", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Quarter:
    """One quarter of a financial year; instances sort in date order."""

    year: int  # the calendar year the financial year starts in, e.g. 2016 for 2016/17
    number: int  # 1-4

    def __post_init__(self) -> None:
        """Reject a year or quarter number that cannot be a financial quarter."""
        if type(self.year) is not int or not 1 <= self.year <= 9998:
            raise ValueError(f"Financial year must be a year from 1 to 9998, not {self.year!r}")
        if type(self.number) is not int or not 1 <= self.number <= 4:
            raise ValueError(f"Quarter number must be 1, 2, 3 or 4, not {self.number!r}")

    @property
    def start(self) -> date:
        """The first day of the quarter."""
        calendar_year = self.year + 1 if self.number == 4 else self.year
        return date(calendar_year, _FIRST_MONTH[self.number], 1)

    @property
    def end(self) -> date:
        """The last day of the quarter (inclusive)."""
        first = self.start
        month = first.month + 2
        return date(first.year, month, calendar.monthrange(first.year, month)[1])

    @property
    def financial_year_label(self) -> str:
        """The financial year as written, e.g. "2016/17" (and "1999/00")."""
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        """The quarter as written, e.g. "Q3 2016/17"."""
        return f"Q{self.number} {self.financial_year_label}"

    def next(self) -> Quarter:
        """The quarter that follows this one (Q4 2016/17 -> Q1 2017/18)."""
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        """The quarter before this one (Q1 2016/17 -> Q4 2015/16)."""
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    def contains(self, d: date) -> bool:
        """Whether the date falls within this quarter."""
        return self.start <= d <= self.end

    def __str__(self) -> str:
        return self.label


def financial_year_of(d: date) -> int:
    """The financial year a date falls in, by its starting calendar year."""
    return d.year if d.month >= 4 else d.year - 1


def financial_year_bounds(year: int) -> tuple[date, date]:
    """The first and last days of the financial year starting in ``year``."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def financial_year_from_years(first: str, second: str) -> int | None:
    """The starting year of a financial year written "2016/17" or "2016/2017", from its two years.

    None when the second year does not follow the first ("2016/18"), so nothing is guessed.
    """
    year = int(first)
    expected = year + 1 if len(second) == 4 else (year + 1) % 100
    return year if int(second) == expected else None


def quarter_of(d: date) -> Quarter:
    """The quarter a date falls in."""
    return Quarter(financial_year_of(d), (d.month - 4) % 12 // 3 + 1)


def quarter_from_label(label: str) -> Quarter:
    """Read a label such as "Q3 2016/17" (case and extra spaces do not matter).

    Raises ValueError naming the text when it is not a quarter label, including when
    the second year does not follow the first (e.g. "Q1 2016/18").
    """
    match = _LABEL.fullmatch(label.strip())
    if match is None:
        raise ValueError(f'"{label}" is not a quarter label such as "Q3 2016/17"')
    number, year, second = int(match[1]), int(match[2]), match[3]
    if financial_year_from_years(match[2], second) is None:
        raise ValueError(f'"{label}" is not a financial year: {second} does not follow {year}')
    if not 1 <= number <= 4:
        raise ValueError(f'"{label}" has quarter number {number}; it must be 1, 2, 3 or 4')
    return Quarter(year, number)


def quarters_between(start: date, end: date) -> list[Quarter]:
    """Every quarter from the one containing ``start`` to the one containing ``end``.

    Both end quarters are included. Raises ValueError if ``end`` is before ``start``.
    """
    if end < start:
        raise ValueError(f"End date {end.isoformat()} is before start date {start.isoformat()}")
    quarter, last = quarter_of(start), quarter_of(end)
    quarters = [quarter]
    while quarter < last:
        quarter = quarter.next()
        quarters.append(quarter)
    return quarters


def quarter_slug(quarter: Quarter) -> str:
    """The quarter as it appears in addresses: "q3-2016-17"."""
    return f"q{quarter.number}-{quarter.year}-{(quarter.year + 1) % 100:02d}"


_SLUG = re.compile(r"^q([1-4])-(\d{4})-(\d{2})$")


def quarter_from_slug(slug: str) -> Quarter:
    """Read "q3-2016-17" back into a quarter; ValueError naming the text otherwise."""
    match = _SLUG.match(slug.strip().lower())
    if not match or int(match[3]) != (int(match[2]) + 1) % 100:
        raise ValueError(f'"{slug}" is not a quarter such as "q3-2016-17".')
    return Quarter(int(match[2]), int(match[1]))
