"""Run as `python -m tests.reporting.sqlite_processes STEP` against the SQLite database named
by DATABASE_URL, to try the reminders from several processes at once, as a server's workers
and the scheduled job do:

- `setup`: migrate, then a quarter open with four managers, each missing one action.
- `send`: send the quarter's reminders (as the scheduled job); prints what was sent and failed.
- `save`: once a slow send has started (SLOW_MAIL_LOG.started), a manager saves an update;
  prints how long it took, or the error.
"""

import json
import os
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_tracker.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from reporting.models import ReportingPeriod, Status  # noqa: E402
from reporting.reminders import reminders_send  # noqa: E402
from reporting.services import progress_update_record  # noqa: E402
from tests import factories  # noqa: E402
from workforce.roles import MANAGER, SCHEDULED_JOB  # noqa: E402

PEOPLE = 4


def setup() -> None:
    call_command("migrate", verbosity=0)
    period = factories.ReportingPeriodFactory(year=2016, number=3)
    for number in range(1, PEOPLE + 1):
        team = factories.TeamFactory(name=f"Team {number}")
        factories.UserFactory(username=f"manager{number}", groups=[MANAGER], teams=[team])
        factories.ActionFactory(
            recommendation__outcome__strategy=period.strategy, reference=f"1.1.{number}", lead_teams=[team]
        )


def send() -> None:
    result = reminders_send(ReportingPeriod.objects.select_related("strategy").get(), user=SCHEDULED_JOB)
    print(json.dumps({"sent": [p.recipient.email for p in result.sent], "failed": [e for _, e in result.failed]}))


def save() -> None:
    started = Path(f"{os.environ['SLOW_MAIL_LOG']}.started")
    deadline = time.monotonic() + 30
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    from django.contrib.auth import get_user_model

    from actions.models import Action

    manager = get_user_model().objects.get(username="manager1")
    action = Action.objects.get(reference="1.1.1")
    began = time.monotonic()
    try:
        progress_update_record(
            action=action, period=ReportingPeriod.objects.get(), user=manager, status=Status.IN_PROGRESS, rag="green"
        )
    except Exception as error:
        print(json.dumps({"error": str(error)}))
    else:
        print(json.dumps({"seconds": time.monotonic() - began}))


if __name__ == "__main__":
    {"setup": setup, "send": send, "save": save}[sys.argv[1]]()
