"""The preview of a spreadsheet import costs a fixed number of queries a row, with no
lookup repeated per row: the strategy, outcome, recommendation and lead teams a file names
are each looked up once per import, and a preview (rolled back) writes no history.

The count is pinned at two sizes, the second the largest import allowed, so that a query
added to every row, or a lookup no longer remembered, fails here rather than in the load
test's time-out (docs/performance.md, "The hostile run").
"""

from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from actions.models import Action
from tests import factories
from tests.actions.test_import_export import format_index, upload
from tests.load.hostile_requests import largest_import

pytestmark = pytest.mark.django_db

#: The queries of one previewed row: its action looked up by strategy and reference, the
#: three foreign keys and two check constraints full_clean() validates, the row's savepoint,
#: and the action and its lead teams saved (in the preview's transaction, rolled back) and
#: shown. Before each lookup was remembered and the preview's history skipped, it was 29.
PER_ROW = 18
#: The queries of the request itself (session, user, permissions, the preview's storage,
#: the transaction's savepoints, the per-person pace's lock and count in the database cache:
#: 12) and of the one lookup of each record the rows name.
FIXED = 31


@pytest.fixture
def planner_client(client, db):
    strategy = factories.StrategyFactory(slug="leicestershire-cfs-2016-17")
    factories.RecommendationFactory(outcome__strategy=strategy, outcome__number=1, number=1)
    factories.TeamFactory(name="Strategic HR")
    factories.TeamFactory(name="Corporate Comms Team")
    client.force_login(factories.UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def preview(client, rows, counting):
    url = reverse("admin:actions_action_import")
    data = {"resource": "0", "format": format_index(client.get(url), "xlsx")}
    upload_file = SimpleUploadedFile("actions.xlsx", largest_import(rows), "application/octet-stream")
    with counting(FIXED + PER_ROW * rows):
        response = client.post(url, {**data, "import_file": upload_file})
    assert response.status_code == 200
    assert "confirm_form" in response.context, response.context["result"].invalid_rows[:1]
    assert len(response.context["result"].rows) == rows
    assert not Action.objects.exists()  # a preview keeps nothing


@contextmanager
def exactly(expected: int):
    """As django_assert_num_queries, for more queries than Django's log of them keeps (9,000)."""
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield
    assert len(executed) == expected, f"{len(executed)} queries, not {expected}"


@pytest.mark.parametrize("rows", [5, 50])
def test_an_import_previews_in_a_fixed_number_of_queries_a_row(planner_client, rows, django_assert_num_queries):
    preview(planner_client, rows, django_assert_num_queries)


def test_the_largest_import_allowed_previews_in_the_same_queries_a_row(planner_client):
    preview(planner_client, settings.IMPORT_MAX_ROWS, exactly)


def test_what_an_import_looked_up_is_looked_up_again_by_the_next(planner_client):
    """A team or recommendation missing from one import and added before the next is found by it."""
    row = largest_import(1, strategy="later")
    first = upload(planner_client, SimpleUploadedFile("actions.xlsx", row), "xlsx")
    assert "confirm_form" not in first.context
    strategy = factories.StrategyFactory(slug="later")
    factories.RecommendationFactory(outcome__strategy=strategy, outcome__number=1, number=1)

    second = upload(planner_client, SimpleUploadedFile("actions.xlsx", row), "xlsx")

    assert "confirm_form" in second.context, second.context["result"].invalid_rows[:1]
