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
    "Spring 2016",
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
