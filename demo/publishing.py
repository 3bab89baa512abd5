"""The demo's published reports: Leicestershire's Q1 to Q3 2016/17 signed off by the demo's
DMT member and published by its planner, so that a newcomer finds the public pages filled
at once (/published/). Through the services, as a planner would, dated as if done in the
weeks after each quarter. A quarter already published is left as it was: what is published
never changes.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from outcomes.models import Strategy
from publishing.models import Publication
from publishing.services import report_publish
from reporting.models import ReportingPeriod
from reporting.services import period_sign_off
from workforce.quarters import Quarter

PUBLISHED_STRATEGY = "leicestershire-cfs-2016-17"
# Q3 is the one the public pages open on; the two before it give its trend.
PUBLISHED_QUARTERS = (Quarter(2016, 1), Quarter(2016, 2), Quarter(2016, 3))
DEMO_PLANNER, DEMO_DMT = "planner", "dmt"
SIGNED_OFF_AFTER = timedelta(days=25)  # DMT meets some three weeks after the quarter ends
PUBLISHED_AFTER = timedelta(days=7)  # and the report is published a week later


@dataclass
class Published:
    strategy: Strategy
    labels: list[str]
    approver: str


def demo_publish(strategies: list[Strategy]) -> Published | None:
    """Sign off and publish the demo strategy's quarters not yet published, if it is among
    `strategies`; None when it is not, or the demo users (`demo_data --users`) are missing."""
    strategy = next((s for s in strategies if s.slug == PUBLISHED_STRATEGY), None)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[DEMO_PLANNER, DEMO_DMT])}
    if strategy is None or len(users) < 2:
        return None
    planner, approver = users[DEMO_PLANNER], users[DEMO_DMT]
    published = Published(strategy, [], approver.get_full_name())
    for quarter in PUBLISHED_QUARTERS:
        period = ReportingPeriod.objects.filter(
            strategy=strategy, year=quarter.year, number=quarter.number, state=ReportingPeriod.State.CLOSED
        ).first()
        if period is None:
            continue
        published.labels.append(period.label)
        if Publication.objects.filter(period=period).exists():
            continue
        approved_on = period.signed_off_on or period.end + SIGNED_OFF_AFTER
        if not period.is_signed_off:
            period = period_sign_off(period=period, user=planner, approver=approver, approved_on=approved_on)
        at = timezone.make_aware(datetime.combine(approved_on + PUBLISHED_AFTER, time(10, 0)))
        report_publish(period=period, user=planner, published_at=at)
    return published
