"""Tests for reading written timescales into dates."""

import dataclasses
from datetime import date

import pytest

from actions.timescales import Timescale, parse_timescale

D = date

READABLE = [
    # Month ranges, including two month names run together by PDF extraction.
    ("March-April 2016", D(2016, 3, 1), D(2016, 4, 30), False),
    ("JanuaryFebruary 2016", D(2016, 1, 1), D(2016, 2, 29), False),
    ("February March 2016", D(2016, 2, 1), D(2016, 3, 31), False),
    ("March - June 2016", D(2016, 3, 1), D(2016, 6, 30), False),
    ("January/February 2016", D(2016, 1, 1), D(2016, 2, 29), False),
    ("March to June 2016", D(2016, 3, 1), D(2016, 6, 30), False),
    ("March \u2013 June 2016", D(2016, 3, 1), D(2016, 6, 30), False),
    ("March\u2014June 2016", D(2016, 3, 1), D(2016, 6, 30), False),
    ("Sept-Oct 2016", D(2016, 9, 1), D(2016, 10, 31), False),
    ("November-February 2016", D(2015, 11, 1), D(2016, 2, 29), False),
    ("December 2015 - March 2016", D(2015, 12, 1), D(2016, 3, 31), False),
    ("April 2016 - March 2017", D(2016, 4, 1), D(2017, 3, 31), False),
    ("April 2016 to March 2017", D(2016, 4, 1), D(2017, 3, 31), False),
    # A single month, with or without a trailing note.
    ("March 2016", D(2016, 3, 1), D(2016, 3, 31), False),
    ("April 2016", D(2016, 4, 1), D(2016, 4, 30), False),
    ("MARCH 2016", D(2016, 3, 1), D(2016, 3, 31), False),
    ("Jan 2016", D(2016, 1, 1), D(2016, 1, 31), False),
    ("Feb. 2017", D(2017, 2, 1), D(2017, 2, 28), False),
    ("Sept 2016", D(2016, 9, 1), D(2016, 9, 30), False),
    ("sep 2016", D(2016, 9, 1), D(2016, 9, 30), False),
    ("April 2016 (and then ongoing)", D(2016, 4, 1), D(2016, 4, 30), True),
    ("December 2015 (and then ongoing)", D(2015, 12, 1), D(2015, 12, 31), True),
    ("February 2016 (and then monthly reports)", D(2016, 2, 1), D(2016, 2, 29), True),
    (
        "March 2016 (and ongoing - contingent on development of LCC Intranet)",
        D(2016, 3, 1),
        D(2016, 3, 31),
        True,
    ),
    (
        "March 2016 (and ongoing contingent on development of LCC Intranet)",
        D(2016, 3, 1),
        D(2016, 3, 31),
        True,
    ),
    (
        "March 2016 (with survey to take place later in 2016)",
        D(2016, 3, 1),
        D(2016, 3, 31),
        False,
    ),
    ("April 2016 (quarterly)", D(2016, 4, 1), D(2016, 4, 30), True),
    ("April 2016 (then annually)", D(2016, 4, 1), D(2016, 4, 30), True),
    ("April 2016 (termly)", D(2016, 4, 1), D(2016, 4, 30), True),
    ("April 2016 (recurring)", D(2016, 4, 1), D(2016, 4, 30), True),
    ("April 2016 and then ongoing", D(2016, 4, 1), D(2016, 4, 30), True),
    # Ongoing work has no dates.
    ("Ongoing", None, None, True),
    ("  ONGOING\n", None, None, True),
    ("on-going", None, None, True),
    # Financial years, quarters and calendar years.
    ("2016/17", D(2016, 4, 1), D(2017, 3, 31), False),
    ("2016-17", D(2016, 4, 1), D(2017, 3, 31), False),
    ("2016/2017", D(2016, 4, 1), D(2017, 3, 31), False),
    ("1999/00", D(1999, 4, 1), D(2000, 3, 31), False),
    ("2016/17 - 2017/18", D(2016, 4, 1), D(2018, 3, 31), False),
    ("Q3 2016/17", D(2016, 10, 1), D(2016, 12, 31), False),
    ("q4 2016-17", D(2017, 1, 1), D(2017, 3, 31), False),
    ("2016", D(2016, 1, 1), D(2016, 12, 31), False),
    ("2017-2020", D(2017, 1, 1), D(2020, 12, 31), False),
    # Deadlines and single dates give only a due date.
    ("By end of March 2016", None, D(2016, 3, 31), False),
    ("By March 2016", None, D(2016, 3, 31), False),
    ("End of March 2016", None, D(2016, 3, 31), False),
    ("By the end of 2016/17", None, D(2017, 3, 31), False),
    ("31 March 2016", None, D(2016, 3, 31), False),
    ("31st March 2016", None, D(2016, 3, 31), False),
    ("31/03/2016", None, D(2016, 3, 31), False),
    ("1 April 2016 - 31 March 2017", D(2016, 4, 1), D(2017, 3, 31), False),
    # As extracted from a real strategy's action tables (Leicestershire County
    # Council, Children and Family Services Workforce Strategy 2016/17), line breaks
    # and all.
    ("March-April\n2016", D(2016, 3, 1), D(2016, 4, 30), False),
    ("JanuaryFebruary\n2016", D(2016, 1, 1), D(2016, 2, 29), False),
    (
        "March 2016\n(and ongoing contingent on\ndevelopment\nof LCC\nIntranet)",
        D(2016, 3, 1),
        D(2016, 3, 31),
        True,
    ),
    (
        "March 2016\n(with survey to\ntake place later\nin 2016)",
        D(2016, 3, 1),
        D(2016, 3, 31),
        False,
    ),
    ("May 2016 (and\nthen ongoing)", D(2016, 5, 1), D(2016, 5, 31), True),
    ("April 2016\n(and then ongoing)", D(2016, 4, 1), D(2016, 4, 30), True),
    (
        "February\n2016 (and\nthen monthly\nreports)",
        D(2016, 2, 1),
        D(2016, 2, 29),
        True,
    ),
    ("March - June\n2016", D(2016, 3, 1), D(2016, 6, 30), False),
    ("December\n2015 (and\nthen ongoing)", D(2015, 12, 1), D(2015, 12, 31), True),
]


@pytest.mark.parametrize(
    ("text", "start", "due", "ongoing"),
    [pytest.param(*case, id=case[0]) for case in READABLE],
)
def test_readable_timescales(text: str, start: date | None, due: date | None, ongoing: bool) -> None:
    assert parse_timescale(text) == Timescale(start=start, due=due, ongoing=ongoing, readable=True)


UNREADABLE = [
    "TBC",
    "",
    "   \n ",
    "As required",
    "Early 2016",
    "Mid-March 2016",
    "March",
    "March 2016 - June",
    "December 2016 - March 2016",
    "2016/18",
    "2017/2020",
    "2017-20",
    "Q1 2016/18",
    "Q5 2016/17",
    "31/02/2016",
    "(and then ongoing)",
    "March 2016 (draft) (and then ongoing)",
]


@pytest.mark.parametrize("text", UNREADABLE)
def test_unreadable_timescales_have_no_dates(text: str) -> None:
    timescale = parse_timescale(text)
    assert timescale.readable is False
    assert timescale.start is None
    assert timescale.due is None
    assert timescale.ongoing is False


def test_timescale_is_frozen() -> None:
    timescale = parse_timescale("March 2016")
    with pytest.raises(dataclasses.FrozenInstanceError):
        timescale.due = None  # type: ignore[misc]


# Timescales as councils write them. Each form, then the ones that must stay unreadable.
START = D(2017, 4, 1)  # the strategy's first day, for "Within 3 months" and "Year 2"

COUNCIL_FORMS = [
    # Meteorological seasons (spring is March-May) and English school terms.
    ("Spring 2016", D(2016, 3, 1), D(2016, 5, 31), False),
    ("Summer 2018", D(2018, 6, 1), D(2018, 8, 31), False),
    ("Autumn 2018", D(2018, 9, 1), D(2018, 11, 30), False),
    ("Winter 2018", D(2018, 12, 1), D(2019, 2, 28), False),
    ("Winter 2018/19", D(2018, 12, 1), D(2019, 2, 28), False),
    ("Spring term 2019", D(2019, 1, 1), D(2019, 3, 31), False),
    ("Summer term 2019", D(2019, 4, 1), D(2019, 7, 31), False),
    ("Autumn Term 2018", D(2018, 9, 1), D(2018, 12, 31), False),
    ("Summer 2018 - Spring 2019", D(2018, 6, 1), D(2019, 5, 31), False),
    # A start and no end: the work goes on.
    ("From March 2018", D(2018, 3, 1), None, True),
    ("April 2018 onwards", D(2018, 4, 1), None, True),
    ("Starting 1st May 2018", D(2018, 5, 1), None, True),
    ("Phased introduction starting 1st April 2010", D(2010, 4, 1), None, True),
    ("Quarterly reports to DMT from April 2018", D(2018, 4, 1), None, True),
    ("From March 2018 to June 2018", D(2018, 3, 1), D(2018, 6, 30), False),
    # Dates written out, with ordinals, "of", a weekday or an abbreviated month.
    ("2nd October 2018", None, D(2018, 10, 2), False),
    ("1st of May 2018", None, D(2018, 5, 1), False),
    ("Tuesday 2 October 2018", None, D(2018, 10, 2), False),
    ("October 2nd, 2018", None, D(2018, 10, 2), False),
    ("3 Feb. 2017", None, D(2017, 2, 3), False),
    ("30 Sept 2016", None, D(2016, 9, 30), False),
    ("Sept. 2016", D(2016, 9, 1), D(2016, 9, 30), False),
    ("Feb 2017", D(2017, 2, 1), D(2017, 2, 28), False),
    # Deadlines.
    ("By the end of Summer 2018", None, D(2018, 8, 31), False),
    ("by the end of December 2018", None, D(2018, 12, 31), False),
    ("By 2nd October 2018", None, D(2018, 10, 2), False),
    # Recurring after the date.
    ("April 2016 and then quarterly", D(2016, 4, 1), D(2016, 4, 30), True),
    ("April 2016, then annually", D(2016, 4, 1), D(2016, 4, 30), True),
    ("March 2017 then annually", D(2017, 3, 1), D(2017, 3, 31), True),
    # Two parts: one gives the date, the other says delivery goes on.
    ("Strategy agreed by October 2009, implementation ongoing", None, D(2009, 10, 31), True),
    ("Ongoing; March 2018 - April 2018", D(2018, 3, 1), D(2018, 4, 30), True),
    ("March 2018; then quarterly", D(2018, 3, 1), D(2018, 3, 31), True),
    ("Quarterly, from April 2018", D(2018, 4, 1), None, True),
    # A recurring word anywhere, and no date.
    ("Quarterly reports to DMT", None, None, True),
    ("Annual review", None, None, True),
    ("Ongoing - monthly supervision", None, None, True),
]


@pytest.mark.parametrize(
    ("text", "start", "due", "ongoing"),
    [pytest.param(*case, id=case[0]) for case in COUNCIL_FORMS],
)
def test_council_forms(text: str, start: date | None, due: date | None, ongoing: bool) -> None:
    assert parse_timescale(text) == Timescale(start=start, due=due, ongoing=ongoing, readable=True)


COUNTED_FROM_START = [
    ("Within 3 months", None, D(2017, 6, 30)),
    ("Within 12 months", None, D(2018, 3, 31)),
    ("within six months", None, D(2017, 9, 30)),
    ("Within 6 weeks", None, D(2017, 5, 12)),
    ("Within the first year", None, None),  # not a count: unreadable, below
    ("Year 1", D(2017, 4, 1), D(2018, 3, 31)),
    ("Year 2", D(2018, 4, 1), D(2019, 3, 31)),
    ("Years 2-3", D(2018, 4, 1), D(2020, 3, 31)),
    ("By the end of Year 2", None, D(2019, 3, 31)),
]


@pytest.mark.parametrize(("text", "start", "due"), [c for c in COUNTED_FROM_START if c[2]], ids=lambda c: str(c))
def test_counted_from_the_strategys_start(text: str, start: date | None, due: date) -> None:
    assert parse_timescale(text, period_start=START) == Timescale(start=start, due=due, ongoing=False, readable=True)


@pytest.mark.parametrize("text", ["Within 3 months", "Year 2"])
def test_counted_from_start_is_unreadable_without_the_start(text: str) -> None:
    assert parse_timescale(text) == Timescale(start=None, due=None, ongoing=False, readable=False)


STILL_UNREADABLE = [
    "TBC",
    "tbc",
    "Subject to funding",
    "Subject to funding, ongoing",
    "To be confirmed",
    "Dependent on the restructure",
    "Within the first year",
    "Year 2",  # no strategy start given
    "Spring",
    "Summer term",
    "Spring term 2019/20",
    "Summer 2018/19",
    "From TBC",
    "March 2016 onwards to be agreed",
    "Ongoing; March 2018; April 2018",
    "March 2018, June 2018",
    "Ongoing (March 2018)",
    "Quarterly reports to DMT from Spring",
    "Monthly, subject to funding",
    "By TBC",
    "2 Octember 2018",
    "30 February 2018",
    "Starting soon",
    "Years 3-2",
]


@pytest.mark.parametrize("text", STILL_UNREADABLE)
def test_still_unreadable(text: str) -> None:
    assert parse_timescale(text, period_start=None) == Timescale(start=None, due=None, ongoing=False, readable=False)
