"""The hostile clients' requests are the most expensive allowed, not more: a search at the
list's limit, an import of exactly the row limit within the upload limit."""

import io

import openpyxl
from django.conf import settings

from tests.load.hostile_requests import IMPORT_MAX_ROWS, LONGEST_SEARCH, largest_import


def test_the_search_is_the_longest_allowed():
    words = LONGEST_SEARCH["q"].split()
    assert len(words) == 10
    assert len(LONGEST_SEARCH["q"]) == 200


def test_the_import_is_the_largest_allowed():
    data = largest_import(settings.IMPORT_MAX_ROWS)
    assert len(data) <= settings.IMPORT_MAX_UPLOAD_BYTES
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows(min_row=2)) == settings.IMPORT_MAX_ROWS


def test_the_load_test_imports_the_row_limit():
    assert IMPORT_MAX_ROWS == settings.IMPORT_MAX_ROWS
