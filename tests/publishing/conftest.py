"""What the open data tests share: the timeline of tests/dashboard (Q3 2016/17 open), and
the files of a quarter written to a folder and read back as a reader would."""

import csv
import datetime
import io
import json
from pathlib import Path

import frictionless
import pytest

from publishing.public_data import CSV_NAME, JSON_NAME, PACKAGE_NAME, open_data_files
from tests.dashboard.conftest import timeline  # noqa: F401  (the data, re-used)
from tests.publishing.published import approver, ready  # noqa: F401  (a quarter signed off, ready to publish)

OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
PUBLISHED_AT = datetime.datetime(2017, 2, 3, 10, 30, tzinfo=datetime.UTC)


def files_of(snapshot, version=1):
    return open_data_files(snapshot, version=version, published_at=PUBLISHED_AT, licence_url=OGL)


def csv_rows(files) -> list[dict[str, str]]:
    """The CSV's rows as a spreadsheet program reads them (the byte order mark taken off)."""
    return list(csv.DictReader(io.StringIO(files[CSV_NAME].decode("utf-8-sig"))))


def json_rows(files) -> list[dict]:
    return json.loads(files[JSON_NAME])


def validate(files, folder: Path) -> frictionless.Report:
    """The Data Package checked by the frictionless library: its descriptor, the CSV and the JSON
    against the Table Schema, and the CSV's size and hash."""
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return frictionless.validate(str(folder / PACKAGE_NAME))


def errors(report: frictionless.Report) -> list:
    return report.flatten(["type", "message"])


@pytest.fixture
def folder(tmp_path):
    return tmp_path
