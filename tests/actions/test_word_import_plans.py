"""Plans loaded first time right: each of the three strategies as its own document lays its
plan out, and a plan of another council's shape (repeated headers, a header over two rows,
no recommendation or outcome column, numbered items in a cell, costs in prose)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.costs import cost_note
from actions.plan_cells import description_and_number
from actions.word_import import Mapping, load_plan
from actions.word_tables import read_tables
from tests import factories
from tests.actions.plan_checks import (
    assert_matches_fixture,
    assert_same_actions,
    empty_copy,
    fixture_strategy,
    load_first_time,
    load_through_the_admin,
    suggested_mapping,
)
from tests.actions.word_documents import ITEMS, LAID_OUT, MEASURE_2, PLAN, build_plan_docx, issue_plan

pytestmark = pytest.mark.django_db


def tables_of(content: bytes):
    return read_tables(SimpleUploadedFile("plan.docx", content))


@pytest.mark.parametrize("slug", list(LAID_OUT))
def test_each_strategy_laid_out_as_its_document_loads_first_time_as_its_fixture(slug, planner):
    original = fixture_strategy(slug)
    tables = tables_of(build_plan_docx(LAID_OUT[slug](original)))
    assert len(tables) > 1  # a table per outcome, the header repeated on each

    assert_matches_fixture(slug, tables, user=planner)


@pytest.mark.parametrize("slug", list(LAID_OUT))
def test_each_strategy_laid_out_as_its_document_loads_through_the_admin_in_one_mapping_and_one_preview(
    slug, client, planner
):
    original = fixture_strategy(slug)
    copy = empty_copy(original)
    client.force_login(planner)

    load_through_the_admin(client, copy, build_plan_docx(LAID_OUT[slug](original)))

    assert_same_actions(original, copy)


@pytest.fixture
def empty_strategy():
    return factories.StrategyFactory(
        slug="children-2009", period_start=datetime.date(2009, 4, 1), period_end=datetime.date(2010, 3, 31)
    )


@pytest.mark.parametrize("reordered", [False, True], ids=["as-written", "reordered-two-row-header"])
def test_a_plan_of_another_councils_shape_loads_right_first_time(reordered, empty_strategy, planner):
    factories.UserFactory(username="jsmith", first_name="Jane", last_name="Smith")
    tables = tables_of(issue_plan(reordered=reordered))
    assert len(tables) == 4

    mapping = suggested_mapping(tables, empty_strategy)
    assert len(mapping.plans) == 1 and mapping.plans[0].tables == [1, 2, 3, 4]  # mapped once
    assert mapping.plans[0].header_rows == (2 if reordered else 1)
    fields = dict(zip(mapping.plans[0].headers, mapping.columns(1), strict=True))
    assert fields == {
        "Action": "action",
        "Links to framework": "framework_link",
        "Outcomes": "measure",  # sentences of what success looks like, not the outcome
        "Timescale": "timescale",
        "Lead Officer": "lead_officer",  # people
        "Resources (Estimated Costs)": "estimated_cost",
    }

    records = load_first_time(tables, empty_strategy, user=planner)

    assert len(records) == 7  # the action with items i. to vii. is one action
    outcome = empty_strategy.outcomes.get()
    assert (outcome.number, outcome.title) == (1, "Action plan")  # made, and named in the preview
    actions = list(empty_strategy.actions.order_by("order"))
    assert [a.reference for a in actions] == ["1", "2", "3", "4", "5", "6", "7"]
    assert [a.description for a in actions] == [description_and_number(row[0])[0] for row in PLAN]
    assert actions[2].description == (
        "Deliver a programme of workforce development events for front line staff:\n" + "\n".join(ITEMS)
    )
    assert [a.lead_officer for a in actions] == [row[4] for row in PLAN]
    jane = actions[0].lead_officer_user
    assert jane is not None and jane.username == "jsmith" and actions[1].lead_officer_user is None
    assert [a.estimated_cost for a in actions] == [None, 1000, 12000, 1500, None, 2500, 800]
    assert cost_note(actions[1].notes) == "Materials, promotional costs (£1000) Plus cost of running programme"
    assert cost_note(actions[4].notes) == "Within existing budget"
    assert actions[0].timescale == "Strategy agreed by October 2009; Implementation - ongoing"
    assert [(a.start_date, a.due_date, a.is_ongoing) for a in actions] == [
        (None, datetime.date(2009, 10, 31), True),
        (datetime.date(2010, 3, 1), datetime.date(2010, 3, 31), False),
        (datetime.date(2009, 4, 1), datetime.date(2010, 3, 31), False),
        (datetime.date(2009, 6, 1), datetime.date(2009, 8, 31), False),
        (datetime.date(2009, 12, 1), datetime.date(2009, 12, 31), False),
        (None, None, True),
        (datetime.date(2009, 7, 1), datetime.date(2009, 7, 31), True),
    ]
    # Each action's measures attach to a recommendation made for it, in its own words.
    for action, row in zip(actions, PLAN, strict=True):
        assert action.recommendation.title == action.description.replace("\n", " ")
        assert [m.measure for m in action.recommendation.measures.order_by("number")] == row[2].split("\n")


def test_the_outcomes_column_mapped_as_the_outcome_is_refused_naming_row_and_column(empty_strategy, planner):
    tables = tables_of(issue_plan())
    columns = ["action", "framework_link", "outcome", "timescale", "lead_officer", "estimated_cost"]
    mapping = Mapping(table=1, more_tables=(2, 3, 4), header_rows=1, columns=columns)

    records = load_plan(empty_strategy, tables, [mapping], user=planner, save=True)

    assert records[1].errors == [
        'Table 1, row 3, column "Outcomes": the outcome is too long: ensure this value has at most 300 characters '
        f"(it has {len(MEASURE_2)}). An outcome is a short title. If this column holds measures of success or "
        "other sentences, map it to that field above; otherwise shorten it in the document."
    ]
    assert not empty_strategy.actions.exists() and not empty_strategy.outcomes.exists()  # nothing half-saved


def test_a_plan_with_no_outcome_column_loads_into_the_outcome_picked(empty_strategy, planner):
    picked = factories.OutcomeFactory(strategy=empty_strategy, number=3, title="A stable workforce")
    factories.OutcomeFactory(strategy=empty_strategy, number=4, title="Strong leaders")
    tables = tables_of(issue_plan())
    mapping = suggested_mapping(tables, empty_strategy, outcome=str(picked.pk))

    records = load_plan(
        empty_strategy, tables, mapping.mappings(), user=planner, save=True, outcome=mapping.outcome_for_rows_without()
    )

    assert [r.errors for r in records if r.errors] == []
    assert set(empty_strategy.actions.values_list("outcome", flat=True)) == {picked.pk}
    assert empty_strategy.outcomes.count() == 2


def test_lead_names_wrapped_over_lines_or_run_together_are_read_as_the_teams_and_people(planner):
    # Tables as a PDF's text gives them: a name wrapped over two lines, two teams on one line.
    strategy = factories.StrategyFactory(slug="wrapped")
    for name in ("Organisational Planning", "Corporate Comms Team", "Strategic HR"):
        factories.TeamFactory(name=name)
    row = [("1. People", False), ("Write the plan", False), ("", False), ("Jane\nSmith", False)]
    tables = [
        [
            [("Theme", False), ("Action", False), ("Lead team", False), ("Lead officer", False)],
            [row[0], row[1], ("Organisational\nPlanning", False), row[3]],
            [row[0], ("Run the survey", False), ("Organisational Planning Corporate Comms Team", False), row[3]],
            [
                row[0],
                ("Tell staff", False),
                ("Strategic HR\nCorporate Comms Team", False),
                ("Amir Patel\nJo Bloggs", False),
            ],
            [row[0], ("Ask staff", False), ("Strategic HR Nobody Else", False), ("", False)],
        ]
    ]
    columns = ["outcome", "action", "lead_teams", "lead_officer"]

    records = load_plan(strategy, tables, [Mapping(table=1, header_rows=1, columns=columns)], user=planner, save=False)

    assert [sorted(t.name for t in r.teams) for r in records[:3]] == [
        ["Organisational Planning"],
        ["Corporate Comms Team", "Organisational Planning"],
        ["Corporate Comms Team", "Strategic HR"],
    ]
    assert [r.action.lead_officer for r in records[:3]] == ["Jane Smith", "Jane Smith", "Amir Patel; Jo Bloggs"]
    assert records[3].errors == [
        'Table 1, row 5, column "Lead team": there is no lead team called "Strategic HR Nobody Else". Add the team '
        "in the admin first or correct the name in the document; if the column names people, map it to Lead officer."
    ]
