"""The demo's open quarter is years old, but its deadline reads sensibly for today: due in
ten days, not "overdue by 3,521 days"; a quarter that has not ended yet keeps its own."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from demo.progress import open_deadline
from reporting.models import ReportingPeriod
from tests import factories
from workforce.quarters import Quarter

pytestmark = pytest.mark.django_db


def test_an_old_open_quarters_deadline_is_ten_days_from_today():
    today = datetime.date(2026, 12, 7)
    assert open_deadline(Quarter(2016, 4), today) == datetime.date(2026, 12, 17)


def test_a_quarter_not_yet_ended_keeps_ten_days_after_its_end():
    today = datetime.date(2026, 12, 7)
    assert open_deadline(Quarter(2026, 3), today) == datetime.date(2027, 1, 10)


def test_the_demos_returns_page_says_its_quarter_is_due_in_ten_days(client, planner):
    strategy = factories.StrategyFactory(
        slug="demo-2016-17",
        period_label="2016/17",
        period_start=datetime.date(2016, 4, 1),
        period_end=datetime.date(2017, 3, 31),
    )
    factories.ActionFactory(recommendation__outcome__strategy=strategy, reference="1.1.1")
    call_command("demo_data", stdout=StringIO())

    period = ReportingPeriod.objects.get(strategy=strategy, state=ReportingPeriod.State.OPEN)
    assert period.update_deadline == timezone.localdate() + datetime.timedelta(days=10)
    client.force_login(planner)
    html = client.get(reverse("reporting:returns", args=[strategy.slug, period.slug])).content.decode()
    assert f"{period.update_deadline:%-d %B %Y}: due in 10 days" in html
    assert "overdue" not in html.lower()
