"""Reminders: one email to each person who leads an action still missing its update, listing
exactly those actions; nobody twice within three days unless forced; every one recorded.

People: `manager` (in `team`) leads two missing actions; `officer` is the linked lead
officer of one; `both` is in `team` and the lead officer of another, so gets one email with
all three; `done` is in `other_team`, whose only action is updated; `no_email` and `leaver`
are in `team` but cannot be emailed.
"""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from reporting.models import Reminder, ReportingPeriod
from reporting.reminders import reminders_plan, reminders_send
from tests import factories
from workforce.roles import MANAGER

pytestmark = pytest.mark.django_db

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


def test_each_person_gets_one_email_listing_exactly_their_missing_actions(plan, people, planner):
    result = reminders_send(plan["period"], sent_by=planner)
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


def test_a_second_run_within_three_days_sends_nothing_and_force_sends_again(plan, people):
    reminders_send(plan["period"])
    assert len(mail.outbox) == 3
    mail.outbox.clear()

    assert reminders_send(plan["period"]).sent == []
    assert mail.outbox == []
    assert Reminder.objects.count() == 3

    assert len(reminders_send(plan["period"], force=True).sent) == 3
    assert len(mail.outbox) == 3
    assert Reminder.objects.count() == 6


def test_after_three_days_people_are_reminded_again(plan, people):
    reminders_send(plan["period"])
    Reminder.objects.update(sent_at=timezone.now() - datetime.timedelta(days=3, minutes=1))
    mail.outbox.clear()
    reminders_send(plan["period"])
    assert len(mail.outbox) == 3


def test_someone_who_updates_is_not_reminded(plan, people):
    factories.ProgressUpdateFactory(action=plan["officer"], period=plan["period"])
    assert people["officer"].pk not in [p.recipient.pk for p in reminders_plan(plan["period"])]


def test_a_closed_quarter_reminds_nobody(plan):
    ReportingPeriod.objects.filter(pk=plan["period"].pk).update(state=ReportingPeriod.State.CLOSED)
    plan["period"].refresh_from_db()
    assert reminders_plan(plan["period"]) == []
    with pytest.raises(ValidationError):
        reminders_send(plan["period"])
    assert mail.outbox == []


def test_action_text_is_escaped_in_the_html_part_only(plan, people):
    plan["officer"].description = 'Review <script>alert("x")</script> & report'
    plan["officer"].save()
    reminders_send(plan["period"])
    message = emails_by_recipient()[people["officer"].email]
    assert 'Review <script>alert("x")</script> & report' in message.body
    html = message.alternatives[0][0]
    assert "<script>" not in html
    assert "Review &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; report" in html


def test_a_failed_email_is_reported_and_not_recorded(plan, people, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    real_send = EmailMultiAlternatives.send

    def send(message, *args, **kwargs):
        if message.to == [people["officer"].email]:
            raise OSError("Connection refused")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    result = reminders_send(plan["period"])
    assert [(recipient.username, error) for recipient, error in result.failed] == [("officer", "Connection refused")]
    assert {r.recipient.username for r in Reminder.objects.all()} == {"manager", "both"}


# The command ----------------------------------------------------------------------------------


def run(*args) -> str:
    out = StringIO()
    call_command("send_update_reminders", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_command_reminds_everyone_in_every_open_quarter(plan, people):
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


def test_a_dry_run_says_who_and_sends_nothing(plan, people):
    output = run("--dry-run", "--strategy", "workforce-2016-17")
    assert f"would email Olu Adeyemi <{people['officer'].email}> about 1: 1.1.4" in output
    assert output.count("would email") == 3
    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_the_command_refuses_an_unknown_strategy(plan):
    with pytest.raises(CommandError, match="nobody-here"):
        run("--strategy", "nobody-here")


def test_the_command_says_when_no_quarter_is_open(db):
    assert "No quarter is open" in run()


def test_links_start_with_the_site_url_setting(plan, people, settings):
    settings.SITE_URL = "https://tracker.example.gov.uk/"
    reminders_send(plan["period"])
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


def test_sending_from_the_page_records_who_sent_it_and_shows_it(client, planner, plan, people):
    client.force_login(planner)
    response = client.post(reminders_url(plan["period"]), follow=True)
    assert response.redirect_chain[-1][0].endswith("#reminders")
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
