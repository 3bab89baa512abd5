# ruff: noqa: F811  (the timeline fixture is imported, then named by each test)
"""The DMT meeting: the planner writes the quarter's key messages and records DMT's response
to each Red action's request for help; the lead sees it, and next quarter's report shows it.

Data: the dashboard tests' timeline (tests/dashboard/conftest.py): Q3 2016/17 open, action A
Red in Q3 asking "DMT to agree funding for A".
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from actions.models import Action
from dashboard.report import report_build
from reporting import decisions, selectors, services
from reporting.models import DmtDecision, ProgressUpdate, ReportingPeriod
from tests import factories
from tests.dashboard.conftest import timeline  # noqa: F401  (the data, re-used)

pytestmark = pytest.mark.django_db


def dmt_url(timeline, name="q3"):
    return reverse("reporting:dmt", args=[timeline["strategy"].slug, timeline[name].slug])


def asked(timeline, name="q3") -> ProgressUpdate:
    return ProgressUpdate.objects.get(action=timeline["actions"]["A"], period=timeline[name])


def decision_url(timeline, update, name="q3"):
    return reverse("reporting:dmt_decision", args=[timeline["strategy"].slug, timeline[name].slug, update.pk])


def report(timeline, period):
    strategy = timeline["strategy"]
    return report_build(strategy, period, list(selectors.periods_for_strategy(strategy)))


def close(period):
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.CLOSED)
    period.refresh_from_db()


# --- Key messages ------------------------------------------------------------------------------


def test_planner_writes_the_key_messages_and_they_open_the_dashboard(client, planner, dmt, timeline):
    client.force_login(planner)
    response = client.get(dmt_url(timeline))
    assert response.status_code == 200
    assert "Save the key messages" in response.content.decode()

    response = client.post(
        dmt_url(timeline), {"key_messages": "Recruitment is ahead of plan.", "strategic_lead": " Jane Smith "}
    )
    assert response.status_code == 302
    period = timeline["q3"]
    period.refresh_from_db()
    assert (period.key_messages, period.strategic_lead) == ("Recruitment is ahead of plan.", "Jane Smith")

    client.force_login(dmt)
    html = client.get(reverse("dashboard:quarter", args=["leics", period.slug])).content.decode()
    assert html.index("Recruitment is ahead of plan.") < html.index("At a glance")
    assert "Strategic lead: Jane Smith" in html


def test_key_messages_stop_when_the_quarter_closes(client, planner, timeline):
    period = timeline["q3"]
    services.key_messages_set(period=period, user=planner, key_messages="Before", strategic_lead="")
    close(period)
    with pytest.raises(PermissionDenied):
        services.key_messages_set(period=period, user=planner, key_messages="After", strategic_lead="")
    client.force_login(planner)
    html = client.get(dmt_url(timeline)).content.decode()
    assert "its key messages can no longer be changed" in html and "Save the key messages" not in html
    assert client.post(dmt_url(timeline), {"key_messages": "After"}).status_code == 403
    period.refresh_from_db()
    assert period.key_messages == "Before"


def test_key_messages_are_too_long_over_2000_characters(client, planner, timeline):
    client.force_login(planner)
    response = client.post(dmt_url(timeline), {"key_messages": "x" * 2001})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    timeline["q3"].refresh_from_db()
    assert timeline["q3"].key_messages == ""


@pytest.mark.parametrize("who", ["dmt", "manager"])
def test_only_planners_prepare_the_meeting(client, request, who, timeline):
    client.force_login(request.getfixturevalue(who))
    assert client.get(dmt_url(timeline)).status_code == 403
    assert client.post(dmt_url(timeline), {"key_messages": "x"}).status_code == 403
    assert client.post(decision_url(timeline, asked(timeline)), {"outcome": "agreed"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.key_messages_set(
            period=timeline["q3"], user=request.getfixturevalue(who), key_messages="x", strategic_lead=""
        )


def test_wrong_method_and_unknown_quarter(client, planner, timeline):
    client.force_login(planner)
    assert client.put(dmt_url(timeline)).status_code == 405
    assert client.get(reverse("reporting:dmt", args=["leics", "q9-2016-17"])).status_code == 404
    assert client.get(reverse("reporting:dmt", args=["leics", "q1-2030-31"])).status_code == 404


# --- DMT decisions -----------------------------------------------------------------------------


def test_planner_records_dmt_decision_on_a_red_request_for_help(client, planner, timeline):
    client.force_login(planner)
    html = client.get(dmt_url(timeline)).content.decode()
    assert "DMT to agree funding for A" in html and "Record the decision" in html
    update = asked(timeline)

    response = client.post(decision_url(timeline, update), {"outcome": "agreed", "note": "£20k from reserves"})
    assert response.status_code == 302
    decision = DmtDecision.objects.get(update=update)
    assert (decision.outcome, decision.note, decision.decided_by) == ("agreed", "£20k from reserves", planner)

    # Changing it keeps one decision, and its history.
    client.post(decision_url(timeline, update), {"outcome": "deferred", "note": "To January"})
    decision.refresh_from_db()
    assert decision.outcome == "deferred" and DmtDecision.objects.count() == 1
    assert decision.history.count() == 2


def test_a_decision_needs_an_outcome(client, planner, timeline):
    client.force_login(planner)
    response = client.post(decision_url(timeline, asked(timeline)), {"note": "No outcome"})
    assert response.status_code == 200
    assert "Select DMT&#x27;s decision" in response.content.decode()
    assert not DmtDecision.objects.exists()


def test_only_red_requests_for_help_are_decided(client, planner, timeline):
    green = ProgressUpdate.objects.get(action=timeline["actions"]["C"], period=timeline["q3"])
    with pytest.raises(ValidationError):
        services.dmt_decision_record(update=green, user=planner, outcome="agreed")
    client.force_login(planner)
    assert client.get(decision_url(timeline, green)).status_code == 404


def test_decisions_are_taken_after_the_quarter_closes_until_a_later_quarter_closes(planner, timeline):
    q3 = timeline["q3"]
    close(q3)  # the report went to DMT; the meeting follows
    services.dmt_decision_record(update=asked(timeline), user=planner, outcome="declined")
    q4 = factories.ReportingPeriodFactory(strategy=timeline["strategy"], year=2016, number=4)
    services.dmt_decision_record(update=asked(timeline), user=planner, outcome="agreed")
    close(q4)  # Q4's report, which shows the decision, is fixed now
    with pytest.raises(PermissionDenied):
        services.dmt_decision_record(update=asked(timeline), user=planner, outcome="deferred")
    assert DmtDecision.objects.get().outcome == "agreed"


def test_the_decision_is_in_the_quarter_and_next_quarters_report(client, planner, dmt, timeline):
    services.dmt_decision_record(update=asked(timeline), user=planner, outcome="agreed", note="£20k from reserves")
    this = report(timeline, timeline["q3"])
    assert this.decisions[timeline["actions"]["A"].pk].outcome_label == "Agreed"
    close(timeline["q3"])
    q4 = factories.ReportingPeriodFactory(strategy=timeline["strategy"], year=2016, number=4)
    factories.ProgressUpdateFactory(
        action=timeline["actions"]["A"], period=q4, rag="amber", progress="Funding agreed; recruiting"
    )
    next_report = report(timeline, q4)
    a = next(action for action in next_report.actions if action.reference == timeline["actions"]["A"].reference)
    assert a.previous_decision.outcome_label == "Agreed" and a.previous_decision.period_label == "Q3 2016/17"

    client.force_login(dmt)
    html = client.get(reverse("dashboard:quarter", args=["leics", q4.slug])).content.decode()
    exception = html[html.index("Funding agreed; recruiting") :]
    assert "DMT's decision in Q3 2016/17: Agreed" in exception[:1500]
    assert "£20k from reserves" in exception[:1500]


# --- The lead sees it --------------------------------------------------------------------------


def test_latest_decision_is_annotated_without_a_query_of_its_own(planner, timeline, django_assert_num_queries):
    services.dmt_decision_record(update=asked(timeline), user=planner, outcome="agreed", note="Yes")
    with django_assert_num_queries(1):
        actions = {a.pk: a for a in decisions.with_latest_decision(Action.objects.all())}
    a = actions[timeline["actions"]["A"].pk]
    assert (a.dmt_decision_outcome, a.dmt_decision_note) == ("Agreed", "Yes")
    assert a.dmt_decision_quarter == timeline["q3"].label  # as Quarter.label writes it
    assert actions[timeline["actions"]["B"].pk].dmt_decision_outcome is None


def test_the_lead_sees_the_decision_on_the_action_page_and_in_their_list(planner, timeline):
    services.dmt_decision_record(update=asked(timeline), user=planner, outcome="declined", note="No budget")
    action = decisions.with_latest_decision(Action.objects.filter(pk=timeline["actions"]["A"].pk)).get()
    page = render_to_string("reporting/_dmt_decision.html", {"action": action})
    assert "decision on the help asked in Q3 2016/17" in page and "Declined" in page and "No budget" in page
    row = render_to_string("reporting/_dmt_decision.html", {"action": action, "compact": True})
    assert "DMT Q3 2016/17" in row and "Declined" in row
    # Without a decision (or before the page reads one), nothing is shown.
    assert not render_to_string("reporting/_dmt_decision.html", {"action": timeline["actions"]["B"]}).strip()


def test_the_lead_reads_the_decision_on_the_action_page_and_in_your_actions(client, planner, timeline):
    services.dmt_decision_record(update=asked(timeline), user=planner, outcome="declined", note="No budget")
    lead = factories.UserFactory(username="lead-of-a", groups=["Manager"], teams=[timeline["team"]])
    client.force_login(lead)
    page = client.get(reverse("reporting:detail", args=[timeline["actions"]["A"].pk])).content.decode()
    assert "decision on the help asked in Q3 2016/17" in page and "No budget" in page
    listing = client.get(reverse("reporting:home")).content.decode()
    assert "DMT Q3 2016/17: <strong>Declined</strong>. No budget" in listing


def test_a_list_reached_from_a_count_names_it_and_links_back(client, dmt, timeline):
    strategy, q3 = timeline["strategy"], timeline["q3"]
    client.force_login(dmt)
    query = {"strategy": strategy.pk, "quarter": q3.slug, "rag": "red"}
    response = client.get(reverse("reporting:list"), query)
    html = response.content.decode()
    assert "Off track (Red), Q3 2016/17" in html
    assert f'href="{reverse("dashboard:quarter", args=[strategy.slug, q3.slug])}"' in html
    assert "Back to the DMT report for Q3 2016/17" in html
    assert "Back to the DMT report" not in client.get(reverse("reporting:list")).content.decode()
    # Its title says what it is filtered to, so the filters stay folded and the actions come
    # first; filtered any other way, they open to show what is applied.
    assert '<details class="govuk-details">' in html
    other = client.get(reverse("reporting:list"), {**query, "q": "Action"}).content.decode()
    assert '<details class="govuk-details" open>' in other
