"""Lead officers are people: a planner links the officer named on an action to their
account; the officer then sees and updates the action, and their name shows wherever
the lead teams show (lists, the action, the dashboard, the PDF and the spreadsheet)."""

from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from actions.models import Action
from reporting.models import ProgressUpdate, Status
from tests import factories
from tests.admin_forms import form_data
from workforce.roles import MANAGER

pytestmark = pytest.mark.django_db

OFFICER_AS_WRITTEN = "Amira Khan, Head of Workforce Development"


@pytest.fixture
def officer(db):
    """A manager in no team at all: only the link to the action lets them update it."""
    return factories.UserFactory(username="akhan", first_name="Amira", last_name="Khan", groups=[MANAGER])


@pytest.fixture
def officer_action(period, officer, other_team):
    """Led by a named officer (linked to their account) as well as by Strategic HR."""
    return factories.ActionFactory(
        recommendation__outcome__strategy=period.strategy,
        reference="3.1.1",
        description="Introduce a workforce development offer for team managers",
        due_date=None,
        is_ongoing=True,
        lead_officer=OFFICER_AS_WRITTEN,
        lead_officer_user=officer,
        lead_teams=[other_team],
    )


def update_data(**fields) -> dict:
    return {"status": Status.IN_PROGRESS, "rag": "green", "progress": "Offer drafted.", "version": 0, **fields}


def test_the_officer_sees_the_action_in_your_actions(client, officer, officer_action, action):
    client.force_login(officer)
    response = client.get(reverse("reporting:home"))
    assert response.status_code == 200
    assert list(response.context["actions"]) == [officer_action]
    assert "Needs an update" in response.content.decode()


def test_the_officer_opens_and_saves_the_update_form(client, officer, officer_action, period):
    client.force_login(officer)
    url = reverse("reporting:update", args=[officer_action.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, update_data())

    assert response.status_code == 302
    update = ProgressUpdate.objects.get(action=officer_action)
    assert (update.period, update.author, update.progress) == (period, officer, "Offer drafted.")
    detail = client.get(reverse("reporting:detail", args=[officer_action.pk]))
    assert detail.context["can_edit"]


def test_another_manager_may_not_update_the_officers_action(client, officer_action, manager, officer):
    second = factories.UserFactory(username="bjones", groups=[MANAGER])  # in no team, no officer
    url = reverse("reporting:update", args=[officer_action.pk])
    for person in (manager, second):
        client.force_login(person)
        assert client.get(url).status_code == 403
        assert client.post(url, update_data()).status_code == 403
        assert officer_action not in client.get(reverse("reporting:home")).context["actions"]
    assert not ProgressUpdate.objects.exists()


def test_unlinked_the_officer_no_longer_sees_or_updates_it(client, officer, officer_action):
    Action.objects.filter(pk=officer_action.pk).update(lead_officer_user=None)
    client.force_login(officer)
    assert list(client.get(reverse("reporting:home")).context["actions"]) == []
    assert client.get(reverse("reporting:update", args=[officer_action.pk])).status_code == 403


def test_a_planner_links_the_officer_in_the_admin(client, planner, officer, other_team, period):
    action = factories.ActionFactory(
        recommendation__outcome__strategy=period.strategy, lead_officer=OFFICER_AS_WRITTEN, lead_teams=[other_team]
    )
    client.force_login(planner)
    url = reverse("admin:actions_action_change", args=[action.pk])
    page = client.get(url)
    data = form_data(page)
    data["lead_officer_user"] = officer.pk

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    action.refresh_from_db()
    assert action.lead_officer_user == officer
    client.force_login(officer)
    assert list(client.get(reverse("reporting:home")).context["actions"]) == [action]


def test_the_officers_name_shows_on_the_lists_and_the_action_page(client, manager, officer, officer_action, period):
    client.force_login(manager)
    for url in (reverse("reporting:list"), reverse("reporting:detail", args=[officer_action.pk])):
        assert OFFICER_AS_WRITTEN in client.get(url).content.decode(), url
    client.force_login(officer)
    assert OFFICER_AS_WRITTEN in client.get(reverse("reporting:home")).content.decode()


def test_an_officer_named_only_by_their_account_shows_by_full_name(client, dmt, officer_action, period):
    Action.objects.filter(pk=officer_action.pk).update(lead_officer="")
    client.force_login(dmt)
    assert "Amira Khan, Strategic HR" in client.get(reverse("reporting:list")).content.decode()
    dashboard = client.get(reverse("dashboard:quarter", args=[period.strategy.slug, period.slug]))
    assert "Amira Khan, Strategic HR" in dashboard.content.decode()
    workbook = openpyxl.load_workbook(
        BytesIO(client.get(reverse("dashboard:xlsx", args=[period.strategy.slug, period.slug])).content)
    )
    assert lead_column(workbook)["3.1.1"] == "Amira Khan, Strategic HR"


def lead_column(workbook) -> dict[str, str]:
    rows = list(workbook["Actions"].iter_rows(values_only=True))
    header = rows[0]
    return {row[0]: row[header.index("Lead")] for row in rows[1:]}


def test_the_officers_name_shows_on_the_dashboard_pdf_and_spreadsheet(client, dmt, officer_action, action, period):
    client.force_login(dmt)
    args = [period.strategy.slug, period.slug]

    dashboard = client.get(reverse("dashboard:quarter", args=args))
    assert f"{OFFICER_AS_WRITTEN}, Strategic HR" in dashboard.content.decode()

    reader = PdfReader(BytesIO(client.get(reverse("dashboard:pdf", args=args)).content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert f"Lead: {OFFICER_AS_WRITTEN}, Strategic HR" in text  # the missing update is an exception

    workbook = openpyxl.load_workbook(BytesIO(client.get(reverse("dashboard:xlsx", args=args)).content))
    leads = lead_column(workbook)
    assert leads == {
        officer_action.reference: f"{OFFICER_AS_WRITTEN}, Strategic HR",
        action.reference: "Organisational Planning",
    }
