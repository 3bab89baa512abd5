"""Dates read from the timescale whenever an action is saved without them, by every writer.

A fixture, the spreadsheet import and the admin all leave the dates to the timescale unless
they give them; dates given are kept.
"""

import datetime
import json

import pytest
import tablib
from django.core.management import call_command
from django.urls import reverse

from actions import services
from actions.models import Action
from actions.resources import ActionResource
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date

STRATEGY = {
    "model": "outcomes.strategy",
    "fields": {
        "slug": "other-council-2009-12",
        "title": "Another council's workforce action plan",
        "organisation": "Another Council",
        "period_label": "2009-2012",
        "period_start": "2009-04-01",
        "period_end": "2012-03-31",
    },
}
OUTCOME = {"model": "outcomes.outcome", "fields": {"strategy": ["other-council-2009-12"], "number": 1, "title": "t"}}


def action(reference, timescale, **dates):
    return {
        "model": "actions.action",
        "fields": {
            "strategy": ["other-council-2009-12"],
            "outcome": ["other-council-2009-12", 1],
            "reference": reference,
            "description": f"Action {reference}",
            "lead_officer": "Head of Service",
            "timescale": timescale,
            **dates,
        },
    }


def load(tmp_path, records):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(records))
    call_command("loaddata", str(path), verbosity=0)


def dates(reference):
    found = Action.objects.get(reference=reference)
    return found.start_date, found.due_date, found.is_ongoing


def test_a_fixture_without_dates_loads_with_every_readable_timescales_dates(tmp_path):
    load(
        tmp_path,
        [
            STRATEGY,
            OUTCOME,
            action("1", "Phased introduction starting 1st April 2010"),
            action("2", "Strategy agreed by October 2009, implementation ongoing"),
            action("3", "Within 6 months"),
            action("4", "Year 2"),
            action("5", "Summer 2010"),
            action("6", "TBC"),
            action("7", "Subject to funding"),
            action("8", "Quarterly reports to DMT"),
        ],
    )
    assert dates("1") == (D(2010, 4, 1), None, True)
    assert dates("2") == (None, D(2009, 10, 31), True)
    assert dates("3") == (None, D(2009, 9, 30), False)
    assert dates("4") == (D(2010, 4, 1), D(2011, 3, 31), False)
    assert dates("5") == (D(2010, 6, 1), D(2010, 8, 31), False)
    assert dates("6") == (None, None, False)
    assert dates("7") == (None, None, False)
    assert dates("8") == (None, None, True)


def test_dates_a_fixture_gives_are_kept_and_reloading_changes_nothing(tmp_path):
    records = [
        STRATEGY,
        OUTCOME,
        action("1", "TBC", due_date="2010-03-31"),
        action("2", "Summer 2010", start_date="2010-07-01", due_date="2010-07-31", is_ongoing=False),
        action("3", "Summer 2010", is_ongoing=True),
    ]
    load(tmp_path, records)
    load(tmp_path, records)
    assert dates("1") == (None, D(2010, 3, 31), False)
    assert dates("2") == (D(2010, 7, 1), D(2010, 7, 31), False)
    assert dates("3") == (None, None, True)


def test_the_service_reads_dates_for_a_new_action_and_keeps_given_ones(planner):
    new = factories.ActionFactory.build(
        recommendation=factories.RecommendationFactory(), timescale="From March 2016", start_date=None, due_date=None
    )
    services.action_save(user=planner, action=new)
    assert (new.start_date, new.due_date, new.is_ongoing) == (D(2016, 3, 1), None, True)

    new.due_date = D(2016, 12, 31)
    services.action_save(user=planner, action=new, changed=["due_date"])
    new.refresh_from_db()
    assert (new.start_date, new.due_date, new.is_ongoing) == (D(2016, 3, 1), D(2016, 12, 31), True)

    new.timescale = "Autumn 2016"
    services.action_save(user=planner, action=new, changed=["timescale"])
    new.refresh_from_db()
    assert (new.start_date, new.due_date, new.is_ongoing) == (D(2016, 9, 1), D(2016, 11, 30), False)


@pytest.fixture
def admin_client(client):
    client.force_login(factories.UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def admin_form(client, existing, **changes):
    """The change form's data as it stands, with `changes`; other apps' inlines left empty."""
    page = client.get(reverse("admin:actions_action_change", args=[existing.pk]))
    data = {
        "strategy": existing.strategy_id,
        "outcome": existing.outcome_id,
        "recommendation": existing.recommendation_id or "",
        "reference": existing.reference,
        "order": existing.order,
        "description": existing.description,
        "lead_officer": "Head of Service",
        "timescale": existing.timescale,
        "start_date": existing.start_date or "",
        "due_date": existing.due_date or "",
    }
    if existing.is_ongoing:
        data["is_ongoing"] = "on"
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(changes)
    return data


def test_the_admin_reads_a_changed_timescale_and_keeps_dates_the_planner_enters(admin_client, planner):
    existing = factories.ActionFactory(timescale="March 2016")
    services.action_save(user=planner, action=existing)
    url = reverse("admin:actions_action_change", args=[existing.pk])

    response = admin_client.post(url, admin_form(admin_client, existing, timescale="Spring term 2017"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert dates(existing.reference) == (D(2017, 1, 1), D(2017, 3, 31), False)

    existing.refresh_from_db()
    changes = {"timescale": "TBC", "start_date": "", "due_date": "2017-06-30"}
    response = admin_client.post(url, admin_form(admin_client, existing, **changes))
    assert response.status_code == 302
    assert dates(existing.reference) == (None, D(2017, 6, 30), False)


def test_an_import_reads_dates_unless_the_row_gives_them():
    strategy = factories.StrategyFactory(slug="s")
    factories.OutcomeFactory(strategy=strategy, number=1)
    headers = ["strategy", "outcome", "reference", "description", "lead_officer", "timescale", "due_date"]
    data = tablib.Dataset(
        ["s", 1, "1", "One", "Head", "April 2018 onwards", ""],
        ["s", 1, "2", "Two", "Head", "TBC", "2018-06-30"],
        headers=headers,
    )
    result = ActionResource().import_data(data)
    assert not result.has_errors() and not result.has_validation_errors()
    assert dates("1") == (D(2018, 4, 1), None, True)
    assert dates("2") == (None, D(2018, 6, 30), False)

    exported = ActionResource().export()
    exported_row = dict(zip(exported.headers, exported[0], strict=True))
    assert exported_row["reference"] == "1"
    exported_row["timescale"] = "Summer 2018"  # an edited export: the old dates are still in the row
    ActionResource().import_data(tablib.Dataset(list(exported_row.values()), headers=exported.headers))
    assert dates("1") == (D(2018, 6, 1), D(2018, 8, 31), False)
