"""Every spreadsheet export writes text as text: nothing a user typed can run as a formula.

A commentary that begins with =, +, -, @, a tab or a carriage return is a text cell (with
Excel's quote prefix) in a workbook, and sits behind an apostrophe in CSV, readable either
way; a CSV exported and imported again gives back the text as it was.
"""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import Action
from outcomes.spreadsheets import csv_value, is_formula_like
from tests import factories
from tests.actions.test_import_export import export, format_index, upload
from tests.spreadsheets import FORMULAE, assert_no_formula_in, assert_text_cells, readable

pytestmark = pytest.mark.django_db


def test_the_rule():
    assert [is_formula_like(text) for text in FORMULAE] == [True] * 6
    assert not any(is_formula_like(value) for value in ["5% turnover", "a=b", "", None, -5, 1.5, "'=1"])
    assert [csv_value(text) for text in FORMULAE] == [f"'{text}" for text in FORMULAE]
    assert csv_value("Fewer agency staff") == "Fewer agency staff" and csv_value(-5) == -5


@pytest.fixture
def admin_client(client, db):
    client.force_login(factories.UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def formula_actions(db):
    recommendation = factories.RecommendationFactory(outcome__strategy__slug="leics", outcome__number=1, number=1)
    team = factories.TeamFactory(name="Strategic HR")
    for number, text in enumerate(FORMULAE, start=1):
        factories.ActionFactory(
            recommendation=recommendation, reference=f"1.1.{number}", description=text, notes=text, lead_teams=[team]
        )
    return recommendation


def export_response(client, title, url_name="admin:actions_action_export"):
    url = reverse(url_name)
    form = client.get(url).context["form"]
    data = {"resource": "0", "format": format_index(client.get(url), title)}
    data |= {name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)}
    response = client.post(url, data)
    assert response.status_code == 200
    return response


def test_the_admin_xlsx_export_writes_text_as_text(admin_client, formula_actions):
    content = export_response(admin_client, "xlsx").content
    assert_no_formula_in(content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    rows = sorted(sheet.iter_rows(min_row=2), key=lambda row: row[header.index("reference")].value)
    assert_text_cells([row[header.index("description")] for row in rows], FORMULAE)
    assert_text_cells([row[header.index("notes")] for row in rows], FORMULAE)
    # Numbers and dates are still numbers and dates in a workbook.
    assert rows[0][header.index("outcome")].value == 1
    assert rows[0][header.index("due_date")].is_date


def test_the_admin_csv_export_puts_an_apostrophe_before_formula_like_text(admin_client, formula_actions):
    exported = sorted(export(admin_client, "csv"), key=lambda row: row["reference"])
    # The csv module reads a lone carriage return in a quoted field back as written.
    assert [row["description"] for row in exported] == [f"'{text}" for text in FORMULAE]
    assert [row["notes"] for row in exported] == [f"'{text}" for text in FORMULAE]
    assert exported[0]["reference"] == "1.1.1" and exported[0]["strategy"] == "leics"


def test_the_measures_exports_write_text_as_text(admin_client, formula_actions):
    for number, text in enumerate(FORMULAE, start=1):
        factories.SuccessMeasureFactory(recommendation=formula_actions, number=number, measure=text, indicator=text)
    url_name = "admin:outcomes_successmeasure_export"
    exported = sorted(export(admin_client, "csv", url_name), key=lambda row: int(row["number"]))
    assert [row["measure"] for row in exported] == [f"'{text}" for text in FORMULAE]
    content = export_response(admin_client, "xlsx", url_name).content
    assert_no_formula_in(content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    rows = sorted(sheet.iter_rows(min_row=2), key=lambda row: row[header.index("number")].value)
    assert_text_cells([row[header.index("measure")] for row in rows], FORMULAE)


@pytest.mark.parametrize("title", ["csv", "xlsx"])
def test_an_exported_file_imports_back_with_the_text_as_it_was(admin_client, formula_actions, title):
    content = export_response(admin_client, title).content
    Action.objects.update(description="changed", notes="changed")

    response = upload(admin_client, SimpleUploadedFile(f"actions.{title}", content), title)
    assert not response.context["result"].has_validation_errors()
    admin_client.post(reverse("admin:actions_action_process_import"), response.context["confirm_form"].initial)

    saved = [(action.description, action.notes) for action in Action.objects.order_by("reference")]
    expected = FORMULAE if title == "csv" else [readable(text) for text in FORMULAE]
    assert saved == [(text, text) for text in expected]


def test_a_csv_that_excel_saved_again_imports_the_same(admin_client, formula_actions):
    """Excel keeps the apostrophe of a CSV cell as a character: it is taken off on import too."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["strategy", "outcome", "recommendation", "reference", "order", "description", "lead_teams"])
    writer.writerow(["leics", 1, 1, "1.1.1", 1, "'-5% turnover", "Strategic HR"])
    response = upload(admin_client, SimpleUploadedFile("actions.csv", out.getvalue().encode()), "csv")
    admin_client.post(reverse("admin:actions_action_process_import"), response.context["confirm_form"].initial)
    assert Action.objects.get(reference="1.1.1").description == "-5% turnover"
