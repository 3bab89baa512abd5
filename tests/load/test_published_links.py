"""The load test's anonymous readers find the reports and their files on the pages as published:
the links they follow are the ones the index and a report's page make."""

import pytest
from django.test import Client

from publishing import services
from tests.dashboard.conftest import timeline  # noqa: F401  (the data, re-used)
from tests.load.published_links import FILE_LINK, FILE_NAMES, REPORT_LINK
from tests.publishing.published import approver, ready  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_readers_links_are_the_pages_links(ready, planner):  # noqa: F811
    version = services.report_publish(period=ready["period"], user=planner)
    client = Client()
    reports = REPORT_LINK.findall(client.get("/published/").content.decode())
    assert reports == [version.publication.get_absolute_url()]
    files = FILE_LINK.findall(client.get(reports[0]).content.decode())
    assert sorted(path.rsplit("/", 1)[1] for path in files) == sorted(FILE_NAMES)
    for path in files:
        assert path.startswith(version.get_absolute_url())
        assert client.get(path).status_code == 200
