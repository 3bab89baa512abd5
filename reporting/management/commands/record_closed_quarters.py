"""`manage.py record_closed_quarters`: record each action's state in every closed quarter that
has none recorded, once, after upgrading to the release that records them at closing.

Quarters closed before that release read the plan as it stands, so an action added or a due
date moved since changes their reports; recorded, they stay as they are from then on. A
quarter already recorded is left exactly as it is; running the command again records nothing.
"""

from django.core.management.base import BaseCommand

from reporting.models import ReportingPeriod
from reporting.services import period_states_record


class Command(BaseCommand):
    help = "Record each action's state in every closed quarter that has none recorded."

    def handle(self, *args, **options):
        periods = list(
            ReportingPeriod.objects.filter(state=ReportingPeriod.State.CLOSED, states_recorded_at__isnull=True)
            .select_related("strategy")
            .order_by("strategy__title", "start")
        )
        for period in periods:
            period_states_record(period)
            self.stdout.write(
                f"Recorded {period.recorded_states.count():,} actions' states in {period.strategy}, {period}."
            )
        if not periods:
            self.stdout.write("Every closed quarter has its actions' states recorded: nothing to do.")
