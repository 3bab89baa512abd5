"""Spreadsheets of actions and measures in the admin: preview, all or nothing, confirm, export."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import Action
from actions.resources import ActionResource
from outcomes.models import SuccessMeasure
from outcomes.resources import SuccessMeasureResource
from tests import factories
from workforce.models import Team

pytestmark = pytest.mark.django_db

HEADERS = [
    "strategy",
    "outcome",
    "recommendation",
    "reference",
    "order",
    "description",
    "lead_teams",
    "lead_officer",
    "timescale",
    "estimated_cost",
    "framework_link",
    "notes",
]


@pytest.fixture
def strategy(db):
    """Outcome 1 with recommendation 1, and outcome 2 with none, plus two lead teams."""
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


def rows(strategy, lead_teams_of_third="Corporate Comms Team"):
    slug = strategy.slug
    return [
        [slug, 1, 1, "1.1.1", 1, "Scope out the Workforce Engagement Plan", "Strategic HR", "", "March-April 2016",
         1500, "", ""],
        [slug, 1, 1, "1.1.2", 2, "Staff briefings each month", "Strategic HR; Corporate Comms Team", "",
         "February 2016 (and then monthly reports)", None, "", ""],
        [slug, 2, None, "2.1", 3, "Publish the vision on the intranet", lead_teams_of_third, "Head of Strategy",
         "December 2015 - March 2016", None, "PCF", "From the 2016 refresh"],
    ]  # fmt: skip


def xlsx_file(data, name="actions.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in data:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def csv_file(data, name="actions.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(["" if value is None else value for value in row] for row in data)
    return SimpleUploadedFile(name, out.getvalue().encode(), "text/csv")


def format_index(response, title):
    choices = {label: value for value, label in response.context["form"].fields["format"].choices}
    return choices[title]


def export(client, title, url_name="admin:actions_action_export"):
    """Post the export form as it is given: every column ticked."""
    url = reverse(url_name)
    form = client.get(url).context["form"]
    data = {"resource": "0", "format": format_index(client.get(url), title)}
    data |= {name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)}
    response = client.post(url, data)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def upload(client, upload_file, title, url_name="admin:actions_action_import"):
    url = reverse(url_name)
    index = format_index(client.get(url), title)
    return client.post(url, {"resource": "0", "format": index, "import_file": upload_file})


def test_an_unknown_lead_team_refuses_the_whole_import_and_names_the_team(admin_client, strategy):
    response = upload(admin_client, xlsx_file(rows(strategy, lead_teams_of_third="Strategic HR; Nobody")), "xlsx")

    assert response.status_code == 200
    result = response.context["result"]
    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [3]
    assert "confirm_form" not in response.context  # no confirm button: nothing can be saved
    html = response.content.decode()
    assert "There is no lead team called &quot;Nobody&quot;" in html
    assert "Confirm import" not in html
    assert Action.objects.count() == 0


def test_a_good_spreadsheet_is_previewed_then_saved_on_confirm(admin_client, strategy):
    response = upload(admin_client, xlsx_file(rows(strategy)), "xlsx")

    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.valid_rows()] == ["new", "new", "new"]
    html = response.content.decode()
    for reference in ("1.1.1", "1.1.2", "2.1"):
        assert reference in html
    assert "Confirm import" in html
    assert Action.objects.count() == 0  # the preview saved nothing

    confirm = response.context["confirm_form"]
    response = admin_client.post(reverse("admin:actions_action_process_import"), confirm.initial)
    assert response.status_code == 302

    actions = {action.reference: action for action in Action.objects.all()}
    assert sorted(actions) == ["1.1.1", "1.1.2", "2.1"]
    first, second, third = actions["1.1.1"], actions["1.1.2"], actions["2.1"]
    assert [team.name for team in second.lead_teams.order_by("name")] == ["Corporate Comms Team", "Strategic HR"]
    assert (first.start_date, first.due_date, first.is_ongoing) == (
        datetime.date(2016, 3, 1),
        datetime.date(2016, 4, 30),
        False,
    )
    assert second.is_ongoing and second.start_date == datetime.date(2016, 2, 1)
    assert (third.start_date, third.due_date) == (datetime.date(2015, 12, 1), datetime.date(2016, 3, 31))
    assert first.estimated_cost == Decimal("1500") and first.recommendation.number == 1
    assert third.recommendation is None and third.outcome.number == 2 and third.lead_officer == "Head of Strategy"
    # The change history records who imported it.
    assert {record.history_user.username for record in first.history.all()} == {"admin"}


def test_a_row_that_fails_at_the_confirm_step_saves_nothing(admin_client, strategy):
    response = upload(admin_client, xlsx_file(rows(strategy)), "xlsx")
    Team.objects.filter(name="Corporate Comms Team").delete()  # someone removes a team meanwhile

    response = admin_client.post(
        reverse("admin:actions_action_process_import"), response.context["confirm_form"].initial, follow=True
    )

    assert Action.objects.count() == 0
    assert response.redirect_chain[-1][0] == reverse("admin:actions_action_import")
    message = str(list(response.context["messages"])[0])
    assert message.startswith("Nothing was imported.") and '"Corporate Comms Team"' in message


def test_only_those_who_may_add_and_change_actions_may_import(client, planner):
    client.force_login(factories.UserFactory(username="staff", is_staff=True))
    assert client.get(reverse("admin:actions_action_import")).status_code == 403
    assert client.get(reverse("admin:actions_action_export")).status_code == 403
    client.force_login(planner)  # Organisational Planning keeps the strategy right
    assert client.get(reverse("admin:actions_action_import")).status_code == 200
    assert client.get(reverse("admin:actions_action_export")).status_code == 200


def test_reimporting_updates_in_place(admin_client, strategy):
    resource = ActionResource()
    resource.import_data(tablib.Dataset(*rows(strategy), headers=HEADERS))
    changed = rows(strategy)
    changed[0][5] = "Scope out and write the Workforce Engagement Plan"
    changed[0][8] = "Ongoing"

    response = upload(admin_client, csv_file(changed), "csv")
    assert [row.import_type for row in response.context["result"].valid_rows()] == ["update", "update", "update"]
    admin_client.post(reverse("admin:actions_action_process_import"), response.context["confirm_form"].initial)

    assert Action.objects.count() == 3
    action = Action.objects.get(reference="1.1.1")
    assert action.description == "Scope out and write the Workforce Engagement Plan"
    assert action.is_ongoing and action.due_date is None


def test_a_csv_import_saves_on_confirm(admin_client, strategy):
    response = upload(admin_client, csv_file(rows(strategy)), "csv")
    assert not response.context["result"].has_validation_errors()
    admin_client.post(reverse("admin:actions_action_process_import"), response.context["confirm_form"].initial)
    assert Action.objects.filter(strategy=strategy).count() == 3
    assert Action.objects.get(reference="2.1").framework_link == "PCF"


def test_the_export_has_every_column(admin_client, strategy):
    team = factories.TeamFactory(name="Strategic HR")
    action = factories.ActionFactory(
        recommendation=strategy.outcomes.get(number=1).recommendations.get(),
        reference="1.1.1",
        lead_teams=[team],
        estimated_cost=Decimal("250.00"),
    )
    changelist = admin_client.get(reverse("admin:actions_action_changelist")).content.decode()
    assert reverse("admin:actions_action_import") in changelist and reverse("admin:actions_action_export") in changelist
    exported = export(admin_client, "csv")
    assert list(exported[0]) == [*HEADERS, "start_date", "due_date", "is_ongoing"]
    assert exported[0]["strategy"] == strategy.slug
    assert (exported[0]["outcome"], exported[0]["recommendation"], exported[0]["reference"]) == ("1", "1", "1.1.1")
    assert exported[0]["lead_teams"] == "Strategic HR"
    assert exported[0]["timescale"] == action.timescale
    assert exported[0]["due_date"] == "2016-04-30"
    assert exported[0]["estimated_cost"] == "250.00"


def test_an_exported_spreadsheet_imports_back_unchanged(strategy):
    factories.ActionFactory(
        recommendation=strategy.outcomes.get(number=1).recommendations.get(),
        reference="1.1.1",
        lead_teams=[factories.TeamFactory(name="Strategic HR"), factories.TeamFactory(name="Corporate Comms Team")],
    )
    dataset = ActionResource().export()
    result = ActionResource().import_data(dataset, dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.valid_rows()] == ["update"]


def errors_of(result):
    return {row.number: row.error.message_dict for row in result.invalid_rows}


def test_the_resource_reports_each_rows_errors_and_saves_nothing(strategy):
    other = factories.RecommendationFactory(outcome__number=7, number=1).outcome.strategy
    data = rows(strategy)
    data[0][9] = -5  # a negative estimated cost
    data[1][1] = 7  # outcome 7 belongs to another strategy
    data[2][6] = "Nobody"
    data.append([other.slug, 7, 1, "1.1.1", 1, "Fine on its own", "Strategic HR", "", "", None, "", ""])
    data.append([strategy.slug, 1, 1, "1.1.1", 5, "The same reference again", "", "", "", None, "", ""])
    data.append(["no-such-strategy", 1, 1, "9.9", 6, "Nowhere", "", "", "", None, "", ""])

    result = ActionResource().import_data(tablib.Dataset(*data, headers=HEADERS), dry_run=True)

    assert result.has_validation_errors() and not result.has_errors()
    errors = errors_of(result)
    assert sorted(errors) == [1, 2, 3, 5, 6]
    assert errors[1] == {"estimated_cost": ["The estimated cost cannot be negative."]}
    assert errors[2]["outcome"] == [f'Strategy "{strategy.slug}" has no outcome 7.']
    assert errors[3] == {"lead_teams": ['There is no lead team called "Nobody". Add the team in the admin first, '
                                        "or correct the name."]}  # fmt: skip
    assert errors[5] == {"reference": ["Row 1 is the same action: each action may appear once in a file."]}
    assert errors[6]["strategy"] == ['There is no strategy with the short name "no-such-strategy".']

    # Not a dry run: the good rows are not saved either.
    result = ActionResource().import_data(tablib.Dataset(*data, headers=HEADERS), dry_run=False)
    assert result.has_validation_errors()
    assert Action.objects.count() == 0


def test_a_clean_dry_run_saves_nothing_and_a_real_run_saves_all(strategy):
    dataset = tablib.Dataset(*rows(strategy), headers=HEADERS)
    result = ActionResource().import_data(dataset, dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 3
    assert Action.objects.count() == 0
    ActionResource().import_data(dataset, dry_run=False)
    assert Action.objects.count() == 3


def test_blank_spreadsheet_rows_are_ignored(strategy):
    data = [*rows(strategy), [None] * len(HEADERS)]
    result = ActionResource().import_data(tablib.Dataset(*data, headers=HEADERS), dry_run=True)
    assert not result.has_validation_errors()
    assert result.totals["new"] == 3


MEASURE_HEADERS = [
    "strategy",
    "outcome",
    "recommendation",
    "number",
    "measure",
    "indicator",
    "target_value",
    "target_unit",
    "baseline",
]


def test_measures_import_matched_on_recommendation_and_number(admin_client, strategy):
    slug = strategy.slug
    data = [
        [slug, 1, 1, 1, "All staff can articulate the strategic focus", "Staff Survey", 100, "%", "62% in 2015"],
        [slug, 1, 1, 2, "Engagement improves", "", None, "", ""],
    ]
    response = upload(admin_client, xlsx_measures(data), "xlsx", "admin:outcomes_successmeasure_import")
    assert not response.context["result"].has_validation_errors()
    admin_client.post(reverse("admin:outcomes_successmeasure_process_import"), response.context["confirm_form"].initial)
    measure = SuccessMeasure.objects.get(number=1)
    assert (measure.target_value, measure.target_unit, measure.recommendation.reference) == (100, "%", "1.1")

    data[0][4] = "Every member of staff can articulate the strategic focus"
    data.append([slug, 2, 1, 1, "Outcome 2 has no recommendations", "", None, "", ""])
    result = SuccessMeasureResource().import_data(tablib.Dataset(*data, headers=MEASURE_HEADERS))
    assert errors_of(result) == {3: {"recommendation": [f'Outcome 2 of strategy "{slug}" has no recommendation 1.']}}
    assert SuccessMeasure.objects.get(number=1).measure == "All staff can articulate the strategic focus"

    del data[2]
    result = SuccessMeasureResource().import_data(tablib.Dataset(*data, headers=MEASURE_HEADERS))
    assert [row.import_type for row in result.valid_rows()] == ["update", "update"]
    assert SuccessMeasure.objects.count() == 2
    assert SuccessMeasure.objects.get(number=1).measure.startswith("Every member")


def test_measures_export(admin_client, strategy):
    recommendation = strategy.outcomes.get(number=1).recommendations.get()
    factories.SuccessMeasureFactory(recommendation=recommendation, number=1, target_value=100, target_unit="%")
    changelist = admin_client.get(reverse("admin:outcomes_successmeasure_changelist")).content.decode()
    assert reverse("admin:outcomes_successmeasure_import") in changelist
    exported = export(admin_client, "csv", "admin:outcomes_successmeasure_export")
    assert list(exported[0]) == MEASURE_HEADERS
    assert [exported[0][name] for name in MEASURE_HEADERS[:4]] == [strategy.slug, "1", "1", "1"]


def xlsx_measures(data):
    book = openpyxl.Workbook()
    book.active.append(MEASURE_HEADERS)
    for row in data:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("measures.xlsx", out.getvalue())
