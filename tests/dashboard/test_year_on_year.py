"""The by-outcome table's second direction of travel: against the same quarter a year earlier,
through the carried-forward line after a refresh, or within a strategy of several years."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from outcomes.models import Strategy
from reporting import services
from reporting.models import RAG, ProgressUpdate, ReportingPeriod, Status
from tests import factories
from tests.outcomes.conftest import load_once

leicestershire = load_once("teams", "leicestershire-cfs-2016-17")


def dashboard(client, strategy, period):
    return client.get(reverse("dashboard:quarter", args=[strategy.slug, period.slug]))


def rag_by_position(index: int) -> str:
    """Q1 2016/17: a third of the actions each Red, Amber and Green."""
    return (RAG.RED, RAG.AMBER, RAG.GREEN)[index % 3]


@pytest.mark.django_db
def test_leicestershire_carried_forward_to_2017_18_is_compared_with_q1_2016_17(leicestershire, client, planner):
    old = Strategy.objects.get(slug="leicestershire-cfs-2016-17")
    actions = list(old.actions.order_by("order", "reference"))
    # 2016/17: Q1 with every action updated (Red, Amber, Green in turn), Q2-Q4 quarters
    # closed, and by Q4 the first five actions complete.
    q1_old = factories.ReportingPeriodFactory(strategy=old, year=2016, number=1)
    for index, action in enumerate(actions):
        factories.ProgressUpdateFactory(action=action, period=q1_old, rag=rag_by_position(index))
    for number in (2, 3, 4):
        quarter = factories.ReportingPeriodFactory(strategy=old, year=2016, number=number)
    for action in actions[:5]:
        factories.ProgressUpdateFactory(
            action=action, period=quarter, status=Status.COMPLETE, rag="", completed_on=datetime.date(2017, 3, 1)
        )
    ReportingPeriod.objects.filter(strategy=old).update(state=ReportingPeriod.State.CLOSED)

    # The planner refreshes it: the page proposes the unfinished ones, which are carried.
    client.force_login(planner)
    page = client.get(reverse("reporting:strategy_refresh", args=[old.slug]))
    form = page.context["form"]
    data = {name: form[name].value() for name in ("title", "slug", "period_label")}
    data |= {"period_start": "1/4/2017", "period_end": "31/3/2018"}
    for action in actions:
        data[f"reference_{action.pk}"] = action.reference
        data[f"timescale_{action.pk}"] = "By the end of March 2018"
        if form[f"carry_{action.pk}"].value():
            data[f"carry_{action.pk}"] = "on"
    assert client.post(page.request["PATH_INFO"], data).status_code == 302
    new = Strategy.objects.get(slug="leicestershire-cfs-2017-18")
    assert new.period_label == "2017/18"
    carried = list(new.actions.select_related("predecessor").order_by("order", "reference"))
    # Proposed and so carried: every action not complete, and the complete ones that recur.
    assert {a.predecessor for a in carried} == set(actions[5:]) | {a for a in actions[:5] if a.is_ongoing}

    # Q1 2017/18: every carried action now Green.
    q1_new = services.period_open(strategy=new, year=2017, number=1, user=planner)
    for action in carried:
        services.progress_update_record(
            action=action, period=q1_new, user=planner, status=Status.IN_PROGRESS, rag=RAG.GREEN, progress="Going well."
        )

    response = dashboard(client, new, q1_new)
    report = response.context["report"]
    assert report.year_earlier_label == "Q1 2016/17"
    assert report.year_earlier_carried
    # Each outcome's year-earlier counts are its carried actions' predecessors as at Q1 2016/17.
    q1_rags = dict(ProgressUpdate.objects.filter(period=q1_old).values_list("action_id", "rag"))
    compared = 0
    for row in report.outcomes:
        lines = [a for a in carried if a.outcome_id == row.outcome.pk]
        if not lines:
            assert row.year_earlier is None and row.year_direction is None
            continue
        then = [q1_rags[a.predecessor_id] for a in lines]
        assert row.year_earlier.total == len(lines)
        assert (row.year_earlier.off_track, row.year_earlier.at_risk, row.year_earlier.on_track) == (
            then.count(RAG.RED),
            then.count(RAG.AMBER),
            then.count(RAG.GREEN),
        )
        expected = "No change" if then.count(RAG.GREEN) == len(then) else "Improving"
        assert row.year_direction.words == expected
        assert f"{expected} against Q1 2016/17" in response.content.decode()
        compared += 1
    assert compared >= 2
    assert "and against Q1 2016/17, a year earlier (the carried-forward actions as they stood then)" in (
        response.content.decode()
    )
    # The spreadsheet has the comparison too, and says where each carried action came from.
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("dashboard:xlsx", args=[new.slug, q1_new.slug])).content)
    )
    summary = [[cell.value for cell in row] for row in workbook["Summary"].iter_rows()]
    header = next(row for row in summary if row[0] == "Outcome")
    assert "Against Q1 2016/17" in header
    sheet = workbook["Actions"]
    column = [cell.value for cell in sheet[1]].index("Carried forward from")
    assert {row[column].value for row in sheet.iter_rows(min_row=2)} == {"2016/17"}


@pytest.mark.django_db
def test_a_strategy_of_several_years_compares_with_its_own_quarter_a_year_back(client, dmt):
    strategy = factories.StrategyFactory(
        slug="three-years", period_label="2016-2019", period_end=datetime.date(2019, 3, 31)
    )
    action = factories.ActionFactory(recommendation__outcome__strategy=strategy, due_date=datetime.date(2019, 3, 31))
    q1_2016 = factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=1)
    factories.ProgressUpdateFactory(action=action, period=q1_2016, rag=RAG.GREEN)
    q4 = factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=4)
    factories.ProgressUpdateFactory(action=action, period=q4, rag=RAG.GREEN)
    q1_2017 = factories.ReportingPeriodFactory(strategy=strategy, year=2017, number=1)
    factories.ProgressUpdateFactory(action=action, period=q1_2017, rag=RAG.RED)
    client.force_login(dmt)
    report = dashboard(client, strategy, q1_2017).context["report"]
    assert (report.year_earlier_label, report.year_earlier_carried) == ("Q1 2016/17", False)
    (row,) = report.outcomes
    assert row.year_earlier.on_track == 1
    assert row.year_direction.words == "Worsening"
    # No quarter a year back: no comparison, and no column.
    earlier = dashboard(client, strategy, q4)
    assert earlier.context["report"].year_earlier_label == ""
    assert "against Q" not in earlier.content.decode()


@pytest.mark.django_db
def test_carried_actions_are_marked_on_the_report(client, dmt, team):
    old = factories.StrategyFactory()
    action = factories.ActionFactory(recommendation__outcome__strategy=old, lead_teams=[team])
    new = factories.StrategyFactory(
        slug="next",
        period_label="2017/18",
        period_start=datetime.date(2017, 4, 1),
        period_end=datetime.date(2018, 3, 31),
    )
    later = factories.ActionFactory(
        recommendation__outcome__strategy=new, predecessor=action, due_date=datetime.date(2018, 3, 31)
    )
    period = factories.ReportingPeriodFactory(strategy=new, year=2017, number=1)
    factories.ProgressUpdateFactory(action=later, period=period, rag=RAG.RED)
    client.force_login(dmt)
    page = dashboard(client, new, period).content.decode()
    assert 'app-carried">Carried forward from 2016/17</span>' in page
    # The old strategy had no Q1 2016/17: nothing to compare with.
    assert "against Q" not in page
