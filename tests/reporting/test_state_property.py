"""A property of the state as at a quarter: random histories, every count against its list.

Hypothesis draws two strategies that share the quarter names of 2016/17, each with a few
actions and a history of updates: every status with every RAG (a cancelled or on-hold
update that keeps a Red rating, a "not started" with none), completions, gaps, due dates
before, inside and after the quarters, ongoing actions, a cycle of closures and
reopenings, and then changes to the plan: actions added and actions moved to another
outcome, which a closed quarter, as reported at closing, does not see. In every quarter,
for both strategies, the dashboard's figures must equal a model of the rules written here
from the words of the issue, and each count's link must list exactly the actions counted:
no more, no fewer, none from the other strategy.

The model: an action's status in a quarter is its update for the quarter; with none, it
stays complete or cancelled if its latest earlier update said so, and otherwise has no
update. Its RAG counts only while it is open (not complete or cancelled). It is overdue
when it is not ongoing, is due by the quarter's end and is not complete or cancelled. It
is an exception when Red, Amber, overdue or without an update, listed in that order.
"""

import datetime
import os

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from actions.models import Action
from dashboard.counting import HEADLINE, list_url
from dashboard.report import report_build
from reporting import selectors, services
from reporting.models import CLOSED_STATUSES, RAG, PeriodEvent, ProgressUpdate, ReportingPeriod, Status
from tests import factories
from workforce.quarters import Quarter

pytestmark = pytest.mark.django_db

YEAR = 2016
STATUSES = list(Status.values)
RAGS = ["", *RAG.values]

# Due dates around the quarters of 2016/17: before them, on each quarter's first and last
# day, inside one, after them, and none at all.
DUE_DATES = [
    None,
    datetime.date(2016, 3, 31),
    datetime.date(2016, 4, 1),
    datetime.date(2016, 6, 30),
    datetime.date(2016, 7, 1),
    datetime.date(2016, 8, 31),
    datetime.date(2016, 12, 31),
    datetime.date(2017, 1, 1),
    datetime.date(2017, 3, 31),
    datetime.date(2017, 6, 30),
]

# What each headline filter means in the model, by the name the list takes it under.
MODEL_FILTERS = {
    "status": lambda state, value: state["status"] is None if value == "none" else state["status"] == value,
    "rag": lambda state, value: state["rag"] == value,
    "overdue": lambda state, value: state["overdue"] == (value == "yes"),
    "needs_update": lambda state, value: (state["status"] is None) == (value == "yes"),
}

# --- Histories -------------------------------------------------------------------------------

update_values = st.one_of(
    st.none(),  # a gap: no update this quarter
    st.tuples(st.sampled_from(STATUSES), st.sampled_from(RAGS)),
)


@st.composite
def strategy_histories(draw, *, min_actions, max_actions):
    """One strategy's quarters of 2016/17, its cycle of closures and reopenings, and its actions."""
    quarters = sorted(draw(st.sets(st.integers(1, 4), min_size=1, max_size=4)))
    actions = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "outcome": st.integers(0, 1),
                    "due": st.sampled_from(DUE_DATES),
                    "ongoing": st.booleans(),
                    "updates": st.fixed_dictionaries(dict.fromkeys(quarters, update_values)),
                }
            ),
            min_size=min_actions,
            max_size=max_actions,
        )
    )
    return {
        "quarters": quarters,
        # Closed, reopened and closed again.
        "reopened": sorted(draw(st.sets(st.sampled_from(quarters)))),
        # The quarter left open at the end (reopened after everything closed), or none.
        "open": draw(st.one_of(st.none(), st.sampled_from(quarters))),
        "actions": actions,
        # Changes to the plan once the quarters have closed: actions added, and actions moved
        # to the other outcome (by index). A closed quarter reports as it was at closing.
        "after_close": draw(
            st.fixed_dictionaries(
                {
                    "added": st.lists(
                        st.fixed_dictionaries(
                            {
                                "outcome": st.integers(0, 1),
                                "due": st.sampled_from(DUE_DATES),
                                "ongoing": st.booleans(),
                                "updates": st.just({}),
                            }
                        ),
                        max_size=2,
                    ),
                    "moved": st.sets(st.integers(0, len(actions) - 1), max_size=2),
                }
            )
        ),
    }


NO_CHANGES = {"added": [], "moved": set()}


histories = st.fixed_dictionaries(
    {
        "a": strategy_histories(min_actions=3, max_actions=8),
        "b": strategy_histories(min_actions=1, max_actions=3),
    }
)


def _action(outcome=0, due=None, ongoing=False, **updates):
    return {"outcome": outcome, "due": due, "ongoing": ongoing, "updates": {int(k[1]): v for k, v in updates.items()}}


# The case: a cancelled update that keeps a Red rating, in the open quarter, with
# an on-hold Red and a Red action beside it; the other strategy has the same quarter open.
CANCELLED_RED = {
    "a": {
        "quarters": [3],
        "reopened": [],
        "open": 3,
        "actions": [
            _action(q3=(Status.CANCELLED, RAG.RED)),
            _action(q3=(Status.ON_HOLD, RAG.RED), due=datetime.date(2016, 8, 31)),
            _action(outcome=1, q3=(Status.IN_PROGRESS, RAG.RED)),
        ],
    },
    "b": {"quarters": [3], "reopened": [], "open": 3, "actions": [_action(q3=(Status.CANCELLED, RAG.RED))]},
}

# Cancelled, then taken up again, then no update: it needs an update, it is not cancelled.
TAKEN_UP_AGAIN = {
    "a": {
        "quarters": [1, 2, 3, 4],
        "reopened": [2],
        "open": 3,
        "actions": [
            _action(q1=(Status.CANCELLED, RAG.RED), q2=(Status.IN_PROGRESS, RAG.GREEN), q3=None, q4=None),
            _action(q1=(Status.COMPLETE, ""), q2=None, q3=None, q4=(Status.IN_PROGRESS, RAG.AMBER)),
            _action(q1=None, q2=(Status.COMPLETE, ""), q3=(Status.NOT_STARTED, ""), q4=None, ongoing=True),
        ],
    },
    "b": {"quarters": [1, 3], "reopened": [], "open": None, "actions": [_action(q1=(Status.CANCELLED, ""), q3=None)]},
}


# --- The model -------------------------------------------------------------------------------


def model_state(action: dict, quarters: list[int], number: int) -> dict:
    """The action's state at the end of quarter `number`, by the rules in the module's docstring."""
    update = action["updates"].get(number)
    if update is not None:
        status = update[0]
    else:
        earlier = [action["updates"][n] for n in quarters if n < number and action["updates"].get(n) is not None]
        status = earlier[-1][0] if earlier and earlier[-1][0] in CLOSED_STATUSES else None
    is_open = status is not None and status not in CLOSED_STATUSES
    rag = update[1] if update is not None and is_open else None
    due = action["due"]
    overdue = not action["ongoing"] and due is not None and due <= Quarter(YEAR, number).end
    overdue = overdue and status not in CLOSED_STATUSES
    return {"status": status, "rag": rag, "overdue": overdue}


def model_matches(state: dict, filters: dict) -> bool:
    return all(MODEL_FILTERS[name](state, value) for name, value in filters.items())


def model_exception_rank(state: dict, action: Action) -> tuple:
    if state["rag"] == RAG.RED:
        rank = 0
    elif state["rag"] == RAG.AMBER:
        rank = 1
    elif state["overdue"]:
        rank = 2
    else:
        rank = 3
    return (rank, action.order, action.reference)


# --- Building a history in the database --------------------------------------------------------


def build(slug: str, history: dict, planner) -> dict:
    """The strategy, its quarters taken through their cycle, its actions and their updates.

    Updates are written as rows, not through the service: the service would refuse some of
    these (a "not started" with no RAG, a cancelled one keeping its Red), but such rows come
    from imports and earlier versions, and the state must read them the same everywhere.
    """
    strategy = factories.StrategyFactory(slug=slug, title=f"Strategy {slug}")
    outcomes = [factories.OutcomeFactory(strategy=strategy, number=n + 1) for n in range(2)]
    periods = {}
    for number in history["quarters"]:
        periods[number] = services.period_open(strategy=strategy, year=YEAR, number=number, user=planner)
        services.period_close(period=periods[number], user=planner)
    for number in history["reopened"]:
        services.period_reopen(period=periods[number], user=planner, reason=f"Late returns for Q{number}")
        services.period_close(period=periods[number], user=planner)
    if history["open"] is not None:
        services.period_reopen(period=periods[history["open"]], user=planner, reason="Reopened to the end")
    actions = Action.objects.bulk_create(
        Action(
            strategy=strategy,
            outcome=outcomes[spec["outcome"]],
            reference=f"{spec['outcome'] + 1}.1.{index + 1}",
            order=index + 1,
            description=f"Action {index + 1} of {slug}",
            due_date=spec["due"],
            is_ongoing=spec["ongoing"],
        )
        for index, spec in enumerate(history["actions"])
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            action=action,
            period=periods[number],
            status=update[0],
            rag="" if update[0] == Status.COMPLETE else update[1],
            completed_on=Quarter(YEAR, number).start if update[0] == Status.COMPLETE else None,
            progress=f"{update[0]} {update[1]}",
            reason="Recorded" if update[0] in (Status.ON_HOLD, Status.CANCELLED) else "",
        )
        for action, spec in zip(actions, history["actions"], strict=True)
        for number, update in spec["updates"].items()
        if update is not None
    )
    # Closing recorded each action's state, before there were any: record them again with the
    # history in place, as the demo does for the quarters it loads closed.
    for period in periods.values():
        period.refresh_from_db()
        if not period.is_open:
            services.period_states_record(period)
    # Then the plan changes.
    changes = history.get("after_close", NO_CHANGES)
    added = [
        Action.objects.create(
            strategy=strategy,
            outcome=outcomes[spec["outcome"]],
            reference=f"{spec['outcome'] + 1}.2.{index + 1}",
            order=100 + index,
            description=f"Added action {index + 1} of {slug}",
            due_date=spec["due"],
            is_ongoing=spec["ongoing"],
        )
        for index, spec in enumerate(changes["added"])
    ]
    for index in changes["moved"]:
        other = outcomes[1 - history["actions"][index]["outcome"]]
        Action.objects.filter(pk=actions[index].pk).update(outcome=other)
    return {"strategy": strategy, "outcomes": outcomes, "periods": periods, "actions": actions, "added": added}


def as_at(built: dict, history: dict, number: int | None) -> list[tuple[Action, dict, int]]:
    """The model's actions in a quarter, each with its spec and the id of the outcome it is
    counted under: a closed quarter as it was at closing (no action added since, each under
    the outcome it had then); the open quarter, and `number` None (no quarter asked), as the
    plan stands."""
    changes = history.get("after_close", NO_CHANGES)
    as_closed = number is not None and number != history["open"]
    rows = []
    pairs = list(zip(built["actions"], history["actions"], strict=True))
    if not as_closed:
        pairs += list(zip(built["added"], changes["added"], strict=True))
    for index, (action, spec) in enumerate(pairs):
        outcome = spec["outcome"]
        if not as_closed and index < len(history["actions"]) and index in changes["moved"]:
            outcome = 1 - outcome
        rows.append((action, spec, built["outcomes"][outcome].pk))
    return rows


# --- The checks ------------------------------------------------------------------------------


def listed(client, url: str) -> tuple[int, set[int]]:
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.context["page_obj"]
    assert page.paginator.num_pages == 1, "the test keeps every list on one page"
    return page.paginator.count, {action.pk for action in page.object_list}


def check_quarter(client, built: dict, history: dict, number: int, *, links: str) -> None:
    """The report of one quarter against the model; `links` says which counts' links to follow:
    "all" (the headline's and each outcome's), "headline" or "none"."""
    strategy, period = built["strategy"], built["periods"][number]
    periods = list(selectors.periods_for_strategy(strategy))
    report = report_build(strategy, period, periods)
    model = as_at(built, history, number)
    states = {action.pk: model_state(spec, history["quarters"], number) for action, spec, _outcome in model}
    outcome_of = {action.pk: outcome for action, _spec, outcome in model}
    where = f"{strategy.slug} {period}"

    # Each action as the report reads it, against the model.
    assert {row.id for row in report.actions} == set(states), where
    for row in report.actions:
        state = states[row.id]
        assert row.outcome_id == outcome_of[row.id], (where, row.reference)
        assert (row.status_as_at, row.rag_as_at, bool(row.is_overdue)) == (
            state["status"],
            state["rag"],
            state["overdue"],
        ), (where, row.reference)

    rows = [(None, row) for row in report.headline]
    rows += [(outcome_row.outcome.pk, row) for outcome_row in report.outcomes for row in outcome_row.rows]
    by_key = {}
    for outcome_id, row in rows:
        filters = dict(next(f for key, _label, f in HEADLINE if key == row.key))
        expected = {
            pk for pk, state in states.items() if model_matches(state, filters) and outcome_id in (None, outcome_of[pk])
        }
        assert row.value == len(expected), (where, outcome_id, row.key)
        if links == "all" or (links == "headline" and outcome_id is None):
            count, ids = listed(client, row.url)
            assert count == row.value, (where, outcome_id, row.key, row.url)
            assert ids == expected, (where, outcome_id, row.key, row.url)
        if outcome_id is None:
            by_key[row.key] = expected

    # Exceptions: the model's, in its order; and exactly what the exception filters list.
    expected_exceptions = sorted(
        (action for action, _spec, _outcome in model if _is_exception(states[action.pk])),
        key=lambda action: model_exception_rank(states[action.pk], action),
    )
    assert [a.id for a in report.exceptions] == [a.pk for a in expected_exceptions], where
    if links != "none":
        # Red, Amber and overdue are headline links already followed; "needs an update" is not.
        needing_update = listed(client, list_url(strategy, period, needs_update="yes"))[1]
        assert needing_update == by_key["no_update"], where
        listed_exceptions = by_key["off_track"] | by_key["at_risk"] | by_key["overdue"] | needing_update
        assert listed_exceptions == {a.pk for a in expected_exceptions}, where

    # The report notes each time this quarter was reopened.
    reopened = (number in history["reopened"]) + (number == history["open"])
    assert len(report.reopenings) == reopened, where


def _is_exception(state: dict) -> bool:
    return state["status"] is None or state["overdue"] or state["rag"] in (RAG.RED, RAG.AMBER)


def check_list_without_a_quarter(client, built_all: list[tuple[dict, dict]]) -> None:
    """With no quarter asked, each action reads as at its own strategy's open quarter, else its latest."""
    response = client.get(reverse("reporting:list"))
    assert response.status_code == 200
    shown = {action.pk: action for action in response.context["page_obj"].object_list}
    assert len(shown) == response.context["page_obj"].paginator.count
    everything = {action.pk for built, history in built_all for action, _spec, _outcome in as_at(built, history, None)}
    assert set(shown) == everything
    for built, history in built_all:
        number = history["open"] if history["open"] is not None else history["quarters"][-1]
        for action, spec, _outcome in as_at(built, history, None):
            state = model_state(spec, history["quarters"], number)
            row = shown[action.pk]
            assert row.as_at_period_id == built["periods"][number].pk, action.reference
            assert (row.status_as_at, row.rag_as_at, bool(row.is_overdue)) == (
                state["status"],
                state["rag"],
                state["overdue"],
            ), action.reference


@pytest.fixture
def signed_in(client, dmt):
    client.force_login(dmt)
    return client


@settings(
    max_examples=int(os.environ.get("STATE_PROPERTY_EXAMPLES", "5")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(history=CANCELLED_RED)
@given(history=histories)
def test_every_count_equals_the_actions_its_link_lists_in_every_quarter(signed_in, planner, history):
    # Examples share the test's transaction: each builds inside a savepoint and rolls it back.
    with transaction.atomic():
        built_a = build("strategy-a", history["a"], planner)
        built_b = build("strategy-b", history["b"], planner)
        for number in history["a"]["quarters"]:
            check_quarter(signed_in, built_a, history["a"], number, links="all")
        for number in history["b"]["quarters"]:
            last = number == history["b"]["quarters"][-1]
            check_quarter(signed_in, built_b, history["b"], number, links="headline" if last else "none")
        check_list_without_a_quarter(signed_in, [(built_a, history["a"]), (built_b, history["b"])])
        assert PeriodEvent.objects.filter(kind=PeriodEvent.Kind.REOPENED).count() == sum(
            len(h["reopened"]) + (h["open"] is not None) for h in history.values()
        )
        transaction.set_rollback(True)
    assert not ReportingPeriod.objects.exists()


def test_an_action_taken_up_again_after_closing_needs_an_update_later(signed_in, planner):
    """Cancelled in Q1, in progress again in Q2, no update in Q3: in Q3 it needs an update
    (and is chased), rather than counting as cancelled from Q1. The same for one completed
    and then reported as not started."""
    history = TAKEN_UP_AGAIN["a"]
    built = build("strategy-a", history, planner)
    for number in history["quarters"]:
        check_quarter(signed_in, built, history, number, links="headline")
    cancelled_first, _, completed_first = built["actions"]
    strategy, q3, q4 = built["strategy"], built["periods"][3], built["periods"][4]
    report = report_build(strategy, q3, list(selectors.periods_for_strategy(strategy)))
    row = next(a for a in report.actions if a.id == cancelled_first.pk)
    assert (row.status_as_at, row.rag_as_at) == (None, None)
    assert cancelled_first.pk in {a.id for a in report.exceptions}
    assert cancelled_first.pk in listed(signed_in, list_url(strategy, q3, status="none"))[1]
    assert cancelled_first.pk not in listed(signed_in, list_url(strategy, q3, status=Status.CANCELLED))[1]
    assert completed_first.pk in listed(signed_in, list_url(strategy, q4, needs_update="yes"))[1]
