"""The rules the database holds, and the models' own behaviour."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from actions.models import Action
from reporting.models import ProgressUpdate, ReportingPeriod, Status
from tests import factories

pytestmark = pytest.mark.django_db


def test_action_reference_is_unique_within_a_strategy():
    action = factories.ActionFactory(reference="2.3.1")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ActionFactory(reference="2.3.1", recommendation=action.recommendation)
    # The same reference in another strategy is fine.
    factories.ActionFactory(
        reference="2.3.1", recommendation__outcome__strategy=factories.StrategyFactory(slug="other")
    )
    assert Action.objects.filter(reference="2.3.1").count() == 2


def test_one_update_per_action_per_period(period):
    update = factories.ProgressUpdateFactory(period=period)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ProgressUpdateFactory(action=update.action, period=period)
    assert ProgressUpdate.objects.count() == 1


def test_estimated_cost_cannot_be_negative():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ActionFactory(estimated_cost=Decimal("-1.00"))
    assert factories.ActionFactory(estimated_cost=Decimal("0.00")).estimated_cost == 0


def test_due_date_cannot_precede_start_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ActionFactory(start_date=datetime.date(2016, 5, 1), due_date=datetime.date(2016, 4, 1))


def test_a_complete_update_has_a_completion_date_and_no_rag(period):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ProgressUpdateFactory(period=period, status=Status.COMPLETE, rag="green")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ProgressUpdateFactory(period=period, status=Status.COMPLETE, rag="")
    done = factories.ProgressUpdateFactory(
        period=period, status=Status.COMPLETE, rag="", completed_on=datetime.date(2016, 11, 1)
    )
    assert done.completed_on == datetime.date(2016, 11, 1)


def test_reporting_period_dates_follow_the_quarter():
    period = factories.ReportingPeriodFactory(year=2016, number=4)
    assert (period.start, period.end) == (datetime.date(2017, 1, 1), datetime.date(2017, 3, 31))
    assert str(period) == "Q4 2016/17"
    assert ReportingPeriod.objects.get_by_natural_key(period.strategy.slug, "Q4 2016/17") == period
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingPeriod.objects.create(
            strategy=period.strategy, year=2016, number=4, start=period.start, end=period.end, state="closed"
        )
    # Another strategy has its own Q4 2016/17.
    other = factories.ReportingPeriodFactory(strategy=factories.StrategyFactory(slug="other"), year=2016, number=4)
    assert other.pk != period.pk and other.is_open and ReportingPeriod.objects.get(pk=period.pk).is_open


def test_a_strategy_has_at_most_one_open_quarter():
    q3 = factories.ReportingPeriodFactory(year=2016, number=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingPeriod.objects.create(strategy=q3.strategy, year=2016, number=4, start=q3.start, end=q3.end)


def test_action_reads_its_timescale_into_dates():
    action = factories.ActionFactory(timescale="February 2016 (and then monthly reports)")
    action.apply_timescale()
    assert (action.start_date, action.due_date, action.is_ongoing) == (
        datetime.date(2016, 2, 1),
        datetime.date(2016, 2, 29),
        True,
    )
    assert not action.timescale_unreadable
    action.timescale = "When resources allow"
    action.apply_timescale()
    assert (action.start_date, action.due_date, action.is_ongoing) == (None, None, False)
    assert action.timescale_unreadable


def test_strings_and_urls():
    action = factories.ActionFactory(reference="1.1.1", description="Scope out the plan")
    assert str(action) == "1.1.1 Scope out the plan"
    assert reverse("reporting:detail", args=[action.pk]) == f"/actions/{action.pk}/"
    assert str(action.outcome).startswith(f"{action.outcome.number}. ")
    assert action.recommendation.reference == f"{action.outcome.number}.{action.recommendation.number}"


def test_action_clean_refuses_an_outcome_of_another_strategy():
    from django.core.exceptions import ValidationError

    action = factories.ActionFactory()
    action.outcome = factories.OutcomeFactory(strategy=factories.StrategyFactory(slug="other"))
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "outcome" in error.value.message_dict


def test_roles_are_created_with_their_permissions(groups):
    assert set(groups) == {"Organisational Planning", "Manager", "DMT"}
    planner_perms = set(groups["Organisational Planning"].permissions.values_list("codename", flat=True))
    assert {"add_action", "change_reportingperiod", "delete_risk", "add_strategy"} <= planner_perms
    manager_perms = set(groups["Manager"].permissions.values_list("codename", flat=True))
    assert {"view_action", "view_progressupdate"} <= manager_perms
    # Managers write updates on their own pages, through the service, never in the admin.
    assert not {"change_action", "add_progressupdate", "change_progressupdate"} & manager_perms
    dmt_perms = set(groups["DMT"].permissions.values_list("codename", flat=True))
    assert all(codename.startswith("view_") for codename in dmt_perms)
    assert "view_progressupdate" in dmt_perms
