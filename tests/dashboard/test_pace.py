"""Expensive work is paced per person (strategy_tracker.pace): one at a time and four a minute
of PDF builds and of import previews, kept in the shared database cache; a kept PDF, another
person and a confirm step are not held back, and a failed build does not leave its lock."""

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.urls import reverse

from dashboard import exports
from strategy_tracker import data_version, pace
from tests import factories
from tests.actions.test_import_export import csv_file, rows, upload
from tests.actions.test_import_export import strategy as strategy  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache(empty_cache):
    """Every test here starts and ends with the shared cache empty (tests.conftest)."""


@pytest.fixture
def builds(monkeypatch):
    """Each PDF build is counted (and made quickly: the pace is under test, not WeasyPrint)."""
    made = []

    def report_pdf(report, *, base_url):
        made.append(report)
        return b"%PDF-1.7 test"

    monkeypatch.setattr(exports, "report_pdf", report_pdf)
    return made


def pdf(client, timeline, *, changed=True):
    """The quarter's PDF; with changed=True after a save elsewhere, so that it is built again."""
    if changed:
        data_version.changed()
    return client.get(reverse("dashboard:pdf", args=[timeline["strategy"].slug, timeline["q3"].slug]))


def test_the_fifth_pdf_build_within_a_minute_is_refused_with_a_429_page(client, dmt, timeline, builds):
    client.force_login(dmt)
    for _ in range(4):
        assert pdf(client, timeline).status_code == 200

    refused = pdf(client, timeline)

    assert refused.status_code == 429
    assert len(builds) == 4
    text = refused.content.decode()
    assert "You have built 4 PDFs in the last minute. Wait " in text
    assert "download the spreadsheet" in text
    assert reverse("dashboard:xlsx", args=[timeline["strategy"].slug, timeline["q3"].slug]) in text
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_the_pace_allows_builds_again_once_the_minute_has_passed(client, dmt, timeline, builds, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(pace, "_now", lambda: now[0])
    client.force_login(dmt)
    for second in (0, 10, 20, 30):
        now[0] = 1_000_000.0 + second
        assert pdf(client, timeline).status_code == 200

    now[0] = 1_000_045.0
    refused = pdf(client, timeline)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "15"  # when the first of the four is a minute old
    assert "Wait 15 seconds" in refused.content.decode()

    now[0] = 1_000_060.0
    assert pdf(client, timeline).status_code == 200


def test_a_kept_pdf_is_never_refused(client, dmt, timeline, builds):
    client.force_login(dmt)
    for _ in range(4):
        pdf(client, timeline)

    for _ in range(10):  # nothing changed since the fourth build: the kept PDF, at once
        response = pdf(client, timeline, changed=False)
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF-")
    assert len(builds) == 4


def test_the_spreadsheet_is_not_paced(client, dmt, timeline, builds):
    client.force_login(dmt)
    for _ in range(4):
        pdf(client, timeline)
    data_version.changed()
    response = client.get(reverse("dashboard:xlsx", args=[timeline["strategy"].slug, timeline["q3"].slug]))
    assert response.status_code == 200


def test_another_person_is_not_held_back(client, dmt, planner, timeline, builds):
    client.force_login(dmt)
    for _ in range(4):
        pdf(client, timeline)
    assert pdf(client, timeline).status_code == 429

    client.force_login(planner)
    assert pdf(client, timeline).status_code == 200


def test_a_second_build_while_the_first_is_built_is_refused(client, dmt, timeline, builds):
    client.force_login(dmt)
    with pace.paced(dmt, pace.PDF):  # the first, still building (another tab)
        refused = pdf(client, timeline)
    assert refused.status_code == 429
    assert "You are already building a PDF" in refused.content.decode()
    assert refused["Retry-After"] == str(pace.BUSY_RETRY_AFTER)
    assert pdf(client, timeline).status_code == 200


def test_the_lock_is_released_after_a_build_fails(client, dmt, timeline, monkeypatch):
    def broken(report, *, base_url):
        raise RuntimeError("a font went missing")

    monkeypatch.setattr(exports, "report_pdf", broken)
    client.force_login(dmt)
    with pytest.raises(RuntimeError):
        pdf(client, timeline)

    monkeypatch.setattr(exports, "report_pdf", lambda report, *, base_url: b"%PDF-1.7 test")
    assert pdf(client, timeline).status_code == 200


def test_the_lock_is_released_after_an_exception_in_the_block(dmt):
    with pytest.raises(ValueError), pace.paced(dmt, pace.IMPORT):
        raise ValueError("the file could not be read")
    with pace.paced(dmt, pace.IMPORT):
        pass


def two_clients() -> tuple[DatabaseCache, DatabaseCache]:
    """Two clients of the database cache, as two application servers have."""
    location = caches["default"]._table
    first, second = DatabaseCache(location, {}), DatabaseCache(location, {})
    assert first is not second
    return first, second


def test_the_lock_holds_across_two_cache_clients(dmt):
    first, second = two_clients()
    with (
        pace.paced(dmt, pace.PDF, store=first),
        pytest.raises(pace.PaceExceeded, match="already building a PDF"),
        pace.paced(dmt, pace.PDF, store=second),
    ):
        pass
    with pace.paced(dmt, pace.PDF, store=second):
        pass


def test_the_count_holds_across_two_cache_clients(dmt):
    first, second = two_clients()
    for store in (first, second, first, second):
        with pace.paced(dmt, pace.PDF, store=store):
            pass
    with (
        pytest.raises(pace.PaceExceeded, match="You have built 4 PDFs in the last minute"),
        pace.paced(dmt, pace.PDF, store=first),
    ):
        pass


def test_the_fifth_import_preview_within_a_minute_is_refused(client, strategy):  # noqa: F811
    client.force_login(factories.UserFactory(username="admin", is_staff=True, is_superuser=True))
    for _ in range(4):
        assert "confirm_form" in upload(client, csv_file(rows(strategy)), "csv").context

    refused = upload(client, csv_file(rows(strategy)), "csv")

    assert refused.status_code == 429
    assert "You have previewed 4 imports in the last minute. Wait " in refused.content.decode()
    assert "upload the file again" in refused.content.decode()
    assert int(refused["Retry-After"]) >= 1


def test_a_preview_allowed_can_be_confirmed_past_the_minutes_count(client, strategy):  # noqa: F811
    from actions.models import Action

    client.force_login(factories.UserFactory(username="admin", is_staff=True, is_superuser=True))
    previews = [upload(client, csv_file(rows(strategy)), "csv") for _ in range(4)]

    confirm = previews[-1].context["confirm_form"].initial
    confirmed = client.post(reverse("admin:actions_action_process_import"), confirm)

    assert confirmed.status_code == 302
    assert Action.objects.filter(strategy=strategy).count() == 3


def test_a_confirm_while_another_import_runs_is_refused_and_the_file_kept(client, strategy):  # noqa: F811
    admin = factories.UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    preview = upload(client, csv_file(rows(strategy)), "csv")
    with pace.paced(admin, pace.IMPORT, count=False):
        refused = client.post(reverse("admin:actions_action_process_import"), preview.context["confirm_form"].initial)
    assert refused.status_code == 429
    assert "You are already importing a file" in refused.content.decode()

    confirmed = client.post(reverse("admin:actions_action_process_import"), preview.context["confirm_form"].initial)
    assert confirmed.status_code == 302


def word_upload(client, strategy):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.actions.word_documents import build_docx

    content = build_docx([["Do it", "1"]], ["Action", "Outcome"])
    document = SimpleUploadedFile("plan.docx", content)
    return client.post(
        reverse("admin:actions_action_word_import"), {"step": "upload", "strategy": strategy.pk, "document": document}
    )


def test_the_fifth_word_upload_within_a_minute_is_refused(client, strategy):  # noqa: F811
    client.force_login(factories.UserFactory(username="admin", is_staff=True, is_superuser=True))
    for _ in range(4):
        assert word_upload(client, strategy).context["step"] == "map"

    refused = word_upload(client, strategy)

    assert refused.status_code == 429
    assert "You have previewed 4 imports in the last minute. Wait " in refused.content.decode()


def test_a_word_load_allowed_can_be_saved_past_the_minutes_count(client, strategy):  # noqa: F811
    client.force_login(factories.UserFactory(username="admin", is_staff=True, is_superuser=True))
    for _ in range(3):
        word_upload(client, strategy)
    mapped = word_upload(client, strategy)
    form = mapped.context["mapping"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: ("on" if value is True else value) for name, value in data.items() if value not in (False, None)}
    data["column_1_2"] = "outcome"

    saved = client.post(reverse("admin:actions_action_word_import"), {**data, "step": "save"})

    assert saved.status_code == 302, [r.errors for r in saved.context["records"]]
