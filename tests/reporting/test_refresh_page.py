"""The refresh page as a planner meets it: the timescales it proposes are ones it accepts,
its dates are written as GOV.UK writes them, and a second refresh into the same period is
refused by name."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from outcomes.models import Strategy
from reporting.models import ReportingPeriod, Status
from tests import factories

# Each old timescale and what the page proposes for it in 2017/18.
TIMESCALES = {
    "1.1.1": ("January 2017", "January 2018"),  # ended: moved on a year, as the title is
    "1.1.2": ("July-December 2016", "July-December 2017"),
    "1.1.3": ("Ongoing", "Ongoing"),  # no end: kept
    "1.1.4": ("April 2016 - June 2017", "April 2016 - June 2017"),  # still running: kept
    "1.1.5": ("By 31 March 2015", ""),  # moved on a year it still ends too early: blank, with a hint
}


@pytest.fixture
def old(db, team):
    strategy = factories.StrategyFactory(
        slug="cfs-workforce-2016-17", title="Children and Family Services Workforce Strategy 2016/17"
    )
    recommendation = factories.RecommendationFactory(outcome__strategy=strategy, outcome__number=1, number=1)
    period = factories.ReportingPeriodFactory(
        strategy=strategy, year=2016, number=4, state=ReportingPeriod.State.CLOSED
    )
    for order, (reference, (timescale, _)) in enumerate(TIMESCALES.items()):
        action = factories.ActionFactory(
            recommendation=recommendation, reference=reference, order=order, timescale=timescale, lead_teams=[team]
        )
        factories.ProgressUpdateFactory(action=action, period=period, status=Status.IN_PROGRESS, rag="amber")
    return strategy


class _Inputs(HTMLParser):
    """The form's values as a browser would submit them: text inputs and ticked boxes."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag != "input" or "name" not in attrs:
            return
        if attrs.get("type") == "checkbox" and "checked" not in attrs:
            return
        self.data[attrs["name"]] = attrs.get("value") or ""


def as_proposed(page: str) -> dict[str, str]:
    parser = _Inputs()
    parser.feed(page)
    return parser.data


def url(strategy) -> str:
    return reverse("reporting:strategy_refresh", args=[strategy.slug])


def test_the_proposed_timescales_are_ones_the_page_accepts(client, planner, old):
    client.force_login(planner)
    page = client.get(url(old)).content.decode()
    data = as_proposed(page)
    proposed = {a.reference: data[f"timescale_{a.pk}"] for a in old.actions.all()}
    assert proposed == {reference: new for reference, (_, new) in TIMESCALES.items()}
    assert "Was “January 2017”" in page
    assert "Was “By 31 March 2015”, which ends before 1 April 2017" in page
    response = client.post(url(old), data)
    assert response.status_code == 302, response.context["form"].errors
    new = Strategy.objects.get(slug="cfs-workforce-2017-18")
    assert {a.reference: a.timescale for a in new.actions.all()} == proposed


def test_the_page_writes_its_dates_as_govuk_does(client, planner, old):
    client.force_login(planner)
    page = client.get(url(old)).content.decode()
    assert 'value="1 April 2017"' in page and 'value="31 March 2018"' in page
    assert "For example, 1 April 2017" in page and "For example, 31 March 2018" in page
    data = as_proposed(page)
    action = old.actions.get(reference="1.1.5")
    wrong = {f"timescale_{action.pk}": "March 2017", "period_end": "the end", "period_start": "1 april 2016"}
    refused = client.post(url(old), {**data, **wrong}).content.decode()
    assert "The new period must start after 1 April 2016, when 2016/17 started" in refused
    assert "Enter the end as a date, for example 31 March 2018" in refused
    refused = client.post(url(old), {**data, f"timescale_{action.pk}": "March 2017"}).content.decode()
    assert "The timescale for 1.1.5 ends before 1 April 2017, when the new period starts" in refused
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{4}\b", refused), "a date written with slashes"
    assert not Strategy.objects.exclude(pk=old.pk).exists()


def test_a_second_refresh_into_the_same_period_is_refused_by_name(client, planner, old):
    client.force_login(planner)
    data = as_proposed(client.get(url(old)).content.decode())
    assert client.post(url(old), data).status_code == 302
    again = client.post(url(old), {**data, "slug": "cfs-workforce-2017-18-again"})
    assert again.status_code == 200
    assert (
        "Children and Family Services Workforce Strategy 2016/17 was already refreshed into 2017/18: "
        "Children and Family Services Workforce Strategy 2017/18." in again.content.decode()
    )
    assert Strategy.objects.count() == 2
