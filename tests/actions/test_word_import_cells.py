"""What the plan import reads from single cells and columns: costs in prose, a timescale over
several lines, an action cell's items and leading number, a column's field from its header
and its cells, a table's header rows, and tables with the same header as one plan."""

import datetime
from decimal import Decimal

import pytest

from actions.costs import cost_note, note_line, read_cost
from actions.plan_cells import description_and_number
from actions.plan_columns import header_rows, plans_from, suggest_column
from actions.timescales import parse_timescale, timescale_lines_joined


@pytest.mark.parametrize(
    ("cell", "amount", "note"),
    [
        ("£1000", Decimal("1000"), ""),
        ("£12,000", Decimal("12000"), ""),
        ("£1.5k", Decimal("1500"), ""),
        ("2k", Decimal("2000"), ""),
        ("nil", None, ""),
        ("Nil.", None, ""),
        ("-", None, ""),
        (
            "Materials, promotional costs (£1000)\nPlus cost of running programme",
            Decimal("1000"),
            "Materials, promotional costs (£1000) Plus cost of running programme",
        ),
        ("Within existing budget", None, "Within existing budget"),
        ("Analyst time, about £2,500 a year", Decimal("2500"), "Analyst time, about £2,500 a year"),
    ],
)
def test_a_cost_is_read_from_the_words_and_the_cell_kept_as_its_note(cell, amount, note):
    cost = read_cost(cell)
    assert (cost.amount, cost.note, cost.problem) == (amount, note, "")


def test_several_amounts_give_no_cost_and_say_why_and_a_negative_one_is_a_problem():
    several = read_cost("£500 a course, £2,000 in all")
    assert several.amount is None and several.note == "£500 a course, £2,000 in all"
    assert several.notice.startswith("it gives several amounts (£500, £2,000), so no cost is set")
    assert read_cost("Saving of -£300").problem.startswith("it gives a negative amount")


def test_the_cost_note_is_found_again_in_the_actions_notes():
    notes = "Agreed at DMT\n" + note_line("Materials (£1000) plus running costs")
    assert cost_note(notes) == "Materials (£1000) plus running costs"
    assert cost_note("Agreed at DMT") == "" and note_line("") == ""


def test_the_lines_of_a_timescale_cell_read_as_joined_by_semicolons():
    two_lines = "Strategy agreed by October 2009\nImplementation - ongoing"
    assert timescale_lines_joined(two_lines) == "Strategy agreed by October 2009; Implementation - ongoing"
    assert parse_timescale(two_lines) == parse_timescale(timescale_lines_joined(two_lines))
    assert parse_timescale(two_lines).due == datetime.date(2009, 10, 31) and parse_timescale(two_lines).ongoing
    # A line carrying on the one before is joined by a space: a wrapped month, a bracketed note.
    assert timescale_lines_joined("March-April\n2016") == "March-April 2016"
    assert timescale_lines_joined("January\nFebruary 2016") == "January February 2016"
    assert timescale_lines_joined("March 2016\n(and ongoing)") == "March 2016 (and ongoing)"


@pytest.mark.parametrize(
    ("cell", "reference", "expected"),
    [
        ("3. Deliver:\ni. induction\nii. supervision", "", ("Deliver:\ni. induction\nii. supervision", "3")),
        ("2.1.4 Review pay\nand grading", "", ("Review pay and grading", "2.1.4")),
        ("1) Recruit staff", "", ("Recruit staff", "1")),
        ("Train:\na) social workers\n(b) managers", "", ("Train:\na) social workers\n(b) managers", "")),
        ("2016 will see a new induction", "", ("2016 will see a new induction", "")),
        ("1. Recruit staff", "1.1", ("1. Recruit staff", "")),  # another reference: the number is the text's
        ("1.1 Recruit staff", "1.1", ("Recruit staff", "1.1")),
        ("Write the plan\n- with HR\n- with Comms", "", ("Write the plan\n- with HR\n- with Comms", "")),
        ("• Train the trainers\nin every team", "", ("Train the trainers in every team", "")),
    ],
)
def test_an_action_cell_is_one_description_its_leading_number_taken_off(cell, reference, expected):
    assert description_and_number(cell, reference=reference) == expected


PEOPLE = ["Jane Smith", "Amir Patel\nChris O'Neill", "Dr Ruth Evans", "Jane Smith / Amir Patel"]
SENTENCES = [
    "Every front line worker attends at least three events in the year and rates them as useful to practice.",
    "Pay for social work posts is in line with the region's and fewer leavers give pay as their reason.",
    "The management team sees each quarter where vacancies are and acts on them before they grow too far.",
]


@pytest.mark.parametrize(
    ("header", "cells", "field"),
    [
        ("Lead", PEOPLE, "lead_officer"),  # a column of people, whatever the header
        ("Who will…", PEOPLE, "lead_officer"),
        ("Lead", ["Strategic HR", "Organisational Planning\nCorporate Comms Team"], "lead_teams"),
        ("Lead", ["Quality Team", "Learning House"], "lead_teams"),  # teams the product knows
        ("Resources", ["£1000", "nil", "Materials (£500)", "Within budget"], "estimated_cost"),
        ("", ["£1000", "£1.5k", "nil"], "estimated_cost"),
        ("Outcomes", SENTENCES, "measure"),  # sentences, each its own: measures, not the outcome
        ("Outcome", ["A stable workforce"] * 3 + ["Strong leaders"] * 3, "outcome"),
        ("We want…", [SENTENCES[0]] * 4, "outcome"),  # one long outcome merged down its rows
        ("Action", SENTENCES, "action"),
        ("Timescale", ["March 2016", "Ongoing"], "timescale"),
    ],
)
def test_a_columns_field_is_suggested_from_its_header_and_its_cells(header, cells, field):
    assert suggest_column(header, cells, team_names=["Quality Team", "Learning House"]) == field


def cells(*texts):
    return [(text, False) for text in texts]


HEADER_1 = cells("Lead", "Timescale", "Action", "Resources", "Links to", "Outcomes")
HEADER_2 = cells("Officer", "", "", "(Estimated Costs)", "framework", "")
ROW = cells("Jane Smith", "March 2010", "1. Recruit", "£1000", "Strategy", SENTENCES[0])


def test_header_rows_are_found_and_read_together():
    assert header_rows([HEADER_1, HEADER_2, ROW, ROW]) == 2
    assert header_rows([HEADER_1, ROW, ROW]) == 1
    assert header_rows([ROW, ROW]) == 0
    assert header_rows([cells("Risk", "Control"), cells(SENTENCES[0], SENTENCES[1])]) == 1  # labels over text
    assert header_rows([cells("Recruit", "Quarterly"), cells("Train", "Monthly")]) == 0
    short_row = cells("Head", "Summer", "Recruit", "nil", "PCF", "More staff")  # short, but names no field
    assert header_rows([HEADER_1, short_row]) == 1
    (plan,) = plans_from([[HEADER_1, HEADER_2, ROW]])
    assert plan.headers == [
        "Lead Officer", "Timescale", "Action", "Resources (Estimated Costs)", "Links to framework", "Outcomes"
    ]  # fmt: skip


def test_tables_with_the_same_header_are_one_plan_and_its_rows_skip_repeated_headers():
    other = [cells("Theme", "Action"), cells("People", "Recruit")]
    tables = [
        [HEADER_1, HEADER_2, ROW],
        [HEADER_1, HEADER_2, ROW, HEADER_1, HEADER_2, ROW],  # a page's header repeated inside a table
        other,
        [ROW, ROW],  # no header, and not as wide as the table before: a plan of its own
        [HEADER_1, HEADER_2, ROW],
    ]
    plans = plans_from(tables)
    assert [(p.tables, p.header_rows) for p in plans] == [([1, 2, 5], 2), ([3], 1), ([4], 0)]
    assert [(t, r) for t, r, _ in plans[0].rows(tables)] == [(1, 3), (2, 3), (2, 6), (5, 3)]


def test_a_table_with_no_header_as_wide_as_the_one_before_continues_its_plan():
    tables = [[HEADER_1, HEADER_2, ROW], [ROW, ROW]]
    (plan,) = plans_from(tables)
    assert plan.tables == [1, 2]
    assert [(t, r) for t, r, _ in plan.rows(tables)] == [(1, 3), (2, 1), (2, 2)]
