"""progress_update_record: who may write, when, on which version, and the update's rules."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reporting.models import ProgressUpdate, ReportingPeriod, Status
from reporting.services import UpdateConflict, period_close, progress_update_record
from tests import factories
from workforce.roles import MANAGER

pytestmark = pytest.mark.django_db


def record(action, period, user, **fields):
    values = {"status": Status.IN_PROGRESS, "rag": "green", "progress": "Plan drafted."}
    values.update(fields)
    return progress_update_record(action=action, period=period, user=user, **values)


def test_a_lead_team_member_records_a_new_update(action, period, manager):
    update = record(action, period, manager, next_steps="Consult.", evidence="Minutes", expected_version=0)
    update.refresh_from_db()
    assert (update.action, update.period, update.author) == (action, period, manager)
    assert (update.status, update.rag, update.progress) == (Status.IN_PROGRESS, "green", "Plan drafted.")
    assert (update.next_steps, update.evidence) == ("Consult.", "Minutes")
    assert update.version == 1
    assert update.history.count() == 1


def test_a_planner_records_an_update_for_any_action(action, period, planner):
    assert record(action, period, planner).author == planner


@pytest.mark.parametrize("who", ["outsider", "dmt"])
def test_others_are_refused_and_nothing_is_saved(request, action, period, who):
    with pytest.raises(PermissionDenied):
        record(action, period, request.getfixturevalue(who))
    assert not ProgressUpdate.objects.exists()


def test_an_outsider_cannot_change_an_existing_update(action, period, manager, outsider):
    update = record(action, period, manager, progress="Theirs")
    with pytest.raises(PermissionDenied):
        record(action, period, outsider, progress="Mine")
    update.refresh_from_db()
    assert (update.progress, update.author, update.version) == ("Theirs", manager, 1)


def test_an_inactive_member_is_refused(action, period, team):
    leaver = factories.UserFactory(username="leaver", groups=[MANAGER], teams=[team], is_active=False)
    with pytest.raises(PermissionDenied):
        record(action, period, leaver)
    assert not ProgressUpdate.objects.exists()


def test_a_closed_quarter_is_refused(action, period, manager):
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.CLOSED)
    with pytest.raises(PermissionDenied, match="closed"):
        record(action, period, manager)
    assert not ProgressUpdate.objects.exists()


def test_an_update_in_a_closed_quarter_cannot_be_changed(action, period, manager, planner):
    update = factories.ProgressUpdateFactory(action=action, period=period, author=manager, progress="As reported")
    period_close(period=period, user=planner)
    # The caller's copy of the quarter may be stale: the service reads the state afresh.
    period.state = ReportingPeriod.State.OPEN
    for user in (manager, planner):
        with pytest.raises(PermissionDenied, match="closed"):
            record(action, period, user, progress="Rewritten", expected_version=1)
    update.refresh_from_db()
    assert (update.progress, update.version) == ("As reported", 1)


def test_each_save_raises_the_version(action, period, manager, planner):
    first = record(action, period, manager, expected_version=0)
    assert first.version == 1
    second = record(action, period, planner, rag="amber", progress="At risk.", expected_version=1)
    assert second.pk == first.pk
    assert (second.version, second.author, second.rag) == (2, planner, "amber")
    assert ProgressUpdate.objects.count() == 1
    assert ProgressUpdate.objects.get().history.count() == 2


def test_without_an_expected_version_the_save_is_not_checked(action, period, manager):
    record(action, period, manager)
    assert record(action, period, manager, progress="Again").version == 2


def test_a_stale_version_raises_update_conflict_with_the_stored_update(action, period, manager, planner):
    stored = record(action, period, manager, progress="First person's words", expected_version=0)
    with pytest.raises(UpdateConflict) as caught:
        record(action, period, planner, progress="Second person's words", expected_version=0)
    assert caught.value.current.pk == stored.pk
    assert caught.value.current.author == manager
    assert caught.value.current.progress == "First person's words"
    assert "manager" in str(caught.value)
    stored.refresh_from_db()
    assert (stored.progress, stored.author, stored.version) == ("First person's words", manager, 1)


def test_a_version_from_the_future_is_a_conflict_too(action, period, manager):
    record(action, period, manager)
    with pytest.raises(UpdateConflict):
        record(action, period, manager, progress="Later", expected_version=5)
    assert ProgressUpdate.objects.get().progress == "Plan drafted."


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"rag": "red", "progress": "", "help_needed": ""}, {"progress", "help_needed"}),
        ({"rag": "red", "progress": "Off track", "help_needed": " "}, {"help_needed"}),
        ({"rag": "amber", "progress": ""}, {"progress"}),
        ({"rag": ""}, {"rag"}),
        ({"status": Status.NOT_STARTED, "rag": ""}, {"rag"}),
        ({"status": Status.ON_HOLD, "rag": "", "reason": ""}, {"reason"}),
        ({"status": Status.CANCELLED, "rag": "", "reason": "  "}, {"reason"}),
        ({"status": Status.COMPLETE, "rag": ""}, {"completed_on"}),
        ({"status": "finished"}, {"status"}),
        ({"rag": "blue"}, {"rag"}),
    ],
)
def test_the_rules_raise_validation_error_naming_the_fields(action, period, manager, fields, errors):
    with pytest.raises(ValidationError) as caught:
        record(action, period, manager, **fields)
    assert set(caught.value.message_dict) == errors
    assert not ProgressUpdate.objects.exists()


def test_complete_drops_the_rag_and_keeps_the_date(action, period, manager):
    update = record(
        action, period, manager, status=Status.COMPLETE, rag="green", completed_on=datetime.date(2016, 12, 1)
    )
    update.refresh_from_db()
    assert (update.status, update.rag, update.completed_on) == (Status.COMPLETE, "", datetime.date(2016, 12, 1))


def test_a_date_is_dropped_when_not_complete(action, period, manager):
    update = record(action, period, manager, completed_on=datetime.date(2016, 12, 1))
    update.refresh_from_db()
    assert update.completed_on is None


def test_on_hold_with_a_reason_needs_no_rating(action, period, manager):
    update = record(action, period, manager, status=Status.ON_HOLD, rag="", reason="Waiting for the intranet")
    assert (update.status, update.reason) == (Status.ON_HOLD, "Waiting for the intranet")


def test_a_refused_change_leaves_the_stored_update_alone(action, period, manager):
    stored = record(action, period, manager, progress="Good words")
    with pytest.raises(ValidationError):
        record(action, period, manager, rag="red", progress="", expected_version=1)
    stored.refresh_from_db()
    assert (stored.progress, stored.version) == ("Good words", 1)
    # And a valid change after it still works.
    assert record(action, period, manager, progress="Better words", expected_version=1).version == 2
