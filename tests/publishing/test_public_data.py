"""The public snapshot of a quarter: its shape, its counts (the DMT report's), what it leaves
out, withheld commentary and its fixed cost, against the timeline of tests/dashboard.

| action | Q3 (open)                                |
| A 1.1.1 | in progress, Red, help asked            |
| B 1.1.2 | complete (in Q2)                        |
| C 1.1.3 | in progress, Green                      |
| D 2.1.4 | no update, overdue                      |
| E 2.1.5 | on hold, with a reason                  |
| F 2.1.6 | no update                               |
"""

import json

import pytest

from dashboard.report import report_build
from publishing.public_data import FIELD_NAMES, PUBLIC_ACTION_FIELDS, action_rows, paragraphs, public_snapshot
from reporting import selectors as action_selectors
from reporting import services
from reporting.models import ProgressUpdate
from tests import factories

pytestmark = pytest.mark.django_db


def snapshot_of(timeline, name="q3", withheld=None, trend=()):
    return public_snapshot(timeline[name], withheld=withheld or {}, trend_periods=[timeline[t] for t in trend])


def report_of(timeline, name="q3"):
    strategy = timeline["strategy"]
    return report_build(strategy, timeline[name], list(action_selectors.periods_for_strategy(strategy)))


def by_reference(snapshot):
    return {row["reference"]: row for row in action_rows(snapshot)}


def test_the_fields_are_named_once_in_order():
    assert FIELD_NAMES[:2] == ("reference", "outcome")
    assert len(set(FIELD_NAMES)) == len(FIELD_NAMES)
    for name in ("description", "status", "rag", "due", "commentary", "withheld_reason", "lead_teams"):
        assert name in FIELD_NAMES
    assert all(f.title and f.description and f.type in {"string", "date", "boolean"} for f in PUBLIC_ACTION_FIELDS)


def test_the_snapshot_of_the_open_quarter(timeline):
    snapshot = snapshot_of(timeline)
    assert snapshot["strategy"] == {
        "slug": "leics",
        "title": "Children's Workforce Strategy 2016/17",
        "organisation": timeline["strategy"].organisation,
        "department": timeline["strategy"].department,
        "period_label": timeline["strategy"].period_label,
    }
    quarter = timeline["q3"]
    assert snapshot["quarter"] == {
        "id": quarter.pk,
        "label": "Q3 2016/17",
        "year": 2016,
        "number": 3,
        "start": "2016-10-01",
        "end": "2016-12-31",
    }
    assert [(o["reference"], [a["reference"] for a in o["actions"]]) for o in snapshot["outcomes"]] == [
        ("1", ["1.1.1", "1.1.2", "1.1.3"]),
        ("2", ["2.1.4", "2.1.5", "2.1.6"]),
    ]
    rows = by_reference(snapshot)
    assert all(tuple(row) == FIELD_NAMES for row in rows.values())
    assert rows["1.1.1"] == {
        "reference": "1.1.1",
        "outcome": "1",
        "description": "Action A",
        "lead_teams": "Organisational Planning",
        "timescale": timeline["actions"]["A"].timescale,
        "due": "2017-06-30",
        "ongoing": "No",
        "status": "In progress",
        "rag": "Red",
        "overdue": "No",
        "commentary": "A in Q3 2016/17",
        "withheld_reason": "",
    }
    # B was completed in Q2: complete, no rating, and none of Q2's words.
    assert (rows["1.1.2"]["status"], rows["1.1.2"]["rag"], rows["1.1.2"]["commentary"]) == ("Complete", "", "")
    assert (rows["2.1.4"]["status"], rows["2.1.4"]["overdue"], rows["2.1.4"]["commentary"]) == ("No update", "Yes", "")
    assert (rows["2.1.5"]["status"], rows["2.1.5"]["rag"]) == ("On hold", "")
    json.dumps(snapshot)  # plain values only
    assert all(isinstance(value, str) for row in rows.values() for value in row.values())


def test_the_summary_is_the_dmt_reports_counts(timeline):
    snapshot, report = snapshot_of(timeline), report_of(timeline)
    summary = snapshot["summary"]
    assert summary == {
        "actions": 6,
        "by_status": [
            ["Not started", 0],
            ["In progress", 2],
            ["Complete", 1],
            ["On hold", 1],
            ["Cancelled or superseded", 0],
            ["No update", 2],
        ],
        "by_rag": [["Green", 1], ["Amber", 0], ["Red", 1]],
        "overdue": 1,
    }
    counts = report.counts
    statuses = dict(summary["by_status"])
    assert (statuses["Complete"], statuses["Not started"], statuses["On hold"]) == (
        counts.complete,
        counts.not_started,
        counts.on_hold,
    )
    assert (statuses["Cancelled or superseded"], statuses["No update"]) == (counts.cancelled, counts.no_update)
    assert dict(summary["by_rag"]) == {"Green": counts.on_track, "Amber": counts.at_risk, "Red": counts.off_track}
    assert (summary["actions"], summary["overdue"]) == (counts.total, counts.overdue)


def test_an_earlier_quarter_reads_as_at_its_end(timeline):
    rows = by_reference(snapshot_of(timeline, "q2"))
    assert (rows["1.1.1"]["rag"], rows["1.1.1"]["commentary"]) == ("Amber", "A in Q2 2016/17")
    # C had a Q1 update but none in Q2: no update, not Q1's words.
    assert (rows["1.1.3"]["status"], rows["1.1.3"]["commentary"]) == ("No update", "")


def test_the_trend_holds_only_the_quarters_given_and_this_one(timeline):
    snapshot = snapshot_of(timeline, trend=["q1"])
    assert snapshot["trend"] == [
        {"quarter": "Q1 2016/17", "by_rag": [["Green", 4], ["Amber", 0], ["Red", 0]]},
        {"quarter": "Q3 2016/17", "by_rag": [["Green", 1], ["Amber", 0], ["Red", 1]]},
    ]
    assert [row["quarter"] for row in snapshot_of(timeline)["trend"]] == ["Q3 2016/17"]
    assert "Q2 2016/17" not in json.dumps(snapshot_of(timeline, trend=["q1"]))


def test_key_messages_in_paragraphs(timeline, planner):
    timeline["q3"] = services.key_messages_set(
        period=timeline["q3"],
        user=planner,
        key_messages="First point.\r\n\r\nSecond,\nstill second.\n\n\n",
        strategic_lead="",
    )
    assert snapshot_of(timeline)["key_messages"] == ["First point.", "Second,\nstill second."]
    assert paragraphs("  ") == []


def test_what_stays_internal_is_left_out(timeline, planner):
    """The timeline's own internal words: A's request for help, E's reason for on hold,
    DMT's decision, the strategic lead, next steps, evidence and the authors and officers."""
    services.key_messages_set(period=timeline["q3"], user=planner, key_messages="", strategic_lead="Jo Strategic")
    update = ProgressUpdate.objects.get(action=timeline["actions"]["A"], period=timeline["q3"])
    services.dmt_decision_record(update=update, user=planner, outcome="agreed", note="Twenty thousand from reserves")
    ProgressUpdate.objects.filter(pk=update.pk).update(next_steps="Ask finance", evidence="Board minutes")
    action = timeline["actions"]["C"]
    action.lead_officer = "Pat Officer"
    action.lead_officer_user = factories.UserFactory(first_name="Sam", last_name="Account", username="samacc")
    action.save()
    ProgressUpdate.objects.filter(period=timeline["q3"]).update(author=action.lead_officer_user)
    text = json.dumps(snapshot_of(timeline))
    for internal in (
        "DMT to agree funding",
        "Waiting for the new intranet",
        "Twenty thousand",
        "Agreed",
        "Jo Strategic",
        "Ask finance",
        "Board minutes",
        "Pat Officer",
        "Sam",
        "samacc",
    ):
        assert internal not in text, internal


def test_a_withheld_commentary_gives_its_reason_instead(timeline):
    action = timeline["actions"]["A"]
    rows = by_reference(snapshot_of(timeline, withheld={action.pk: "Personal information"}))
    assert (rows["1.1.1"]["commentary"], rows["1.1.1"]["withheld_reason"]) == ("", "Personal information")
    assert (rows["1.1.3"]["commentary"], rows["1.1.3"]["withheld_reason"]) == ("C in Q3 2016/17", "")


def test_withholding_needs_a_reason_and_an_action_of_the_report(timeline):
    action = timeline["actions"]["A"]
    with pytest.raises(ValueError, match=r"needs a reason \(action ids"):
        snapshot_of(timeline, withheld={action.pk: "  "})
    elsewhere = factories.ActionFactory()
    with pytest.raises(ValueError, match=rf"not in Q3 2016/17's report \(ids {elsewhere.pk}\)"):
        snapshot_of(timeline, withheld={elsewhere.pk: "Personal information"})


def test_a_closed_quarter_reads_as_recorded_when_it_closed(timeline, planner):
    """An action added to the plan, or moved to another outcome, after the quarter closed
    changes nothing: the snapshot reads the states recorded at closing, as the report does."""
    timeline["q3"] = services.period_close(period=timeline["q3"], user=planner)
    before = snapshot_of(timeline)
    factories.ActionFactory(strategy=timeline["strategy"], outcome=timeline["actions"]["A"].outcome, reference="9.9.9")
    moved = timeline["actions"]["A"]
    moved.outcome = timeline["actions"]["D"].outcome
    moved.save()
    timeline["q3"].refresh_from_db()
    assert snapshot_of(timeline) == before
    assert "9.9.9" not in by_reference(before)


def test_the_snapshot_costs_the_same_at_10_and_1000_actions(django_assert_num_queries, team, empty_cache):
    """The DMT report's reads (`report_build`), whatever the number of actions: 1 the strategy,
    2 its quarters, 3 the actions as at the quarter, 4 their lead teams, 5 the outcomes, 6 the
    quarter's reopenings, 7 the trend (one UNION of the quarters; none for a closed quarter's
    counts already kept), 8 DMT's decisions, 9 the workforce indicators (and one more for their
    figures when the strategy has any), 10 the measures, 11 the risks. The last five are the
    report's and unused here: publishing is rare, and one read of the quarter is worth them."""
    q1, q2 = (factories.ReportingPeriodFactory(year=2016, number=n) for n in (1, 2))
    strategy = factories.bulk_actions(10, teams=[team], periods=[q1, q2], strategy=q1.strategy)
    q2.refresh_from_db()
    with django_assert_num_queries(11):
        small = public_snapshot(q2, withheld={}, trend_periods=[q1])
    factories.bulk_actions(990, teams=[team], periods=[q1, q2], strategy=strategy)
    q2.refresh_from_db()
    with django_assert_num_queries(11):
        large = public_snapshot(q2, withheld={}, trend_periods=[q1])
    assert (small["summary"]["actions"], large["summary"]["actions"]) == (10, 1000)
