"""Plans loaded first time right: each of the three strategies as its own document lays its
plan out, and a plan of another council's shape (repeated headers, a header over two rows,
no recommendation or outcome column, numbered items in a cell, costs in prose)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.costs import cost_note
from actions.word_import import Mapping, description_and_number, load_plan
from actions.word_tables import read_tables
from tests import factories
from tests.actions.plan_checks import assert_matches_fixture, fixture_strategy, load_first_time, suggested_mapping
from tests.actions.word_documents import LAID_OUT, PlanTable, build_plan_docx

pytestmark = pytest.mark.django_db


def tables_of(content: bytes):
    return read_tables(SimpleUploadedFile("plan.docx", content))


@pytest.mark.parametrize("slug", list(LAID_OUT))
def test_each_strategy_laid_out_as_its_document_loads_first_time_as_its_fixture(slug, planner):
    original = fixture_strategy(slug)
    tables = tables_of(build_plan_docx(LAID_OUT[slug](original)))
    assert len(tables) > 1  # a table per outcome, the header repeated on each

    assert_matches_fixture(slug, tables, user=planner)


# A plan of another council's shape, as the issue found it: six columns, the header repeated
# so the plan is four tables, no outcome or recommendation column, measures in a column headed
# "Outcomes", people as lead officers, costs in prose, an action's items "i." to "vii." in its
# cell, a timescale on two lines; and a copy with the columns reordered under a two-row header.

MEASURE_2 = (
    "More applications from experienced social workers and foster carers in the county, with the number of "
    "vacancies for qualified social workers falling below ten per cent by the end of the year, fewer posts "
    "covered by agency staff, and new starters telling us in their first review that the campaign, the "
    "website and the events were what brought them to apply to the council rather than to a neighbour."
)
ITEMS = [f"{n} {text}" for n, text in zip(
    ["i.", "ii.", "iii.", "iv.", "v.", "vi.", "vii."],
    ["induction for new starters", "supervision skills", "assessment and analysis", "court skills",
     "working with partners", "reflective practice", "leadership for team managers"],
    strict=True,
)]  # fmt: skip
PLAN = [
    # Action, Links to framework, Outcomes, Timescale, Lead Officer, Resources (Estimated Costs)
    [
        "1. Agree the workforce strategy with the Children's Trust Board",
        "Strategy",
        "The strategy is agreed by the Board and every service knows its part in delivering it.",
        "Strategy agreed by October 2009\nImplementation - ongoing",
        "Jane Smith",
        "nil",
    ],
    [
        "2. Run a recruitment campaign for social workers and foster carers",
        "Recruitment and retention",
        MEASURE_2,
        "March 2010",
        "Amir Patel",
        "Materials, promotional costs (£1000)\nPlus cost of running programme",
    ],
    [
        "3. Deliver a programme of workforce development events for front line staff:\n" + "\n".join(ITEMS),
        "Workforce development",
        "Every front line worker attends at least three events in the year and rates them as useful.\n"
        "Audits of case files show the skills taught being used in practice with families.",
        "April 2009 - March 2010",
        "Jane Smith",
        "£12,000",
    ],
    [
        "4. Set up a peer mentoring scheme for newly qualified social workers in every locality team",
        "Workforce development",
        "Every newly qualified social worker has a mentor within a month of starting and stays a second year.",
        "Summer 2009",
        "Amir Patel",
        "£1.5k",
    ],
    [
        "5. Review the council's pay and grading of social work posts against its neighbours",
        "Recruitment and retention",
        "Pay for social work posts is in line with the region's and fewer leavers give pay as their reason.",
        "December 2009",
        "Chris O'Neill",
        "Within existing budget",
    ],
    [
        "6. Publish a quarterly workforce report to the management team with vacancies and agency use",
        "Strategy",
        "The management team sees each quarter where vacancies are and acts on them before they grow.",
        "Quarterly",
        "Jane Smith",
        "Analyst time, about £2,500 a year",
    ],
    [
        "7. Hold an annual celebration of practice for staff and partners across the children's workforce",
        "Workforce development",
        "Staff survey results show staff feel their work is seen and valued by the council's leaders.",
        "July 2009 and then annually",
        "Chris O'Neill",
        "£800",
    ],
]
HEADER = ["Action", "Links to framework", "Outcomes", "Timescale", "Lead Officer", "Resources (Estimated Costs)"]
PAGES = [PLAN[0:2], PLAN[2:3], PLAN[3:5], PLAN[5:7]]  # the header repeated at each page: four tables
#: The copy: columns reordered, the header over two rows.
ORDER = [4, 3, 0, 5, 1, 2]
TWO_ROW_HEADER = [
    ["Lead", "Timescale", "Action", "Resources", "Links to", "Outcomes"],
    ["Officer", "", "", "(Estimated Costs)", "framework", ""],
]


def issue_plan(*, reordered: bool = False) -> bytes:
    if not reordered:
        return build_plan_docx([PlanTable([HEADER], rows) for rows in PAGES])
    return build_plan_docx([PlanTable(TWO_ROW_HEADER, [[row[c] for c in ORDER] for row in rows]) for rows in PAGES])


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
