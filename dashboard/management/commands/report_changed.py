"""Tell the report cache that the data has changed, after changing the database by hand.

Every write the application makes says so (`strategy_tracker.data_version`); SQL typed into
the database directly does not, and what was kept before it (report pages, PDFs,
spreadsheets, trend counts) would be served for up to ten minutes. This makes each be built
again on its next read.
"""

from django.core.management.base import BaseCommand

from dashboard import page_cache


class Command(BaseCommand):
    help = "Build every kept report page, download and trend count again (after changing the database by hand)."

    def handle(self, *args, **options):
        page_cache.hand_edited()
        self.stdout.write("Every report page will be built again on its next read.")
