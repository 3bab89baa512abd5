"""The report is built and written with Python's cycle collector paused (it took a fifth of
the PDF's time and a quarter of the dashboard's at 10,000 actions), and the collector always
runs again afterwards, also when making the report fails."""

import gc

import pytest
import weasyprint
from django.urls import reverse

from dashboard import exports, views
from dashboard.collector import collector_paused
from dashboard.report import report_build
from reporting import selectors as action_selectors

pytestmark = pytest.mark.django_db


def report_of(timeline):
    strategy = timeline["strategy"]
    return report_build(strategy, timeline["q3"], list(action_selectors.periods_for_strategy(strategy)))


def test_the_collector_is_paused_while_weasyprint_works_and_runs_again_after(timeline, monkeypatch):
    seen = []
    render = weasyprint.HTML.render

    def watched(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return render(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", watched)
    pdf = exports.report_pdf(report_of(timeline), base_url="http://testserver/")
    assert pdf.startswith(b"%PDF")
    assert seen == [False]
    assert gc.isenabled()


def test_the_collector_runs_again_when_the_pdf_fails(timeline, monkeypatch):
    def failing(self, *args, **kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(weasyprint.HTML, "render", failing)
    with pytest.raises(RuntimeError, match="layout failed"):
        exports.report_pdf(report_of(timeline), base_url="http://testserver/")
    assert gc.isenabled()


@pytest.mark.parametrize("kind", ["quarter", "pdf", "xlsx"])
def test_the_dashboard_and_its_downloads_are_built_with_the_collector_paused(client, dmt, timeline, monkeypatch, kind):
    seen = []
    build = views.report_build

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return build(*args, **kwargs)

    monkeypatch.setattr(views, "report_build", watched)
    client.force_login(dmt)
    response = client.get(reverse(f"dashboard:{kind}", args=[timeline["strategy"].slug, timeline["q3"].slug]))
    assert response.status_code == 200
    assert seen == [False]
    assert gc.isenabled()


def test_pauses_nest_and_only_the_outermost_starts_the_collector_again():
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause ended inside the outer one
    assert gc.isenabled()


def test_a_collector_stopped_before_stays_stopped():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
