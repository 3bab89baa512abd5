# ruff: noqa: F811  (the timeline fixture is imported, then named by each test)
"""Who reads the DMT report. Everyone signed in reads it, managers included, with the key
messages and DMT's decisions: it is the department's own report on its own plan, managers
need DMT's answer to their requests for help, and what must stay internal is kept from the
public, not from staff (README, "Demo users"; shared domain: "everyone signed in may read").
Only planners write the key messages and decisions; nobody signed out reads anything."""

import io

import openpyxl
import pytest
from django.urls import reverse

from reporting import services
from reporting.models import ProgressUpdate
from tests import factories
from tests.dashboard.conftest import timeline  # noqa: F401  (the data, re-used)
from workforce.roles import MANAGER

pytestmark = pytest.mark.django_db

KEY_MESSAGES = "Recruitment is ahead of plan; agency use is still too high."
NOTE = "£20k from reserves"


@pytest.fixture
def written(timeline, planner):
    """Q3's key messages, and DMT's decision on action A's request for help."""
    period = timeline["q3"]
    services.key_messages_set(period=period, user=planner, key_messages=KEY_MESSAGES, strategic_lead="")
    update = ProgressUpdate.objects.get(action=timeline["actions"]["A"], period=period)
    services.dmt_decision_record(update=update, user=planner, outcome="agreed", note=NOTE)
    return timeline


@pytest.fixture
def other_manager(db, other_team):
    """A manager whose team leads none of the strategy's actions."""
    return factories.UserFactory(username="elsewhere", groups=[MANAGER], teams=[other_team])


def quarter_url(timeline, kind="dashboard:quarter"):
    return reverse(kind, args=[timeline["strategy"].slug, timeline["q3"].slug])


def test_a_manager_who_leads_none_of_it_reads_the_report_with_key_messages_and_decisions(
    client, written, other_manager
):
    client.force_login(other_manager)
    response = client.get(quarter_url(written))
    assert response.status_code == 200
    html = response.content.decode()
    assert KEY_MESSAGES in html
    assert NOTE in html


def test_a_manager_downloads_the_spreadsheet_with_them_too(client, written, other_manager):
    client.force_login(other_manager)
    response = client.get(quarter_url(written, "dashboard:xlsx"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = {str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value}
    assert KEY_MESSAGES in cells
    assert any(NOTE in cell for cell in cells)


def test_a_manager_cannot_write_them(client, written, other_manager):
    client.force_login(other_manager)
    url = reverse("reporting:dmt", args=[written["strategy"].slug, written["q3"].slug])
    assert client.post(url, {"key_messages": "Changed by a manager"}).status_code == 403
    written["q3"].refresh_from_db()
    assert written["q3"].key_messages == KEY_MESSAGES


def test_nobody_signed_out_reads_the_report(client, written):
    for kind in ("dashboard:quarter", "dashboard:xlsx", "dashboard:pdf"):
        response = client.get(quarter_url(written, kind))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
