"""The table of limits in docs/limits.md is true: for each of its rows, a value at the limit
is accepted and one past it is refused with the row's message. Each row's probe is keyed by
the row's id; a row without a probe fails, so a limit added to the table must be testable."""

import io
import re
import signal
import time
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from actions.models import Action
from actions.resources import TeamNamesWidget
from actions.word_tables import read_tables
from dashboard import exports, pdf_budget
from outcomes import spreadsheets
from reporting import filters
from reporting.dmt_views import KeyMessagesForm
from reporting.models import ProgressUpdate, Status
from reporting.services import progress_update_validate
from strategy_tracker import data_version
from tests import factories
from tests.actions.test_import_export import csv_file, upload
from tests.actions.test_text_limits import FACTORIES
from tests.actions.test_word_import_limits import cell, document
from workforce.models import Team

pytestmark = pytest.mark.django_db

TABLE = Path(__file__).resolve().parents[2] / "docs" / "limits.md"


def table_rows() -> list[dict]:
    rows = []
    for line in TABLE.read_text().splitlines():
        cells = [text.strip() for text in line.strip().strip("|").split("|")]
        if len(cells) != 5 or cells[0] in ("id", "---"):
            continue
        rows.append(dict(zip(["id", "what", "limit", "where", "message"], cells, strict=True)))
    return rows


ROWS = table_rows()


def limit_of(row: dict) -> int:
    return int(re.match(r"[\d,]+", row["limit"])[0].replace(",", ""))


def refusal_of(call) -> str | None:
    """The message `call` refuses with (SpreadsheetRefused, ValidationError or PdfTooLarge), or None."""
    try:
        call()
    except (spreadsheets.SpreadsheetRefused, pdf_budget.PdfTooLarge) as refusal:
        return str(refusal)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


# --- probes: each takes the value's size and returns the refusal's message, or None -----------


def search(q: str) -> str | None:
    errors = filters.ActionFilter({"q": q}, queryset=Action.objects.none()).form.errors
    return " ".join(errors.get("q", [])) or None


def admin_search(q: str) -> str | None:
    client = Client()
    client.force_login(
        get_user_model().objects.get_or_create(username="limits-admin", is_staff=True, is_superuser=True)[0]
    )
    response = client.get(reverse("admin:actions_action_changelist"), {"q": q})
    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    return " ".join(shown) or None


def rows_read(rows) -> str | None:
    return refusal_of(lambda: spreadsheets.read_rows(iter(rows), fill=""))


def unpacked(size: int) -> str | None:
    # Members of 1 MB each (none larger, so only the total is in question), the rest in one.
    megabyte = 1024 * 1024
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(size // megabyte):
            archive.writestr(f"part{number}", b"\0" * megabyte)
        if size % megabyte:
            archive.writestr("rest", b"\0" * (size % megabyte))
    return refusal_of(lambda: spreadsheets.check_archive(out.getvalue()))


def lead_teams(n: int) -> str | None:
    names = [f"Team {i}" for i in range(n)]
    for name in names:
        Team.objects.get_or_create(name=name)
    try:
        TeamNamesWidget().clean("; ".join(names))
    except ValueError as refusal:
        return str(refusal)
    return None


def word(*tables) -> str | None:
    return refusal_of(lambda: read_tables(document(*tables)))


def word_cells(count: int) -> str | None:
    rows = [[cell("x", span="50")] for _ in range(count // 50)]
    if count % 50:
        rows.append([cell("x", span=str(count % 50))])
    return word(rows)


def text_field(label: str, n: int) -> str | None:
    model_label, name = label.rsplit(".", 1)
    model = apps.get_model(model_label)
    record = FACTORIES[model]()
    setattr(record, name, "x" * n)
    return refusal_of(lambda: record.full_clean(exclude=[f.name for f in model._meta.fields if f.name != name]))


def commentary(name: str, n: int) -> str | None:
    update = ProgressUpdate(status=Status.ON_HOLD, **{"reason": "Waiting", name: "x" * n})
    return refusal_of(lambda: progress_update_validate(update))


class FakeDocument:
    def __init__(self, pages: int):
        self.pages = [None] * pages

    def write_pdf(self, **options):
        return b"%PDF"


def fake_weasyprint(monkeypatch, *, pages: int = 1, seconds: float = 0.0) -> None:
    class HTML:
        def __init__(self, **kwargs):
            pass

        def render(self, **options):
            time.sleep(seconds)
            return FakeDocument(pages)

    monkeypatch.setattr("weasyprint.HTML", HTML)


TIME_SCALE = 1 / 20  # the PDF's timer and the fake build's time both scaled, so a probe takes a second or two


def pdf_seconds(monkeypatch, seconds: int) -> str | None:
    fake_weasyprint(monkeypatch, seconds=seconds * TIME_SCALE)
    time_limit = pdf_budget.time_limit
    monkeypatch.setattr(pdf_budget, "time_limit", lambda limit: time_limit(limit * TIME_SCALE))
    return refusal_of(lambda: pdf_budget.write_pdf(f"<p>{time.time_ns()}</p>", base_url="http://testserver/"))


def pdf_html(monkeypatch, n: int) -> str | None:
    fake_weasyprint(monkeypatch)
    return refusal_of(lambda: pdf_budget.write_pdf("x" * n, base_url="http://testserver/"))


def pdf_pages(monkeypatch, n: int) -> str | None:
    fake_weasyprint(monkeypatch, pages=n)
    return refusal_of(lambda: pdf_budget.write_pdf("<p>x</p>", base_url="http://testserver/"))


def paced_refusal(response) -> str | None:
    if response.status_code == 429:
        return response.content.decode()
    assert response.status_code == 200
    return None


def pdf_builds(monkeypatch, n: int) -> str | None:
    """`n` PDFs built in a row by one person (each after a change, so built, not kept)."""
    monkeypatch.setattr(exports, "report_pdf", lambda report, *, base_url: b"%PDF-1.7")
    period = factories.ReportingPeriodFactory()
    client = Client()
    client.force_login(factories.UserFactory())
    for _ in range(n):
        data_version.changed()
        message = paced_refusal(client.get(reverse("dashboard:pdf", args=[period.strategy.slug, period.slug])))
    return message


def import_previews(n: int) -> str | None:
    """`n` spreadsheet previews in a row by one planner."""
    client = Client()
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    for _ in range(n):
        message = paced_refusal(upload(client, csv_file([]), "csv"))
    return message


PROBES = {
    "search-characters": lambda mp, n: search("x" * n),
    "search-words": lambda mp, n: search(" ".join(f"w{i}" for i in range(n))),
    "admin-search-characters": lambda mp, n: admin_search("x" * n),
    "admin-search-words": lambda mp, n: admin_search(" ".join(f"w{i}" for i in range(n))),
    "upload-bytes": lambda mp, n: refusal_of(
        lambda: spreadsheets.check_upload_size(SimpleUploadedFile("a.csv", b"x" * n))
    ),
    "unpacked-bytes": lambda mp, n: unpacked(n),
    "sheet-rows": lambda mp, n: rows_read([["reference"], *([str(i)] for i in range(n))]),
    "sheet-rows-read": lambda mp, n: rows_read([["reference"], *([""] for _ in range(n))]),
    "sheet-columns": lambda mp, n: rows_read([[f"h{i}" for i in range(n)]]),
    "import-lead-teams": lambda mp, n: lead_teams(n),
    "word-tables": lambda mp, n: word(*([[cell("x")]] for _ in range(n))),
    "word-rows": lambda mp, n: word([[cell("x")] for _ in range(n)]),
    "word-span": lambda mp, n: word([[cell("x", span=str(n))]]),
    "word-columns": lambda mp, n: word([[cell("x") for _ in range(n)]]),
    "word-cells": lambda mp, n: word_cells(n),
    "word-mapped-columns": lambda mp, n: word(
        *([[cell("x") for _ in range(50)]] for _ in range(n // 50)), [[cell("x")] * (n % 50)]
    ),
    "word-cell-characters": lambda mp, n: word([[cell("x" * n)]]),
    "key-messages": lambda mp, n: (
        " ".join(KeyMessagesForm({"key_messages": "x" * n}).errors.get("key_messages", [])) or None
    ),
    "pdf-html": pdf_html,
    "pdf-pages": pdf_pages,
    "pdf-seconds": pdf_seconds,
    "pace-pdf-builds": pdf_builds,
    "pace-import-previews": lambda mp, n: import_previews(n),
}
PREFIXED = {"text:": text_field, "commentary:": commentary}
#: At the limit itself a timer may fire either way: a build well within it is accepted.
WITHIN = {"pdf-seconds": 10}


def probe_for(row_id: str):
    if row_id in PROBES:
        return PROBES[row_id]
    for prefix, probe in PREFIXED.items():
        if row_id.startswith(prefix):
            return lambda mp, n, probe=probe: probe(row_id.removeprefix(prefix), n)
    return None


def test_the_table_is_read():
    assert len(ROWS) >= 30
    assert {row["id"] for row in ROWS} >= set(PROBES)  # no probe outlives its row


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_one_past_each_limit_is_refused_with_its_message(row, monkeypatch):
    probe = probe_for(row["id"])
    assert probe is not None, f"docs/limits.md row {row['id']} has no probe in this test"
    limit = limit_of(row)

    assert probe(monkeypatch, limit - WITHIN.get(row["id"], 0)) is None, "refused at the limit"
    message = probe(monkeypatch, limit + 1)

    assert message is not None, "not refused one past the limit"
    assert row["message"] in message
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
