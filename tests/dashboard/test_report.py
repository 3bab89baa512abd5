"""The report's figures against the hand-built timeline in conftest.py."""

import pytest

from dashboard.report import report_build
from reporting import selectors as action_selectors

pytestmark = pytest.mark.django_db


def build(timeline, period_name):
    strategy = timeline["strategy"]
    periods = list(action_selectors.periods_for_strategy(strategy))
    return report_build(strategy, timeline[period_name], periods)


def headline(report):
    return {row.key: row.value for row in report.headline}


def test_headline_in_the_open_quarter(timeline):
    assert headline(build(timeline, "q3")) == {
        "total": 6,
        "complete": 1,  # B, completed in Q2, stays complete
        "on_track": 1,  # C, whose update came late
        "at_risk": 0,
        "off_track": 1,  # A
        "not_started": 0,
        "on_hold": 1,  # E
        "cancelled": 0,
        "overdue": 1,  # D: due in August, no update, not complete
        "no_update": 2,  # D and F
    }


def test_q2_is_shown_as_it_stood_at_the_end_of_q2_although_q3_updates_exist(timeline):
    report = build(timeline, "q2")
    assert headline(report) == {
        "total": 6,
        "complete": 1,
        "on_track": 1,  # E
        "at_risk": 2,  # A and D
        "off_track": 0,
        "not_started": 0,
        "on_hold": 0,
        "cancelled": 0,
        "overdue": 1,  # D
        "no_update": 2,  # C and F
    }
    by_reference = {action.description: action for action in report.actions}
    assert by_reference["Action A"].period_progress == "A in Q2 2016/17"
    assert by_reference["Action A"].rag_as_at == "amber"
    # C had a Q1 update but none in Q2: it says "no update", not Q1's words as if current.
    assert by_reference["Action C"].status_as_at is None
    assert by_reference["Action C"].period_progress is None


def test_q1(timeline):
    assert headline(build(timeline, "q1")) == {
        "total": 6,
        "complete": 0,
        "on_track": 4,  # A, B, C (not started, Green) and D
        "at_risk": 0,
        "off_track": 0,
        "not_started": 1,
        "on_hold": 0,
        "cancelled": 0,
        "overdue": 0,
        "no_update": 2,  # E and F
    }


def test_exceptions_come_red_then_amber_then_overdue_then_missing(timeline):
    report = build(timeline, "q3")
    assert [a.description for a in report.exceptions] == ["Action A", "Action D", "Action F"]
    red = report.exceptions[0]
    assert red.period_help_needed == "DMT to agree funding for A"
    assert [a.description for a in build(timeline, "q2").exceptions] == [
        "Action A",
        "Action D",
        "Action C",
        "Action F",
    ]


def test_by_outcome_with_direction_of_travel(timeline):
    report = build(timeline, "q3")
    one, two = report.outcomes
    assert (one.counts.total, one.counts.complete, one.counts.off_track, one.counts.on_track) == (3, 1, 1, 1)
    assert (two.counts.total, two.counts.on_hold, two.counts.no_update, two.counts.overdue) == (3, 1, 2, 1)
    assert one.counts.percent_complete == 33
    assert (one.direction.arrow, one.direction.words) == ("↑", "Improving")
    assert (two.direction.arrow, two.direction.words) == ("↓", "Worsening")
    assert build(timeline, "q1").outcomes[0].direction is None


def test_due_next_quarter(timeline):
    assert [a.description for a in build(timeline, "q3").due_next] == ["Action F"]
    assert build(timeline, "q2").due_next == []


def test_every_count_links_to_exactly_those_actions(timeline, client, dmt):
    client.force_login(dmt)
    for period_name in ("q2", "q3"):
        report = build(timeline, period_name)
        rows = [*report.headline, *(row for outcome in report.outcomes for row in outcome.rows)]
        for row in rows:
            response = client.get(row.url)
            assert response.status_code == 200, row.url
            assert response.context["page_obj"].paginator.count == row.value, (period_name, row.key, row.url)


def test_workforce_indicators_against_target_and_last_quarter(timeline):
    from tests import factories

    strategy = timeline["strategy"]
    absence = factories.WorkforceIndicatorFactory(name="% absence", higher_is_better=False, target=4)
    headcount = factories.WorkforceIndicatorFactory(name="Headcount", unit="people", target=None)
    absence.strategies.add(strategy)
    headcount.strategies.add(strategy)
    factories.WorkforceFigureFactory(indicator=absence, year=2016, quarter=2, value="4.6")
    factories.WorkforceFigureFactory(indicator=absence, year=2016, quarter=3, value="3.9")
    factories.WorkforceFigureFactory(indicator=headcount, year=2016, quarter=2, value=1200)
    factories.WorkforceFigureFactory(indicator=headcount, year=2016, quarter=3, value=1180)
    rows = {row.indicator.name: row for row in build(timeline, "q3").indicators}
    assert (rows["% absence"].moved, rows["% absence"].against_target) == ("Down: better", "Meets target")
    assert rows["Headcount"].against_target == "No target: trend only"
    assert rows["Headcount"].moved == "Down: worse"
