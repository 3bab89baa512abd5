"""The public pages: read without signing in, served as kept, marked for any cache to keep
for five minutes; signed-in pages never are."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from publishing import services
from publishing.models import Publication, PublishedFile, PublishedVersion
from reporting import services as reporting_services
from tests import factories

pytestmark = pytest.mark.django_db

ADDRESS = "/published/leics/2016-q3/"
PUBLIC = "public, max-age=300"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def published(ready, planner):
    """Q3 published, then corrected: two versions."""
    services.report_publish(period=ready["period"], user=planner)
    services.report_correct(period=ready["period"], user=planner, reason="corrected the status of 2.1.3")
    return ready


def kept_publications(count: int) -> None:
    """`count` more strategies each with a published quarter of two versions, stored as
    publishing leaves them (without drawing their files, a second each)."""
    for n in range(count):
        period = factories.ReportingPeriodFactory(strategy__slug=f"strategy-{n}", year=2016, number=2, state="closed")
        publication = Publication.objects.create(period=period, slug=f"strategy-{n}", year=2016, number=2)
        for number in (1, 2):
            version = PublishedVersion.objects.create(
                publication=publication,
                number=number,
                published_at=timezone.now(),
                reason="" if number == 1 else "corrected 1.1.1",
                strategy_title=f"Strategy {n}",
                quarter_label="Q2 2016/17",
            )
            PublishedFile.objects.create(version=version, name="index.html", content_type="text/html", content=b"x")


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/published/", "text/html; charset=utf-8"),
        ("/published/feed.atom", "application/atom+xml; charset=utf-8"),
        (ADDRESS, "text/html; charset=utf-8"),
        (f"{ADDRESS}v1/", "text/html; charset=utf-8"),
        (f"{ADDRESS}v2/report.pdf", "application/pdf"),
        (f"{ADDRESS}v2/actions.csv", "text/csv; charset=utf-8"),
        (f"{ADDRESS}v2/actions.json", "application/json"),
        (f"{ADDRESS}v2/datapackage.json", "application/json"),
    ],
)
def test_anyone_reads_the_published_pages_and_any_cache_may_keep_them(client, published, url, content_type):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == content_type
    assert response["Cache-Control"] == PUBLIC


def test_the_report_address_serves_the_newest_version_as_kept(client, published):
    newest = PublishedVersion.objects.get(number=2)
    assert client.get(ADDRESS).content == bytes(newest.files.get(name="index.html").content)
    assert client.get(f"{ADDRESS}v2/").content == bytes(newest.files.get(name="index.html").content)
    pdf = client.get(f"{ADDRESS}v2/report.pdf")
    assert pdf.content == bytes(newest.files.get(name="report.pdf").content)
    assert pdf["Content-Disposition"] == 'inline; filename="leics-2016-q3-v2-report.pdf"'


def test_an_earlier_version_says_which_replaces_it(client, published):
    page = client.get(f"{ADDRESS}v1/").content.decode()
    assert "This is an earlier version." in page
    assert f'<a class="govuk-link" href="{ADDRESS}v2/">Version 2, published' in page
    first = PublishedVersion.objects.get(number=1)
    kept = bytes(first.files.get(name="index.html").content).decode()
    assert "This is an earlier version." not in kept, "the notice is added when served; the page is kept as it was"
    assert "This is an earlier version." not in client.get(ADDRESS).content.decode()


def test_a_signed_in_reader_of_a_public_page_gets_it_private(client, published, dmt):
    client.force_login(dmt)
    response = client.get(ADDRESS)
    assert response.status_code == 200
    assert "public" not in response["Cache-Control"] and "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "url",
    [
        "/publishing/leics/q3-2016-17/",
        "/publishing/leics/q3-2016-17/preview/",
        "/publishing/leics/q3-2016-17/preview/actions.csv",
        "/publishing/leics/q3-2016-17/correct/",
        "/publishing/leics/q3-2016-17/withdraw/",
        "/returns/leics/q3-2016-17/sign-off/",
    ],
)
def test_the_planners_pages_are_private_and_need_signing_in(client, published, planner, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(planner)
    response = client.get(url)
    assert response.status_code == 200
    assert "public" not in response["Cache-Control"] and "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "url",
    [
        "/published/leics/2016-q5/",
        "/published/leics/16-q3/",
        "/published/leics/2016-q2/",
        "/published/other/2016-q3/",
        f"{ADDRESS}v3/",
        f"{ADDRESS}v1/snapshot.json",
        f"{ADDRESS}v1/index.html",
        f"{ADDRESS}v1/secrets.txt",
    ],
)
def test_no_report_no_page(client, published, url):
    assert client.get(url).status_code == 404


def test_the_index_lists_each_strategys_reports_newest_quarter_first(client, published, planner, approver):
    q2 = published["q2"]
    reporting_services.period_sign_off(
        period=q2, user=planner, approver=approver, approved_on=datetime.date(2016, 11, 1)
    )
    services.report_publish(period=q2, user=planner)
    page = client.get("/published/").content.decode()
    strategy = "Children&#x27;s Workforce Strategy 2016/17"
    assert page.count(strategy) == 1
    assert page.index('href="/published/leics/2016-q3/"') < page.index('href="/published/leics/2016-q2/"')
    assert "version 2" in page and "corrected the status of 2.1.3" in page


def test_the_feed_lists_each_version_and_leaves_out_withdrawn_reports(client, published, planner):
    feed = ET.fromstring(client.get("/published/feed.atom").content)
    entries = feed.findall(f"{ATOM}entry")
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert titles == [
        "Children's Workforce Strategy 2016/17: progress report, Q3 2016/17 (version 2)",
        "Children's Workforce Strategy 2016/17: progress report, Q3 2016/17",
    ]
    assert entries[0].find(f"{ATOM}link").get("href") == f"http://testserver{ADDRESS}v2/"
    assert feed.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Organisational Planning"
    services.report_withdraw(period=published["period"], user=planner, reason="named a person")
    feed = ET.fromstring(client.get("/published/feed.atom").content)
    assert feed.findall(f"{ATOM}entry") == []


@pytest.mark.parametrize("more", [0, 5])
def test_the_index_costs_two_queries_whatever_the_number_of_reports(client, published, more, django_assert_num_queries):
    kept_publications(more)
    # The publications; their versions' names and dates.
    with django_assert_num_queries(2):
        response = client.get("/published/")
    assert response.content.decode().count("Q2 2016/17") == more


@pytest.mark.parametrize("more", [0, 5])
def test_a_report_costs_one_query_and_a_version_two(client, published, more, django_assert_num_queries):
    kept_publications(more)
    # The newest version's page, with its version and publication.
    with django_assert_num_queries(1):
        assert client.get(ADDRESS).status_code == 200
    # A version's page, with its version and publication; the newest version's number.
    with django_assert_num_queries(2):
        assert client.get(f"{ADDRESS}v1/").status_code == 200
    # The file, with its version and publication.
    with django_assert_num_queries(1):
        assert client.get(f"{ADDRESS}v1/actions.csv").status_code == 200
