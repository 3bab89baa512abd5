"""Benchmark the DMT dashboard, the action list and the PDF on large synthetic strategies.

For each size (1,000 and 10,000 actions by default) builds, in a throwaway test database, a
strategy of that many actions with 12 quarters of updates (`demo_data --actions N --quarters
12`), then reports the median server time of each page over several requests beside two
measures of the database's share: the dashboard's own SQL replayed bare, and one
hand-written aggregate query counting the headline by state (the least the database must do
for the report; on PostgreSQL also in the one-pass form, the faster there). The machine's
load average is printed beside the figures.

The dashboard is timed twice: as read (from the cache, as every read is until something is
written) and as built (the first read after a write; `dashboard.page_cache`).
"""

import os
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

from actions.models import Action
from outcomes.models import Strategy
from reporting import selectors
from reporting.models import ProgressUpdate, ReportingPeriod
from strategy_tracker import data_version


class Recorder:
    """Keeps every (sql, params) a request runs, to replay them as bare SQL."""

    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        self.queries.append((sql, params))
        return execute(sql, params, many, context)


def median_ms(run, repeat: int, clock=time.perf_counter, before=None) -> float:
    """The median time of `repeat` calls of `run`, each after `before` (not timed)."""
    timings = []
    for _ in range(repeat):
        if before:
            before()
        start = clock()
        run()
        timings.append((clock() - start) * 1000)
    return statistics.median(timings)


def _aggregate(earlier: str) -> str:
    """The strategy's actions counted by their state at the quarter's end, `earlier` being the
    join that finds each action's latest earlier update (as `earlier`, with its status)."""
    action, update = Action._meta.db_table, ProgressUpdate._meta.db_table
    closed = "('complete', 'cancelled')"
    return f"""
        SELECT status, rag, overdue, COUNT(*) FROM (
            SELECT status, rag,
                   (is_ongoing = FALSE AND due_date <= %s AND (status IS NULL OR status NOT IN {closed})) AS overdue
            FROM (
                SELECT a.is_ongoing, a.due_date,
                       COALESCE(u.status, CASE WHEN earlier.status IN {closed} THEN earlier.status END) AS status,
                       CASE WHEN u.status NOT IN {closed} THEN u.rag END AS rag
                FROM {action} a
                LEFT JOIN {update} u ON u.action_id = a.id AND u.period_id = %s
                {earlier}
                WHERE a.strategy_id = %s
            ) states
        ) counted
        GROUP BY status, rag, overdue
    """


def aggregate_sql() -> str:
    """One query: the strategy's actions counted by their state at the quarter's end.

    Written by hand as a yardstick (the product's rule is reporting.selectors.actions_as_at):
    this quarter's update, else the latest earlier update when it completed or cancelled the
    action; the RAG only while open; overdue when not ongoing, due by the quarter's end and
    not closed. Parameters, in order: quarter end, quarter id, quarter start, strategy id.
    """
    update, period = ProgressUpdate._meta.db_table, ReportingPeriod._meta.db_table
    return _aggregate(f"""LEFT JOIN {update} earlier ON earlier.id = (
                    SELECT e.id FROM {update} e JOIN {period} p ON p.id = e.period_id
                    WHERE e.action_id = a.id AND p.strategy_id = a.strategy_id AND p.start < %s
                    ORDER BY p.start DESC LIMIT 1
                )""")


def aggregate_sql_one_pass() -> str:
    """The same count with each action's latest earlier update found in one pass over the
    strategy's earlier updates (PostgreSQL's DISTINCT ON), not by a subquery an action: on
    PostgreSQL the faster form, as in the report's own query, and so the fairer yardstick there.
    Parameters, in order: quarter end, quarter id, quarter start, strategy id, strategy id.
    """
    action, update, period = Action._meta.db_table, ProgressUpdate._meta.db_table, ReportingPeriod._meta.db_table
    return _aggregate(f"""LEFT JOIN (
                    SELECT DISTINCT ON (e.action_id) e.action_id, e.status
                    FROM {update} e JOIN {period} p ON p.id = e.period_id
                    JOIN {action} ea ON ea.id = e.action_id AND ea.strategy_id = p.strategy_id
                    WHERE p.start < %s AND p.strategy_id = %s
                    ORDER BY e.action_id, p.start DESC
                ) earlier ON earlier.action_id = a.id""")


class Command(BaseCommand):
    help = "Time the dashboard, action list and PDF at 1,000 and 10,000 actions and 12 quarters."

    def add_arguments(self, parser):
        parser.add_argument("--actions", type=int, nargs="+", default=[1000, 10000])
        parser.add_argument("--quarters", type=int, default=12)
        parser.add_argument("--repeat", type=int, default=15)
        parser.add_argument("--pdf-repeat", type=int, default=3)

    def handle(self, *args, actions, quarters, repeat, pdf_repeat, **options):
        # Plain static storage: the benchmark needs no collectstatic run first.
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        for size in actions:
            old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            try:
                # No setup_test_environment(): its instrumented template rendering would be timed too.
                with override_settings(STORAGES=storages, DEBUG=False, ALLOWED_HOSTS=["testserver"]):
                    self.run(size, quarters, repeat, pdf_repeat)
            finally:
                connection.creation.destroy_test_db(old_name, verbosity=0)

    def run(self, actions: int, quarters: int, repeat: int, pdf_repeat: int) -> None:
        pdf_repeat = pdf_repeat if actions <= 1000 else 1
        # Each size from empty tables: SQLite's in-memory test database outlives destroy_test_db.
        call_command("flush", interactive=False, verbosity=0)
        started = time.perf_counter()
        call_command("demo_data", actions=actions, quarters=quarters, seed=1, verbosity=0)
        built = time.perf_counter() - started
        if connection.vendor == "postgresql":
            # Statistics for the planner, as autovacuum keeps them on a live database within a
            # minute of a load this size; without them PostgreSQL guesses, and badly.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        strategy = Strategy.objects.get(slug="synthetic-benchmark")
        period = list(selectors.periods_for_strategy(strategy))[-1]
        user = get_user_model().objects.create_user("bench", password="bench-password-only")
        client = Client()
        client.force_login(user)
        urls = {
            "dashboard": reverse("dashboard:quarter", args=[strategy.slug, period.slug]),
            "all strategies": reverse("dashboard:summary"),
            "action list": reverse("reporting:list") + f"?strategy={strategy.pk}",
            "PDF": reverse("dashboard:pdf", args=[strategy.slug, period.slug]),
        }

        def get(url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        for url in urls.values():  # warm up: templates, WeasyPrint's import, caches
            get(url)
        recorder = Recorder()
        data_version.changed()  # as after any write: the report is built, not read from the cache
        with connection.execute_wrapper(recorder):
            get(urls["dashboard"])

        # Its reads: keeping the page it built (a transaction writing the cache) is left out.
        reads = [(sql, params) for sql, params in recorder.queries if sql.lstrip()[:6].upper() == "SELECT"]

        def bare_sql():
            with connection.cursor() as cursor:
                for sql, params in reads:
                    cursor.execute(sql, params)
                    if cursor.description:
                        cursor.fetchall()

        aggregate = aggregate_sql()

        def aggregate_query():
            with connection.cursor() as cursor:
                cursor.execute(aggregate, [period.end, period.pk, period.start, strategy.pk])
                return cursor.fetchall()

        counted = sum(row[-1] for row in aggregate_query())
        assert counted == actions, (counted, actions)
        one_pass = aggregate_sql_one_pass() if connection.vendor == "postgresql" else None

        def aggregate_one_pass():
            with connection.cursor() as cursor:
                cursor.execute(one_pass, [period.end, period.pk, period.start, strategy.pk, strategy.pk])
                return cursor.fetchall()

        if one_pass:
            assert sorted(map(repr, aggregate_one_pass())) == sorted(map(repr, aggregate_query()))
        # The dashboard and the PDF are kept once made, until something is written
        # (`dashboard.page_cache`): each is timed as read from the cache and as made afresh
        # (the first read after a write).
        after_a_write = {"before": data_version.changed}
        results = {
            "dashboard": median_ms(lambda: get(urls["dashboard"]), repeat),
            "dashboard, built": median_ms(lambda: get(urls["dashboard"]), repeat, **after_a_write),
            "all strategies": median_ms(lambda: get(urls["all strategies"]), repeat),
            "action list": median_ms(lambda: get(urls["action list"]), repeat),
            "PDF, kept": median_ms(lambda: get(urls["PDF"]), repeat),
            "PDF, built": median_ms(lambda: get(urls["PDF"]), pdf_repeat, **after_a_write),
        }
        # Processor time is what a busy machine inflates least: the PDF is all computation, and
        # on SQLite the dashboard's queries run in this process too.
        results["dashboard built, CPU"] = median_ms(
            lambda: get(urls["dashboard"]), repeat, clock=time.process_time, **after_a_write
        )
        results["PDF built, CPU"] = median_ms(
            lambda: get(urls["PDF"]), pdf_repeat, clock=time.process_time, **after_a_write
        )
        results["dashboard bare SQL"] = median_ms(bare_sql, repeat)
        results["aggregate query"] = median_ms(aggregate_query, repeat)
        if one_pass:
            results["aggregate, one pass"] = median_ms(aggregate_one_pass, repeat)
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        self.stdout.write(
            f"{connection.vendor}: {actions:,} actions, {quarters} quarters, built in {built:.1f} s; "
            f"dashboard runs {len(recorder.queries)} queries; load average {load}"
        )
        if os.environ.get("BENCH_QUERIES"):
            for sql, params in recorder.queries:

                def replay(sql=sql, params=params):
                    with connection.cursor() as cursor:
                        cursor.execute(sql, params)  # psycopg2's execute() returns None, not the cursor
                        return cursor.fetchall()

                self.stdout.write(f"    {median_ms(replay, 3):7.1f} ms  {sql[:140]}")
        for name, value in results.items():
            self.stdout.write(f"  {name:<20} median {value:8.1f} ms")
        built_share = results["dashboard, built"] / results["dashboard bare SQL"]
        self.stdout.write(f"  dashboard, built / its bare SQL {built_share:.1f}x")
        for name in ("dashboard", "dashboard, built"):
            self.stdout.write(f"  {name} / aggregate query {results[name] / results['aggregate query']:.1f}x")
            if one_pass:
                self.stdout.write(
                    f"  {name} / aggregate, one pass {results[name] / results['aggregate, one pass']:.1f}x"
                )
