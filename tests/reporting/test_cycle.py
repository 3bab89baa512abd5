"""Closing and reopening a quarter from the returns page: a confirmation that shows what is
missing and changes nothing, a POST that closes and is recorded, edits refused afterwards
through the managers' form and the service, and a reopening that needs a reason."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from reporting.models import PeriodEvent, ProgressUpdate, ReportingPeriod, Status
from reporting.services import progress_update_record
from tests import factories

pytestmark = pytest.mark.django_db


def url(name: str, period) -> str:
    return reverse(f"reporting:returns_{name}", args=[period.strategy.slug, period.slug])


def returns_url(period) -> str:
    return reverse("reporting:returns", args=[period.strategy.slug, period.slug])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def quarter(period, team, action):
    """Q3 2016/17 with `action` (led by the manager's team) missing and another updated."""
    updated = factories.ActionFactory(
        recommendation=action.recommendation, reference=f"{action.reference}.1", lead_teams=[team]
    )
    factories.ProgressUpdateFactory(action=updated, period=period)
    return period


def close(client, period):
    return client.post(url("close", period))


# Closing ----------------------------------------------------------------------------------


def test_the_close_confirmation_shows_what_is_missing_and_changes_nothing(client, planner, quarter, action):
    client.force_login(planner)
    response = client.get(url("close", quarter))
    assert response.status_code == 200
    assert response.context["missing"] == [action]
    html = response.content.decode()
    assert "1 action still has no update" in html
    assert reverse("reporting:detail", args=[action.pk]) in html
    assert "its updates can no longer change" in html
    assert "Its report stays as it is at closing, even if actions are later added to the plan or changed." in html
    quarter.refresh_from_db()
    assert quarter.is_open
    assert not PeriodEvent.objects.exists()


def test_closing_records_who_closed_it_and_returns_with_a_banner(client, planner, quarter):
    client.force_login(planner)
    response = client.post(url("close", quarter), follow=True)
    assert response.redirect_chain == [(returns_url(quarter), 302)]
    assert "Q3 2016/17 is closed. Its updates can no longer change." in response.content.decode()
    quarter.refresh_from_db()
    assert not quarter.is_open
    event = PeriodEvent.objects.get()
    assert (event.period, event.kind, event.by) == (quarter, PeriodEvent.Kind.CLOSED, planner)
    assert event in response.context["returns"].events


def test_closing_needs_the_csrf_token(planner, quarter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(planner)
    assert client.post(url("close", quarter)).status_code == 403
    quarter.refresh_from_db()
    assert quarter.is_open


def test_closing_a_closed_quarter_is_a_form_error(client, planner, quarter):
    client.force_login(planner)
    close(client, quarter)
    response = close(client, quarter)
    assert response.status_code == 200
    assert "Q3 2016/17 is already closed." in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert PeriodEvent.objects.count() == 1
    # And the confirmation's GET of a closed quarter goes back to its returns.
    assert client.get(url("close", quarter))["Location"] == returns_url(quarter)


def test_closing_one_strategys_quarter_leaves_anothers_open(client, planner, quarter):
    older = factories.StrategyFactory(
        slug="workforce-2009-10", period_start=datetime.date(2009, 4, 1), period_end=datetime.date(2010, 3, 31)
    )
    older_period = factories.ReportingPeriodFactory(strategy=older, year=2009, number=2)
    client.force_login(planner)
    close(client, quarter)
    older_period.refresh_from_db()
    assert older_period.is_open


# A closed quarter's updates cannot change ------------------------------------------------------------


def test_after_closing_the_managers_form_refuses_and_saves_nothing(client, planner, manager, quarter, action):
    client.force_login(planner)
    close(client, quarter)
    client.force_login(manager)
    response = client.post(
        reverse("reporting:update", args=[action.pk]),
        {"status": Status.IN_PROGRESS, "rag": "green", "progress": "Too late", "version": 0},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:detail", args=[action.pk])
    assert "No quarter of Workforce Strategy workforce-2016-17 is open for updates." in messages_of(response)
    assert not ProgressUpdate.objects.filter(action=action).exists()

    page = client.get(reverse("reporting:detail", args=[action.pk]))
    assert "form" not in page.context
    assert 'action="' + reverse("reporting:update", args=[action.pk]) not in page.content.decode()


@pytest.mark.parametrize("who", ["manager", "planner"])
def test_after_closing_the_service_refuses_even_a_planner(request, client, planner, quarter, action, who):
    client.force_login(planner)
    close(client, quarter)
    quarter.refresh_from_db()
    with pytest.raises(PermissionDenied, match="closed"):
        progress_update_record(
            action=action, period=quarter, user=request.getfixturevalue(who), status=Status.IN_PROGRESS, rag="green"
        )
    assert not ProgressUpdate.objects.filter(action=action).exists()


# Reopening ------------------------------------------------------------------------------------


@pytest.fixture
def closed(client, planner, quarter):
    client.force_login(planner)
    close(client, quarter)
    quarter.refresh_from_db()
    return quarter


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopening_needs_a_reason(client, closed, reason):
    response = client.post(url("reopen", closed), {"reason": reason})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert 'href="#id_reason">Enter why the quarter is being reopened' in html
    assert "<title>Error: " in html
    closed.refresh_from_db()
    assert not closed.is_open
    assert not PeriodEvent.objects.filter(kind=PeriodEvent.Kind.REOPENED).exists()


def test_reopening_records_the_reason_and_the_dashboard_says_so(client, planner, dmt, closed):
    assert client.get(url("reopen", closed)).status_code == 200
    response = client.post(url("reopen", closed), {"reason": "  A late return from Strategic HR  "}, follow=True)
    assert response.redirect_chain == [(returns_url(closed), 302)]
    assert "Q3 2016/17 is open for updates again." in response.content.decode()
    closed.refresh_from_db()
    assert closed.is_open
    event = PeriodEvent.objects.get(kind=PeriodEvent.Kind.REOPENED)
    assert (event.by, event.reason) == (planner, "A late return from Strategic HR")
    assert "A late return from Strategic HR" in response.content.decode()

    client.force_login(dmt)
    dashboard = client.get(reverse("dashboard:quarter", args=[closed.strategy.slug, closed.slug]))
    assert "Q3 2016/17 was reopened" in dashboard.content.decode()
    assert "A late return from Strategic HR" in dashboard.content.decode()


def test_reopening_while_another_quarter_is_open_is_a_form_error(client, closed):
    factories.ReportingPeriodFactory(strategy=closed.strategy, year=2016, number=4)
    response = client.post(url("reopen", closed), {"reason": "A late return"})
    assert response.status_code == 200
    assert "Q4 2016/17 is open: close it before reopening Q3 2016/17" in response.content.decode()
    closed.refresh_from_db()
    assert not closed.is_open


def test_the_reopen_page_of_an_open_quarter_goes_back_to_its_returns(client, planner, quarter):
    client.force_login(planner)
    assert client.get(url("reopen", quarter))["Location"] == returns_url(quarter)
    quarter.refresh_from_db()
    assert quarter.is_open and not PeriodEvent.objects.exists()


def test_after_reopening_the_manager_can_update_again(client, manager, closed, action):
    client.post(url("reopen", closed), {"reason": "A late return"})
    client.force_login(manager)
    client.post(
        reverse("reporting:update", args=[action.pk]),
        {"status": Status.IN_PROGRESS, "rag": "green", "progress": "Late but done", "version": 0},
    )
    assert ProgressUpdate.objects.get(action=action).period == closed
    assert ReportingPeriod.objects.get(pk=closed.pk).is_open
