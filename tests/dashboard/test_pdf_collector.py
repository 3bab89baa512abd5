"""The PDF is made with Python's cycle collector paused (it took a fifth of the PDF's time),
and the collector always runs again afterwards, also when making the PDF fails."""

import gc

import pytest
import weasyprint

from dashboard import exports
from dashboard.selectors import report_build
from reporting import selectors as action_selectors

pytestmark = pytest.mark.django_db


def report_of(timeline):
    strategy = timeline["strategy"]
    return report_build(strategy, timeline["q3"], list(action_selectors.periods_for_strategy(strategy)))


def test_the_collector_is_paused_while_weasyprint_works_and_runs_again_after(timeline, monkeypatch):
    seen = []
    write_pdf = weasyprint.HTML.write_pdf

    def watched(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", watched)
    pdf = exports.report_pdf(report_of(timeline), base_url="http://testserver/")
    assert pdf.startswith(b"%PDF")
    assert seen == [False]
    assert gc.isenabled()


def test_the_collector_runs_again_when_the_pdf_fails(timeline, monkeypatch):
    def failing(self, *args, **kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", failing)
    with pytest.raises(RuntimeError, match="layout failed"):
        exports.report_pdf(report_of(timeline), base_url="http://testserver/")
    assert gc.isenabled()
