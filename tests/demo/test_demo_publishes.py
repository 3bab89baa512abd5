"""The demo publishes Leicestershire's Q1 to Q3 2016/17, signed off by its DMT member, so that
the public pages have reports at once; running it again publishes nothing more."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils.html import escape

from dashboard.report import report_build
from demo import key_messages
from outcomes.models import Strategy
from publishing.models import PublishedVersion
from reporting.models import ReportingPeriod

pytestmark = pytest.mark.django_db


def test_the_demo_signs_off_and_publishes_leicestershire_to_q3(client):
    call_command("loaddata", "teams", "leicestershire-cfs-2016-17", verbosity=0)
    out = io.StringIO()
    call_command("demo_data", users=True, stdout=out)
    assert (
        "leicestershire-cfs-2016-17: Q1 2016/17, Q2 2016/17, Q3 2016/17 signed off by Margaret Ellis "
        "and published at /published/" in out.getvalue()
    )
    q3 = ReportingPeriod.objects.get(strategy__slug="leicestershire-cfs-2016-17", year=2016, number=3)
    assert (q3.signed_off_by.username, q3.signed_off_on) == ("dmt", datetime.date(2017, 1, 25))
    version = PublishedVersion.objects.get(publication__period=q3)
    assert (version.number, version.published_by.username) == (1, "planner")
    response = client.get("/published/leicestershire-cfs-2016-17/2016-q3/")
    assert response.status_code == 200
    assert "Version 1, published 1 February 2017" in response.content.decode()

    call_command("demo_data", users=True, stdout=io.StringIO())
    assert PublishedVersion.objects.count() == 3, "what is published is left as it was"


def test_the_demos_closed_quarters_have_key_messages_that_agree_with_their_reports(client):
    """A newcomer's first public report opens on key messages, as a real one does, and what
    they say is what the report's key figures and off-track list say."""
    call_command("loaddata", "teams", "leicestershire-cfs-2016-17", verbosity=0)
    call_command("demo_data", users=True, stdout=io.StringIO())
    strategy = Strategy.objects.get(slug="leicestershire-cfs-2016-17")
    periods = list(ReportingPeriod.objects.filter(strategy=strategy).order_by("start"))
    closed = [period for period in periods if not period.is_open]
    assert closed and all(period.key_messages for period in closed)
    assert not [period for period in periods if period.is_open][0].key_messages, "the open one is the planner's"
    for period in closed:
        report = report_build(strategy, period, periods)
        counts = report.counts
        said = period.key_messages
        assert said.startswith(
            f"By the end of {period}, {counts.complete} of the {counts.total} actions "
            f"{'was' if counts.complete == 1 else 'were'} complete and {counts.on_track} "
        )
        off_track = [a.reference for a in report.actions if a.rag_as_at == "red"]
        assert len(off_track) == counts.off_track
        if off_track:
            assert f"{counts.off_track} {'was' if counts.off_track == 1 else 'were'} off track (" in said
            assert all(reference in said for reference in off_track[: key_messages.LISTED])
        else:
            assert "None was off track." in said
    q3 = closed[-1]
    assert q3.label == "Q3 2016/17"
    page = client.get("/published/leicestershire-cfs-2016-17/2016-q3/").content.decode()
    assert escape(q3.key_messages) in page, "published with them"
