"""Every count on the report links to a list that can name where it came from (reporting.origins)."""

from urllib.parse import urlsplit

import pytest
from django.http import QueryDict

from dashboard.report import report_build
from reporting import selectors
from reporting.models import ReportingPeriod
from reporting.origins import list_origin
from workforce.quarters import quarter_from_slug

pytestmark = pytest.mark.django_db


def origin_of(url: str):
    query = QueryDict(urlsplit(url).query)
    quarter = quarter_from_slug(query["quarter"])
    periods = list(ReportingPeriod.objects.filter(year=quarter.year, number=quarter.number, strategy=query["strategy"]))
    return list_origin(query, periods)


def test_every_count_names_its_list_and_links_back_to_the_report(timeline, django_assert_max_num_queries):
    strategy, period = timeline["strategy"], timeline["q3"]
    report = report_build(strategy, period, list(selectors.periods_for_strategy(strategy)))
    for row in report.headline:
        with django_assert_max_num_queries(2):  # the quarter (here) and the strategy
            origin = origin_of(row.url)
        assert origin.title == f"{row.label}, Q3 2016/17"
        assert origin.strategy == strategy
        assert (origin.strategy, origin.period.slug) == (strategy, "q3-2016-17")
    for outcome_row in report.outcomes:
        for row in outcome_row.rows:
            origin = origin_of(row.url)
            assert origin.title == f"{row.label}, outcome {outcome_row.outcome.number}, Q3 2016/17"
            assert origin.outcome == outcome_row.outcome


@pytest.mark.parametrize(
    "query",
    [
        "",  # All actions
        "rag=red",  # no strategy or quarter
        "strategy={strategy}&quarter=q3-2016-17&rag=red&status=complete",  # not one of the report's counts
        "strategy={strategy}&quarter=q3-2016-17&rag=purple",
        "strategy={strategy}&quarter=q3-2016-17&outcome=x&rag=red",
        "strategy={strategy}&quarter=q3-2016-17&outcome=999999&rag=red",
        "strategy={strategy}&quarter=q3-2016-17&lead=3",  # filtered by hand
    ],
)
def test_other_lists_have_no_origin(timeline, query):
    query = QueryDict(query.format(strategy=timeline["strategy"].pk))
    assert list_origin(query, [timeline["q3"]]) is None
