"""What the publishing tests share: a quarter closed and signed off, ready to publish.

The dashboard tests' timeline (tests/dashboard/conftest.py) has Q1 and Q2 2016/17 closed and
Q3 open; `ready` closes Q3 through the service (recording its states, as a planner does)
and records its sign-off by a DMT member."""

import datetime

import pytest

from reporting import services as reporting_services
from tests import factories
from workforce.roles import DMT

APPROVED_ON = datetime.date(2017, 1, 25)


@pytest.fixture
def approver(db):
    return factories.UserFactory(username="margaret", first_name="Margaret", last_name="Ellis", groups=[DMT])


@pytest.fixture
def ready(timeline, planner, approver, django_capture_on_commit_callbacks):
    """The timeline with Q3 closed and signed off: {..., "period": Q3}."""
    q3 = timeline["q3"]
    with django_capture_on_commit_callbacks(execute=True):
        reporting_services.period_close(period=q3, user=planner)
        reporting_services.period_sign_off(period=q3, user=planner, approver=approver, approved_on=APPROVED_ON)
    q3.refresh_from_db()
    return {**timeline, "period": q3}
