"""The demo publishes Leicestershire's Q1 to Q3 2016/17, signed off by its DMT member, so that
the public pages have reports at once; running it again publishes nothing more."""

import datetime
import io

import pytest
from django.core.management import call_command

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
