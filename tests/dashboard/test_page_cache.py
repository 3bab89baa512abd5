"""The report on screen is kept once built, and never served after anything it shows has changed.

Each test reads Q3 of the timeline (conftest), changes something the way the product or a
person might, and reads it again: the second read must show the change. Reading again with
nothing written must not build the report again.
"""

import datetime
import io
import logging

import openpyxl
import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.core.signals import request_finished
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from actions.models import Action
from dashboard import page_cache, views
from reporting import services
from tests.admin_forms import form_data
from workforce.models import Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch):
    """How many times the report was built."""
    calls = []
    real = views._report

    def counted(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(views, "_report", counted)
    return calls


def read(client, timeline) -> str:
    url = reverse("dashboard:quarter", args=[timeline["strategy"].slug, timeline["q3"].slug])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def main(page: str) -> str:
    """The page's content: not the header, whose sign-out form has each reader's own token."""
    return page[page.index("<main") : page.index("</main>")]


@pytest.mark.parametrize(
    "sql, writes",
    [
        ('SELECT "actions_action"."id" FROM "actions_action"', False),
        ('  select count(*) from "reporting_progressupdate"', False),
        ('(SELECT "id" FROM "actions_action") UNION ALL (SELECT "id" FROM "actions_action")', False),
        ('SAVEPOINT "s1_x1"', False),
        ('RELEASE SAVEPOINT "s1_x1"', False),
        ("BEGIN", False),
        ('INSERT INTO "reporting_progressupdate" ("action_id") VALUES (%s)', True),
        ('UPDATE "actions_action" SET "description" = %s', True),
        ('DELETE FROM "outcomes_outcome" WHERE "id" IN (%s)', True),
        ('UPDATE "auth_user" SET "last_name" = %s', True),
        ("CREATE TABLE x (id integer)", True),  # not known: counted as a write
        ('TRUNCATE "actions_action"', True),
        ('INSERT INTO "strategy_tracker_cache" (cache_key) VALUES (%s)', False),
        ('UPDATE "django_session" SET "session_data" = %s', False),
        ('INSERT INTO "axes_accessattempt" ("username") VALUES (%s)', False),
    ],
)
def test_what_counts_as_a_write(sql, writes):
    assert page_cache.is_write(sql) is writes


def test_a_second_read_with_nothing_written_is_not_built_again(client, dmt, timeline, builds):
    client.force_login(dmt)
    first = read(client, timeline)
    second = read(client, timeline)
    assert len(builds) == 1
    assert main(second) == main(first)


@pytest.mark.parametrize(
    "change, shown",
    [
        pytest.param(
            lambda t, planner: services.key_messages_set(
                period=t["q3"], user=planner, key_messages="Recruitment is ahead of plan.", strategic_lead="Jo Bloggs"
            ),
            "Recruitment is ahead of plan.",
            id="key messages, through the service",
        ),
        pytest.param(
            lambda t, planner: services.progress_update_record(
                action=t["actions"]["C"],
                period=t["q3"],
                user=planner,
                status="in_progress",
                rag="red",
                progress="C has stalled",
                help_needed="DMT to unblock C",
            ),
            "DMT to unblock C",
            id="a manager's update, through the service",
        ),
        pytest.param(
            lambda t, planner: Action.objects.filter(pk=t["actions"]["A"].pk).update(description="Action A, reworded"),
            "Action A, reworded",
            id="a bulk update, which sends no signal",
        ),
        pytest.param(
            lambda t, planner: connection.cursor().execute(
                f'UPDATE "{Action._meta.db_table}" SET "description" = %s WHERE "id" = %s',
                ["Action A, by SQL", t["actions"]["A"].pk],
            ),
            "Action A, by SQL",
            id="SQL through the application's connection",
        ),
        pytest.param(
            lambda t, planner: Team.objects.filter(pk=t["team"].pk).update(name="Workforce Development"),
            "Workforce Development",
            id="a lead team renamed",
        ),
    ],
)
def test_a_change_is_shown_on_the_next_read(client, dmt, planner, timeline, builds, change, shown):
    client.force_login(dmt)
    assert shown not in read(client, timeline)
    change(timeline, planner)
    assert shown in read(client, timeline)
    assert len(builds) == 2


def test_a_change_in_the_admin_is_shown_on_the_next_read(client, dmt, planner, timeline):
    planner.is_staff = True
    planner.save()
    client.force_login(dmt)
    assert "Action E, edited in the admin" not in read(client, timeline)
    action = timeline["actions"]["E"]
    client.force_login(planner)
    url = reverse("admin:actions_action_change", args=[action.pk])
    data = {**form_data(client.get(url)), "description": "Action E, edited in the admin"}
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    client.force_login(dmt)
    assert "Action E, edited in the admin" in read(client, timeline)


def test_the_planners_link_is_never_served_to_dmt_or_dmts_page_to_the_planner(client, dmt, planner, timeline):
    link = "Key messages and DMT decisions for"
    client.force_login(planner)
    assert link in read(client, timeline)
    client.force_login(dmt)
    assert link not in read(client, timeline)
    client.force_login(planner)
    assert link in read(client, timeline)


def test_a_page_built_yesterday_is_not_served_today(client, dmt, timeline, builds, monkeypatch):
    client.force_login(dmt)
    read(client, timeline)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(page_cache.timezone, "localdate", lambda: tomorrow)
    read(client, timeline)
    assert len(builds) == 2


def test_a_page_built_by_another_release_is_not_served(client, dmt, timeline, builds, monkeypatch):
    client.force_login(dmt)
    read(client, timeline)
    monkeypatch.setattr(page_cache, "release", lambda: "a-later-release")
    read(client, timeline)
    assert len(builds) == 2


def test_the_release_is_a_digest_of_the_code_and_templates(settings, tmp_path):
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "page.html"
    template.write_text("<p>One</p>")
    settings.BASE_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    page_cache.release.cache_clear()
    try:
        before = page_cache.release()
        page_cache.release.cache_clear()
        assert page_cache.release() == before  # the same files, the same release (as on every server)
        template.write_text("<p>Two</p>")
        page_cache.release.cache_clear()
        assert page_cache.release() != before
    finally:
        page_cache.release.cache_clear()


def shared_version() -> str:
    """The version as another server reads it: from the shared cache, whatever this connection wrote."""
    return caches["default"].get(page_cache.VERSION_KEY)


@pytest.mark.django_db(transaction=True)
def test_a_transaction_changes_the_version_once_more_when_it_commits():
    """Another server reading while a transaction is open reads the data as it was before it;
    if it kept that page under the version the writer made for itself, the page would be stale
    once the transaction committed. So the version changes again at the commit, once however
    many statements the transaction ran."""
    before = page_cache.data_version()
    with transaction.atomic():
        Team.objects.create(name="Strategic HR")
        Team.objects.create(name="Organisational Planning")
        assert shared_version() == before  # nothing is committed yet
        during = page_cache.data_version()  # the writer reads its own writes
        assert during != before
        assert [f for _ids, f, _robust in connection.run_on_commit].count(page_cache._changed_on_commit) == 1
    assert shared_version() not in (before, during)


@pytest.mark.django_db(transaction=True)
def test_a_transaction_rolled_back_changes_nothing():
    before = page_cache.data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        Team.objects.create(name="Strategic HR")
        raise RuntimeError
    assert shared_version() == before
    with transaction.atomic():  # and the next transaction still tells when it commits
        Team.objects.create(name="Organisational Planning")
    assert shared_version() != before


@pytest.mark.django_db(transaction=True)
def test_a_write_outside_a_transaction_changes_the_version_for_every_server():
    before = page_cache.data_version()
    team = Team.objects.create(name="Strategic HR")  # on SQLite, INSERT ... RETURNING
    # On SQLite the insert commits once its returned id has been read: the version changes
    # before the connection's next statement, or at the end of the request.
    Team.objects.filter(pk=team.pk).exists()
    after_insert = shared_version()
    assert after_insert != before
    Team.objects.filter(pk=team.pk).update(name="Workforce Development")  # commits at once
    assert shared_version() != after_insert


@pytest.mark.django_db(transaction=True)
def test_a_write_outside_a_transaction_is_told_at_the_end_of_the_request():
    before = page_cache.data_version()
    Team.objects.create(name="Strategic HR")
    request_finished.send(sender=None)
    assert shared_version() != before


def test_a_version_dropped_from_the_cache_is_made_again():
    caches["default"].delete(page_cache.VERSION_KEY)
    version = page_cache.data_version()
    assert version and page_cache.data_version() == version


def test_a_cache_not_yet_made_is_nothing_to_tell(monkeypatch, caplog):
    def fail(*args, **kwargs):
        raise DatabaseError("no such table: strategy_tracker_cache")

    monkeypatch.setattr(page_cache, "new_version", fail)
    monkeypatch.setattr(connection.introspection, "table_names", lambda *args: ["actions_action"])
    with caplog.at_level(logging.ERROR):
        page_cache._changed(connection)
    assert not caplog.records
    monkeypatch.setattr(connection.introspection, "table_names", lambda *args: ["strategy_tracker_cache"])
    with caplog.at_level(logging.ERROR):
        page_cache._changed(connection)
    assert "could not be told" in caplog.text


def test_report_changed_builds_every_page_again(client, dmt, timeline, builds):
    client.force_login(dmt)
    read(client, timeline)
    out = io.StringIO()
    call_command("report_changed", stdout=out)
    assert "built again" in out.getvalue()
    read(client, timeline)
    assert len(builds) == 2


@pytest.mark.parametrize("kind", ["pdf", "xlsx"])
def test_the_pdf_and_spreadsheet_are_kept_and_made_again_after_a_change(client, dmt, planner, timeline, builds, kind):
    client.force_login(dmt)
    url = reverse(f"dashboard:{kind}", args=[timeline["strategy"].slug, timeline["q3"].slug])

    def text() -> str:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="leics-q3-2016-17-dmt-report.{kind}"'
        if kind == "pdf":
            return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        return "\n".join(str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row)

    first = text()
    assert text() == first
    assert len(builds) == 1
    services.key_messages_set(
        period=timeline["q3"], user=planner, key_messages="Recruitment is ahead of plan.", strategic_lead="Jo Bloggs"
    )
    assert "Recruitment is ahead of plan." in text()
    assert len(builds) == 2


def test_a_kept_page_is_served_as_rendered_and_escaped_once(client, dmt, planner, timeline):
    services.key_messages_set(
        period=timeline["q3"], user=planner, key_messages="<script>alert(1)</script> & more", strategic_lead=""
    )
    client.force_login(dmt)
    for _ in range(2):  # built, then kept
        page = read(client, timeline)
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
        assert "&amp;lt;" not in page and "<script>alert" not in page
