"""`selectors.overdue_as_at`, the overdue rule for values already read (the demo asks it), says
what `actions_as_at` says of every kind of action."""

import datetime

import pytest

from reporting import selectors
from reporting.models import Status
from tests import factories

pytestmark = pytest.mark.django_db

# due date, ongoing, this quarter's update status (None: no update), overdue at Q3 2016/17's end
CASES = [
    (datetime.date(2016, 12, 31), False, Status.IN_PROGRESS, True),  # due on the quarter's last day
    (datetime.date(2017, 1, 1), False, Status.IN_PROGRESS, False),  # due the day after
    (datetime.date(2016, 4, 30), False, None, True),  # past due with no update
    (datetime.date(2016, 4, 30), False, Status.ON_HOLD, True),
    (datetime.date(2016, 4, 30), False, Status.COMPLETE, False),
    (datetime.date(2016, 4, 30), False, Status.CANCELLED, False),
    (datetime.date(2016, 4, 30), True, Status.IN_PROGRESS, False),  # ongoing: never overdue
    (None, False, None, False),  # no due date
]


def test_overdue_as_at_agrees_with_actions_as_at():
    period = factories.ReportingPeriodFactory(year=2016, number=3)
    recommendation = factories.RecommendationFactory(outcome__strategy=period.strategy)
    expected = {}
    for due_date, ongoing, status, overdue in CASES:
        action = factories.ActionFactory(recommendation=recommendation, due_date=due_date, is_ongoing=ongoing)
        if status == Status.COMPLETE:
            factories.ProgressUpdateFactory(
                action=action, period=period, status=status, rag="", completed_on=datetime.date(2016, 11, 1)
            )
        elif status:
            factories.ProgressUpdateFactory(action=action, period=period, status=status)
        expected[action.pk] = overdue
    read = {action.pk: action for action in selectors.actions_as_at([period])}
    assert {pk: action.is_overdue for pk, action in read.items()} == expected
    for pk, action in read.items():
        said = selectors.overdue_as_at(
            is_ongoing=action.is_ongoing, due_date=action.due_date, status=action.status_as_at, day=period.end
        )
        assert said == expected[pk], f"{action.reference}: overdue_as_at says {said}, actions_as_at {expected[pk]}"
