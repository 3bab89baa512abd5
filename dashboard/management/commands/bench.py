"""Benchmark the DMT dashboard, the action list and the PDF on a large synthetic strategy.

Builds, in a throwaway test database, a strategy of 1,000 actions with 12 quarters of
updates (`demo_data --actions 1000 --quarters 12`), then reports the median server time of
each page over several requests beside the time of the bare SQL the dashboard runs.
"""

import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from outcomes.models import Strategy
from reporting import selectors


class Recorder:
    """Keeps every (sql, params) a request runs, to replay them as bare SQL."""

    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        self.queries.append((sql, params))
        return execute(sql, params, many, context)


def median_ms(run, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


class Command(BaseCommand):
    help = "Time the dashboard, action list and PDF at 1,000 actions and 12 quarters."

    def add_arguments(self, parser):
        parser.add_argument("--actions", type=int, default=1000)
        parser.add_argument("--quarters", type=int, default=12)
        parser.add_argument("--repeat", type=int, default=15)

    def handle(self, *args, actions, quarters, repeat, **options):
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        # Plain static storage: the benchmark needs no collectstatic run first.
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        try:
            # No setup_test_environment(): its instrumented template rendering would be timed too.
            with override_settings(STORAGES=storages, DEBUG=False, ALLOWED_HOSTS=["testserver"]):
                self.run(actions, quarters, repeat)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    def run(self, actions: int, quarters: int, repeat: int) -> None:
        started = time.perf_counter()
        call_command("demo_data", actions=actions, quarters=quarters, seed=1, verbosity=0)
        built = time.perf_counter() - started
        strategy = Strategy.objects.get(slug="synthetic-benchmark")
        period = list(selectors.periods_for_strategy(strategy))[-1]
        user = get_user_model().objects.create_user("bench", password="bench-password-only")
        client = Client()
        client.force_login(user)
        urls = {
            "dashboard": reverse("dashboard:quarter", args=[strategy.slug, period.slug]),
            "action list": reverse("reporting:list") + f"?strategy={strategy.pk}",
            "PDF": reverse("dashboard:pdf", args=[strategy.slug, period.slug]),
        }

        def get(url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        for url in urls.values():  # warm up: templates, WeasyPrint's import, caches
            get(url)
        recorder = Recorder()
        with connection.execute_wrapper(recorder):
            get(urls["dashboard"])

        def bare_sql():
            with connection.cursor() as cursor:
                for sql, params in recorder.queries:
                    cursor.execute(sql, params)
                    if cursor.description:
                        cursor.fetchall()

        results = {
            name: median_ms(lambda url=url: get(url), repeat if name != "PDF" else max(3, repeat // 3))
            for name, url in urls.items()
        }
        results["dashboard bare SQL"] = median_ms(bare_sql, repeat)
        self.stdout.write(
            f"{connection.vendor}: {actions} actions, {quarters} quarters, built in {built:.1f} s; "
            f"dashboard runs {len(recorder.queries)} queries"
        )
        for name, value in results.items():
            self.stdout.write(f"  {name:<20} median {value:8.1f} ms")
        ratio = results["dashboard"] / results["dashboard bare SQL"]
        self.stdout.write(f"  dashboard / bare SQL  {ratio:.1f}x")
