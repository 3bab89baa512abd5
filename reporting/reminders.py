"""Reminders: one email to each person who leads an action still missing its update in a
quarter, listing exactly those actions. Nobody is reminded about a quarter twice within
`REMIND_AGAIN_AFTER` unless forced. Used by the returns page and `send_update_reminders`.

Each reminder is recorded (sending) in a short transaction that locks the quarter, so two
senders at once never email the same person; the emails go after that commit, outside any
lock, so a slow mail server (`EMAIL_TIMEOUT`) holds up no manager's save. Each reminder is
then marked sent, or failed with what went wrong, and a failed one can be sent again.
"""

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from reporting import selectors
from reporting.models import Reminder, ReportingPeriod
from reporting.returns import NobodyToEmail, nobody_to_email, people_who_can_update, team_members
from workforce.people import person_name
from workforce.roles import planner_required, recorded_user

logger = logging.getLogger(__name__)

REMIND_AGAIN_AFTER = timedelta(days=3)
# A reminder that counts as reminding its person: being sent, or sent. A failed one does not.
REMINDED = [Reminder.State.SENDING, Reminder.State.SENT]


@dataclass
class PlannedReminder:
    """Who would be emailed, about which actions, and when they were last reminded about the
    quarter if that was within `REMIND_AGAIN_AFTER` (they are then left out unless forced)."""

    recipient: User
    actions: list[Action]
    reminded_recently_at: datetime | None = None
    reminder: Reminder | None = None  # the record, once sent

    @property
    def name(self) -> str:
        return person_name(self.recipient)


@dataclass
class RemindersSent:
    """What a send did. Filled once the emails have gone: at once, when the send is not inside
    a caller's transaction; else when that transaction commits."""

    sent: list[PlannedReminder] = field(default_factory=list)
    failed: list[tuple[object, str]] = field(default_factory=list)  # (recipient, what went wrong)
    nobody: list[NobodyToEmail] = field(default_factory=list)  # missing actions nobody could be emailed about


# Where each mail backend puts the emails, in the demo's words (`demo_emails_words`).
EMAIL_DESTINATIONS = {
    "django.core.mail.backends.console.EmailBackend": "written to the server's console (the terminal it runs in)",
    "django.core.mail.backends.locmem.EmailBackend": "kept in the server's memory",
    "django.core.mail.backends.filebased.EmailBackend": "written as files on the server",
    "django.core.mail.backends.dummy.EmailBackend": "thrown away",
}


def demo_emails_words() -> str:
    """On the demo only (`settings.DEMO`, set by settings_demo), where its emails go, for the
    reminders pages: "This is the demo: emails are written to the server's console, not
    sent." Empty in production, whose emails go where its administrators set them."""
    if not getattr(settings, "DEMO", False):
        return ""
    where = EMAIL_DESTINATIONS.get(settings.EMAIL_BACKEND)
    if where is None:
        return f"This is the demo: emails are sent by {settings.EMAIL_BACKEND} through {settings.EMAIL_HOST}."
    return f"This is the demo: emails are {where}, not sent to anyone."


def site_url() -> str:
    """Where links in emails point when no request says: the `SITE_URL` setting."""
    return settings.SITE_URL.rstrip("/")


def missing_actions(period: ReportingPeriod) -> list[Action]:
    """The period's strategy's actions with no update as at the period (the selectors' one
    definition), with their lead teams and lead officer: two queries."""
    queryset = (
        Action.objects.filter(strategy_id=period.strategy_id)
        .select_related("lead_officer_user")
        .prefetch_related("lead_teams")
        .order_by("order", "reference")
    )
    return list(selectors.filter_needs_update(selectors.actions_as_at([period], queryset), True))


def reminders_plan(
    period: ReportingPeriod, *, force: bool = False, now: datetime | None = None
) -> list[PlannedReminder]:
    """One planned email per person who can update at least one missing action of the
    quarter (active, with an email address), listing exactly their missing actions, in name
    order. Those reminded about the quarter within `REMIND_AGAIN_AFTER` are left out unless
    `force`. A closed quarter needs no reminders. Four queries."""
    return reminders_overview(period, force=force, now=now)[0]


def reminders_overview(
    period: ReportingPeriod, *, force: bool = False, now: datetime | None = None
) -> tuple[list[PlannedReminder], list[NobodyToEmail]]:
    """`reminders_plan`, and the quarter's missing actions that nobody can be emailed about,
    with why and where to fix it: together, every missing action. Four queries."""
    if not period.is_open:
        return [], []
    now = now or timezone.now()
    actions = missing_actions(period)
    members = team_members(team.pk for action in actions for team in action.lead_teams.all())
    people = people_who_can_update(actions, members)
    plans: dict[int, PlannedReminder] = {}
    for action in actions:
        for person in people[action.pk]:
            if person.email:
                plans.setdefault(person.pk, PlannedReminder(recipient=person, actions=[])).actions.append(action)
    recent = _recent_reminders(period, list(plans), now).order_by("sent_at").values_list("recipient_id", "sent_at")
    for recipient_id, sent_at in recent:
        plans[recipient_id].reminded_recently_at = sent_at
    chosen = sorted(
        (plan for plan in plans.values() if force or plan.reminded_recently_at is None),
        key=lambda plan: (plan.name.lower(), plan.recipient.pk),
    )
    return chosen, nobody_to_email(actions, members)


def reminder_subject(period: ReportingPeriod, count: int) -> str:
    """E.g. "Strategy Tracker: 3 actions need your update for Q3 2016/17 by 14 January 2017"."""
    what = "1 action needs" if count == 1 else f"{count} actions need"
    by = f" by {period.update_deadline:%-d %B %Y}" if period.update_deadline else ""
    return f"Strategy Tracker: {what} your update for {period.label}{by}"


def reminder_message(plan: PlannedReminder, period: ReportingPeriod, *, base_url: str, sent_by=None):
    """The email for one planned reminder: plain text with an HTML alternative."""
    context = {
        "name": plan.name,
        "period": period,
        "strategy": period.strategy,
        "actions": [
            {
                "reference": a.reference,
                "description": a.description,
                "url": base_url + reverse("reporting:detail", args=[a.pk]),
            }
            for a in plan.actions
        ],
        "sent_by": person_name(sent_by),
    }
    message = EmailMultiAlternatives(
        subject=reminder_subject(period, len(plan.actions)),
        body=render_to_string("reporting/email/reminder.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[plan.recipient.email],
        reply_to=[sent_by.email] if sent_by is not None and sent_by.email else None,
    )
    message.attach_alternative(render_to_string("reporting/email/reminder.html", context), "text/html")
    return message


def reminders_send(period: ReportingPeriod, *, user, force: bool = False, base_url: str | None = None) -> RemindersSent:
    """Email everyone `reminders_plan` names, as a planner or the scheduled job, recording a
    `Reminder` for each.

    Each reminder is recorded in its own short transaction that locks the quarter and checks
    that nobody else reminded the person meanwhile (since this send started, when forced),
    so two senders at once never email the same person. The emails go after those commit,
    outside the lock, on one connection; a failed one is recorded on its reminder and
    reported without stopping the rest. `base_url` starts the links (the request's own
    address on the returns page); without it, the `SITE_URL` setting. Refuses
    (PermissionDenied) anyone else, and (ValidationError) a closed quarter.
    """
    planner_required(user, "send reminders", scheduled=True)
    if not period.is_open:
        raise ValidationError(f"{period} is closed: nobody needs reminding.", code="closed")
    base_url = (base_url or site_url()).rstrip("/")
    sent_by = recorded_user(user)
    started = timezone.now()
    claimed = []
    plans, nobody = reminders_overview(period, force=force, now=started)
    for plan in plans:
        reminder = _claim(period, plan.recipient, plan.actions, sent_by=sent_by, since=started if force else None)
        if reminder is _CLOSED:
            break
        if reminder is not None:
            plan.reminder = reminder
            claimed.append(plan)
    result = RemindersSent(nobody=nobody)
    # After the records commit: at once, unless a caller's transaction is still open.
    transaction.on_commit(lambda: _deliver(claimed, period, base_url=base_url, sent_by=sent_by, result=result))
    return result


def reminder_resend(*, reminder: Reminder, user, base_url: str | None = None) -> RemindersSent:
    """Send a failed reminder again, as a planner, listing those of its actions that still
    have no update in the quarter; the reminder is marked sent or failed afresh.

    Refuses (PermissionDenied) anyone else; (ValidationError) a reminder that did not fail,
    a closed quarter, or one whose actions have all been updated since.
    """
    planner_required(user, "send reminders")
    period = ReportingPeriod.objects.select_related("strategy").get(pk=reminder.period_id)
    if not period.is_open:
        raise ValidationError(f"{period} is closed: nobody needs reminding.", code="closed")
    listed = set(reminder.actions.values_list("pk", flat=True))
    actions = [action for action in missing_actions(period) if action.pk in listed]
    recipient = reminder.recipient
    if not recipient.is_active or not recipient.email:
        raise ValidationError(
            f"{person_name(recipient)} cannot be reminded: their account is deactivated or has no email address.",
            code="unreachable",
        )
    if not actions:
        raise ValidationError(
            f"{person_name(recipient)} has updated every action the reminder listed: nothing to send again.",
            code="nothing_missing",
        )
    plan = PlannedReminder(recipient=recipient, actions=actions)
    sent_by = recorded_user(user)
    claimed = _claim(period, recipient, actions, sent_by=sent_by, since=None, failed=reminder)
    if claimed is _CLOSED:
        raise ValidationError(f"{period} is closed: nobody needs reminding.", code="closed")
    if claimed is None:
        raise ValidationError(
            f"The reminder to {person_name(recipient)} is not one that failed: it was sent, or is being sent again.",
            code="not_failed",
        )
    plan.reminder = claimed
    result = RemindersSent()
    base_url = (base_url or site_url()).rstrip("/")
    transaction.on_commit(lambda: _deliver([plan], period, base_url=base_url, sent_by=sent_by, result=result))
    return result


_CLOSED = object()  # what `_claim` gives when the quarter closed meanwhile


def _claim(period, recipient, actions, *, sent_by, since: datetime | None, failed: Reminder | None = None):
    """Record a reminder (sending) to `recipient` about `actions`, in a transaction that locks
    the quarter: None if someone else reminded them meanwhile (within `REMIND_AGAIN_AFTER`,
    or since `since` when given); with `failed`, that failed reminder claimed again, None
    unless it is still failed. `_CLOSED` if the quarter closed meanwhile."""
    with transaction.atomic():
        # The lock is a write, first thing: a row lock on PostgreSQL as SELECT ... FOR UPDATE
        # takes, and the database's write lock at once on SQLite, so a second sender waits
        # for this short transaction (the busy timeout) instead of failing with "database is
        # locked" when it writes after reading, as a transaction that starts with a read does.
        if not ReportingPeriod.objects.filter(pk=period.pk, state=ReportingPeriod.State.OPEN).update(
            state=ReportingPeriod.State.OPEN
        ):
            return _CLOSED
        now = timezone.now()
        if failed is not None:
            claimed = Reminder.objects.filter(pk=failed.pk, state=Reminder.State.FAILED).update(
                state=Reminder.State.SENDING, send_error="", sent_at=now, sent_by=sent_by
            )
            if not claimed:
                return None
            reminder = Reminder.objects.get(pk=failed.pk)
        else:
            recent = _recent_reminders(period, [recipient.pk], now)
            if since is not None:
                recent = recent.filter(sent_at__gte=since)
            if recent.exists():
                return None  # someone else's send got there first
            reminder = Reminder.objects.create(
                period=period, recipient=recipient, sent_by=sent_by, state=Reminder.State.SENDING
            )
        reminder.actions.set(actions)
    return reminder


def _deliver(plans: list[PlannedReminder], period: ReportingPeriod, *, base_url: str, sent_by, result) -> None:
    """Send the claimed reminders' emails on one connection, outside any transaction, and
    mark each sent or failed (one short write each). Whatever the mail server says is
    recorded and reported; nothing is raised."""
    if not plans:
        return
    connection = get_connection()
    try:
        connection.open()
    except Exception as error:  # the server cannot be reached: every reminder failed
        for plan in plans:
            _failed(plan, period, error, result)
        return
    try:
        for plan in plans:
            message = reminder_message(plan, period, base_url=base_url, sent_by=sent_by)
            message.connection = connection
            try:
                message.send()
            except Exception as error:  # report it, carry on with the rest
                _failed(plan, period, error, result)
            else:
                assert plan.reminder is not None  # recorded before any is sent
                Reminder.objects.filter(pk=plan.reminder.pk).update(state=Reminder.State.SENT)
                plan.reminder.state = Reminder.State.SENT
                result.sent.append(plan)
    finally:
        try:
            connection.close()
        except Exception:  # the emails have gone or are recorded as failed: nothing to undo
            logger.exception("Closing the mail connection after the reminders for %s failed", period)


def _failed(plan: PlannedReminder, period: ReportingPeriod, error: Exception, result: RemindersSent) -> None:
    logger.error("Reminder to %s for %s not sent", plan.recipient, period, exc_info=error)
    words = error_words(error)[: Reminder._meta.get_field("send_error").max_length]
    assert plan.reminder is not None  # recorded before any is sent
    Reminder.objects.filter(pk=plan.reminder.pk).update(state=Reminder.State.FAILED, send_error=words)
    plan.reminder.state, plan.reminder.send_error = Reminder.State.FAILED, words
    result.failed.append((plan.recipient, words))


def error_words(error: Exception) -> str:
    """What went wrong with an email, in words for the returns page: the mail server's own
    reply where it gave one ("manager@example.gov.uk refused: 550 Mailbox unavailable")."""

    def text(reply) -> str:
        return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)

    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{to} refused: {code} {text(reply)}" for to, (code, reply) in error.recipients.items())
    if isinstance(error, smtplib.SMTPResponseException):
        return f"The mail server said: {error.smtp_code} {text(error.smtp_error)}"
    return str(error) or error.__class__.__name__


def _recent_reminders(period: ReportingPeriod, recipient_ids: list[int], now: datetime):
    """The reminders about the quarter that reminded these people (sent, or being sent)
    within `REMIND_AGAIN_AFTER`; a failed one reminded nobody."""
    return Reminder.objects.filter(
        period=period, recipient_id__in=recipient_ids, sent_at__gt=now - REMIND_AGAIN_AFTER, state__in=REMINDED
    )
