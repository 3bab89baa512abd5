"""Reminders: one email to each person who leads an action still missing its update, listing
exactly those actions; nobody twice within three days unless forced; every one recorded; the
emails sent after the records commit, outside the quarter's lock; a failed one recorded,
shown and sent again; two sends at once neither email anyone twice nor fail.

People: `manager` (in `team`) leads two missing actions; `officer` is the linked lead
officer of one; `both` is in `team` and the lead officer of another, so gets one email with
all three; `done` is in `other_team`, whose only action is updated; `no_email` and `leaver`
are in `team` but cannot be emailed.
"""

import datetime
import json
import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reporting.models import Reminder, ReportingPeriod
from reporting.reminders import reminder_resend, reminders_plan, reminders_send
from tests import factories
from tests.reporting import mail_backends
from workforce.roles import MANAGER, SCHEDULED_JOB

pytestmark = pytest.mark.django_db

capture_on_commit = TestCase.captureOnCommitCallbacks

SITE = "https://tracker.example.gov.uk"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def people(team, other_team, manager):
    return {
        "manager": manager,
        "officer": factories.UserFactory(username="officer", first_name="Olu", last_name="Adeyemi"),
        "both": factories.UserFactory(username="both", first_name="Bea", last_name="Both", teams=[team]),
        "done": factories.UserFactory(username="done", groups=[MANAGER], teams=[other_team]),
        "no_email": factories.UserFactory(username="no_email", email="", teams=[team]),
        "leaver": factories.UserFactory(username="leaver", teams=[team], is_active=False),
    }


@pytest.fixture
def plan(period, team, other_team, people):
    """Q3 2016/17 open with a deadline; the team's two actions missing, one updated; the
    officer's and `both`'s actions missing; the other team's action updated. Another strategy
    is open in Q2 2009/10 with one missing action of the team."""
    period.update_deadline = datetime.date(2017, 1, 14)
    period.save()
    recommendation = factories.RecommendationFactory(outcome__strategy=period.strategy)

    def action(reference, **fields):
        return factories.ActionFactory(
            recommendation=recommendation, reference=reference, description=f"Action {reference}", **fields
        )

    actions = {
        "team_1": action("1.1.1", lead_teams=[team]),
        "team_2": action("1.1.2", lead_teams=[team]),
        "team_done": action("1.1.3", lead_teams=[team]),
        "officer": action("1.1.4", lead_officer_user=people["officer"]),
        "both": action("1.1.5", lead_officer_user=people["both"]),
        "other_done": action("1.1.6", lead_teams=[other_team]),
    }
    factories.ProgressUpdateFactory(action=actions["team_done"], period=period)
    factories.ProgressUpdateFactory(action=actions["other_done"], period=period)
    older = factories.StrategyFactory(
        slug="workforce-2009-10",
        period_label="2009/10",
        period_start=datetime.date(2009, 4, 1),
        period_end=datetime.date(2010, 3, 31),
    )
    older_period = factories.ReportingPeriodFactory(strategy=older, year=2009, number=2)
    actions["older"] = factories.ActionFactory(
        recommendation__outcome__strategy=older, reference="9.9.9", description="Older action", lead_teams=[team]
    )
    return {"period": period, "older_period": older_period, **actions}


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """`reminders_send` (as the scheduled job unless `user` is given), its emails sent as its
    transactions commit: a test's own transaction would otherwise hold them back."""

    def send(period, **kwargs):
        kwargs.setdefault("user", SCHEDULED_JOB)
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_send(period, **kwargs)

    return send


def emails_by_recipient() -> dict[str, mail.EmailMessage]:
    by_recipient = {}
    for message in mail.outbox:
        assert len(message.to) == 1
        assert message.to[0] not in by_recipient, f"{message.to[0]} emailed twice"
        by_recipient[message.to[0]] = message
    return by_recipient


def references_in(message) -> list[str]:
    return [line.split()[0] for line in message.body.splitlines() if line.startswith(("1.", "9."))]


def test_the_plan_names_each_person_with_exactly_their_missing_actions(plan, people):
    planned = {p.recipient.username: [a.reference for a in p.actions] for p in reminders_plan(plan["period"])}
    assert planned == {"both": ["1.1.1", "1.1.2", "1.1.5"], "manager": ["1.1.1", "1.1.2"], "officer": ["1.1.4"]}


def test_each_person_gets_one_email_listing_exactly_their_missing_actions(plan, people, planner, send):
    result = send(plan["period"], user=planner)
    emails = emails_by_recipient()
    assert set(emails) == {people[name].email for name in ("manager", "officer", "both")}
    assert references_in(emails[people["manager"].email]) == ["1.1.1", "1.1.2"]
    assert references_in(emails[people["officer"].email]) == ["1.1.4"]
    assert references_in(emails[people["both"].email]) == ["1.1.1", "1.1.2", "1.1.5"]
    assert not result.failed
    assert [sent.recipient.username for sent in result.sent] == ["both", "manager", "officer"]

    message = emails[people["manager"].email]
    assert message.subject == "Strategy Tracker: 2 actions need your update for Q3 2016/17 by 14 January 2017"
    assert emails[people["officer"].email].subject == (
        "Strategy Tracker: 1 action needs your update for Q3 2016/17 by 14 January 2017"
    )
    link = SITE + reverse("reporting:detail", args=[plan["team_1"].pk])
    assert link in message.body
    assert "Action 1.1.1" in message.body
    assert "14 January 2017" in message.body
    assert "9.9.9" not in message.body  # the other strategy's quarter is its own reminder
    assert message.reply_to == [planner.email]
    [(html, mime)] = message.alternatives
    assert mime == "text/html"
    assert f'<a href="{link}">1.1.1</a>' in html

    reminders = {r.recipient.username: r for r in Reminder.objects.prefetch_related("actions")}
    assert set(reminders) == {"manager", "officer", "both"}
    assert {a.reference for a in reminders["manager"].actions.all()} == {"1.1.1", "1.1.2"}
    assert all(r.period == plan["period"] and r.sent_by == planner for r in reminders.values())
    assert {r.state for r in reminders.values()} == {Reminder.State.SENT}


def test_a_second_run_within_three_days_sends_nothing_and_force_sends_again(plan, people, send):
    send(plan["period"])
    assert len(mail.outbox) == 3
    mail.outbox.clear()

    assert send(plan["period"]).sent == []
    assert mail.outbox == []
    assert Reminder.objects.count() == 3

    assert len(send(plan["period"], force=True).sent) == 3
    assert len(mail.outbox) == 3
    assert Reminder.objects.count() == 6


def test_after_three_days_people_are_reminded_again(plan, people, send):
    send(plan["period"])
    Reminder.objects.update(sent_at=timezone.now() - datetime.timedelta(days=3, minutes=1))
    mail.outbox.clear()
    send(plan["period"])
    assert len(mail.outbox) == 3


def test_someone_who_updates_is_not_reminded(plan, people):
    factories.ProgressUpdateFactory(action=plan["officer"], period=plan["period"])
    assert people["officer"].pk not in [p.recipient.pk for p in reminders_plan(plan["period"])]


def test_a_closed_quarter_reminds_nobody(plan, send):
    ReportingPeriod.objects.filter(pk=plan["period"].pk).update(state=ReportingPeriod.State.CLOSED)
    plan["period"].refresh_from_db()
    assert reminders_plan(plan["period"]) == []
    with pytest.raises(ValidationError):
        send(plan["period"])
    assert mail.outbox == []


def test_action_text_is_escaped_in_the_html_part_only(plan, people, send):
    plan["officer"].description = 'Review <script>alert("x")</script> & report'
    plan["officer"].save()
    send(plan["period"])
    message = emails_by_recipient()[people["officer"].email]
    assert 'Review <script>alert("x")</script> & report' in message.body
    html = message.alternatives[0][0]
    assert "<script>" not in html
    assert "Review &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; report" in html


# The command ----------------------------------------------------------------------------------


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(*args) -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_update_reminders", *args, stdout=out, stderr=StringIO())
        return out.getvalue()

    return run


@pytest.mark.django_db(transaction=True)  # the command's output follows its emails, sent as its writes commit
def test_the_command_reminds_everyone_in_every_open_quarter(plan, people, run):
    output = run()
    assert "Q3 2016/17 of Workforce Strategy workforce-2016-17:" in output
    assert "emailed Gareth" not in output  # the manager has no full name: named by username
    assert f"emailed manager <{people['manager'].email}> about 2: 1.1.1, 1.1.2" in output
    assert f"emailed Olu Adeyemi <{people['officer'].email}> about 1: 1.1.4" in output
    assert "Q2 2009/10 of Workforce Strategy workforce-2009-10:" in output
    # Each quarter its own emails: the manager and `both` get one for each strategy.
    subjects = sorted(message.subject for message in mail.outbox if message.to == [people["manager"].email])
    assert subjects == [
        "Strategy Tracker: 1 action needs your update for Q2 2009/10",
        "Strategy Tracker: 2 actions need your update for Q3 2016/17 by 14 January 2017",
    ]
    assert len(mail.outbox) == 5
    assert Reminder.objects.filter(sent_by=None).count() == 5
    assert SITE + reverse("reporting:detail", args=[plan["team_1"].pk]) in mail.outbox[0].body + "".join(
        m.body for m in mail.outbox
    )

    mail.outbox.clear()
    output = run()
    assert mail.outbox == []
    assert output.count("nobody to remind") == 2

    output = run("--force", "--strategy", "workforce-2016-17")
    assert len(mail.outbox) == 3
    assert "2009/10" not in output


def test_a_dry_run_says_who_and_sends_nothing(plan, people, run):
    output = run("--dry-run", "--strategy", "workforce-2016-17")
    assert f"would email Olu Adeyemi <{people['officer'].email}> about 1: 1.1.4" in output
    assert output.count("would email") == 3
    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_the_command_refuses_an_unknown_strategy(plan, run):
    with pytest.raises(CommandError, match="nobody-here"):
        run("--strategy", "nobody-here")


def test_the_command_says_when_no_quarter_is_open(db, run):
    assert "No quarter is open" in run()


def test_links_start_with_the_site_url_setting(plan, people, settings, send):
    settings.SITE_URL = "https://tracker.example.gov.uk/"
    send(plan["period"])
    assert "https://tracker.example.gov.uk/actions/" in mail.outbox[0].body
    assert "tracker.example.gov.uk//" not in mail.outbox[0].body


# The page -------------------------------------------------------------------------------------


def reminders_url(period) -> str:
    return reverse("reporting:returns_reminders", args=[period.strategy.slug, period.slug])


def test_the_confirmation_lists_exactly_who_will_be_emailed_and_sends_nothing(client, planner, plan, people):
    client.force_login(planner)
    response = client.get(reminders_url(plan["period"]))
    assert response.status_code == 200
    to_send = {p.recipient.username: [a.reference for a in p.actions] for p in response.context["to_send"]}
    assert to_send == {"both": ["1.1.1", "1.1.2", "1.1.5"], "manager": ["1.1.1", "1.1.2"], "officer": ["1.1.4"]}
    assert response.context["reminded_recently"] == []
    html = response.content.decode()
    assert people["officer"].email in html and "Olu Adeyemi" in html
    assert people["done"].email not in html and people["no_email"].username not in html
    assert mail.outbox == [] and not Reminder.objects.exists()


@pytest.mark.django_db(transaction=True)  # the emails go as the page's writes commit
def test_sending_from_the_page_records_who_sent_it_and_shows_it(client, planner, plan, people):
    client.force_login(planner)
    response = client.post(reminders_url(plan["period"]), follow=True)
    # To the page's top, where the message is, not its list of reminders further down.
    assert response.redirect_chain[-1][0] == returns_url(plan["period"])
    assert len(mail.outbox) == 3
    assert "http://testserver/actions/" in mail.outbox[0].body  # the request's own address
    assert set(Reminder.objects.values_list("sent_by", flat=True)) == {planner.pk}
    html = response.content.decode()
    assert "Reminders sent to 3: Bea Both (3 actions); manager (2 actions); Olu Adeyemi (1 action)." in html
    assert len(response.context["returns"].reminders) == 3

    # Again at once: the three are now "reminded recently", emailed again only with the box ticked.
    response = client.get(reminders_url(plan["period"]))
    assert response.context["to_send"] == []
    assert len(response.context["reminded_recently"]) == 3
    mail.outbox.clear()
    client.post(reminders_url(plan["period"]))
    assert mail.outbox == []
    client.post(reminders_url(plan["period"]), {"force": "on"})
    assert len(mail.outbox) == 3


def test_a_closed_quarters_reminders_page_sends_back_to_its_returns(client, planner, plan):
    ReportingPeriod.objects.filter(pk=plan["period"].pk).update(state=ReportingPeriod.State.CLOSED)
    client.force_login(planner)
    assert client.post(reminders_url(plan["period"])).status_code == 302
    assert mail.outbox == []


# After commit, outside the lock; failures recorded, shown and sent again -----------------------


def test_the_emails_go_only_once_the_reminders_are_recorded_and_the_lock_released(plan, people, planner):
    """The records (and the quarter's lock) commit first; the emails go in the callback that
    runs after that commit, so no lock is held while the mail server answers."""
    with CaptureQueriesContext(connection) as queries, capture_on_commit() as callbacks:
        result = reminders_send(plan["period"], user=planner)
        assert mail.outbox == []  # nothing sent inside the transaction
        assert set(Reminder.objects.values_list("state", flat=True)) == {Reminder.State.SENDING}
        assert result.sent == []
    assert any("UPDATE" in q["sql"] and "reporting_reportingperiod" in q["sql"] for q in queries.captured_queries)
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 3
    assert set(Reminder.objects.values_list("state", flat=True)) == {Reminder.State.SENT}
    assert [plan.recipient.username for plan in result.sent] == ["both", "manager", "officer"]


def test_a_reminder_being_sent_counts_and_a_failed_one_does_not(plan, people, planner, send):
    with capture_on_commit():  # the first send's emails never go: its reminders stay "sending"
        reminders_send(plan["period"], user=planner)
    assert send(plan["period"], user=planner).sent == []  # nobody twice while the first is sending
    Reminder.objects.filter(recipient=people["officer"]).update(state=Reminder.State.FAILED, send_error="x")
    assert [p.recipient.username for p in send(plan["period"], user=planner).sent] == ["officer"]


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = "tests.reporting.mail_backends.RefusingBackend"
    mail_backends.RefusingBackend.refused = set()
    return mail_backends.RefusingBackend.refused


def test_a_failed_email_is_recorded_on_its_reminder_and_the_rest_are_sent(plan, people, send, refusing):
    refusing.add(people["officer"].email)
    result = send(plan["period"])
    [(recipient, error)] = result.failed
    assert recipient == people["officer"] and error == "officer@example.gov.uk refused: 550 Mailbox unavailable"
    assert sorted(p.recipient.username for p in result.sent) == ["both", "manager"]
    reminders = {r.recipient.username: r for r in Reminder.objects.all()}
    assert {name: r.state for name, r in reminders.items()} == {
        "both": Reminder.State.SENT,
        "manager": Reminder.State.SENT,
        "officer": Reminder.State.FAILED,
    }
    assert reminders["officer"].send_error == error
    assert reminders["manager"].send_error == ""


def test_a_mail_server_that_cannot_be_reached_fails_every_reminder(plan, people, send, settings):
    settings.EMAIL_BACKEND = "tests.reporting.mail_backends.UnreachableBackend"
    result = send(plan["period"])
    assert result.sent == [] and len(result.failed) == 3
    assert all("Connection refused" in error for _, error in result.failed)
    assert set(Reminder.objects.values_list("state", flat=True)) == {Reminder.State.FAILED}


def test_mail_waits_at_most_the_email_timeout(settings):
    from django.core.mail import get_connection

    assert settings.EMAIL_TIMEOUT == 10  # the default, from EMAIL_TIMEOUT in the environment
    assert get_connection("django.core.mail.backends.smtp.EmailBackend").timeout == 10


def returns_url(period) -> str:
    return reverse("reporting:returns", args=[period.strategy.slug, period.slug])


def resend_url(reminder) -> str:
    return reverse("reporting:reminder_resend", args=[reminder.period.strategy.slug, reminder.period.slug, reminder.pk])


def test_the_returns_page_shows_a_failed_reminder_and_sends_it_again(
    client, planner, plan, people, send, refusing, django_capture_on_commit_callbacks
):
    refusing.add(people["officer"].email)
    send(plan["period"])
    failed = Reminder.objects.get(recipient=people["officer"])
    client.force_login(planner)
    html = client.get(returns_url(plan["period"])).content.decode()
    assert "1 reminder could not be sent: Olu Adeyemi." in html
    assert "Not sent</strong> officer@example.gov.uk refused: 550 Mailbox unavailable" in html
    assert f'action="{resend_url(failed)}"' in html
    assert html.count("Send again<") == 1  # only the failed one

    refusing.clear()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend_url(failed))
    assert response.status_code == 302 and response["Location"] == returns_url(plan["period"])
    [message] = mail.outbox
    assert message.to == [people["officer"].email] and references_in(message) == ["1.1.4"]
    failed.refresh_from_db()
    assert (failed.state, failed.send_error, failed.sent_by) == (Reminder.State.SENT, "", planner)
    html = client.get(returns_url(plan["period"])).content.decode()
    assert "could not be sent" not in html and "Send again<" not in html


def test_a_resend_lists_only_the_actions_still_missing(plan, people, planner, send, refusing):
    refusing.add(people["manager"].email)
    send(plan["period"])
    failed = Reminder.objects.get(recipient=people["manager"])
    factories.ProgressUpdateFactory(action=plan["team_1"], period=plan["period"])
    refusing.clear()
    mail.outbox.clear()
    with capture_on_commit(execute=True):
        reminder_resend(reminder=failed, user=planner)
    [message] = mail.outbox
    assert references_in(message) == ["1.1.2"]
    assert [a.reference for a in failed.actions.all()] == ["1.1.2"]


def test_only_a_failed_reminder_is_sent_again_and_only_by_a_planner(plan, people, planner, manager, send, refusing):
    refusing.add(people["officer"].email)
    send(plan["period"])
    failed = Reminder.objects.get(recipient=people["officer"])
    sent = Reminder.objects.get(recipient=people["manager"])
    refusing.clear()
    mail.outbox.clear()
    with pytest.raises(PermissionDenied, match="Only Organisational Planning may send reminders"):
        reminder_resend(reminder=failed, user=manager)
    with pytest.raises(ValidationError, match="not one that failed"):
        reminder_resend(reminder=sent, user=planner)
    factories.ProgressUpdateFactory(action=plan["officer"], period=plan["period"])
    with pytest.raises(ValidationError, match="has updated every action the reminder listed"):
        reminder_resend(reminder=failed, user=planner)
    ReportingPeriod.objects.filter(pk=plan["period"].pk).update(state=ReportingPeriod.State.CLOSED)
    with pytest.raises(ValidationError, match="is closed"):
        reminder_resend(reminder=failed, user=planner)
    assert mail.outbox == []
    failed.refresh_from_db()
    assert failed.state == Reminder.State.FAILED


def test_a_manager_cannot_send_again_from_the_page(client, manager, plan, people, send, refusing):
    refusing.add(people["officer"].email)
    send(plan["period"])
    failed = Reminder.objects.get(recipient=people["officer"])
    refusing.clear()
    client.force_login(manager)
    assert client.post(resend_url(failed)).status_code == 403
    assert client.get(resend_url(failed)).status_code in (403, 405)
    failed.refresh_from_db()
    assert failed.state == Reminder.State.FAILED


# Several processes at once, on SQLite ----------------------------------------------------------


def sqlite_env(folder: Path) -> dict:
    """The environment that runs a step on the database in `folder`, with a slow mail server
    (0.5 s an email)."""
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "EMAIL_BACKEND": "tests.reporting.mail_backends.SlowBackend",
        "SLOW_MAIL_SECONDS": "0.5",
        "SLOW_MAIL_LOG": str(folder / "mail.log"),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "test-only",
    }


@pytest.fixture(scope="module")
def sqlite_setup(tmp_path_factory) -> Path:
    """A SQLite database in a file, migrated and set up by `sqlite_processes setup`, once."""
    folder = tmp_path_factory.mktemp("sqlite")
    step("setup", sqlite_env(folder))
    return folder / "db.sqlite3"


@pytest.fixture
def sqlite_file(sqlite_setup, tmp_path) -> dict:
    """A fresh copy of that database for one test, and the environment of its steps."""
    shutil.copy(sqlite_setup, tmp_path / "db.sqlite3")
    return sqlite_env(tmp_path)


def step(name: str, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.reporting.sqlite_processes", name],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    if name == "setup":
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    return process


def outcome(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def test_two_sends_at_once_email_each_person_once_and_report_no_false_failures(sqlite_file):
    first, second = step("send", sqlite_file), step("send", sqlite_file)
    results = [outcome(first), outcome(second)]
    assert [result["failed"] for result in results] == [[], []]
    sent = sorted(email for result in results for email in result["sent"])
    assert sent == [f"manager{n}@example.gov.uk" for n in range(1, 5)]
    emailed = sorted(line.split()[1] for line in Path(sqlite_file["SLOW_MAIL_LOG"]).read_text().splitlines())
    assert emailed == sent  # each once: nobody emailed by both


def test_a_managers_save_goes_through_while_reminders_are_being_sent(sqlite_file):
    env = {**sqlite_file, "SLOW_MAIL_SECONDS": "1.5"}
    sender, saver = step("send", env), step("save", env)
    saved = outcome(saver)
    assert "error" not in saved, saved["error"]
    assert saved["seconds"] < 1  # not held while an email (1.5 s each, 6 s in all) is being sent
    assert outcome(sender)["failed"] == []
