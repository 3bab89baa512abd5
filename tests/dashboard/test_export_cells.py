"""The DMT workbook writes every commentary as text: nothing typed in an update runs as a formula."""

import io

import openpyxl
import pytest
from django.urls import reverse

from actions.models import Action
from reporting.models import ProgressUpdate
from tests.spreadsheets import FORMULAE, assert_no_formula_in, assert_text_cells

pytestmark = pytest.mark.django_db


def test_the_dmt_workbook_writes_commentary_as_text(client, dmt, timeline):
    actions = timeline["actions"]
    for name, text in zip("ABCDEF", FORMULAE, strict=True):
        Action.objects.filter(pk=actions[name].pk).update(description=text)
    ProgressUpdate.objects.filter(action=actions["A"], period=timeline["q3"]).update(
        progress="-5% turnover", help_needed='=HYPERLINK("http://x","y")'
    )
    client.force_login(dmt)

    response = client.get(reverse("dashboard:xlsx", args=[timeline["strategy"].slug, timeline["q3"].slug]))

    assert response.status_code == 200
    assert_no_formula_in(response.content)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Actions"]
    header = [cell.value for cell in sheet[1]]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    descriptions = [rows[action.reference][header.index("Action")] for action in actions.values()]
    assert_text_cells(descriptions, FORMULAE)
    first = rows[actions["A"].reference]
    assert_text_cells(
        [first[header.index("Progress this quarter")], first[header.index("Help needed from DMT")]],
        ["-5% turnover", '=HYPERLINK("http://x","y")'],
    )
    # Numbers and dates stay numbers and dates.
    assert sheet.cell(row=2, column=header.index("Due date") + 1).is_date
