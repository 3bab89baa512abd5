"""Reminders: one email to each person who leads an action still missing its update in a
quarter, listing exactly those actions. Nobody is reminded about a quarter twice within
`REMIND_AGAIN_AFTER` unless forced. Used by the returns page and `send_update_reminders`."""

import logging
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
from reporting.returns import people_who_can_update, person_name

logger = logging.getLogger(__name__)

REMIND_AGAIN_AFTER = timedelta(days=3)


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
    sent: list[PlannedReminder] = field(default_factory=list)
    failed: list[tuple[object, str]] = field(default_factory=list)  # (recipient, what went wrong)


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
    if not period.is_open:
        return []
    now = now or timezone.now()
    actions = missing_actions(period)
    people = people_who_can_update(actions)
    plans: dict[int, PlannedReminder] = {}
    for action in actions:
        for person in people[action.pk]:
            if person.email:
                plans.setdefault(person.pk, PlannedReminder(recipient=person, actions=[])).actions.append(action)
    recent = _recent_reminders(period, list(plans), now).order_by("sent_at").values_list("recipient_id", "sent_at")
    for recipient_id, sent_at in recent:
        plans[recipient_id].reminded_recently_at = sent_at
    return sorted(
        (plan for plan in plans.values() if force or plan.reminded_recently_at is None),
        key=lambda plan: (plan.name.lower(), plan.recipient.pk),
    )


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
        "sent_by": person_name(sent_by) if sent_by is not None else "",
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


def reminders_send(
    period: ReportingPeriod, *, sent_by=None, force: bool = False, base_url: str | None = None
) -> RemindersSent:
    """Email everyone `reminders_plan` names and record a `Reminder` for each email sent.

    Each email is sent inside its own transaction that locks the quarter and records the
    reminder, so a reminder is recorded exactly when its email went, two senders at once
    cannot email the same person twice, and a failed email is reported without stopping the
    rest. `base_url` starts the links (the request's own address on the returns page);
    without it, the `SITE_URL` setting. Refuses (ValidationError) a closed quarter.
    """
    if not period.is_open:
        raise ValidationError(f"{period} is closed: nobody needs reminding.", code="closed")
    base_url = (base_url or site_url()).rstrip("/")
    result = RemindersSent()
    with get_connection() as connection:
        for plan in reminders_plan(period, force=force):
            try:
                with transaction.atomic():
                    locked = ReportingPeriod.objects.select_for_update().select_related("strategy").get(pk=period.pk)
                    if not locked.is_open:
                        break
                    if not force and _recent_reminders(locked, [plan.recipient.pk], timezone.now()).exists():
                        continue  # someone else's send got there first
                    reminder = Reminder.objects.create(period=locked, recipient=plan.recipient, sent_by=sent_by)
                    reminder.actions.set(plan.actions)
                    message = reminder_message(plan, locked, base_url=base_url, sent_by=sent_by)
                    message.connection = connection
                    message.send()
            except Exception as error:  # whatever the mail server says: report it, carry on with the rest
                logger.exception("Reminder to %s for %s not sent", plan.recipient, period)
                result.failed.append((plan.recipient, str(error) or error.__class__.__name__))
            else:
                plan.reminder = reminder
                result.sent.append(plan)
    return result


def _recent_reminders(period: ReportingPeriod, recipient_ids: list[int], now: datetime):
    """The reminders about the quarter sent to these people within `REMIND_AGAIN_AFTER`."""
    return Reminder.objects.filter(period=period, recipient_id__in=recipient_ids, sent_at__gt=now - REMIND_AGAIN_AFTER)
