"""The admin import refuses a file it should not read, says why in plain words, and keeps no copy.

Limits: the upload's size (before it is read), its rows (counted while reading, which stops
at the limit), and for a workbook the size its archive unpacks to (from the archive's
directory, before the workbook is opened). The file is kept between the preview and the
confirm step only, in the shared cache, and removed after either, or after a failure.
"""

import csv
import io
import tempfile
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import Action
from outcomes import spreadsheets
from outcomes.resources import PreviewStorage
from tests import factories
from tests.actions.test_import_export import HEADERS, csv_file, rows, upload, xlsx_file
from workforce.models import Team

pytestmark = pytest.mark.django_db

EXCEPTION_NAMES = ["Error", "Exception", "BadZipFile", "KeyError", "encountered while trying to read"]


@pytest.fixture
def strategy(db):
    strategy = factories.StrategyFactory(slug="leicestershire-cfs-2016-17")
    factories.RecommendationFactory(outcome__strategy=strategy, outcome__number=1, number=1)
    factories.OutcomeFactory(strategy=strategy, number=2)
    factories.TeamFactory(name="Strategic HR")
    factories.TeamFactory(name="Corporate Comms Team")
    return strategy


@pytest.fixture
def admin_client(client, db):
    client.force_login(factories.UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def kept(monkeypatch):
    """The names of every upload saved for a confirm step during the test."""
    names = []
    save = PreviewStorage.save

    def recording_save(storage, data):
        save(storage, data)
        names.append(storage.name)

    monkeypatch.setattr(PreviewStorage, "save", recording_save)
    return names


@pytest.fixture
def temp_folder(tmp_path, monkeypatch, settings):
    """A temporary folder of the test's own, where every upload is spooled to disk."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    return folder


def still_kept(names) -> list[str]:
    return [name for name in names if PreviewStorage(name=name).exists()]


def refusal(response) -> str:
    """The import form's message about the file, with no preview shown."""
    assert response.status_code == 200
    assert "result" not in response.context and "confirm_form" not in response.context
    errors = response.context["form"].errors["import_file"]
    assert len(errors) == 1
    html = response.content.decode()
    for name in EXCEPTION_NAMES:
        assert name not in errors[0] and name not in html, name
    return errors[0]


def many_rows(strategy, count):
    base = rows(strategy)[0]
    return [[*base[:3], f"1.1.{n}", n, *base[5:]] for n in range(1, count + 1)]


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(admin_client, strategy, settings, kept):
    upload_file = csv_file(rows(strategy))
    settings.IMPORT_MAX_UPLOAD_BYTES = upload_file.size - 1

    message = refusal(upload(admin_client, upload_file, "csv"))

    assert "the import takes files of up to" in message and message.startswith("The file is ")
    assert kept == [] and Action.objects.count() == 0


def test_the_default_size_limit_is_two_megabytes(admin_client, strategy, kept):
    data = csv_file(rows(strategy)).read()
    padded = data + b" " * (2 * 1024 * 1024 + 1 - len(data))
    message = refusal(upload(admin_client, SimpleUploadedFile("actions.csv", padded), "csv"))
    assert message.startswith("The file is 2.0\xa0MB; the import takes files of up to 2.0\xa0MB.")
    assert kept == []


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file], ids=["csv", "xlsx"])
def test_a_file_with_more_rows_than_the_limit_is_refused(admin_client, strategy, settings, kept, make_file):
    settings.IMPORT_MAX_ROWS = 3
    title = "csv" if make_file is csv_file else "xlsx"

    message = refusal(upload(admin_client, make_file(many_rows(strategy, 4)), title))

    assert message.startswith("The file has more than 3 rows. Import at most 3 rows at a time")
    assert still_kept(kept) == [] and Action.objects.count() == 0
    # As many rows as the limit are previewed as usual; blank rows do not count.
    response = upload(admin_client, make_file([*many_rows(strategy, 3), [None] * len(HEADERS)]), title)
    assert response.context["result"].totals["new"] == 3


def test_reading_stops_at_the_row_limit(settings):
    settings.IMPORT_MAX_ROWS = 5
    read = []

    def endless():
        yield ["reference"]
        for number in range(100_000):
            read.append(number)
            yield [f"1.{number}"]

    with pytest.raises(spreadsheets.SpreadsheetRefused):
        spreadsheets.read_rows(endless(), fill="")
    assert len(read) == 6  # the sixth row is refused, the rest never read


def expanding_workbook(size: int) -> SimpleUploadedFile:
    """A workbook whose sheet unpacks from a few kilobytes to `size` bytes of zeros."""
    book = io.BytesIO()
    openpyxl.Workbook().save(book)
    with zipfile.ZipFile(book) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["xl/worksheets/sheet1.xml"] = b"0" * size
    return SimpleUploadedFile("actions.xlsx", zip_bytes(members))


def test_a_workbook_that_unpacks_past_the_limit_is_refused_unopened(admin_client, strategy, settings, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(spreadsheets, "load_workbook", never)
    settings.IMPORT_MAX_UNPACKED_BYTES = 4 * 1024 * 1024
    upload_file = expanding_workbook(5 * 1024 * 1024)
    assert upload_file.size < 100_000

    message = refusal(upload(admin_client, upload_file, "xlsx"))

    assert message.startswith("The spreadsheet is too large once unpacked (more than 4.0\xa0MB).")


def test_a_workbook_that_unpacks_to_an_absurd_multiple_of_its_size_is_refused(admin_client, strategy, monkeypatch):
    monkeypatch.setattr(spreadsheets, "load_workbook", None)  # never reached
    upload_file = expanding_workbook(10 * 1024 * 1024)  # under the default 20 MB, but 1,000 times its packed size

    message = refusal(upload(admin_client, upload_file, "xlsx"))

    assert message == spreadsheets.EXPANDS


def latin1_csv(strategy) -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows([HEADERS, [strategy.slug, 1, 1, "1.1.1", 1, "Budget of £500", "Strategic HR"]])
    return SimpleUploadedFile("actions.csv", out.getvalue().encode("cp1252"))


@pytest.mark.parametrize(
    ("name", "content", "title", "expected"),
    [
        ("not a workbook", b"Reference,Description\n1.1.1,Plan\n", "xlsx", spreadsheets.XLSX_UNREADABLE),
        ("a zip of something else", zip_bytes({"notes.txt": b"hello"}), "xlsx", spreadsheets.XLSX_UNREADABLE),
        ("half a workbook", None, "xlsx", spreadsheets.XLSX_UNREADABLE),
        ("a workbook chosen as CSV", None, "csv", spreadsheets.CSV_UNREADABLE),
        ("a CSV not saved as UTF-8", None, "csv", spreadsheets.CSV_UNREADABLE),
    ],
)
def test_a_malformed_file_gets_a_sentence_not_an_exception(
    admin_client, strategy, kept, name, content, title, expected
):
    if name == "half a workbook":
        whole = xlsx_file(rows(strategy)).read()
        content = whole[: len(whole) // 2]
    elif name == "a workbook chosen as CSV":
        content = xlsx_file(rows(strategy)).read()
    elif name == "a CSV not saved as UTF-8":
        content = latin1_csv(strategy).read()

    message = refusal(upload(admin_client, SimpleUploadedFile(f"actions.{title}", content), title))

    assert message == expected
    assert still_kept(kept) == []


def test_the_file_is_kept_for_the_confirm_step_only(admin_client, strategy, kept, temp_folder):
    response = upload(admin_client, xlsx_file(rows(strategy)), "xlsx")
    assert still_kept(kept) == kept and len(kept) == 1  # in the shared cache, for whichever server confirms
    assert list(temp_folder.iterdir()) == []  # no server's temporary folder holds a copy

    response = admin_client.post(
        reverse("admin:actions_action_process_import"), response.context["confirm_form"].initial
    )

    assert response.status_code == 302 and Action.objects.count() == 3
    assert still_kept(kept) == [] and list(temp_folder.iterdir()) == []


def test_a_preview_that_cannot_be_confirmed_keeps_nothing(admin_client, strategy, kept, temp_folder):
    response = upload(admin_client, xlsx_file(rows(strategy, lead_teams_of_third="Nobody")), "xlsx")
    assert response.context["result"].has_validation_errors()
    response = upload(admin_client, SimpleUploadedFile("actions.xlsx", b"not a workbook"), "xlsx")
    assert refusal(response) == spreadsheets.XLSX_UNREADABLE

    assert len(kept) == 2 and still_kept(kept) == []
    assert list(temp_folder.iterdir()) == []


def test_a_failed_confirm_step_keeps_nothing(admin_client, strategy, kept, temp_folder):
    response = upload(admin_client, csv_file(rows(strategy)), "csv")
    Team.objects.filter(name="Corporate Comms Team").delete()

    response = admin_client.post(
        reverse("admin:actions_action_process_import"), response.context["confirm_form"].initial
    )

    assert response.status_code == 302 and Action.objects.count() == 0
    assert len(kept) == 1 and still_kept(kept) == [] and list(temp_folder.iterdir()) == []


def test_a_file_refused_at_the_confirm_step_is_removed_too(admin_client, strategy, settings, kept):
    response = upload(admin_client, csv_file(rows(strategy)), "csv")
    settings.IMPORT_MAX_ROWS = 2  # lowered between the preview and the confirm step

    url = reverse("admin:actions_action_process_import")
    response = admin_client.post(url, response.context["confirm_form"].initial, follow=True)

    message = str(list(response.context["messages"])[0])
    assert message.startswith("Nothing was imported. The file has more than 2 rows.")
    assert Action.objects.count() == 0 and len(kept) == 1 and still_kept(kept) == []


def test_a_confirm_after_the_file_is_gone_says_to_upload_again(admin_client, strategy, kept):
    response = upload(admin_client, csv_file(rows(strategy)), "csv")
    confirm = response.context["confirm_form"].initial
    PreviewStorage(name=kept[0]).remove()  # as when its hour has passed

    response = admin_client.post(reverse("admin:actions_action_process_import"), confirm, follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:actions_action_import")
    message = str(list(response.context["messages"])[0])
    assert (
        message.startswith("Nothing was imported: the uploaded file is no longer kept") and Action.objects.count() == 0
    )


def test_a_kept_file_expires_and_only_its_own_names_are_looked_up():
    assert PreviewStorage.CACHE_LIFETIME == 60 * 60
    for name in ["../../etc/passwd", "", "x" * 32, "ABCDEF0123456789ABCDEF0123456789"]:
        storage = PreviewStorage(name=name)
        assert storage.read() is None and not storage.exists()
        storage.remove()  # does nothing
