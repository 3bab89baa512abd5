"""Sign-off: after a quarter closes, a planner records which DMT member approved its report,
and when; reopening the quarter withdraws it."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from reporting import services
from reporting.models import PeriodEvent, ReportingPeriod
from strategy_tracker import data_version
from tests import factories
from tests.publishing.published import APPROVED_ON
from workforce.roles import MANAGER

pytestmark = pytest.mark.django_db


def test_a_planner_records_who_approved_a_closed_quarter_and_when(
    timeline, planner, approver, django_capture_on_commit_callbacks
):
    q2 = timeline["q2"]
    with django_capture_on_commit_callbacks() as callbacks:
        services.period_sign_off(period=q2, user=planner, approver=approver, approved_on=APPROVED_ON)
    assert callbacks, "the data version is told after the commit"
    q2.refresh_from_db()
    assert (q2.signed_off_by, q2.signed_off_on, q2.is_signed_off) == (approver, APPROVED_ON, True)
    event = PeriodEvent.objects.get(period=q2, kind=PeriodEvent.Kind.SIGNED_OFF)
    assert (event.by, event.reason) == (planner, "Approved by Margaret Ellis on 25 January 2017")


def test_an_open_quarter_cannot_be_signed_off(timeline, planner, approver):
    with pytest.raises(ValidationError, match="Q3 2016/17 is open: close it before recording its sign-off"):
        services.period_sign_off(period=timeline["q3"], user=planner, approver=approver, approved_on=APPROVED_ON)
    assert not ReportingPeriod.objects.get(pk=timeline["q3"].pk).is_signed_off


@pytest.mark.parametrize(
    ("who", "day", "field", "message"),
    [
        ("manager", APPROVED_ON, "approver", "Select the DMT member who approved the report"),
        ("inactive", APPROVED_ON, "approver", "Select the DMT member who approved the report"),
        (
            "dmt",
            datetime.date(2016, 9, 29),
            "approved_on",
            "The date must be after Q2 2016/17 ended, on 30 September 2016",
        ),
        ("dmt", datetime.date(2999, 1, 1), "approved_on", "The date must be today or in the past"),
    ],
)
def test_the_approver_is_an_active_dmt_member_and_the_day_after_the_quarter(
    timeline, planner, approver, who, day, field, message
):
    people = {
        "dmt": approver,
        "manager": factories.UserFactory(groups=[MANAGER]),
        "inactive": factories.UserFactory(groups=["DMT"], is_active=False),
    }
    with pytest.raises(ValidationError) as refused:
        services.period_sign_off(period=timeline["q2"], user=planner, approver=people[who], approved_on=day)
    assert refused.value.message_dict == {field: [message]}
    assert not ReportingPeriod.objects.get(pk=timeline["q2"].pk).is_signed_off


def test_reopening_withdraws_the_sign_off(ready, planner):
    period = services.period_reopen(period=ready["period"], user=planner, reason="A late return")
    period.refresh_from_db()
    assert (period.signed_off_by, period.signed_off_on) == (None, None)
    services.period_close(period=period, user=planner)
    period.refresh_from_db()
    assert not period.is_signed_off, "closing again does not bring the sign-off back"


def test_the_database_refuses_a_sign_off_of_an_open_quarter(ready):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingPeriod.objects.filter(pk=ready["period"].pk).update(state=ReportingPeriod.State.OPEN)


def test_the_sign_off_page_lists_the_dmt_members_and_records_the_sign_off(client, timeline, planner, approver):
    other = factories.UserFactory(first_name="Zoe", last_name="Adams", groups=["DMT"])
    factories.UserFactory(first_name="Not", last_name="Dmt", groups=[MANAGER])
    url = reverse("reporting:returns_sign_off", args=[timeline["strategy"].slug, "q2-2016-17"])
    client.force_login(planner)

    page = client.get(url)
    assert page.status_code == 200
    names = [str(choice.choice_label) for choice in page.context["form"]["approver"]]
    assert names == ["Margaret Ellis", "Zoe Adams"]

    response = client.post(
        url, {"approver": other.pk, "approved_on_0": "25", "approved_on_1": "1", "approved_on_2": "2017"}
    )
    assert response.status_code == 302
    q2 = ReportingPeriod.objects.get(pk=timeline["q2"].pk)
    assert (q2.signed_off_by, q2.signed_off_on) == (other, APPROVED_ON)
    returns = client.get(response.url)
    assert "Approved by Zoe Adams on 25 January 2017" in returns.content.decode()


def test_the_sign_off_page_shows_the_service_refusal_beside_its_field(client, timeline, planner, approver):
    url = reverse("reporting:returns_sign_off", args=[timeline["strategy"].slug, "q2-2016-17"])
    client.force_login(planner)
    response = client.post(
        url, {"approver": approver.pk, "approved_on_0": "1", "approved_on_1": "9", "approved_on_2": "2016"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "approved_on": ["The date must be after Q2 2016/17 ended, on 30 September 2016"]
    }
    assert not ReportingPeriod.objects.get(pk=timeline["q2"].pk).is_signed_off


@pytest.mark.parametrize("method", ["get", "post"])
def test_only_planners_reach_the_sign_off_page(client, timeline, approver, method):
    client.force_login(approver)
    url = reverse("reporting:returns_sign_off", args=[timeline["strategy"].slug, "q2-2016-17"])
    assert getattr(client, method)(url).status_code == 403


def test_the_dmt_report_says_who_signed_the_quarter_off_until_it_is_reopened(client, timeline, planner, approver, dmt):
    """On screen, on paper and in the spreadsheet, at no extra query; reopening takes it away."""
    q2, q3 = timeline["q2"], timeline["q3"]
    args = [timeline["strategy"].slug, q2.slug]
    page = reverse("dashboard:quarter", args=args)
    said = "Signed off by Margaret Ellis on 25 January 2017."
    client.force_login(dmt)
    client.get(page)  # signed in and warmed up
    data_version.changed()  # as any write would: the page is built again
    data_version.current()  # the new version made before counting, as at the commit
    with CaptureQueriesContext(connection) as unsigned:
        assert "Signed off by" not in client.get(page).content.decode()

    services.period_sign_off(period=q2, user=planner, approver=approver, approved_on=APPROVED_ON)
    data_version.current()
    with CaptureQueriesContext(connection) as signed:
        assert said in client.get(page).content.decode()
    assert len(signed) == len(unsigned), "the approver's name comes with the quarter, in the same query"
    pdf = PdfReader(io.BytesIO(client.get(reverse("dashboard:pdf", args=args)).content))
    assert said in " ".join(pdf.pages[0].extract_text().split())
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(reverse("dashboard:xlsx", args=args)).content))
    assert any(said in (row[0] or "") for row in workbook["Summary"].iter_rows(values_only=True) if row)

    services.period_close(period=q3, user=planner)
    services.period_reopen(period=ReportingPeriod.objects.get(pk=q2.pk), user=planner, reason="A late return")
    assert "Signed off by" not in client.get(page).content.decode()
