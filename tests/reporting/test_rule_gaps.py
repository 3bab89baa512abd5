"""Where mutation testing (docs/testing.md) found nothing failing: the state as at a quarter,
its words, and the cycle's refusals. Each test fails when the rule it names is changed.

The tests read pages and function results. Those that call a service say which in their
docstring; all pass `user` as the services take it.

One strategy ("gaps") with Q3 2016/17 open and actions in every state the rules tell apart,
written in document order so that no rule can pass by following that order:

| ref   | Q3 update                | due         | as the report reads it            |
| 1.1.1 | none                     | 30 Jun 2017 | no update: an exception, last     |
| 1.1.2 | in progress, Green       | 31 Oct 2016 | overdue: an exception, third      |
| 1.1.3 | in progress, Amber       | 30 Jun 2017 | Amber: an exception, second       |
| 1.1.4 | in progress, Red         | 30 Jun 2017 | Red: an exception, first          |
| 1.1.5 | in progress, Red         | 30 Jun 2017 | Red: first with 1.1.4, after it   |
| 1.1.6 | on hold, no RAG          | 31 Oct 2016 | "No rating", overdue: fourth      |
| 1.1.7 | in progress, Green       | 30 Jun 2017 | on track: not an exception        |
| 1.1.8 | complete                 | 31 Oct 2016 | complete: not an exception        |
"""

import datetime
import io
import re
from html import unescape

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action
from reporting import selectors, services
from reporting.models import RAG, DmtDecision, ProgressUpdate, Status
from tests import factories

pytestmark = pytest.mark.django_db

LATER = datetime.date(2017, 6, 30)  # after Q3 2016/17 ends: not overdue
EARLIER = datetime.date(2016, 10, 31)  # inside Q3 2016/17: overdue unless complete or cancelled

# ref: (update status or None, RAG, due date)
PLAN = {
    "1.1.1": (None, "", LATER),
    "1.1.2": (Status.IN_PROGRESS, RAG.GREEN, EARLIER),
    "1.1.3": (Status.IN_PROGRESS, RAG.AMBER, LATER),
    "1.1.4": (Status.IN_PROGRESS, RAG.RED, LATER),
    "1.1.5": (Status.IN_PROGRESS, RAG.RED, LATER),
    "1.1.6": (Status.ON_HOLD, "", EARLIER),
    "1.1.7": (Status.IN_PROGRESS, RAG.GREEN, LATER),
    "1.1.8": (Status.COMPLETE, "", EARLIER),
}


def make_plan(slug: str, prefix: str = "1") -> dict:
    """A strategy with Q3 2016/17 open and the actions of PLAN (references under `prefix`)."""
    strategy = factories.StrategyFactory(slug=slug)
    recommendation = factories.RecommendationFactory(outcome__strategy=strategy, outcome__number=1, number=1)
    period = factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=3)
    actions = {}
    for order, (ref, (status, rag, due)) in enumerate(PLAN.items(), start=1):
        reference = prefix + ref[1:]
        action = factories.ActionFactory(
            recommendation=recommendation, reference=reference, order=order, due_date=due, description=f"Do {reference}"
        )
        actions[reference] = action
        if status is not None:
            factories.ProgressUpdateFactory(
                action=action,
                period=period,
                status=status,
                rag=rag,
                progress=f"Progress on {reference}",
                help_needed="Funding" if rag == RAG.RED else "",
                reason="Waiting for the new intranet" if status == Status.ON_HOLD else "",
                completed_on=datetime.date(2016, 10, 1) if status == Status.COMPLETE else None,
            )
    return {"strategy": strategy, "period": period, "actions": actions}


@pytest.fixture
def plan(db):
    return make_plan("gaps")


def text(fragment: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def table_rows(html: str) -> dict[str, dict[str, str]]:
    """Each table row naming an action ("1.1.4 ..."), by reference: its cells' HTML by their
    data-label, in the order the rows come."""
    rows = {}
    for chunk in html.split('<tr class="govuk-table__row">')[1:]:
        cells = dict(re.findall(r'data-label="([^"]+)">(.*?)</td>', chunk, re.S))
        match = re.search(r">\s*(\d+\.\d+\.\d+) ", cells.get("Action", ""))
        if match:
            rows[match.group(1)] = cells
    return rows


def report_page(client, plan) -> str:
    url = reverse("dashboard:quarter", args=[plan["strategy"].slug, plan["period"].slug])
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- The order of the exceptions: Red, then Amber, then overdue, then no update --------------


def test_exceptions_come_red_then_amber_then_overdue_then_no_update_whatever_the_document_order(client, dmt, plan):
    client.force_login(dmt)
    html = report_page(client, plan)
    exceptions = html[html.index('id="exceptions"') : html.index('id="trend"')]
    order = list(table_rows(exceptions))
    # Red before Amber though Amber comes first in the plan; the two Reds in document order;
    # overdue (1.1.2 Green, 1.1.6 on hold) after Amber; no update last though it is first.
    assert order == ["1.1.4", "1.1.5", "1.1.3", "1.1.2", "1.1.6", "1.1.1"], order


def test_the_spreadsheet_lists_the_exceptions_in_the_same_order(client, dmt, plan):
    client.force_login(dmt)
    response = client.get(reverse("dashboard:xlsx", args=[plan["strategy"].slug, plan["period"].slug]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Exceptions"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "1.1.4",
        "1.1.5",
        "1.1.3",
        "1.1.2",
        "1.1.6",
        "1.1.1",
    ]


# --- "No rating", "No update" and their colour --------------------------------------------


def test_an_action_with_no_rating_says_so_in_the_no_rating_colour(client, dmt, plan):
    client.force_login(dmt)
    rows = table_rows(client.get(reverse("reporting:list")).content.decode())
    assert rows["1.1.6"]["RAG"].startswith('<strong class="govuk-tag app-rag--none">No rating</strong>')
    assert rows["1.1.8"]["RAG"].startswith('<strong class="govuk-tag app-rag--complete">Complete</strong>')
    assert rows["1.1.3"]["RAG"].startswith('<strong class="govuk-tag app-rag--amber">Amber</strong>')
    assert rows["1.1.4"]["RAG"].startswith('<strong class="govuk-tag app-rag--red">Red</strong>')
    assert rows["1.1.7"]["RAG"].startswith('<strong class="govuk-tag app-rag--green">Green</strong>')


def test_an_exception_with_no_update_says_so_in_the_no_rating_colour(client, dmt, plan):
    client.force_login(dmt)
    html = report_page(client, plan)
    exceptions = table_rows(html[html.index('id="exceptions"') : html.index('id="trend"')])
    assert exceptions["1.1.1"]["RAG and status"].startswith(
        '<strong class="govuk-tag app-rag--none">No update</strong>'
    ), exceptions["1.1.1"]["RAG and status"]
    # On hold and overdue: an exception with no rating, in the same grey.
    assert exceptions["1.1.6"]["RAG and status"].startswith(
        '<strong class="govuk-tag app-rag--none">No rating</strong>'
    ), exceptions["1.1.6"]["RAG and status"]


# --- A closed quarter's list: only an action added after the close says so ----------------------


def test_a_closed_quarters_rows_each_read_their_own_status_and_only_the_added_one_reads_added_after(
    client, dmt, planner, plan
):
    """Calls reporting.services.period_close(period=, user=)."""
    services.period_close(period=plan["period"], user=planner)
    factories.ActionFactory(
        recommendation=plan["actions"]["1.1.1"].recommendation,
        reference="1.1.9",
        order=9,
        due_date=LATER,
        description="Do 1.1.9",
    )
    # A second strategy whose Q3 is open: none of its actions was added after any close.
    other = make_plan("gaps-two", prefix="2")
    client.force_login(dmt)
    rows = table_rows(client.get(reverse("reporting:list")).content.decode())
    statuses = {ref: text(cells["Status"]) for ref, cells in rows.items()}
    assert statuses == {
        "1.1.1": "No update",
        "1.1.2": "In progress",
        "1.1.3": "In progress",
        "1.1.4": "In progress",
        "1.1.5": "In progress",
        "1.1.6": "On hold",
        "1.1.7": "In progress",
        "1.1.8": "Complete",
        "1.1.9": "Added after Q3 2016/17 closed",
        "2.1.1": f"Needs an update for {other['period']}",
        "2.1.2": "In progress",
        "2.1.3": "In progress",
        "2.1.4": "In progress",
        "2.1.5": "In progress",
        "2.1.6": "On hold",
        "2.1.7": "In progress",
        "2.1.8": "Complete",
    }


# --- The rules in Python mean what the filters mean ------------------------------------------


def filter_values() -> list[tuple[str, str]]:
    values = [("status", value) for value in [*Status.values, "none"]]
    values += [("rag", value) for value in RAG.values]
    values += [(name, value) for name in ("overdue", "needs_update") for value in ("yes", "no")]
    return values


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
def test_each_state_rule_in_python_picks_the_rows_its_filter_lists(plan, planner, closed):
    """Calls reporting.services.period_close(period=, user=) for the closed quarter."""
    if closed:
        services.period_close(period=plan["period"], user=planner)
    periods = selectors.periods_to_report([plan["strategy"].pk])
    assert [p.pk for p in periods] == [plan["period"].pk]
    rows = list(selectors.actions_as_at(periods, Action.objects.all()))
    for name, value in filter_values():
        in_python = {a.reference for a in rows if selectors.state_matches(a, name, value)}
        filtered = selectors.filter_state(selectors.actions_as_at(periods, Action.objects.all()), name, value)
        assert in_python == {a.reference for a in filtered}, (name, value)
    # And what they pick, so that a rule changed in both places still fails.
    picked = {
        (name, value): {a.reference for a in rows if selectors.state_matches(a, name, value)}
        for name, value in filter_values()
    }
    assert picked["needs_update", "yes"] == {"1.1.1"}
    assert picked["needs_update", "no"] == set(PLAN) - {"1.1.1"}
    assert picked["status", "none"] == {"1.1.1"}
    assert picked["overdue", "yes"] == {"1.1.2", "1.1.6"}
    assert picked["overdue", "no"] == set(PLAN) - {"1.1.2", "1.1.6"}
    assert picked["rag", RAG.RED] == {"1.1.4", "1.1.5"}
    assert picked["rag", RAG.AMBER] == {"1.1.3"}
    assert picked["rag", RAG.GREEN] == {"1.1.2", "1.1.7"}
    assert picked["status", Status.ON_HOLD] == {"1.1.6"}
    assert picked["status", Status.COMPLETE] == {"1.1.8"}


def test_an_unknown_filter_is_refused_by_name(plan):
    rows = list(selectors.actions_as_at([plan["period"]], Action.objects.all()))
    with pytest.raises(ValueError, match="No state filter called colour"):
        selectors.state_matches(rows[0], "colour", "red")
    with pytest.raises(ValueError, match="No state filter called colour"):
        selectors.filter_state(Action.objects.all(), "colour", "red")


# --- The admin's columns: the same words ----------------------------------------------------


def admin_columns(client, planner) -> dict[str, tuple[str, str]]:
    """The admin's action list: each action's (status this quarter, RAG), by reference."""
    client.force_login(planner)
    html = client.get(reverse("admin:actions_action_changelist")).content.decode()
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        reference = re.search(r'class="field-reference"><a [^>]*>([^<]+)</a>', row)
        status = re.search(r'class="field-status_this_quarter">(.*?)</td>', row, re.S)
        rag = re.search(r'class="field-rag_this_quarter">(.*?)</td>', row, re.S)
        if reference and status and rag:
            rows[reference.group(1)] = (text(status.group(1)), text(rag.group(1)))
    return rows


def test_the_admin_reads_each_actions_status_and_rating_this_quarter(client, planner, plan):
    assert admin_columns(client, planner) == {
        "1.1.1": ("No update", "No update"),
        "1.1.2": ("In progress", "Green"),
        "1.1.3": ("In progress", "Amber"),
        "1.1.4": ("In progress", "Red"),
        "1.1.5": ("In progress", "Red"),
        "1.1.6": ("On hold", "No rating"),
        "1.1.7": ("In progress", "Green"),
        "1.1.8": ("Complete", "Complete"),
    }


def test_with_no_quarter_yet_the_admin_reads_no_update_rather_than_added_after_a_close(client, planner, db):
    strategy = factories.StrategyFactory(slug="no-quarters")
    recommendation = factories.RecommendationFactory(outcome__strategy=strategy)
    factories.ActionFactory(recommendation=recommendation, reference="3.1.1")
    factories.ActionFactory(recommendation=recommendation, reference="3.1.2")
    assert admin_columns(client, planner) == {
        "3.1.1": ("No update", "No update"),
        "3.1.2": ("No update", "No update"),
    }


# --- Each action in its own strategy's quarter -------------------------------------------------


def test_an_actions_update_form_is_for_its_own_strategys_open_quarter_only(client, planner, db):
    first = factories.StrategyFactory(slug="first")
    second = factories.StrategyFactory(slug="second")
    closed_only = factories.StrategyFactory(slug="closed-only")
    factories.ReportingPeriodFactory(strategy=first, year=2016, number=4)
    factories.ReportingPeriodFactory(strategy=second, year=2016, number=3)
    factories.ReportingPeriodFactory(strategy=closed_only, year=2016, number=2, state="closed")
    actions = {
        strategy.slug: factories.ActionFactory(recommendation__outcome__strategy=strategy, reference=f"{n}.1.1")
        for n, strategy in enumerate((first, second, closed_only), start=1)
    }
    client.force_login(planner)
    for slug, mine, other in (("first", "Q4 2016/17", "Q3 2016/17"), ("second", "Q3 2016/17", "Q4 2016/17")):
        response = client.get(reverse("reporting:update", args=[actions[slug].pk]))
        assert response.status_code == 200, slug
        html = response.content.decode()
        assert mine in html and other not in html, slug
    response = client.get(reverse("reporting:update", args=[actions["closed-only"].pk]))
    assert response.status_code == 302, "no quarter of its own strategy is open: no form"


def test_an_action_whose_strategy_has_no_quarter_yet_says_so(client, dmt, db):
    action = factories.ActionFactory(recommendation__outcome__strategy=factories.StrategyFactory(slug="new"))
    client.force_login(dmt)
    html = client.get(reverse("reporting:detail", args=[action.pk])).content.decode()
    assert f"No quarter of {action.strategy} has been opened for updates yet." in html
    assert "Added after" not in html


def test_a_reopened_quarter_is_the_one_reported_though_a_later_one_exists(client, dmt, db):
    strategy = factories.StrategyFactory(slug="reopened")
    q3 = factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=3)
    q4 = factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=4, state="closed")
    action = factories.ActionFactory(recommendation__outcome__strategy=strategy, reference="4.1.1", due_date=LATER)
    factories.ProgressUpdateFactory(action=action, period=q3, status=Status.IN_PROGRESS, rag=RAG.AMBER)
    factories.ProgressUpdateFactory(
        action=action, period=q4, status=Status.COMPLETE, rag="", completed_on=datetime.date(2017, 2, 1)
    )
    client.force_login(dmt)
    html = client.get(reverse("reporting:list")).content.decode()
    assert "as reported for Q3 2016/17" in html
    assert text(table_rows(html)["4.1.1"]["Status"]) == "In progress"
    detail = client.get(reverse("reporting:detail", args=[action.pk])).content.decode()
    assert '<h2 class="govuk-heading-m">Q3 2016/17</h2>' in detail


def test_the_list_names_leads_known_only_by_their_account_in_the_same_number_of_queries(client, dmt, plan):
    def officer(n):
        return factories.UserFactory(username=f"officer{n}", first_name="Officer", last_name=f"Number {n}")

    Action.objects.filter(reference="1.1.1").update(lead_officer="", lead_officer_user=officer(1))
    client.force_login(dmt)
    with CaptureQueriesContext(connection) as one:
        html = client.get(reverse("reporting:list")).content.decode()
    assert "Officer Number 1" in text(table_rows(html)["1.1.1"]["Lead"])
    for n, reference in enumerate(["1.1.2", "1.1.3", "1.1.4", "1.1.5"], start=2):
        Action.objects.filter(reference=reference).update(lead_officer="", lead_officer_user=officer(n))
    with CaptureQueriesContext(connection) as five:
        html = client.get(reverse("reporting:list")).content.decode()
    assert "Officer Number 5" in text(table_rows(html)["1.1.5"]["Lead"])
    assert len(five) == len(one), "a query for each lead officer's account"


# --- DMT decides only on the help a Red action asked for ------------------------------------------


@pytest.mark.parametrize(("reference", "help_needed"), [("1.1.7", "Funding"), ("1.1.3", "Funding"), ("1.1.4", "  ")])
def test_dmt_decides_only_on_help_asked_by_a_red_action(plan, planner, reference, help_needed):
    """Calls reporting.services.dmt_decision_record(update=, user=, outcome=)."""
    update = ProgressUpdate.objects.get(action__reference=reference, period=plan["period"])
    ProgressUpdate.objects.filter(pk=update.pk).update(help_needed=help_needed)
    update.refresh_from_db()
    with pytest.raises(ValidationError, match="DMT decides on the help asked by a Red action") as refused:
        services.dmt_decision_record(update=update, user=planner, outcome=DmtDecision.Outcome.AGREED)
    assert refused.value.code == "no_request"
    assert not DmtDecision.objects.exists()


# --- The cycle's services refuse by name ------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopening_without_a_reason_is_refused_on_the_reason(plan, planner, reason):
    """Calls reporting.services.period_close(period=, user=) and period_reopen(period=, user=, reason=)."""
    closed = services.period_close(period=plan["period"], user=planner)
    with pytest.raises(ValidationError) as refused:
        services.period_reopen(period=closed, user=planner, reason=reason)
    assert refused.value.message_dict == {"reason": ["Enter why the quarter is being reopened"]}
    closed.refresh_from_db()
    assert not closed.is_open


def test_an_update_recorded_with_only_its_status_and_rating_has_no_commentary(plan, planner):
    """Calls reporting.services.progress_update_record(action=, period=, user=, status=, rag=)."""
    action = plan["actions"]["1.1.1"]
    update = services.progress_update_record(
        action=action, period=plan["period"], user=planner, status=Status.IN_PROGRESS, rag=RAG.GREEN
    )
    update.refresh_from_db()
    assert (update.progress, update.next_steps, update.evidence, update.help_needed, update.reason) == ("",) * 5
    assert (update.status, update.rag, update.completed_on, update.author) == (
        Status.IN_PROGRESS,
        RAG.GREEN,
        None,
        planner,
    )


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"status": Status.COMPLETE}, {"completed_on": ["Enter the date the action was completed"]}),
        ({"status": Status.IN_PROGRESS}, {"rag": ["Select a RAG rating"]}),
        ({"status": Status.NOT_STARTED}, {"rag": ["Select a RAG rating"]}),
        ({"status": Status.ON_HOLD}, {"reason": ["Enter why the action is on hold"]}),
        ({"status": Status.CANCELLED}, {"reason": ["Enter why the action is cancelled or superseded"]}),
        (
            {"status": Status.IN_PROGRESS, "rag": RAG.RED},
            {
                "progress": ["Enter the progress this quarter: a Red rating needs commentary"],
                "help_needed": ["Enter the help needed from DMT for a Red rating"],
            },
        ),
        (
            {"status": Status.IN_PROGRESS, "rag": RAG.AMBER},
            {"progress": ["Enter the progress this quarter: an Amber rating needs commentary"]},
        ),
    ],
)
def test_an_update_is_refused_naming_each_field_at_fault(plan, planner, fields, errors):
    """Calls reporting.services.progress_update_record(action=, period=, user=, status=, rag=)."""
    with pytest.raises(ValidationError) as refused:
        services.progress_update_record(action=plan["actions"]["1.1.1"], period=plan["period"], user=planner, **fields)
    assert refused.value.message_dict == errors
    assert not ProgressUpdate.objects.filter(action=plan["actions"]["1.1.1"]).exists()


# --- Found by the mutation run on the release where services take their user -------------------


def test_with_no_quarter_open_the_latest_by_date_is_reported_whatever_order_they_were_added_in(db):
    strategy = factories.StrategyFactory(slug="added-late")
    q3 = factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=3, state="closed")
    factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=2, state="closed")  # added after Q3
    assert selectors.periods_to_report([strategy.pk]) == [q3]
    assert selectors.periods_to_report() == [q3]


def test_dmt_is_asked_only_by_red_updates_though_another_names_help(plan):
    amber = plan["actions"]["1.1.3"].updates.get(period=plan["period"])
    amber.help_needed = "A word with the director"  # kept from when it was Red, say
    amber.save()
    asked = [update.action.reference for update in selectors.requests_for_help(plan["period"])]
    assert asked == ["1.1.4", "1.1.5"]


def test_the_same_quarter_of_the_next_year_may_be_opened(planner, db):
    """Calls reporting.services.period_open(strategy=, year=, number=, user=)."""
    strategy = factories.StrategyFactory(slug="next-year")
    factories.ReportingPeriodFactory(strategy=strategy, year=2015, number=3, state="closed")
    opened = services.period_open(strategy=strategy, year=2016, number=3, user=planner)
    assert (opened.year, opened.number, opened.is_open) == (2016, 3, True)


def test_a_first_update_does_not_conflict_with_another_actions_update_in_the_quarter(plan):
    """Calls reporting.services.progress_update_check(action=, period=, update=, expected_version=),
    as the update form does before it records."""
    action = plan["actions"]["1.1.1"]  # no update yet; its neighbours have theirs
    update = ProgressUpdate(action=action, period=plan["period"], status=Status.IN_PROGRESS, rag=RAG.GREEN)
    services.progress_update_check(action=action, period=plan["period"], update=update, expected_version=0)


def test_a_decision_recorded_without_a_note_has_none(plan, planner):
    """Calls reporting.services.dmt_decision_record(update=, user=, outcome=)."""
    update = plan["actions"]["1.1.4"].updates.get(period=plan["period"])
    decision = services.dmt_decision_record(update=update, user=planner, outcome=DmtDecision.Outcome.AGREED)
    decision.refresh_from_db()
    assert (decision.outcome, decision.note) == (DmtDecision.Outcome.AGREED, "")
