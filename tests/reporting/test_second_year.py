"""The action pages in a strategy's second year: "Your actions" lists each line of carried
work once; an action finished in an earlier quarter is offered no update anywhere (the
service refuses one); the update page says what it updates, by when, and how to go back.

People: `manager` is in `team`, which leads every action here; `planner` may edit anything.
"""

import datetime
import re
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from actions.models import Action
from actions.services import Carried, strategy_refresh
from reporting import services
from reporting.action_selectors import current_of_lines
from reporting.models import ProgressUpdate, ReportingPeriod, Status
from tests import factories

pytestmark = pytest.mark.django_db

NEW = {
    "title": "Workforce Strategy 2017/18",
    "slug": "workforce-2017-18",
    "period_label": "2017/18",
    "period_start": datetime.date(2017, 4, 1),
    "period_end": datetime.date(2018, 3, 31),
}


@pytest.fixture
def old(team):
    """2016/17 with Q3 closed and Q4 open: 1.1 in progress, 1.2 completed in Q3, 1.3 completed
    in Q4, 1.4 with no update yet."""
    strategy = factories.StrategyFactory()
    q3 = factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=3, state=ReportingPeriod.State.CLOSED)
    q4 = factories.ReportingPeriodFactory(
        strategy=strategy, year=2016, number=4, update_deadline=datetime.date(2017, 4, 14)
    )
    actions = {
        ref: factories.ActionFactory(
            strategy=strategy,
            recommendation__outcome__strategy=strategy,
            reference=ref,
            order=order,
            lead_teams=[team],
            description=f"Departmental workforce plan, part {ref}, agreed with every service's manager",
        )
        for order, ref in enumerate(["1.1", "1.2", "1.3", "1.4"], start=1)
    }
    factories.ProgressUpdateFactory(action=actions["1.1"], period=q3, status=Status.IN_PROGRESS, rag="green")
    factories.ProgressUpdateFactory(
        action=actions["1.2"], period=q3, status=Status.COMPLETE, rag="", completed_on=datetime.date(2016, 12, 1)
    )
    factories.ProgressUpdateFactory(
        action=actions["1.3"], period=q4, status=Status.COMPLETE, rag="", completed_on=datetime.date(2017, 2, 1)
    )
    return strategy


def refresh(old, planner):
    """2017/18, carrying 1.1 and 1.4 forward as 2.1 and 2.4."""
    carried = [
        Carried(old.actions.get(reference="1.1"), "2.1", "By the end of June 2017"),
        Carried(old.actions.get(reference="1.4"), "2.4", "By the end of June 2017"),
    ]
    return strategy_refresh(source=old, user=planner, carried=carried, **NEW)


def your_actions(client, manager, **query):
    client.force_login(manager)
    response = client.get(reverse("reporting:home"), query)
    assert response.status_code == 200
    return response


def listed(response) -> list[str]:
    return [f"{action.strategy.period_label} {action.reference}" for action in response.context["actions"]]


def html_of(response) -> str:
    return response.content.decode()


def rows_of(html: str) -> list[str]:
    return re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', html, re.S)[1:]


# Each line of carried work once --------------------------------------------------------------


def test_before_the_new_strategy_has_a_quarter_each_line_is_listed_once_as_the_old_action(
    client, manager, planner, old
):
    refresh(old, planner)
    # Those needing a Q4 update first, then document order; no 2017/18 copy with "No update".
    response = your_actions(client, manager)
    assert listed(response) == ["2016/17 1.1", "2016/17 1.4", "2016/17 1.2", "2016/17 1.3"]
    assert "2017/18" not in "".join(rows_of(html_of(response)))


def test_once_the_new_strategy_has_a_quarter_each_line_is_listed_once_as_the_new_action(client, manager, planner, old):
    new = refresh(old, planner)
    ReportingPeriod.objects.filter(strategy=old).update(state=ReportingPeriod.State.CLOSED)
    factories.ReportingPeriodFactory(strategy=new, year=2017, number=1)
    response = your_actions(client, manager)
    # The two carried lines as their 2017/18 actions, needing an update, first; the finished
    # ones stay as they were in 2016/17, in document order, with nothing to update.
    assert listed(response) == ["2017/18 2.1", "2017/18 2.4", "2016/17 1.2", "2016/17 1.3"]
    rows = rows_of(html_of(response))
    for row in rows:
        # A row with no update is one to write: it has its Update link.
        if "No update" in row or "Needs an update" in row:
            assert ">Update<" in row, row


def test_a_line_of_three_years_is_listed_once_as_the_action_whose_quarter_is_reported():
    # 1 (2016/17, has quarters) -> 2 (2017/18, has quarters) -> 3 (2018/19, none yet): 2.
    assert current_of_lines({(1, None, 10), (2, 1, 20), (3, 2, 30)}, {10, 20}) == {2}
    # Only the first year has quarters: 1.
    assert current_of_lines({(1, None, 10), (2, 1, 20), (3, 2, 30)}, {10}) == {1}
    # A copy whose original is not the user's is theirs to see.
    assert current_of_lines({(2, 1, 20)}, set()) == {2}


def test_a_strategy_with_no_quarter_says_so_once_rather_than_no_update_on_each_row(client, manager, planner, old):
    # As the refresh leads to it: all actions of the new strategy.
    new = refresh(old, planner)
    client.force_login(manager)
    html = html_of(client.get(reverse("reporting:list"), {"strategy": new.pk}))
    assert "2 actions. Workforce Strategy 2017/18 has no reporting quarter yet, so no action has a status." in html
    assert "No update" not in "".join(rows_of(html))
    assert 'govuk-table__header">Status<' not in html


def test_with_no_quarter_anywhere_the_list_says_so_once(client, manager, action):
    html = html_of(your_actions(client, manager))
    assert "1 action. No strategy has a reporting quarter yet, so no action has a status." in html
    assert "No update" not in "".join(rows_of(html))


# No update offered on an action finished in an earlier quarter ---------------------------------


def test_the_list_offers_no_update_on_an_action_finished_in_an_earlier_quarter(client, manager, old):
    html = html_of(your_actions(client, manager))
    # 1.2 was completed in Q3: nothing to update in Q4. 1.3 completed in Q4: its update can change.
    assert "> for action 1.2<" not in html
    assert 'Update<span class="govuk-visually-hidden"> for action 1.1<' in html
    assert 'Update<span class="govuk-visually-hidden"> for action 1.4<' in html
    assert 'Change update<span class="govuk-visually-hidden"> for action 1.3<' in html


def test_the_action_page_says_when_it_was_finished_and_offers_no_update(client, manager, old):
    client.force_login(manager)
    done_earlier = old.actions.get(reference="1.2")
    html = html_of(client.get(reverse("reporting:detail", args=[done_earlier.pk])))
    assert reverse("reporting:update", args=[done_earlier.pk]) not in html
    assert "Completed on 1 December 2016, as reported for Q3 2016/17: it needs no update for Q4 2016/17." in html
    open_one = old.actions.get(reference="1.1")
    html = html_of(client.get(reverse("reporting:detail", args=[open_one.pk])))
    assert reverse("reporting:update", args=[open_one.pk]) in html


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_update_page_refuses_an_action_finished_in_an_earlier_quarter(client, manager, old, method):
    done_earlier = old.actions.get(reference="1.2")
    client.force_login(manager)
    url = reverse("reporting:update", args=[done_earlier.pk])
    data = {"status": Status.IN_PROGRESS, "rag": "green", "version": 0} if method == "post" else None
    response = getattr(client, method)(url, data)
    assert response.status_code == 409
    html = html_of(response)
    assert "Action 1.2 needs no update for Q4 2016/17" in html
    assert "Completed on 1 December 2016, as reported for Q3 2016/17." in html
    assert 'name="status"' not in html
    assert not ProgressUpdate.objects.filter(action=done_earlier, period__number=4).exists()


def test_the_service_refuses_a_new_update_for_an_action_finished_in_an_earlier_quarter(planner, old):
    done_earlier = old.actions.get(reference="1.2")
    q4 = ReportingPeriod.objects.get(strategy=old, number=4)
    with pytest.raises(ValidationError) as refused:
        services.progress_update_record(
            action=done_earlier, period=q4, user=planner, status=Status.IN_PROGRESS, rag="green"
        )
    assert refused.value.messages == [
        "Action 1.2 needs no update for Q4 2016/17: completed on 1 December 2016, as reported for Q3 2016/17."
    ]
    assert not ProgressUpdate.objects.filter(action=done_earlier, period=q4).exists()
    # One finished by this quarter's own update can still have it changed.
    done_now = old.actions.get(reference="1.3")
    update = services.progress_update_record(
        action=done_now, period=q4, user=planner, status=Status.IN_PROGRESS, rag="green"
    )
    assert update.status == Status.IN_PROGRESS


# The update page --------------------------------------------------------------------------------


def test_the_update_page_is_headed_by_the_action_number_with_its_full_text_deadline_and_way_back(client, manager, old):
    open_one = old.actions.get(reference="1.1")
    client.force_login(manager)
    html = html_of(client.get(reverse("reporting:update", args=[open_one.pk]), {"from": "yours"}))
    heading = re.search(r'<h1 class="govuk-heading-l">(.*?)</h1>', html, re.S).group(1)
    assert heading.strip() == "Update action 1.1"
    assert escape(open_one.description) in html  # whole, not cut mid-word
    assert "Updates for Q4 2016/17 are due by <strong>14 April 2017</strong>." in html
    assert f'<a href="{reverse("reporting:home")}" class="govuk-back-link">Back to your actions</a>' in html
    # From anywhere else, back to the action.
    html = html_of(client.get(reverse("reporting:update", args=[open_one.pk])))
    detail = reverse("reporting:detail", args=[open_one.pk])
    assert f'<a href="{detail}" class="govuk-back-link">Back to action 1.1</a>' in html


def test_the_error_summary_lists_the_fields_in_the_order_of_the_page(client, manager, old):
    open_one = old.actions.get(reference="1.1")
    client.force_login(manager)
    # Complete with no date, and every commentary box too long: errors on five fields.
    too_long = "x" * 5001
    data = {
        "status": Status.COMPLETE,
        "version": 0,
        **dict.fromkeys(("reason", "progress", "next_steps", "evidence"), too_long),
    }
    response = client.post(reverse("reporting:update", args=[open_one.pk]), data)
    assert response.status_code == 200
    html = html_of(response)
    summary = html[
        html.index("govuk-error-summary__list") : html.index("</ul>", html.index("govuk-error-summary__list"))
    ]
    linked = re.findall(r'href="#id_([a-z_]+?)(?:_1)?"', summary)
    assert len(linked) >= 5
    body = html[html.index('<form method="post"') :]
    on_page = [name for name in re.findall(r'id="id_([a-z_]+?)(?:_1)?"', body) if name in linked]
    assert linked == list(dict.fromkeys(on_page)), (linked, on_page)


# The action page ---------------------------------------------------------------------------------


def timescale_cell(html: str) -> str:
    cell = re.search(r"Timescale</dt><dd[^>]*>(.*?)</dd>", html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", cell).split())


@pytest.mark.parametrize(
    ("timescale", "fields", "shown"),
    [
        ("Ongoing", {"is_ongoing": True, "start_date": None, "due_date": None}, "“Ongoing”"),
        (
            "By the end of June 2017",
            {"is_ongoing": False, "start_date": None, "due_date": datetime.date(2017, 6, 30)},
            "“By the end of June 2017” Due 30 June 2017.",
        ),
    ],
)
def test_the_timescale_is_shown_once_when_its_reading_says_the_same(client, manager, action, timescale, fields, shown):
    Action.objects.filter(pk=action.pk).update(timescale=timescale, **fields)
    client.force_login(manager)
    assert timescale_cell(html_of(client.get(reverse("reporting:detail", args=[action.pk])))) == shown


# A list of the actions with no update says so once -------------------------------------------------


def test_a_list_of_the_actions_with_no_update_says_so_once_not_on_each_row(client, dmt, old):
    q4 = ReportingPeriod.objects.get(strategy=old, number=4)
    client.force_login(dmt)
    # As the report's "No update this quarter" links to it (dashboard.counting.list_url).
    response = client.get(reverse("reporting:list"), {"strategy": old.pk, "quarter": q4.slug, "status": "none"})
    html = html_of(response)
    assert listed(response) == ["2016/17 1.1", "2016/17 1.4"]
    assert "2 actions with no update for Q4 2016/17: they are due by 14 April 2017." in html
    assert "Needs an update" not in "".join(rows_of(html))
    assert 'govuk-table__header">Status<' not in html
    # The whole list still says each row's state.
    html = html_of(client.get(reverse("reporting:list")))
    assert html.count('govuk-tag--yellow">Needs an update<') == 2


# Query counts and time, at 10 and 1,000 carried lines --------------------------------------------


def carried_lines(size: int, *, team, suffix: str) -> None:
    """`size` actions led by `team` in a 2016/17 strategy (Q4 closed, each updated; every
    tenth completed), each carried into 2017/18 (Q1 open, every other one updated), in bulk."""
    old = factories.StrategyFactory(slug=f"old-{suffix}", title=f"Workforce {suffix} 2016/17")
    new = factories.StrategyFactory(
        slug=f"new-{suffix}",
        title=f"Workforce {suffix} 2017/18",
        **{key: value for key, value in NEW.items() if key not in ("slug", "title")},
    )
    q4 = factories.ReportingPeriodFactory(strategy=old, year=2016, number=4, state=ReportingPeriod.State.CLOSED)
    q1 = factories.ReportingPeriodFactory(strategy=new, year=2017, number=1)
    outcome_old, outcome_new = factories.OutcomeFactory(strategy=old), factories.OutcomeFactory(strategy=new)
    olds = Action.objects.bulk_create(
        Action(strategy=old, outcome=outcome_old, reference=f"1.{n}", order=n, description=f"Action {n}")
        for n in range(size)
    )
    news = Action.objects.bulk_create(
        Action(strategy=new, outcome=outcome_new, reference=f"2.{n}", order=n, description=f"Action {n}", predecessor=a)
        for n, a in enumerate(olds)
    )
    Action.lead_teams.through.objects.bulk_create(
        Action.lead_teams.through(action=a, team=team) for a in [*olds, *news]
    )
    ProgressUpdate.objects.bulk_create(
        [
            *(
                ProgressUpdate(
                    action=a,
                    period=q4,
                    status=Status.COMPLETE if n % 10 == 0 else Status.IN_PROGRESS,
                    rag="" if n % 10 == 0 else "green",
                    completed_on=datetime.date(2017, 3, 1) if n % 10 == 0 else None,
                )
                for n, a in enumerate(olds)
            ),
            *(
                ProgressUpdate(action=a, period=q1, status=Status.IN_PROGRESS, rag="amber", progress="Going")
                for n, a in enumerate(news)
                if n % 2
            ),
        ]
    )


# session, user, the user's team ids, the actions the user leads and which of their strategies
# have a quarter (each line once), the quarters to report, count of actions, the user's teams
# (heading), the filter's strategies, outcomes and teams, the page of actions (as at each
# strategy's quarter), their lead teams (one prefetch)
HOME_QUERIES = 13


def test_your_actions_costs_the_same_at_10_and_1000_carried_lines_on_either_database(
    client, manager, team, django_assert_num_queries
):
    client.force_login(manager)
    for size, suffix, total in ((10, "small", 10), (990, "large", 1000)):
        carried_lines(size, team=team, suffix=suffix)
        started = time.monotonic()
        with django_assert_num_queries(HOME_QUERIES):
            response = client.get(reverse("reporting:home"))
        took = time.monotonic() - started
        # Each line once: the 2017/18 action, never its 2016/17 original beside it.
        assert response.context["page_obj"].paginator.count == total
        assert {action.strategy.period_label for action in response.context["actions"]} == {"2017/18"}
        # A guard against a plan that runs for minutes (a subquery for each row): the page
        # takes well under a second here on either database; ten allows for a busy machine.
        assert took < 10, f"Your actions took {took:.1f} s on {connection.vendor} at {total} lines"


def test_the_update_page_of_a_carried_action_shows_its_updates_before_the_refresh(client, manager, planner, old):
    new = refresh(old, planner)
    ReportingPeriod.objects.filter(strategy=old).update(state=ReportingPeriod.State.CLOSED)
    factories.ReportingPeriodFactory(strategy=new, year=2017, number=1)
    ProgressUpdate.objects.filter(action__reference="1.1").update(next_steps="Agree it with the unions.")
    carried = new.actions.get(reference="2.1")
    client.force_login(manager)
    html = html_of(client.get(reverse("reporting:update", args=[carried.pk])))
    assert "No earlier updates" not in html
    assert "Q3 2016/17, as action 1.1" in html
    assert "Next steps you gave for Q3 2016/17, as action 1.1" in html
    assert "Agree it with the unions." in html


def test_the_list_and_the_action_page_offer_an_update_on_the_same_actions(client, manager, planner, old):
    # The list reads `actions_as_at`; the action's page its updates (`selectors.finished_before`):
    # the same rule either way, before and after the refresh's first quarter opens.
    new = refresh(old, planner)
    for step in ("2016/17 open", "2017/18 open"):
        if step == "2017/18 open":
            ReportingPeriod.objects.filter(strategy=old).update(state=ReportingPeriod.State.CLOSED)
            factories.ReportingPeriodFactory(strategy=new, year=2017, number=1)
        listed_actions = list(your_actions(client, manager).context["actions"])
        assert listed_actions, step
        for action in listed_actions:
            detail = client.get(reverse("reporting:detail", args=[action.pk]))
            assert action.update_offered == detail.context["can_update"], (step, action.reference)
