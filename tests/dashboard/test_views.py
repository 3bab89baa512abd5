"""The dashboard pages and downloads, for each role, and their query counts."""

import datetime
from io import BytesIO

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from dashboard import page_cache
from dashboard.report import report_build
from outcomes.models import Strategy
from reporting import selectors, services
from reporting.models import ReportingPeriod, Status
from strategy_tracker import data_version
from tests import factories

pytestmark = pytest.mark.django_db


def quarter_url(timeline, name="q3", kind="quarter"):
    return reverse(f"dashboard:{kind}", args=[timeline["strategy"].slug, timeline[name].slug])


def test_anonymous_is_sent_to_sign_in(client, timeline):
    for url in (reverse("dashboard:index"), quarter_url(timeline), quarter_url(timeline, kind="pdf")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_index_opens_the_latest_quarter_of_the_first_strategy(client, dmt, timeline):
    client.force_login(dmt)
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 302
    assert response["Location"] == quarter_url(timeline, "q3")
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert response.context["report"].period == timeline["q3"]


def test_every_role_reads_the_dashboard(client, dmt, manager, planner, timeline):
    for user in (dmt, manager, planner):
        client.force_login(user)
        response = client.get(quarter_url(timeline))
        assert response.status_code == 200
        html = response.content.decode()
        assert "DMT to agree funding for A" in html
        assert "<svg" in html and 'role="img"' in html  # charts on the server
        assert 'id="outcomes-table"' in html and 'id="trend-table"' in html  # with their data tables


def test_quarter_picker_moves_between_quarters(client, dmt, timeline):
    client.force_login(dmt)
    html = client.get(quarter_url(timeline, "q3")).content.decode()
    for name in ("q1", "q2"):
        assert quarter_url(timeline, name) in html
    response = client.get(quarter_url(timeline, "q2"))
    assert response.context["report"].period == timeline["q2"]
    assert "Q2 2016/17 is closed" in response.content.decode()


def test_unknown_strategy_or_quarter_is_404(client, dmt, timeline):
    client.force_login(dmt)
    assert client.get(reverse("dashboard:strategy", args=["no-such-strategy"])).status_code == 404
    assert client.get(reverse("dashboard:quarter", args=["leics", "q9-2016-17"])).status_code == 404
    assert client.get(reverse("dashboard:quarter", args=["leics", "q1-2030-31"])).status_code == 404
    assert client.get(reverse("dashboard:pdf", args=["leics", "rubbish"])).status_code == 404


def test_post_is_not_allowed(client, dmt, timeline):
    client.force_login(dmt)
    assert client.post(quarter_url(timeline)).status_code == 405
    assert client.post(quarter_url(timeline, kind="xlsx")).status_code == 405


def test_pdf_has_the_exceptions_and_counts_on_a4_pages(client, dmt, timeline):
    client.force_login(dmt)
    response = client.get(quarter_url(timeline, kind="pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(BytesIO(response.content))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points
    pages = [page.extract_text() for page in reader.pages]
    text = " ".join(" ".join(pages).split())  # table cells wrap their text across lines
    for page_number, page in enumerate(pages, start=1):
        assert "Children's Workforce Strategy 2016/17" in page
        assert "Q3 2016/17" in page
        assert f"Page {page_number} of {len(pages)}" in page
    assert "DMT to agree funding for A" in text
    assert "No update this quarter" in text
    # The outcomes' chart with its table, then the exceptions, on the first page.
    assert text.index("By outcome") < text.index("Exceptions") < text.index("Page 2 of")


def test_xlsx_has_summary_actions_and_indicators(client, dmt, timeline):
    client.force_login(dmt)
    response = client.get(quarter_url(timeline, kind="xlsx"))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(BytesIO(response.content))
    assert {"Summary", "Exceptions", "Actions", "Indicators"} <= set(workbook.sheetnames)
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Actions"] == 6
    assert summary["Off track (Red)"] == 1
    assert summary["No update this quarter"] == 2
    assert summary["Overdue"] == 1
    actions = list(workbook["Actions"].iter_rows(values_only=True))
    header, rows = actions[0], actions[1:]
    assert len(rows) == 6
    by_ref = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_ref["1.1.1"]["RAG"] == "Red"
    assert by_ref["1.1.1"]["Help needed from DMT"] == "DMT to agree funding for A"
    assert by_ref["2.1.4"]["Status"] == "No update"
    exceptions = [row[0] for row in workbook["Exceptions"].iter_rows(min_row=2, values_only=True)]
    assert exceptions == ["1.1.1", "2.1.4", "2.1.6"]


def test_closed_quarter_report_does_not_change_when_later_updates_arrive(client, dmt, timeline):
    client.force_login(dmt)
    before = client.get(quarter_url(timeline, "q2")).context["report"]
    counts = {row.key: row.value for row in before.headline}
    factories.ProgressUpdateFactory(
        action=timeline["actions"]["F"],
        period=timeline["q3"],
        status=Status.COMPLETE,
        rag="",
        completed_on=datetime.date(2016, 11, 1),
    )
    data_version.changed()  # as the service recording an update does: the report is built again
    after = client.get(quarter_url(timeline, "q2")).context["report"]
    assert {row.key: row.value for row in after.headline} == counts


def build_strategy(size: int) -> Strategy:
    """A strategy of `size` actions with an update each in the open quarter, in bulk."""
    strategy = factories.StrategyFactory(slug=f"size-{size}")
    factories.RiskFactory(strategy=strategy)
    indicator = factories.WorkforceIndicatorFactory(name=f"% absence {size}")
    indicator.strategies.add(strategy)
    team = factories.TeamFactory(name="Strategic HR")
    q2 = factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=2, state=ReportingPeriod.State.CLOSED)
    q3 = factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=3)
    factories.bulk_actions(size, teams=[team], periods=[q2, q3], strategy=strategy, rags=("green", "amber", "red"))
    services.period_states_record(q2)  # as closing it would have
    return strategy


def count_queries(client, url) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context), [q["sql"] for q in context.captured_queries]


@pytest.mark.parametrize("kind", ["quarter", "xlsx"])
def test_dashboard_query_count_is_the_same_at_10_and_1000_actions(client, dmt, kind, django_assert_num_queries):
    client.force_login(dmt)
    small = build_strategy(10)
    q3 = ReportingPeriod.objects.get(year=2016, number=3)
    small_url = reverse(f"dashboard:{kind}", args=[small.slug, q3.slug])
    data_version.current()  # the new version for what the test wrote, made before counting
    page_cache.hand_edits()  # made once, on a site's first report
    first_count, _ = count_queries(client, small_url)
    data_version.changed()  # as any write would: the page is built again
    data_version.current()  # the new version made before counting, as at the commit
    small_count, _ = count_queries(client, small_url)
    large = build_strategy(1000)
    large_url = reverse(f"dashboard:{kind}", args=[large.slug, q3.slug])
    # The first report after a quarter closes counts it once (the trend's UNION ALL query of
    # the closed quarters) and keeps its counts in the cache (a transaction of five queries).
    data_version.current()
    with django_assert_num_queries(first_count):
        client.get(large_url)
    assert first_count == small_count + 6
    # session, user, the data version and the page asked of the cache, strategy, quarters,
    # actions as at Q3, their lead teams, outcomes, the cycle's events of the quarters so far
    # (reopenings; when each closed quarter last closed), the token of hand edits and the
    # closed quarters' trend counts from the cache (Q2's give direction of travel), DMT's
    # decisions on Q3's and Q2's requests for help, indicators, figures, measures of success
    # (with their indicators: their figures would be one more, whatever the size), risks
    # (+ the user's groups, for the planner's link, and the strategy list for the picker; the
    # spreadsheet instead adds the estimated costs by outcome), then the page kept (five
    # queries).
    expected = 16 + 8 if kind == "quarter" else 15 + 8
    data_version.changed()
    data_version.current()
    with django_assert_num_queries(expected):
        client.get(large_url)
    assert small_count == expected
    # Read again with nothing written: session, user, (on screen, groups,) data version, page.
    with django_assert_num_queries(5 if kind == "quarter" else 4):
        client.get(large_url)


def test_a_closed_quarters_trend_is_counted_again_when_it_is_reopened_and_closed(client, dmt, planner, timeline):
    client.force_login(dmt)
    for name in ("q1", "q2"):  # as closing them would have
        services.period_states_record(ReportingPeriod.objects.get(pk=timeline[name].pk))
    url = quarter_url(timeline, "q3")
    before = {row.period.label: row.counts.total for row in client.get(url).context["report"].trend}
    assert before == {"Q1 2016/17": 6, "Q2 2016/17": 6, "Q3 2016/17": 6}
    # A new action counts in Q2 only once Q2 is reopened and closed again (the cache keeps
    # each closed quarter's counts under the event that closed it).
    factories.ActionFactory(recommendation=timeline["actions"]["A"].recommendation, reference="1.1.9", order=9)
    q2 = timeline["q2"]
    services.period_close(period=timeline["q3"], user=planner)
    services.period_reopen(period=q2, user=planner, reason="A late correction")
    services.period_close(period=q2, user=planner)
    services.period_reopen(period=timeline["q3"], user=planner, reason="Back to Q3")
    after = {row.period.label: row.counts.total for row in client.get(url).context["report"].trend}
    assert after == {"Q1 2016/17": 6, "Q2 2016/17": 7, "Q3 2016/17": 7}


def test_the_trend_is_each_quarters_own_report(client, dmt, timeline):
    strategy = timeline["strategy"]
    periods = list(selectors.periods_for_strategy(strategy))
    client.force_login(dmt)
    for name in ("q3", "q2"):  # the second read's trend comes from the cache
        data_version.changed()  # not the page, though
        trend = client.get(quarter_url(timeline, "q3")).context["report"].trend
        for row in trend:
            assert row.counts == report_build(strategy, row.period, periods).counts, (name, row.period)


def test_a_long_exception_list_is_folded_and_paged_on_screen_and_whole_in_the_pdf(client, dmt):
    strategy = build_strategy(40)
    q3 = ReportingPeriod.objects.get(strategy=strategy, year=2016, number=3)
    client.force_login(dmt)
    response = client.get(reverse("dashboard:quarter", args=[strategy.slug, q3.slug]))
    report = response.context["report"]
    assert len(report.exceptions) > 20
    html = response.content.decode()
    exceptions = html[html.index('id="exceptions"') : html.index('id="trend"')]
    assert "<details" in exceptions and " open>" not in exceptions  # folded
    assert exceptions.count('<tr class="govuk-table__row">') == 1 + 10  # the header, the first ten
    assert f"The first 10 of {len(report.exceptions)} are shown" in exceptions
    red = next(row for row in report.outcomes[0].rows if row.key == "off_track")
    assert f'href="{red.url}"'.replace("&", "&amp;") in exceptions

    pdf = PdfReader(BytesIO(client.get(reverse("dashboard:pdf", args=[strategy.slug, q3.slug])).content))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert all(f"{action.reference} {action.description}" in text for action in report.exceptions)


def test_an_exception_with_no_update_says_so_once(client, dmt, timeline):
    client.force_login(dmt)
    html = client.get(quarter_url(timeline, "q3")).content.decode()
    row = html[html.index("2.1.4 Action D") :]
    start = row.index('data-label="RAG and status">')
    cell = row[start : row.index("</td>", start)]
    assert cell.count("No update") == 1 and "Overdue" in cell, cell


def test_an_ongoing_exception_says_ongoing_rather_than_a_past_date(client, dmt, timeline):
    # Ongoing actions are never overdue: a first due date long past would read as if they were.
    action = timeline["actions"]["A"]  # Red in Q3, so an exception
    action.is_ongoing, action.due_date = True, datetime.date(2016, 6, 30)
    action.save()
    client.force_login(dmt)
    html = client.get(quarter_url(timeline, "q3")).content.decode()
    row = html[html.index("1.1.1 Action A") : html.index("</tr>", html.index("1.1.1 Action A"))]
    assert "Ongoing" in row and "30 Jun 2016" not in row and "Overdue" not in row
    pdf = PdfReader(BytesIO(client.get(quarter_url(timeline, "q3", kind="pdf")).content))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    block = text[text.index("1.1.1 Action A") :][:200]
    assert "Ongoing." in block and "30 Jun 2016" not in block
