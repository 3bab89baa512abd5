"""`manage.py send_update_reminders`: remind everyone who still has actions to update in
each strategy's open quarter, for a scheduled job.

    manage.py send_update_reminders                     # every open quarter
    manage.py send_update_reminders --strategy leicestershire-cfs-2016-17
    manage.py send_update_reminders --dry-run           # say who would be emailed; send nothing
    manage.py send_update_reminders --force             # also those reminded in the last 3 days

Links in the emails start with the `SITE_URL` setting.
"""

from django.core.management.base import BaseCommand, CommandError

from outcomes.models import Strategy
from reporting.models import ReportingPeriod
from reporting.reminders import REMIND_AGAIN_AFTER, reminders_plan, reminders_send
from workforce.roles import SCHEDULED_JOB


class Command(BaseCommand):
    help = "Email each person who still has actions to update in their strategy's open quarter."

    def add_arguments(self, parser):
        parser.add_argument("--strategy", metavar="SLUG", help="Only this strategy (its short name).")
        parser.add_argument(
            "--force",
            action="store_true",
            help=f"Also remind people already reminded in the last {REMIND_AGAIN_AFTER.days} days.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Say who would be emailed, and send nothing.")

    def handle(self, *args, strategy=None, force=False, dry_run=False, **options):
        periods = ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN).select_related("strategy")
        if strategy:
            if not Strategy.objects.filter(slug=strategy).exists():
                raise CommandError(f'No strategy has the short name "{strategy}".')
            periods = periods.filter(strategy__slug=strategy)
        periods = list(periods.order_by("strategy__title"))
        if not periods:
            self.stdout.write("No quarter is open for updates: nobody to remind.")
            return
        failures = 0
        for period in periods:
            self.stdout.write(f"{period.label} of {period.strategy.title}:")
            if dry_run:
                plans = reminders_plan(period, force=force)
                for plan in plans:
                    self.stdout.write(f"  would email {self._describe(plan)}")
            else:
                result = reminders_send(period, user=SCHEDULED_JOB, force=force)
                plans = result.sent
                for plan in plans:
                    self.stdout.write(f"  emailed {self._describe(plan)}")
                for recipient, error in result.failed:
                    failures += 1
                    self.stderr.write(f"  could not email {recipient.email}: {error}")
            if not plans:
                self.stdout.write("  nobody to remind")
        if failures:
            raise CommandError(f"{failures} reminder{'s' if failures != 1 else ''} could not be sent.")

    @staticmethod
    def _describe(plan) -> str:
        references = ", ".join(action.reference for action in plan.actions)
        return f"{plan.name} <{plan.recipient.email}> about {len(plan.actions)}: {references}"
