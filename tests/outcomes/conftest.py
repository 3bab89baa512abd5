import pytest
from django.core.management import call_command
from django.db import transaction


def load_once(*labels: str):
    """A module-scoped fixture that loads `labels` once for the module's tests.

    Like Django's setUpTestData: the data goes in inside a transaction that is rolled back
    after the module, and each test runs in a savepoint within it, so tests still see
    exactly the loaded data and nothing they change outlives them.
    """

    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            call_command("loaddata", *labels, verbosity=0)
            yield
            transaction.set_rollback(True)

    return fixture
