"""What the report keeps (the page, its PDF and spreadsheet, the trend's counts) is served
until something it shows is written, and never after.

Each test signs in and reads first, so that what it then checks is not hidden by anything
the sign-in or the first build did: the data version moves across a write (a service, the
admin, an import) and across nothing else, and the page read next shows the write.
"""

import datetime
import io
import json

import openpyxl
import pytest
from axes.models import AccessAttempt
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from actions import services as action_services
from actions.word_import import Mapping, load_plan
from actions.word_tables import read_tables
from dashboard import page_cache, views
from reporting import services
from reporting.models import RecordedState, ReportingPeriod
from strategy_tracker import data_version
from tests import factories
from tests.actions.word_documents import build_docx
from tests.admin_forms import form_data
from workforce import people
from workforce.roles import DMT

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # the factories' (tests.factories.UserFactory)


@pytest.fixture
def builds(monkeypatch):
    """The report built, each time: (strategy slug, quarter slug)."""
    calls = []
    real = views._report

    def counted(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(views, "_report", counted)
    return calls


def read(client, timeline, quarter: str = "q3") -> str:
    url = reverse("dashboard:quarter", args=[timeline["strategy"].slug, timeline[quarter].slug])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def download(client, timeline, kind: str) -> str:
    """The PDF's or the spreadsheet's text."""
    response = client.get(reverse(f"dashboard:{kind}", args=[timeline["strategy"].slug, timeline["q3"].slug]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="leics-q3-2016-17-dmt-report.{kind}"'
    if kind == "pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return "\n".join(str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row)


def main(page: str) -> str:
    """The page's content: not the header, whose sign-out form has each reader's own token."""
    return page[page.index("<main") : page.index("</main>")]


@pytest.fixture
def warm(client, dmt, timeline, builds):
    """DMT signed in and the report read once (built and kept): the version it is kept under."""
    client.force_login(dmt)
    read(client, timeline)
    assert len(builds) == 1
    return data_version.current()


def test_a_second_read_with_nothing_written_is_not_built_again(client, timeline, builds, warm):
    first = read(client, timeline)
    second = read(client, timeline)
    assert len(builds) == 1
    assert main(second) == main(first)
    assert data_version.current() == warm


def test_a_sign_in_keeps_every_kept_page_and_download(client, timeline, builds, warm, settings):
    download(client, timeline, "pdf")
    download(client, timeline, "xlsx")
    assert len(builds) == 3
    # Another member of DMT mistypes their password (a sign-in attempt recorded), signs in
    # through the sign-in page (their last_login and a session written), reads, signs out
    # and in again.
    settings.AXES_ENABLED = True
    other = factories.UserFactory(username="dmt2", groups=[DMT])
    assert other.last_login is None
    response = client.post("/accounts/login/", {"username": "dmt2", "password": "wrong"})
    assert response.status_code == 200 and AccessAttempt.objects.filter(username="dmt2").exists()
    for _ in range(2):
        response = client.post("/accounts/login/", {"username": "dmt2", "password": PASSWORD})
        assert response.status_code == 302
        other.refresh_from_db()
        assert other.last_login is not None
        read(client, timeline)
        download(client, timeline, "pdf")
        download(client, timeline, "xlsx")
        assert client.post(reverse("logout")).status_code == 302
    assert data_version.current() == warm
    assert len(builds) == 3


def test_the_planners_page_is_never_served_to_dmt_nor_dmts_to_the_planner(client, dmt, planner, timeline, builds):
    """Built first for the planner, then for DMT, with nothing written between."""
    link = "Key messages and DMT decisions for"
    client.force_login(planner)
    assert link in read(client, timeline)
    client.force_login(dmt)
    assert link not in read(client, timeline)
    client.force_login(planner)
    assert link in read(client, timeline)
    client.force_login(dmt)
    assert link not in read(client, timeline)
    assert len(builds) == 2  # each kept once built


def lead_officer_renamed(t, planner):
    person = t["actions"]["A"].lead_officer_user
    person.last_name = "Bloggs-Smith"
    people.person_update(user=planner, person=person, role=DMT, teams=[])


def action_reworded(t, planner):
    action = t["actions"]["A"]
    action.description = "Action A, reworded"
    action_services.action_save(action=action, user=planner, changed=["description"])


@pytest.mark.parametrize(
    "change, shown",
    [
        pytest.param(
            lambda t, planner: services.key_messages_set(
                period=t["q3"], user=planner, key_messages="Recruitment is ahead of plan.", strategic_lead="Jo Bloggs"
            ),
            "Recruitment is ahead of plan.",
            id="key messages",
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
            id="a manager's update",
        ),
        pytest.param(
            lambda t, planner: services.dmt_decision_record(
                update=t["actions"]["A"].updates.get(period=t["q3"]), user=planner, outcome="agreed", note="Funded."
            ),
            "Funded.",
            id="DMT's decision",
        ),
        pytest.param(action_reworded, "Action A, reworded", id="an action saved"),
        pytest.param(lead_officer_renamed, "Jo Bloggs-Smith", id="a person's name"),
    ],
)
def test_a_write_through_a_service_changes_the_version_and_is_shown(client, planner, timeline, builds, change, shown):
    action = timeline["actions"]["A"]
    action.lead_officer, action.lead_officer_user = "", factories.UserFactory(first_name="Jo", last_name="Bloggs")
    action.save()
    client.force_login(factories.UserFactory(username="dmt2", groups=[DMT]))
    assert shown not in read(client, timeline)
    before = data_version.current()
    change(timeline, planner)
    assert data_version.current() != before
    assert shown in read(client, timeline)
    assert len(builds) == 2
    read(client, timeline)  # and kept again
    assert len(builds) == 2


def admin_post(client, url: str, data: dict) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors


def test_an_admin_save_changes_the_version_and_is_shown(client, dmt, planner, timeline, builds, warm):
    """A lead team renamed in the admin, which saves it without a service."""
    client.force_login(planner)
    url = reverse("admin:workforce_team_change", args=[timeline["team"].pk])
    admin_post(client, url, {**form_data(client.get(url)), "name": "Workforce Development"})
    assert data_version.current() != warm
    client.force_login(dmt)
    assert "Workforce Development" in read(client, timeline)
    assert len(builds) == 2


def test_an_admin_delete_changes_the_version_and_is_shown(client, dmt, planner, timeline, builds):
    risks = [factories.RiskFactory(strategy=timeline["strategy"], risk=f"Risk {n}") for n in "XYZ"]
    client.force_login(dmt)
    assert "Risk X" in read(client, timeline)
    admin = Client()
    admin.force_login(planner)
    before = data_version.current()
    admin_post(admin, reverse("admin:outcomes_risk_delete", args=[risks[0].pk]), {"post": "yes"})
    assert data_version.current() != before
    page = read(client, timeline)
    assert "Risk X" not in page and "Risk Y" in page
    # Several at once: the admin logs them in bulk, without a signal; the deletes are heard.
    before = data_version.current()
    selected = {"action": "delete_selected", "_selected_action": [risks[1].pk, risks[2].pk], "post": "yes"}
    admin_post(admin, reverse("admin:outcomes_risk_changelist"), selected)
    assert data_version.current() != before
    assert "Risk Y" not in read(client, timeline)
    assert len(builds) == 3


def test_an_import_changes_the_version_and_is_shown(client, timeline, builds, warm, tmp_path):
    fixture = tmp_path / "risks.json"
    record = {"strategy": ["leics"], "number": 1, "risk": "Loss of key staff", "control": "Succession plans"}
    fixture.write_text(json.dumps([{"model": "outcomes.risk", "fields": record}]))
    call_command("loaddata", str(fixture), verbosity=0)
    assert data_version.current() != warm
    assert "Loss of key staff" in read(client, timeline)
    assert len(builds) == 2


@pytest.mark.django_db(transaction=True)
def test_an_import_previewed_changes_nothing_and_saved_changes_the_version(planner):
    """The Word import's preview runs the whole load and rolls it back: nothing was written."""
    strategy = factories.StrategyFactory(slug="copy")
    rows = [["1. Stable", "1.1", "Recruit permanent staff", "Head", "Summer 2018"]]
    document = build_docx(rows, ["Theme", "Ref", "Action", "Lead officer", "When"])
    tables = read_tables(SimpleUploadedFile("plan.docx", document))
    mappings = [
        Mapping(table=1, header_rows=1, columns=["outcome", "reference", "action", "lead_officer", "timescale"])
    ]
    before = data_version.current()
    load_plan(strategy, tables, mappings, user=planner, save=False)
    assert not strategy.actions.exists()
    assert data_version.current() == before
    load_plan(strategy, tables, mappings, user=planner, save=True)
    assert strategy.actions.exists()
    assert data_version.current() != before


def test_a_write_outside_the_application_is_shown_after_report_changed(client, timeline, builds):
    """SQL run by hand tells nothing: `manage.py report_changed` does, for the pages and the
    closed quarters' trend counts alike."""
    for name in ("q1", "q2"):  # as closing them would have
        services.period_states_record(ReportingPeriod.objects.get(pk=timeline[name].pk))
    client.force_login(factories.UserFactory(username="dmt2", groups=[DMT]))
    read(client, timeline, "q2")  # Q2's counts kept, as the trend reads them
    read(client, timeline)
    before = data_version.current()
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{RecordedState._meta.db_table}" SET "status" = %s, "rag" = %s WHERE "period_id" = %s',
            ["complete", "", timeline["q2"].pk],
        )
        cursor.execute(
            'UPDATE "actions_action" SET "description" = %s WHERE "id" = %s',
            ["Action A, by SQL", timeline["actions"]["A"].pk],
        )
    assert "Action A, by SQL" not in read(client, timeline)
    assert data_version.current() == before
    out = io.StringIO()
    call_command("report_changed", stdout=out)
    assert "built again" in out.getvalue()
    response = client.get(reverse("dashboard:quarter", args=[timeline["strategy"].slug, timeline["q3"].slug]))
    assert "Action A, by SQL" in response.content.decode()
    q2 = next(row for row in response.context["report"].trend if row.period.pk == timeline["q2"].pk)
    assert q2.counts.complete == q2.counts.total == 6
    assert len(builds) == 3


def test_a_page_built_yesterday_is_not_served_today(client, timeline, builds, warm, monkeypatch):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(page_cache.timezone, "localdate", lambda: tomorrow)
    read(client, timeline)
    assert len(builds) == 2


def test_a_page_built_by_another_release_is_not_served(client, timeline, builds, warm, monkeypatch):
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
    return caches["default"].get(data_version.KEY)


@pytest.mark.django_db(transaction=True)
def test_a_transaction_changes_the_version_once_when_it_commits():
    """Another server reading while a transaction is open reads the data as it was before it,
    so the version changes when it commits; the writer reads its own writes meanwhile."""
    before = data_version.current()
    with transaction.atomic():
        data_version.changed()
        data_version.changed()
        assert shared_version() == before  # nothing is committed yet
        assert [f for _ids, f, _robust in connection.run_on_commit].count(data_version._new) == 1
    assert shared_version() != before


@pytest.mark.django_db(transaction=True)
def test_a_transaction_rolled_back_changes_nothing():
    before = data_version.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        data_version.changed()
        raise RuntimeError
    assert data_version.current() == before
    with transaction.atomic():  # and the next transaction still tells when it commits
        data_version.changed()
    assert shared_version() != before


@pytest.mark.django_db(transaction=True)
def test_a_write_outside_a_transaction_changes_the_version_at_once():
    before = data_version.current()
    call_command("report_changed", stdout=io.StringIO())
    assert shared_version() != before


def test_a_version_dropped_from_the_cache_is_made_again():
    caches["default"].delete(data_version.KEY)
    version = data_version.current()
    assert version and data_version.current() == version


@pytest.mark.parametrize("kind", ["pdf", "xlsx"])
def test_the_pdf_and_spreadsheet_are_kept_and_made_again_after_a_change(client, planner, timeline, builds, warm, kind):
    first = download(client, timeline, kind)
    assert download(client, timeline, kind) == first
    assert len(builds) == 2
    services.key_messages_set(
        period=timeline["q3"], user=planner, key_messages="Recruitment is ahead of plan.", strategic_lead="Jo Bloggs"
    )
    assert "Recruitment is ahead of plan." in download(client, timeline, kind)
    assert len(builds) == 3


def test_a_kept_page_is_served_as_rendered_and_escaped_once(client, dmt, planner, timeline):
    services.key_messages_set(
        period=timeline["q3"], user=planner, key_messages="<script>alert(1)</script> & more", strategic_lead=""
    )
    client.force_login(dmt)
    for _ in range(2):  # built, then kept
        page = read(client, timeline)
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
        assert "&amp;lt;" not in page and "<script>alert" not in page
