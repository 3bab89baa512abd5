"""A closed quarter's report never changes unless the planner reopens it.

Closing Q3 of the timeline (conftest) records each action's state. Then the plan changes as
it does between meetings: an action is added, a due date moves into the past, an action
becomes ongoing. Q3's report, the trend's Q3 figures and the lists each count links to stay
as DMT had them; reopening the quarter reads the plan as it stands again.
"""

import dataclasses
import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from actions.models import Action
from dashboard.report import report_build
from reporting import action_selectors, selectors, services, words
from reporting.models import RecordedState, ReportingPeriod
from tests import factories

pytestmark = pytest.mark.django_db


def build(timeline, period):
    periods = list(selectors.periods_for_strategy(timeline["strategy"]))
    return report_build(timeline["strategy"], next(p for p in periods if p.pk == period.pk), periods)


def figures(report) -> dict:
    """What DMT reads of a report: every count, each outcome's, the exceptions and the trend."""
    return {
        "headline": [(row.key, row.value) for row in report.headline],
        "outcomes": [[(row.key, row.value) for row in outcome.rows] for outcome in report.outcomes],
        "exceptions": [(a.reference, a.status_as_at, a.rag_as_at, a.is_overdue) for a in report.exceptions],
        "trend": [(row.period.label, dataclasses.astuple(row.counts)) for row in report.trend],
    }


def listed(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return {action.reference for action in response.context["page_obj"].object_list}


def change_the_plan(timeline):
    """What happens to a plan between quarters."""
    factories.ActionFactory(
        recommendation=timeline["actions"]["A"].recommendation, reference="1.1.9", order=9, description="Action G"
    )
    Action.objects.filter(pk=timeline["actions"]["A"].pk).update(due_date=datetime.date(2016, 10, 31))
    Action.objects.filter(pk=timeline["actions"]["D"].pk).update(is_ongoing=True)


@pytest.fixture
def closed(timeline, planner):
    """Q3 closed through the product; Q1 and Q2, loaded closed, recorded as the demo does."""
    for name in ("q1", "q2"):
        services.period_states_record(ReportingPeriod.objects.get(pk=timeline[name].pk))
    return services.period_close(period=timeline["q3"], user=planner)


def test_closing_records_every_actions_state_as_the_report_read_it(timeline, planner):
    for name in ("q1", "q2"):
        services.period_states_record(ReportingPeriod.objects.get(pk=timeline[name].pk))
    report = build(timeline, timeline["q3"])  # open: read as the plan stands
    closed = services.period_close(period=timeline["q3"], user=planner)
    recorded = {
        state.action.reference: (state.status, state.rag, state.is_overdue)
        for state in RecordedState.objects.filter(period=closed).select_related("action")
    }
    assert recorded == {a.reference: (a.status_as_at, a.rag_as_at, a.is_overdue) for a in report.actions}
    assert closed.states_recorded_at is not None


def test_a_closed_quarters_report_and_its_lists_stay_as_dmt_had_them(client, dmt, timeline, closed):
    before = figures(build(timeline, closed))
    change_the_plan(timeline)
    as_it_stands = ReportingPeriod.objects.get(pk=closed.pk)
    as_it_stands.states_recorded_at = None
    overdue = {a.reference: a.is_overdue for a in selectors.actions_as_at([as_it_stands], Action.objects.all())}
    assert overdue["1.1.1"] and not overdue["2.1.4"] and "1.1.9" in overdue, "the plan changed under Q3"

    report = build(timeline, closed)
    assert figures(report) == before
    assert "1.1.9" not in {a.reference for a in report.actions}
    # The trend's Q3 and the report's own counts are the same figures.
    assert dataclasses.astuple(report.trend[-1].counts) == dataclasses.astuple(report.counts)
    # Each count's link lists exactly what it counts, as recorded.
    client.force_login(dmt)
    rows = list(report.headline) + [row for outcome in report.outcomes for row in outcome.rows]
    for row in rows:
        assert len(listed(client, row.url)) == row.value, (row.key, row.url)
    overdue = next(row for row in report.headline if row.key == "overdue")
    assert listed(client, overdue.url) == {"2.1.4"}, "A's new due date and D's being ongoing came after"


def test_the_pages_a_manager_works_from_still_show_an_action_added_after_the_close(client, dmt, timeline, closed):
    change_the_plan(timeline)
    client.force_login(dmt)
    assert "1.1.9" in listed(client, reverse("reporting:list"))
    # Said to be new since the close, not to have missed its update; the rest are as closed.
    page = client.get(reverse("reporting:list")).content.decode()
    assert page.count("Added after Q3 2016/17 closed") == 1
    added = Action.objects.get(reference="1.1.9")
    detail = client.get(reverse("reporting:detail", args=[added.pk])).content.decode()
    assert "Added after Q3 2016/17 closed, so it is not in that quarter's report." in detail
    assert "No update was written for Q3 2016/17" not in detail
    missed = timeline["actions"]["B"]  # reported in Q3, with no update written for it there
    detail = client.get(reverse("reporting:detail", args=[missed.pk])).content.decode()
    assert "No update was written for Q3 2016/17." in detail
    assert "Added after" not in detail
    # The refresh page and the admin say the same.
    states = {c.action.reference: c.state for c in action_selectors.refresh_candidates(timeline["strategy"])}
    assert states.pop("1.1.9") == "Added after Q3 2016/17 closed"
    assert not any(state.startswith("Added after") for state in states.values())


def test_the_admin_says_an_action_was_added_after_the_close(client, planner, timeline, closed):
    change_the_plan(timeline)
    planner.is_staff = True
    planner.save()
    client.force_login(planner)
    page = client.get(reverse("admin:actions_action_changelist")).content.decode()
    assert page.count("Added after its quarter closed") == 1


def test_reopening_reads_the_plan_as_it_stands_and_closing_again_records_it(timeline, closed, planner):
    change_the_plan(timeline)
    reopened = services.period_reopen(period=closed, user=planner, reason="A late update from the lead")
    assert reopened.states_recorded_at is None
    assert not RecordedState.objects.filter(period=closed).exists()
    report = build(timeline, reopened)
    assert "1.1.9" in {a.reference for a in report.actions}
    overdue = {a.reference for a in report.actions if a.is_overdue}
    assert "1.1.1" in overdue and "2.1.4" not in overdue

    again = services.period_close(period=reopened, user=planner)
    assert RecordedState.objects.filter(period=again).count() == 7
    assert figures(build(timeline, again)) == figures(report)


def test_a_quarter_loaded_closed_reads_the_plan_as_it_stands_in_its_report_and_the_trend(timeline, planner):
    """Q2 was loaded closed, with no states recorded: its own report and its place in a later
    quarter's trend are the same figures, before and after the plan changes."""
    q3 = services.period_close(period=timeline["q3"], user=planner)
    for changed in (False, True):
        if changed:
            change_the_plan(timeline)
        q2_report, q3_report = build(timeline, timeline["q2"]), build(timeline, q3)
        assert q3_report.trend[1].period == timeline["q2"]
        assert dataclasses.astuple(q3_report.trend[1].counts) == dataclasses.astuple(q2_report.counts)
    assert q2_report.counts.total == 7


def test_a_closed_quarters_returns_are_those_it_closed_with(client, planner, timeline, closed):
    change_the_plan(timeline)
    client.force_login(planner)
    response = client.get(reverse("reporting:returns", args=[closed.strategy.slug, closed.slug]))
    assert response.status_code == 200
    assert "1.1.9" not in response.content.decode()


def test_record_closed_quarters_records_each_unrecorded_closed_quarter_once(timeline, closed):
    """Q1 and Q2 loaded closed before the release that records states; Q3 closed after."""
    ReportingPeriod.objects.filter(pk__in=[timeline["q1"].pk, timeline["q2"].pk]).update(states_recorded_at=None)
    RecordedState.objects.filter(period__in=[timeline["q1"], timeline["q2"]]).delete()
    q3_recorded = RecordedState.objects.filter(period=closed).values_list("pk", flat=True)
    kept = set(q3_recorded)
    out = io.StringIO()
    call_command("record_closed_quarters", stdout=out)
    assert out.getvalue().splitlines() == [
        "Recorded 6 actions' states in Children's Workforce Strategy 2016/17, Q1 2016/17.",
        "Recorded 6 actions' states in Children's Workforce Strategy 2016/17, Q2 2016/17.",
    ]
    assert set(q3_recorded) == kept, "a quarter already recorded is left as it is"
    change_the_plan(timeline)
    assert build(timeline, timeline["q2"]).counts.total == 6
    out = io.StringIO()
    call_command("record_closed_quarters", stdout=out)
    assert "nothing to do" in out.getvalue()


def test_an_action_moved_to_another_outcome_counts_where_it_was_reported(client, dmt, timeline, closed, planner):
    """C (outcome 1, Green in Q3) moves to outcome 2 after Q3 closed: Q3 still counts it under
    outcome 1, and the lists its counts link to agree; reopened, Q3 counts it under outcome 2."""
    before = figures(build(timeline, closed))
    c = timeline["actions"]["C"]
    Action.objects.filter(pk=c.pk).update(outcome=timeline["actions"]["D"].outcome)
    report = build(timeline, closed)
    assert figures(report) == before
    assert next(a for a in report.actions if a.pk == c.pk).outcome_number == 1
    client.force_login(dmt)
    for outcome in report.outcomes:
        for row in outcome.rows:
            assert len(listed(client, row.url)) == row.value, (outcome.outcome.number, row.key)
    reopened = services.period_reopen(period=closed, user=planner, reason="C belongs under outcome 2")
    by_outcome = {row.outcome.number: row.counts.on_track for row in build(timeline, reopened).outcomes}
    assert by_outcome == {1: 0, 2: 1}


def test_an_action_reported_in_a_closed_quarter_cannot_be_deleted_on_its_own(client, timeline, closed):
    """Deleting it would take it out of a report DMT had: the admin refuses and names why.
    Its strategy can still be deleted whole, quarters and recorded states with it."""
    admin = factories.UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    action = timeline["actions"]["F"]  # no update in any quarter: nothing else holds it
    response = client.post(reverse("admin:actions_action_delete", args=[action.pk]), {"post": "yes"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "would require deleting the following protected related objects" in html
    assert "2.1.6 as at Q3 2016/17" in html
    assert Action.objects.filter(pk=action.pk).exists()

    timeline["strategy"].delete()
    assert not RecordedState.objects.exists()
    assert not Action.objects.exists()


def test_a_closed_quarters_report_says_when_it_closed_on_screen_on_paper_and_in_the_spreadsheet(
    client, dmt, timeline, closed
):
    ReportingPeriod.objects.filter(pk=closed.pk).update(
        states_recorded_at=datetime.datetime(2017, 1, 12, 9, 30, tzinfo=datetime.UTC)
    )
    said = "Q3 2016/17 closed on 12 January 2017: these figures are as they stood then, and no longer change."
    client.force_login(dmt)
    args = [closed.strategy.slug, closed.slug]
    assert said in client.get(reverse("dashboard:quarter", args=args)).content.decode()
    pdf = PdfReader(io.BytesIO(client.get(reverse("dashboard:pdf", args=args)).content))
    assert said in " ".join(pdf.pages[0].extract_text().split())
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(reverse("dashboard:xlsx", args=args)).content))
    assert said in [row[0] for row in workbook["Summary"].iter_rows(values_only=True) if row]
    # A quarter loaded closed, with no states recorded, says only that it is closed.
    loaded = ReportingPeriod(year=2016, number=2, state=ReportingPeriod.State.CLOSED)
    assert words.closed_words(loaded) == "Q2 2016/17 is closed: these figures no longer change."
