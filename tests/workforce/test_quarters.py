"""Tests for financial-year quarters (1 April to 31 March)."""

from datetime import date

import pytest

from workforce.quarters import (
    Quarter,
    financial_year_bounds,
    financial_year_of,
    quarter_from_label,
    quarter_of,
    quarters_between,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2016, 3, 31), Quarter(2015, 4)),
        (date(2016, 4, 1), Quarter(2016, 1)),
        (date(2016, 6, 30), Quarter(2016, 1)),
        (date(2016, 7, 1), Quarter(2016, 2)),
        (date(2016, 9, 30), Quarter(2016, 2)),
        (date(2016, 10, 1), Quarter(2016, 3)),
        (date(2016, 12, 31), Quarter(2016, 3)),
        (date(2017, 1, 1), Quarter(2016, 4)),
        (date(2017, 3, 31), Quarter(2016, 4)),
        (date(2017, 4, 1), Quarter(2017, 1)),
        (date(2016, 2, 29), Quarter(2015, 4)),
    ],
)
def test_quarter_of_at_the_boundaries(day: date, expected: Quarter) -> None:
    assert quarter_of(day) == expected
    assert expected.contains(day)


@pytest.mark.parametrize(
    ("quarter", "start", "end"),
    [
        (Quarter(2016, 1), date(2016, 4, 1), date(2016, 6, 30)),
        (Quarter(2016, 2), date(2016, 7, 1), date(2016, 9, 30)),
        (Quarter(2016, 3), date(2016, 10, 1), date(2016, 12, 31)),
        (Quarter(2016, 4), date(2017, 1, 1), date(2017, 3, 31)),
    ],
)
def test_start_and_end(quarter: Quarter, start: date, end: date) -> None:
    assert quarter.start == start
    assert quarter.end == end


def test_contains_excludes_the_neighbouring_days() -> None:
    quarter = Quarter(2016, 3)
    assert quarter.contains(date(2016, 10, 1))
    assert quarter.contains(date(2016, 12, 31))
    assert not quarter.contains(date(2016, 9, 30))
    assert not quarter.contains(date(2017, 1, 1))


def test_labels() -> None:
    quarter = Quarter(2016, 3)
    assert quarter.label == "Q3 2016/17"
    assert str(quarter) == "Q3 2016/17"
    assert quarter.financial_year_label == "2016/17"
    assert Quarter(1999, 4).financial_year_label == "1999/00"
    assert Quarter(2009, 1).label == "Q1 2009/10"


def test_next_and_previous_within_a_year() -> None:
    assert Quarter(2016, 1).next() == Quarter(2016, 2)
    assert Quarter(2016, 3).previous() == Quarter(2016, 2)


def test_next_and_previous_across_the_year_boundary() -> None:
    assert Quarter(2016, 4).next() == Quarter(2017, 1)
    assert Quarter(2016, 1).previous() == Quarter(2015, 4)
    assert Quarter(2016, 4).next().label == "Q1 2017/18"
    assert Quarter(2016, 1).previous().label == "Q4 2015/16"


@pytest.mark.parametrize(
    ("year", "number", "message"),
    [(2016, 0, "not 0"), (2016, 5, "not 5"), (2016, -1, "not -1"), (0, 1, "not 0")],
)
def test_invalid_quarters_are_rejected(year: int, number: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Quarter(year, number)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Q3 2016/17", Quarter(2016, 3)),
        ("q3 2016/17", Quarter(2016, 3)),
        ("  Q1   2016 / 17  ", Quarter(2016, 1)),
        ("Q4 1999/00", Quarter(1999, 4)),
        ("Q2 2016/2017", Quarter(2016, 2)),
    ],
)
def test_quarter_from_label(label: str, expected: Quarter) -> None:
    assert quarter_from_label(label) == expected


def test_label_round_trip() -> None:
    quarter = Quarter(2023, 2)
    assert quarter_from_label(quarter.label) == quarter


@pytest.mark.parametrize(
    "label",
    ["Q1 2016/18", "Q5 2016/17", "Q0 2016/17", "2016/17", "Q3", "Quarter three", "", "Q3 2016/17 x"],
)
def test_quarter_from_label_rejects_bad_text(label: str) -> None:
    with pytest.raises(ValueError, match=f'"{label}"'):
        quarter_from_label(label)


def test_financial_year_of() -> None:
    assert financial_year_of(date(2016, 3, 31)) == 2015
    assert financial_year_of(date(2016, 4, 1)) == 2016
    assert financial_year_of(date(2017, 1, 1)) == 2016


def test_financial_year_bounds() -> None:
    assert financial_year_bounds(2016) == (date(2016, 4, 1), date(2017, 3, 31))


def test_quarters_between_includes_both_ends() -> None:
    assert quarters_between(date(2016, 5, 15), date(2017, 1, 1)) == [
        Quarter(2016, 1),
        Quarter(2016, 2),
        Quarter(2016, 3),
        Quarter(2016, 4),
    ]


def test_quarters_between_within_one_quarter() -> None:
    assert quarters_between(date(2016, 4, 1), date(2016, 6, 30)) == [Quarter(2016, 1)]


def test_quarters_between_across_the_year_boundary() -> None:
    assert quarters_between(date(2017, 3, 31), date(2017, 4, 1)) == [
        Quarter(2016, 4),
        Quarter(2017, 1),
    ]


def test_quarters_between_rejects_a_reversed_range() -> None:
    with pytest.raises(ValueError, match="2016-03-31"):
        quarters_between(date(2016, 4, 1), date(2016, 3, 31))


def test_ordering() -> None:
    quarters = [Quarter(2017, 1), Quarter(2016, 4), Quarter(2015, 4), Quarter(2016, 1)]
    assert sorted(quarters) == [
        Quarter(2015, 4),
        Quarter(2016, 1),
        Quarter(2016, 4),
        Quarter(2017, 1),
    ]
    assert Quarter(2016, 4) < Quarter(2017, 1)
    assert Quarter(2016, 2) > Quarter(2016, 1)
    assert max(quarters) == Quarter(2017, 1)
