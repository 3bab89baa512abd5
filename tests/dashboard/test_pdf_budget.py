"""The DMT's PDF is built within a budget (dashboard.pdf_budget): HTML too long for
WeasyPrint, too many pages or too long a build answer a page that says so and offers the
spreadsheet (503), never a worker killed; within the budget the PDF is built as before."""

import time

import pytest
from django.urls import reverse

from dashboard import pdf_budget

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache(empty_cache):
    """Every test here starts and ends with the shared cache empty (tests.conftest)."""


def pdf(client, planner, timeline):
    client.force_login(planner)
    return client.get(reverse("dashboard:pdf", args=[timeline["strategy"].slug, timeline["q3"].slug]))


def assert_refused(response, timeline, reason: str) -> None:
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "The PDF is too large to build" in html and reason in html
    xlsx = reverse("dashboard:xlsx", args=[timeline["strategy"].slug, timeline["q3"].slug])
    assert f'href="{xlsx}"' in html


def test_within_the_budget_the_pdf_is_built(client, planner, timeline):
    response = pdf(client, planner, timeline)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_html_past_the_limit_is_refused_before_weasyprint(client, planner, timeline, monkeypatch):
    monkeypatch.setattr(pdf_budget, "MAX_HTML_CHARACTERS", 1000)

    def never(*args, **kwargs):
        raise AssertionError("WeasyPrint was started")

    monkeypatch.setattr("weasyprint.HTML", never)
    started = time.perf_counter()

    response = pdf(client, planner, timeline)

    assert time.perf_counter() - started < 2
    assert_refused(response, timeline, "characters long; the PDF is built from at most 1,000.")


def test_more_pages_than_the_limit_are_refused(client, planner, timeline, monkeypatch):
    monkeypatch.setattr(pdf_budget, "MAX_PAGES", 1)
    assert_refused(pdf(client, planner, timeline), timeline, "pages; the PDF has at most 1.")


def test_a_build_past_the_time_limit_is_stopped_and_remembered(client, planner, timeline, monkeypatch):
    monkeypatch.setattr(pdf_budget, "MAX_SECONDS", 0.01)
    started = time.perf_counter()

    response = pdf(client, planner, timeline)

    assert time.perf_counter() - started < 5
    assert_refused(response, timeline, "The PDF took more than 0.01 seconds to build.")
    # Asked again, the same report is refused at once, without spending the time again.
    monkeypatch.setattr("weasyprint.HTML", None)
    assert_refused(pdf(client, planner, timeline), timeline, "when it was last asked for")


def test_the_timer_is_cleared_after_a_build(client, planner, timeline):
    import signal

    pdf(client, planner, timeline)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.default_int_handler, None)
