"""Read an action's timescale, as written in a strategy document, into dates.

``parse_timescale`` understands the forms councils write: "March 2016", "March-April 2016",
"JanuaryFebruary 2016" (two months run together by PDF extraction), "Sept"/"Feb." for
months, "December 2015 - March 2016", "2016/17", "Q3 2016/17", "2016", "2017-2020",
seasons ("Summer 2018", meteorological) and school terms ("Spring term 2019"), dates
("31 March 2016", "2nd October 2018", "31/03/2016"), "By (the) end of …", "From March
2018", "April 2018 onwards", "Starting 1st May 2018", "Within 3 months" and "Year 2"
(counted from the strategy's start), "Ongoing", recurring notes ("(and then ongoing)",
"and then quarterly", "then annually"), a recurring word anywhere ("Quarterly reports
to DMT"), and two parts joined by ";" or "," where one gives the date and the other says
delivery is ongoing. The lines of a cell ("Strategy agreed by October 2009" / "Implementation -
ongoing") read as the same text joined by "; " (``timescale_lines_joined``). It never guesses:
"TBC", "Subject to funding", "Early 2016" are unreadable, with no dates.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

import dateparser

from workforce.quarters import Quarter, financial_year_bounds, financial_year_from_years


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
# Meteorological seasons (first month, months long) and English school terms.
_SEASONS = {"spring": (3, 3), "summer": (6, 3), "autumn": (9, 3), "fall": (9, 3), "winter": (12, 3)}
_TERMS = {"autumn": (9, 4), "spring": (1, 3), "summer": (4, 4)}
# Words that say the timing is not settled: with no date beside them, nothing is read.
_UNSETTLED = re.compile(r"\b(?:tbc|tba|tbd|to be (?:confirmed|agreed|decided|determined)|subject to|depend|if )")
# Anything that looks like a date: a part holding one is never read as "ongoing" alone.
_DATE_WORD = re.compile(
    rf"\d|\b{_MONTH}(?!\w)|\b(?:spring|summer|autumn|fall|winter|year|years|month|months|week|weeks|within)\b"
)

_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
# The text, then an optional trailing note in brackets (the closing one may be lost).
_NOTE = re.compile(r"(?P<main>.*?)\s*(?:\((?P<note>[^()]*)\)?)?")
_RECURRING_WORD = re.compile(rf"\b(?:{_RECURRING})\b")
_RECURRING_TAIL = re.compile(rf",?\s+(?:and\s+(?:then\s+)?|then\s+)(?:{_RECURRING})\b.*")
_RECURRING_ALONE = re.compile(rf"(?:{_RECURRING})\.?")
_LEAD_WORDS = r"(?P<lead>(?:.*?\s)?)"  # words before "by", "from"...: checked to hold no date
_DEADLINE = re.compile(
    rf"{_LEAD_WORDS}(?:by\s+(?:the\s+)?(?:end\s+(?:of\s+)?)?|(?:the\s+)?end\s+(?:of\s+)?)(?P<rest>.+)"
)
_FROM = re.compile(rf"{_LEAD_WORDS}(?:from|starting|commencing|beginning)(?:\s+(?:from|on|in))?\s+(?P<rest>.+)")
_ONWARDS = re.compile(r"(?P<rest>.+?)\s+(?:onwards|and beyond)")
_WITHIN = re.compile(r"within\s+(?:the\s+first\s+)?(\d{1,2}|a|one|two|three|six|twelve)\s+(month|year|week)s?")
_YEAR_OF_STRATEGY = re.compile(r"years?\s+([1-9])(?:\s*(?:-|to|and|&)\s*([1-9]))?")
_QUARTER = re.compile(r"(?:q|quarter\s*)([1-4])\s*(\d{4})\s*[/-]\s*(\d{4}|\d{2})")
_YEAR_PAIR = re.compile(r"(\d{4})\s*([/-])\s*(\d{4}|\d{2})")
_SEASON = re.compile(r"(spring|summer|autumn|fall|winter)(\s+term)?\s+(\d{4})(?:\s*/\s*(\d{2}|\d{4}))?")
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
_DAY_DATE = re.compile(
    rf"{_WEEKDAY}(?:{_ORDINAL}(?:\s+of)?\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+{_ORDINAL},?\s+\d{{4}}|\d{{1,2}}([/.-])\d{{1,2}}\1\d{{4}})"
)
_MONTH_YEAR = re.compile(rf"({_MONTH})\s*(\d{{4}})")
_MONTH_RANGE = re.compile(rf"({_MONTH})\s*(?:-|/|&|to|and)?\s*({_MONTH})\s*(\d{{4}})")
_RANGE_SEPARATOR = re.compile(r"\s*(?:-|\bto\b|\buntil\b|\btill\b|\bthrough\b)\s*")
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "six": 6, "twelve": 12}
_DATEPARSER_SETTINGS = {"DATE_ORDER": "DMY", "STRICT_PARSING": True, "RETURN_AS_TIMEZONE_AWARE": False}

Period = tuple[date | None, date]  # (first day, or None for a single date; last day)


def parse_timescale(text: str, *, period_start: date | None = None) -> Timescale:
    """Turn a written timescale into its start and due dates.

    A month, season or range runs from the first day of the first month to the last day
    of the last; a single date, "By ..." or "Within 3 months" gives only a due date; "From
    ...", "Starting ..." and "... onwards" give only a start and are ongoing. ``ongoing``
    is also True for "Ongoing" and when the text says the work continues or recurs.
    ``period_start`` is the strategy's first day, from which "Within 3 months" and "Year 2"
    are counted; without it they are unreadable.
    """
    cleaned = re.sub(r"\s+", " ", timescale_lines_joined(text).translate(_DASHES)).strip().lower()
    if not cleaned:
        return _UNREADABLE
    return _clause(cleaned, period_start) or _parts(cleaned, period_start) or _ongoing_only(cleaned) or _UNREADABLE


_CONTINUES = re.compile(r"^[(a-z0-9]|^(?:and|then|or|to|until)\b")
_ENDS_WITH_MONTH = re.compile(rf"\b{_MONTH}$")


def timescale_lines_joined(text: str) -> str:
    """A timescale written over several lines of one cell, as one line: each line a part joined
    by "; ", as if the planner had typed it so; a line that carries on the one before (it
    starts with a bracket, a small letter, a digit, "and" or "to", or the line before ends with a dash
    or comma, or with a month) is joined by a space. "Strategy agreed by October 2009" / "Implementation -
    ongoing" is "Strategy agreed by October 2009; Implementation - ongoing"."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    joined = lines[0] if lines else ""
    for line in lines[1:]:
        carries_on = (
            _CONTINUES.match(line)
            or joined.endswith(("-", ",", "\u2013", ";", "/"))
            or _ENDS_WITH_MONTH.search(joined.lower())  # "January" / "February 2016"
        )
        joined += (" " if carries_on else "; ") + line
    return joined


def _clause(text: str, period_start: date | None) -> Timescale | None:
    """One timescale with an optional note in brackets, or None if it cannot be read."""
    parts = _NOTE.fullmatch(text)
    assert parts is not None  # every part of _NOTE is optional: it matches any text
    main, note = parts["main"].rstrip(" .;,"), parts["note"] or ""
    ongoing = bool(_RECURRING_WORD.search(note))
    if tail := _RECURRING_TAIL.search(main):
        main, ongoing = main[: tail.start()], True
    if _RECURRING_ALONE.fullmatch(main):
        if _DATE_WORD.search(note):  # "Ongoing (March 2018)": a date not read is not dropped
            return None
        return Timescale(start=None, due=None, ongoing=True, readable=True)
    if (match := _ONWARDS.fullmatch(main)) and (period := _dates(match["rest"], period_start)):
        return Timescale(start=period[0] or period[1], due=None, ongoing=True, readable=True)
    if (match := _FROM.fullmatch(main)) and not _DATE_WORD.search(match["lead"]):
        if period := _range(match["rest"], period_start):  # "From March to June 2018": a range
            return _timescale(*period, ongoing=ongoing)
        if period := _dates(match["rest"], period_start):
            return Timescale(start=period[0] or period[1], due=None, ongoing=True, readable=True)
    deadline = _DEADLINE.fullmatch(main)
    if deadline and not _DATE_WORD.search(deadline["lead"]) and (period := _dates(deadline["rest"], period_start)):
        return _timescale(None, period[1], ongoing=ongoing)
    if period := _dates(main, period_start):
        return _timescale(*period, ongoing=ongoing)
    return None


def _timescale(start: date | None, due: date, *, ongoing: bool) -> Timescale | None:
    if start is not None and start > due:
        return None
    return Timescale(start=start, due=due, ongoing=ongoing, readable=True)


def _parts(text: str, period_start: date | None) -> Timescale | None:
    """Two or more parts joined by ";" or ",": one gives the dates, the others say it goes on.

    "Strategy agreed by October 2009, implementation ongoing" is due in October 2009 and
    ongoing. Two parts with dates, or a part that is neither, and nothing is read.
    """
    parts = [part.strip() for part in re.split(r"[;,]", text) if part.strip()]
    if len(parts) < 2:
        return None
    dated = [part for part in parts if _DATE_WORD.search(part)]
    others = [part for part in parts if part not in dated]
    if len(dated) != 1 or not all(_says_ongoing(part) for part in others):
        return None
    read = _clause(dated[0], period_start)
    if read is None:
        return None
    return Timescale(start=read.start, due=read.due, ongoing=True, readable=True)


def _says_ongoing(text: str) -> bool:
    """Whether a part with no date says that delivery goes on or recurs, and nothing unsettled."""
    return bool(_RECURRING_WORD.search(text)) and not _UNSETTLED.search(text) and not _DATE_WORD.search(text)


def _ongoing_only(text: str) -> Timescale | None:
    """A recurring word outside any brackets, and no date at all: "Quarterly reports to DMT"."""
    parts = _NOTE.fullmatch(text)
    assert parts is not None  # as in _clause
    main = parts["main"]
    if main and _says_ongoing(main) and not _DATE_WORD.search(text):
        return Timescale(start=None, due=None, ongoing=True, readable=True)
    return None


def _dates(text: str, period_start: date | None) -> Period | None:
    """A single period, a range of months, or two periods joined by a dash or "to"."""
    try:
        return _period(text, period_start) or _month_range(text) or _range(text, period_start)
    except ValueError:  # a date that does not exist, such as 31/02/2016
        return None


def _month_number(name: str) -> int:
    return _MONTH_NUMBERS[name.rstrip(".")]


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last days of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _months_from(first: date, months: int) -> date:
    """The same day ``months`` later (the month's last day where it is shorter)."""
    year, month = divmod(first.month - 1 + months, 12)
    year += first.year
    return date(year, month + 1, min(first.day, calendar.monthrange(year, month + 1)[1]))


def _spell(year: int, first_month: int, months: int) -> Period:
    """The months from ``first_month`` of ``year`` for ``months`` months."""
    start = date(year, first_month, 1)
    return start, _months_from(start, months) - timedelta(days=1)


def _period(text: str, period_start: date | None) -> Period | None:
    """Read one quarter, financial year, span of years, season, term, date, month or year."""
    if match := _QUARTER.fullmatch(text):
        year = financial_year_from_years(match[2], match[3])
        if year is None:
            return None
        quarter = Quarter(year, int(match[1]))
        return quarter.start, quarter.end
    if match := _YEAR_PAIR.fullmatch(text):
        first, separator, second = match.groups()
        if (year := financial_year_from_years(first, second)) is not None:
            return financial_year_bounds(year)
        if separator == "-" and len(second) == 4 and int(second) > int(first):
            return date(int(first), 1, 1), date(int(second), 12, 31)
        return None  # "2016/18" or "2017-20": not a financial year, so not guessed
    if match := _SEASON.fullmatch(text):
        return _season(match[1], bool(match[2]), match[3], match[4])
    if _DAY_DATE.fullmatch(text):
        parsed = dateparser.parse(text, languages=["en"], settings=_DATEPARSER_SETTINGS)
        return (None, parsed.date()) if parsed else None
    if match := _MONTH_YEAR.fullmatch(text):
        return _month_bounds(int(match[2]), _month_number(match[1]))
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 1, 1), date(int(text), 12, 31)
    if period_start is not None:
        return _relative(text, period_start)
    return None


def _season(name: str, term: bool, year: str, second: str | None) -> Period | None:
    """A meteorological season (spring is March-May) or a school term of a year.

    Winter runs from December into the next year: "Winter 2018" and "Winter 2018/19" are
    December 2018 to February 2019. A second year is only accepted for winter.
    """
    if term:
        if name not in _TERMS or second:
            return None
        return _spell(int(year), *_TERMS[name])
    if second and (name != "winter" or financial_year_from_years(year, second) is None):
        return None
    return _spell(int(year), *_SEASONS[name])


def _relative(text: str, period_start: date) -> Period | None:
    """ "Within 3 months" (due) or "Year 2" (a year of the strategy), from its first day."""
    if match := _WITHIN.fullmatch(text):
        count = int(match[1]) if match[1].isdigit() else _NUMBER_WORDS[match[1]]
        if match[2] == "week":
            return None, period_start + timedelta(weeks=count, days=-1)
        months = count * 12 if match[2] == "year" else count
        return None, _months_from(period_start, months) - timedelta(days=1)
    if match := _YEAR_OF_STRATEGY.fullmatch(text):
        first, last = int(match[1]), int(match[2] or match[1])
        if last < first:
            return None
        return _months_from(period_start, 12 * (first - 1)), _months_from(period_start, 12 * last) - timedelta(days=1)
    return None


def _month_range(text: str) -> Period | None:
    """Read "March-April 2016"; a first month after the last belongs to the year before."""
    match = _MONTH_RANGE.fullmatch(text)
    if match is None:
        return None
    first, last, year = _month_number(match[1]), _month_number(match[2]), int(match[3])
    start, _ = _month_bounds(year - 1 if first > last else year, first)
    return start, _month_bounds(year, last)[1]


def _range(text: str, period_start: date | None) -> Period | None:
    """Read two periods joined by a dash or "to", e.g. "December 2015 - March 2016"."""
    for separator in _RANGE_SEPARATOR.finditer(text):
        try:
            first = _period(text[: separator.start()], period_start)
            last = _period(text[separator.end() :], period_start)
        except ValueError:
            continue
        if first and last and (first[0] or first[1]) <= last[1]:
            return first[0] or first[1], last[1]
    return None
