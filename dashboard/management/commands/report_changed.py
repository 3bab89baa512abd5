"""Tell the report cache that the data has changed, after changing the database by hand.

Every write the application makes is seen (`dashboard.page_cache`); SQL typed into the
database directly is not, and the report pages kept before it would be served for up to
ten minutes. This makes every kept page be built again on its next read.
"""

from django.core.management.base import BaseCommand

from dashboard import page_cache


class Command(BaseCommand):
    help = "Build every report page again on its next read (after changing the database by hand)."

    def handle(self, *args, **options):
        page_cache.new_version()
        self.stdout.write("Every report page will be built again on its next read.")
