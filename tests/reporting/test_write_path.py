"""One write path: every write to a progress update, the admin's included, goes through the
service, which checks permission, the quarter and the version the writer started from.

People: `manager` is in the team that leads `action`; `planner` is in Organisational
Planning (the admin is theirs); a staff Manager is a manager given staff status.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from reporting.models import ProgressUpdate, ReportingPeriod, Status
from reporting.services import UpdateConflict, period_close, progress_update_record
from tests import factories
from workforce.roles import MANAGER

pytestmark = pytest.mark.django_db


def update_url(action) -> str:
    return reverse("reporting:update", args=[action.pk])


def change_url(update) -> str:
    return reverse("admin:reporting_progressupdate_change", args=[update.pk])


def add_url() -> str:
    return reverse("admin:reporting_progressupdate_add")


def managers_form(client, action) -> dict:
    """The managers' form as the page opens it: the stored update and the version it is at."""
    response = client.get(update_url(action))
    assert response.status_code == 200
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields}
    return {name: "" if value is None else value for name, value in data.items()}


def admin_form(response) -> dict:
    """The admin form's editable fields as the page shows them, ready to POST back."""
    assert response.status_code == 200
    adminform = response.context["adminform"]
    form = adminform.form
    data = {}
    for name in form.fields:
        if name in adminform.readonly_fields:
            continue
        value = form[name].value()
        data[name] = "" if value is None else value.isoformat() if isinstance(value, datetime.date) else value
    return data


def admin_errors(response) -> list[str]:
    assert response.status_code == 200, "the admin saved instead of showing the form again"
    form = response.context["adminform"].form
    return [str(message) for messages in form.errors.values() for message in messages]


@pytest.fixture
def staff_manager(db, team):
    """A Manager in the action's lead team who was given staff status (for another admin page)."""
    return factories.UserFactory(username="staffmanager", groups=[MANAGER], teams=[team], is_staff=True)


@pytest.fixture
def stored(action, period, manager):
    """The manager's update for the quarter, written through the service: version 1."""
    return progress_update_record(
        action=action, period=period, user=manager, status=Status.IN_PROGRESS, rag="green", progress="Manager's words"
    )


# The planner's edit in the admin goes through the service ------------------------------------


def test_the_admin_change_page_carries_the_version_it_was_opened_at(client, planner, stored):
    client.force_login(planner)
    response = client.get(change_url(stored))
    html = response.content.decode()
    assert 'type="hidden" name="expected_version" value="1"' in html
    assert admin_form(response)["expected_version"] == 1


def test_a_planners_admin_edit_is_saved_by_the_service(client, planner, stored):
    client.force_login(planner)
    data = admin_form(client.get(change_url(stored)))
    data.update(rag="amber", progress="Planner's correction")
    response = client.post(change_url(stored), data)
    assert response.status_code == 302, admin_errors(response)
    stored.refresh_from_db()
    assert (stored.rag, stored.progress, stored.author, stored.version) == ("amber", "Planner's correction", planner, 2)
    assert stored.history.count() == 2
    assert stored.history.first().history_user == planner


@pytest.mark.parametrize("existing", [False, True], ids=["new-update", "existing-update"])
def test_a_manager_who_opened_the_form_before_the_planners_admin_edit_is_refused(
    client, planner, manager, action, period, existing
):
    if existing:
        progress_update_record(
            action=action, period=period, user=manager, status=Status.IN_PROGRESS, rag="green", progress="First"
        )
    managers = Client()
    managers.force_login(manager)
    opened = managers_form(managers, action)
    assert opened["version"] == (1 if existing else 0)

    client.force_login(planner)
    if existing:
        update = ProgressUpdate.objects.get()
        data = admin_form(client.get(change_url(update)))
        data.update(progress="Planner's words")
        response = client.post(change_url(update), data)
    else:
        data = admin_form(client.get(add_url()))
        data.update(action=action.pk, period=period.pk, status=Status.IN_PROGRESS, rag="green")
        data.update(progress="Planner's words")
        response = client.post(add_url(), data)
    assert response.status_code == 302, admin_errors(response)

    # The manager saves the form opened earlier: refused, shown as a conflict, nothing overwritten.
    opened.update(status=Status.IN_PROGRESS, rag="red", progress="Manager's words", help_needed="Funding")
    response = managers.post(update_url(action), opened)
    assert response.status_code == 200
    assert response.context["conflict"] is not None
    assert "planner saved this update while you were editing it" in response.content.decode()
    update = ProgressUpdate.objects.get()
    assert (update.progress, update.rag, update.author) == ("Planner's words", "green", planner)
    assert update.version == (2 if existing else 1)


def test_an_admin_save_from_a_stale_page_is_a_form_error_and_saves_nothing(client, planner, manager, stored):
    client.force_login(planner)
    data = admin_form(client.get(change_url(stored)))
    # Meanwhile the manager saves again.
    progress_update_record(
        action=stored.action,
        period=stored.period,
        user=manager,
        status=Status.IN_PROGRESS,
        rag="green",
        progress="Manager's second words",
        expected_version=1,
    )
    data.update(progress="Planner's words")
    response = client.post(change_url(stored), data)
    assert any("changed by manager" in error for error in admin_errors(response))
    stored.refresh_from_db()
    assert (stored.progress, stored.author, stored.version) == ("Manager's second words", manager, 2)


def test_an_admin_add_over_an_update_saved_meanwhile_is_a_form_error(client, planner, action, period, manager):
    client.force_login(planner)
    data = admin_form(client.get(add_url()))
    progress_update_record(action=action, period=period, user=manager, status=Status.IN_PROGRESS, rag="green")
    data.update(action=action.pk, period=period.pk, status=Status.IN_PROGRESS, rag="amber", progress="Planner's")
    assert admin_errors(client.post(add_url(), data))
    assert ProgressUpdate.objects.get().author == manager


def test_the_admin_applies_the_managers_rules(client, planner, stored):
    client.force_login(planner)
    data = admin_form(client.get(change_url(stored)))
    data.update(rag="red", progress="", help_needed="")
    errors = admin_errors(client.post(change_url(stored), data))
    assert "Enter the help needed from DMT for a Red rating" in errors
    stored.refresh_from_db()
    assert (stored.rag, stored.version) == ("green", 1)


def test_the_admin_refuses_a_quarter_of_another_strategy(client, planner, action):
    other = factories.StrategyFactory(slug="other-2016-17")
    elsewhere = factories.ReportingPeriodFactory(strategy=other, year=2016, number=3)
    client.force_login(planner)
    data = admin_form(client.get(add_url()))
    data.update(action=action.pk, period=elsewhere.pk, status=Status.IN_PROGRESS, rag="green")
    assert any("another strategy" in error for error in admin_errors(client.post(add_url(), data)))
    assert not ProgressUpdate.objects.exists()


# A staff Manager cannot reach progress updates in the admin -----------------------------------


def test_a_staff_manager_does_not_see_progress_updates_in_the_admin(client, staff_manager, stored):
    client.force_login(staff_manager)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    models = {model["object_name"] for app in response.context["app_list"] for model in app["models"]}
    assert "ProgressUpdate" not in models
    assert reverse("admin:reporting_progressupdate_changelist") not in response.content.decode()


@pytest.mark.parametrize("page", ["changelist", "add", "change", "history"])
def test_a_staff_manager_is_refused_every_progress_update_page(client, staff_manager, stored, page):
    client.force_login(staff_manager)
    args = [stored.pk] if page in ("change", "history") else []
    assert client.get(reverse(f"admin:reporting_progressupdate_{page}", args=args)).status_code == 403


def test_a_staff_manager_cannot_change_their_own_teams_update_in_the_admin(client, staff_manager, stored):
    client.force_login(staff_manager)
    data = {"status": Status.IN_PROGRESS, "rag": "red", "progress": "Via the admin", "help_needed": "x"}
    assert client.post(change_url(stored), {**data, "expected_version": 1}).status_code == 403
    stored.refresh_from_db()
    assert (stored.progress, stored.version) == ("Manager's words", 1)


def test_a_staff_manager_cannot_add_another_teams_update_in_the_admin(client, other_team, period):
    other_teams = factories.ActionFactory(lead_teams=[other_team], reference="9.9.9")
    staff = factories.UserFactory(username="staffmanager", groups=[MANAGER], is_staff=True)
    client.force_login(staff)
    data = {
        "action": other_teams.pk,
        "period": period.pk,
        "status": Status.IN_PROGRESS,
        "rag": "green",
        "progress": "Not mine",
        "expected_version": 0,
    }
    assert client.post(add_url(), data).status_code == 403
    assert not ProgressUpdate.objects.exists()
    # Nor through the service the admin saves with.
    with pytest.raises(PermissionDenied):
        progress_update_record(action=other_teams, period=period, user=staff, status=Status.IN_PROGRESS, rag="green")
    assert not ProgressUpdate.objects.exists()


# A closed quarter's update changes through no path -------------------------------------------


def test_a_closed_quarters_update_is_refused_by_the_form_the_admin_and_the_service(
    client, planner, manager, action, stored
):
    period = stored.period
    managers = Client()
    managers.force_login(manager)
    opened = managers_form(managers, action)
    client.force_login(planner)
    admin_data = admin_form(client.get(change_url(stored)))
    period_close(period=period, user=planner)

    # The managers' form: no quarter of the strategy is open, so nothing is offered or saved.
    opened.update(progress="Rewritten after closing")
    response = managers.post(update_url(action), opened)
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:detail", args=[action.pk])

    # The admin: the page is read-only, and a POST is forbidden.
    page = client.get(change_url(stored))
    assert page.status_code == 200 and 'name="progress"' not in page.content.decode()
    assert client.post(change_url(stored), {**admin_data, "progress": "Rewritten"}).status_code == 403
    admin_data.update(action=action.pk, period=period.pk, progress="A second one", expected_version=1)
    assert client.post(add_url(), admin_data).status_code == 403

    # The service, for the manager and the planner alike.
    for user in (manager, planner):
        with pytest.raises(PermissionDenied, match="closed"):
            progress_update_record(
                action=action, period=period, user=user, status=Status.COMPLETE, completed_on=datetime.date(2016, 12, 1)
            )

    stored.refresh_from_db()
    assert (stored.progress, stored.status, stored.author, stored.version) == (
        "Manager's words",
        Status.IN_PROGRESS,
        manager,
        1,
    )
    assert ProgressUpdate.objects.count() == 1


def test_with_the_next_quarter_open_the_form_writes_there_and_the_closed_update_stays(
    client, manager, planner, action, stored
):
    period_close(period=stored.period, user=planner)
    q4 = factories.ReportingPeriodFactory(strategy=stored.period.strategy, year=2016, number=4)
    client.force_login(manager)
    opened = managers_form(client, action)
    assert opened["version"] == 0  # a new update, for Q4
    opened.update(status=Status.IN_PROGRESS, rag="green", progress="Q4 words")
    assert client.post(update_url(action), opened).status_code == 302
    stored.refresh_from_db()
    assert (stored.progress, stored.version) == ("Manager's words", 1)
    assert ProgressUpdate.objects.get(period=q4).progress == "Q4 words"


# The conflict itself ----------------------------------------------------------------------------


def test_a_conflict_with_no_stored_update_can_be_printed():
    assert str(UpdateConflict(current=None)) == "The update was removed by someone else"
    assert repr(UpdateConflict(current=None))


def test_a_conflict_names_who_saved_or_someone_else(action, period, manager):
    update = factories.ProgressUpdateFactory(action=action, period=period, author=manager)
    assert str(UpdateConflict(current=update)) == f"{update} was changed by manager"
    update.author = None
    assert str(UpdateConflict(current=update)) == f"{update} was changed by someone else"


def test_quarters_are_not_changed_through_the_admin_after_closing(client, planner, period):
    period_close(period=period, user=planner)
    client.force_login(planner)
    response = client.post(
        reverse("admin:reporting_reportingperiod_change", args=[period.pk]), {"update_deadline": "2017-01-14"}
    )
    assert response.status_code == 403
    period.refresh_from_db()
    assert (period.state, period.update_deadline) == (ReportingPeriod.State.CLOSED, None)
