"""Two strategies at once, each running its own quarterly cycle.

Strategy A is Leicestershire's for 2016/17; strategy B is Lincolnshire's for 2009/10, whose
Q1 has been opened and closed. `manager` is in `team`, which leads an action in each;
`outsider` is in `other_team`, which leads another of A's; `planner` runs the cycle.
"""

import datetime
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from dashboard.report import report_build
from reporting import selectors
from reporting.models import PeriodEvent, ProgressUpdate, Reminder, ReportingPeriod, Status
from reporting.returns import returns_for
from reporting.services import (
    period_close,
    period_open,
    period_reopen,
    progress_update_check,
    progress_update_record,
)
from tests import factories

pytestmark = pytest.mark.django_db

SITE = "https://tracker.example.gov.uk"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def a(db):
    return factories.StrategyFactory(slug="leics-2016-17", title="Leicestershire Workforce Strategy 2016/17")


@pytest.fixture
def b(db):
    return factories.StrategyFactory(
        slug="lincs-2009-10",
        title="Lincolnshire Workforce Strategy 2009/10",
        organisation="Lincolnshire County Council",
        period_label="2009/10",
        period_start=datetime.date(2009, 4, 1),
        period_end=datetime.date(2010, 3, 31),
    )


@pytest.fixture
def b_q1(b, planner):
    """B's Q1 2009/10, opened and closed: B has no quarter open."""
    period = period_open(strategy=b, year=2009, number=1, user=planner)
    return period_close(period=period, user=planner)


@pytest.fixture
def actions(a, b, team, other_team):
    def action(strategy, reference, teams, **fields):
        return factories.ActionFactory(
            recommendation__outcome__strategy=strategy,
            reference=reference,
            description=f"Action {reference} of {strategy.slug}",
            lead_teams=teams,
            **fields,
        )

    later = {"start_date": datetime.date(2016, 4, 1), "due_date": datetime.date(2017, 6, 30)}
    return {
        "a1": action(a, "1.1.1", [team], **later),
        "a2": action(a, "1.1.2", [other_team], **later),
        "a3": action(a, "1.1.3", [team], **later),
        "b1": action(b, "B.1.1", [team], start_date=datetime.date(2009, 4, 1), due_date=datetime.date(2010, 3, 31)),
    }


def open_a(a, planner) -> ReportingPeriod:
    return period_open(strategy=a, year=2016, number=3, user=planner, update_deadline=datetime.date(2017, 1, 14))


def open_b(b, planner) -> ReportingPeriod:
    return period_open(strategy=b, year=2009, number=2, user=planner, update_deadline=datetime.date(2009, 10, 14))


def update_url(action) -> str:
    return reverse("reporting:update", args=[action.pk])


def post_update(client, action, version=0, **fields) -> object:
    data = {"status": Status.IN_PROGRESS, "rag": "green", "progress": "Going well", "version": version, **fields}
    return client.post(update_url(action), data)


def state(period) -> str:
    period.refresh_from_db()
    return period.state


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def error_messages(error: ValidationError) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in error.value.message_dict.items()}


# Opening ----------------------------------------------------------------------------------------


def test_opening_a_quarter_of_one_strategy_leaves_the_other_as_it_was(a, b, b_q1, planner):
    b_events = list(PeriodEvent.objects.filter(period__strategy=b).values_list("kind", flat=True))
    a_q3 = open_a(a, planner)
    assert (a_q3.strategy, a_q3.label, a_q3.is_open) == (a, "Q3 2016/17", True)
    assert selectors.period_open(a) == a_q3
    assert state(b_q1) == ReportingPeriod.State.CLOSED
    assert selectors.period_open(b) is None
    assert list(PeriodEvent.objects.filter(period__strategy=b).values_list("kind", flat=True)) == b_events
    assert list(PeriodEvent.objects.filter(period=a_q3).values_list("kind", "by")) == [("opened", planner.pk)]

    # B's next quarter opens while A's is open, and A's stays open.
    b_q2 = open_b(b, planner)
    assert selectors.period_open(b) == b_q2
    assert state(a_q3) == ReportingPeriod.State.OPEN


def test_a_strategy_has_one_quarter_open_at_a_time(a, b, b_q1, planner):
    a_q3 = open_a(a, planner)
    with pytest.raises(ValidationError) as error:
        period_open(strategy=a, year=2016, number=4, user=planner)
    assert error_messages(error) == {
        "strategy": [f"Q3 2016/17 of {a} is still open: close it before opening another quarter."]
    }
    with pytest.raises(ValidationError) as error:
        period_open(strategy=a, year=2016, number=3, user=planner)
    assert f"{a} already has Q3 2016/17" in error_messages(error)["number"][0]
    assert list(ReportingPeriod.objects.filter(strategy=a)) == [a_q3]
    # The other strategy's open quarter does not count against A, nor A's against B.
    period_close(period=a_q3, user=planner)
    open_b(b, planner)
    assert period_open(strategy=a, year=2016, number=4, user=planner).is_open


def test_a_quarter_outside_the_strategys_period_needs_confirming_and_a_reason(a, b, planner):
    with pytest.raises(ValidationError) as error:
        period_open(strategy=a, year=2017, number=1, user=planner)
    assert error_messages(error) == {
        "confirm_outside_period": ["Q1 2017/18 is outside the strategy's period (2016/17): confirm that you mean it."],
        "outside_period_reason": ["Enter why Q1 2017/18 is opened outside the strategy's period"],
    }
    with pytest.raises(ValidationError) as error:
        period_open(strategy=a, year=2017, number=1, user=planner, confirm_outside=True, reason="  ")
    assert set(error_messages(error)) == {"outside_period_reason"}
    with pytest.raises(ValidationError) as error:
        period_open(strategy=a, year=2017, number=1, user=planner, reason="Actions run on into 2017/18")
    assert set(error_messages(error)) == {"confirm_outside_period"}
    # B's period is 2009/10: A's year is outside it.
    with pytest.raises(ValidationError) as error:
        period_open(strategy=b, year=2016, number=3, user=planner)
    assert set(error_messages(error)) == {"confirm_outside_period", "outside_period_reason"}
    assert not ReportingPeriod.objects.exists()

    period = period_open(
        strategy=a, year=2017, number=1, user=planner, confirm_outside=True, reason=" Actions run on into 2017/18 "
    )
    assert (period.label, period.is_open, period.outside_period_reason) == (
        "Q1 2017/18",
        True,
        "Actions run on into 2017/18",
    )
    assert PeriodEvent.objects.get(period=period).reason == "Actions run on into 2017/18"
    # Inside the period, nothing needs confirming.
    assert open_b(b, planner).outside_period_reason == ""


# Updates land in their own strategy's quarter ------------------------------------------------


def test_each_managers_update_lands_in_its_own_strategys_open_quarter(client, a, b, b_q1, planner, manager, actions):
    a_q3, b_q2 = open_a(a, planner), open_b(b, planner)
    client.force_login(manager)
    response = client.get(update_url(actions["b1"]))
    assert response.context["period"] == b_q2
    assert "Q2 2009/10" in response.content.decode()
    assert client.get(update_url(actions["a1"])).context["period"] == a_q3

    assert post_update(client, actions["b1"], progress="B's words").status_code == 302
    assert post_update(client, actions["a1"], progress="A's words").status_code == 302
    placed = {u.action_id: (u.period, u.progress) for u in ProgressUpdate.objects.all()}
    assert placed == {actions["b1"].pk: (b_q2, "B's words"), actions["a1"].pk: (a_q3, "A's words")}
    assert not ProgressUpdate.objects.filter(period=b_q1).exists()


def test_closing_a_quarter_of_one_strategy_changes_nothing_in_the_other(client, a, b, b_q1, planner, manager, actions):
    a_q3, b_q2 = open_a(a, planner), open_b(b, planner)
    client.force_login(manager)
    post_update(client, actions["a1"], progress="A's words")
    post_update(client, actions["b1"], progress="B's words")

    period_close(period=a_q3, user=planner)
    assert state(b_q2) == ReportingPeriod.State.OPEN
    assert list(PeriodEvent.objects.filter(period=b_q2).values_list("kind", flat=True)) == ["opened"]

    # B's open quarter still takes updates, through the form and the service.
    response = client.get(update_url(actions["b1"]))
    assert (response.context["period"], response.context["form"]["version"].value()) == (b_q2, 1)
    assert post_update(client, actions["b1"], version=1, progress="B's second words").status_code == 302
    fields = {"status": Status.IN_PROGRESS, "rag": "amber", "progress": "B at risk"}
    update = progress_update_record(action=actions["b1"], period=b_q2, user=manager, expected_version=2, **fields)
    assert (update.period, update.version) == (b_q2, 3)

    # A's quarter is closed: its form offers nothing and its update stays as it was.
    response = post_update(client, actions["a1"], version=1, progress="Rewritten")
    assert response.status_code == 302
    a1 = ProgressUpdate.objects.get(action=actions["a1"])
    assert (a1.period, a1.progress, a1.version) == (a_q3, "A's words", 1)


def test_an_update_into_another_strategys_quarter_is_refused_and_saves_nothing(a, b, b_q1, planner, manager, actions):
    a_q3 = open_a(a, planner)
    for user in (manager, planner):
        with pytest.raises(ValidationError) as error:
            progress_update_record(action=actions["b1"], period=a_q3, user=user, status=Status.IN_PROGRESS, rag="green")
        assert error.value.code == "wrong_strategy"
        assert "Q3 2016/17 is a quarter of another strategy" in error.value.messages[0]
    with pytest.raises(ValidationError):
        progress_update_check(
            action=actions["a1"], period=b_q1, update=ProgressUpdate(status=Status.IN_PROGRESS), expected_version=0
        )
    assert not ProgressUpdate.objects.exists()


# The lists with no quarter asked ------------------------------------------------------------------


def test_the_lists_read_each_action_as_at_its_own_strategys_quarter(client, a, b, b_q1, planner, manager, actions):
    a_q2 = period_open(strategy=a, year=2016, number=2, user=planner)
    factories.ProgressUpdateFactory(action=actions["a1"], period=a_q2, rag="amber", progress="Q2")
    factories.ProgressUpdateFactory(action=actions["b1"], period=b_q1, status=Status.CANCELLED, rag="", reason="x")
    period_close(period=a_q2, user=planner)
    a_q3 = open_a(a, planner)
    factories.ProgressUpdateFactory(action=actions["a1"], period=a_q3, rag="red", progress="Q3", help_needed="x")

    def shown(url):
        response = client.get(url)
        assert response.status_code == 200
        return {
            action.reference: (action.as_at_period, action.status_as_at, action.rag_as_at)
            for action in response.context["page_obj"].object_list
        }

    client.force_login(manager)
    # A reads in its open Q3; B, with none open, in its latest quarter (Q1 2009/10).
    assert shown(reverse("reporting:list")) == {
        "1.1.1": (a_q3, Status.IN_PROGRESS, "red"),
        "1.1.2": (a_q3, None, None),
        "1.1.3": (a_q3, None, None),
        "B.1.1": (b_q1, Status.CANCELLED, None),
    }

    b_q2 = open_b(b, planner)
    listed = shown(reverse("reporting:home"))
    assert listed == {
        "1.1.1": (a_q3, Status.IN_PROGRESS, "red"),
        "1.1.3": (a_q3, None, None),
        "B.1.1": (b_q2, Status.CANCELLED, None),  # cancelled in Q1: it stays so
    }
    # "Your actions" says which quarter each action needs an update for, and by when.
    html = re.sub(r"\s+", " ", client.get(reverse("reporting:home")).content.decode())
    assert "for Q3 2016/17, by 14 Jan 2017" in html
    assert "Q2 2009/10" not in html  # B's action was cancelled: it needs no update

    # Each strategy's dashboard counts its own actions only.
    report = report_build(a, a_q3, list(selectors.periods_for_strategy(a)))
    assert [row.reference for row in report.actions] == ["1.1.1", "1.1.2", "1.1.3"]
    assert {row.key: row.value for row in report.headline}["off_track"] == 1
    report = report_build(b, b_q2, list(selectors.periods_for_strategy(b)))
    assert {row.key: row.value for row in report.headline} == {
        "total": 1,
        "complete": 0,
        "on_track": 0,
        "at_risk": 0,
        "off_track": 0,
        "not_started": 0,
        "on_hold": 0,
        "cancelled": 1,
        "overdue": 0,
        "no_update": 0,
    }


# The whole cycle, both strategies at once -------------------------------------------------------


def emails() -> dict[str, list[str]]:
    """Each email sent, by recipient: the action references it lists, in order."""
    by_recipient: dict[str, list[str]] = {}
    for message in mail.outbox:
        [to] = message.to
        assert to not in by_recipient, f"{to} emailed twice"
        by_recipient[to] = re.findall(r"^(\S+) Action \1 of ", message.body, re.M)
    return by_recipient


def test_the_whole_cycle_with_two_strategies_at_once(
    client, a, b, b_q1, planner, manager, outsider, actions, django_capture_on_commit_callbacks
):
    planners, managers, outsiders = Client(), Client(), Client()
    planners.force_login(planner)
    managers.force_login(manager)
    outsiders.force_login(outsider)

    # Open A's Q3 while B stays closed.
    a_q3 = open_a(a, planner)
    assert (state(a_q3), state(b_q1)) == ("open", "closed")
    assert selectors.period_open(b) is None

    # Partial returns: the manager reports one of their two actions.
    assert post_update(managers, actions["a1"], progress="A1 on track").status_code == 302
    returns = returns_for(a_q3, periods=[a_q3])
    assert (returns.total, returns.updated, returns.missing) == (3, 1, 2)
    page = planners.get(reverse("reporting:returns", args=[a.slug, a_q3.slug]))
    assert page.status_code == 200
    assert page.context["returns"].missing == 2

    # Reminders: each person once, with exactly their missing actions; B's closed quarter reminds nobody.
    with django_capture_on_commit_callbacks(execute=True):  # the emails go after commit
        call_command("send_update_reminders", stdout=io.StringIO())
    assert emails() == {manager.email: ["1.1.3"], outsider.email: ["1.1.2"]}
    assert all("Q3 2016/17" in message.subject for message in mail.outbox)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the emails go after commit
        call_command("send_update_reminders", stdout=io.StringIO())
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):  # the emails go after commit
        call_command("send_update_reminders", "--force", stdout=io.StringIO())
    assert emails() == {manager.email: ["1.1.3"], outsider.email: ["1.1.2"]}
    assert Reminder.objects.filter(period=a_q3).count() == 4
    mail.outbox.clear()

    # The outsider reports; then A's quarter is closed through its confirmation page.
    assert post_update(outsiders, actions["a2"], rag="amber", progress="A2 at risk").status_code == 302
    close_url = reverse("reporting:returns_close", args=[a.slug, a_q3.slug])
    confirmation = planners.get(close_url)
    assert confirmation.status_code == 200
    assert [action.reference for action in confirmation.context["missing"]] == ["1.1.3"]
    assert state(a_q3) == "open"  # the confirmation page changes nothing
    assert planners.post(close_url).status_code == 302
    assert state(a_q3) == "closed"
    closed = PeriodEvent.objects.get(period=a_q3, kind=PeriodEvent.Kind.CLOSED)
    assert closed.by == planner

    # An edit is refused through the form, the admin and the service.
    a1 = ProgressUpdate.objects.get(action=actions["a1"])
    response = post_update(managers, actions["a1"], version=1, progress="Rewritten")
    assert response.status_code == 302
    assert messages_of(response)[-1] == f"No quarter of {a} is open for updates."
    admin_change = reverse("admin:reporting_progressupdate_change", args=[a1.pk])
    data = {"status": Status.IN_PROGRESS, "rag": "green", "progress": "Rewritten", "expected_version": 1}
    assert planners.post(admin_change, data).status_code == 403
    with pytest.raises(PermissionDenied):
        progress_update_record(action=actions["a1"], period=a_q3, user=planner, status=Status.IN_PROGRESS, rag="green")
    a1.refresh_from_db()
    assert (a1.progress, a1.version) == ("A1 on track", 1)

    # Meanwhile B opens its Q2: its reminders are its own, and its update lands in its own quarter.
    b_q2 = open_b(b, planner)
    with django_capture_on_commit_callbacks(execute=True):  # the emails go after commit
        call_command("send_update_reminders", stdout=io.StringIO())
    assert emails() == {manager.email: ["B.1.1"]}
    assert "Q2 2009/10" in mail.outbox[0].subject
    assert post_update(managers, actions["b1"], progress="B1 on track").status_code == 302
    assert ProgressUpdate.objects.get(action=actions["b1"]).period == b_q2

    # A's quarter is reopened, with a reason, while B's stays open.
    reopen_url = reverse("reporting:returns_reopen", args=[a.slug, a_q3.slug])
    assert planners.post(reopen_url, {"reason": ""}).status_code == 200
    assert state(a_q3) == "closed"
    assert planners.post(reopen_url, {"reason": "Late return from Strategic HR"}).status_code == 302
    assert (state(a_q3), state(b_q2)) == ("open", "open")
    reopened = PeriodEvent.objects.get(period=a_q3, kind=PeriodEvent.Kind.REOPENED)
    assert (reopened.by, reopened.reason) == (planner, "Late return from Strategic HR")
    dashboard = planners.get(reverse("dashboard:quarter", args=[a.slug, a_q3.slug]))
    assert "was reopened on" in dashboard.content.decode()
    assert "Late return from Strategic HR" in dashboard.content.decode()

    # Updates land in their own strategy's quarter again.
    assert post_update(managers, actions["a3"], progress="A3 at last").status_code == 302
    assert post_update(managers, actions["b1"], version=1, progress="B1 again").status_code == 302
    placed = {u.action.reference: (u.period, u.version) for u in ProgressUpdate.objects.select_related("action")}
    assert placed == {
        "1.1.1": (a_q3, 1),
        "1.1.2": (a_q3, 1),
        "1.1.3": (a_q3, 1),
        "B.1.1": (b_q2, 2),
    }
    assert returns_for(a_q3, periods=[a_q3]).missing == 0

    # Closing B changes nothing in A; B too keeps one quarter open at a time.
    period_close(period=b_q2, user=planner)
    assert state(a_q3) == "open"
    period_reopen(period=b_q2, user=planner, reason="Correction from Lincolnshire")
    with pytest.raises(ValidationError, match="Q2 2009/10 is open: close it before reopening Q1 2009/10"):
        period_reopen(period=b_q1, user=planner, reason="Another correction")
    assert (state(a_q3), state(b_q1), state(b_q2)) == ("open", "closed", "open")
