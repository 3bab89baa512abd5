"""The data version: a token that changes whenever something a report shows is written.

What the report keeps (its page, PDF and spreadsheet: `dashboard.page_cache`) is keyed on it,
so a write makes them be built again and nothing else does. It is said, not
guessed: every write service calls `changed()` at the end of its transaction, the admin's
saves and deletes do through one receiver (`strategy_tracker.admin_changes`), and so do the
imports and `manage.py report_changed` (run after changing the database by hand). Signing
in, sessions and sign-in attempts write nothing a report shows, so they change nothing.

It lives outside the apps so that every app's services may import it.
"""

import threading
import uuid

from django.core.cache import caches
from django.db import connection, transaction

KEY = "report-data-version"

# Whether this thread's connection (Django gives each thread its own) wrote since it last
# made a version: see `current`.
_written = threading.local()


def changed() -> None:
    """Make a new data version once the current transaction commits (at once outside one).

    After the commit, not before: another server reading between the two would build a page
    from the data as it was and keep it under the new version. Once a transaction, however
    many writes it holds (a bulk delete in the admin tells it of every row); nothing if it
    is rolled back (a preview of an import)."""
    if not connection.in_atomic_block:
        _new()
        return
    # Until then, this connection reads its own writes (see `current`).
    _written.pending = True
    if not _pending():
        transaction.on_commit(_new)


def _pending() -> bool:
    """Whether this connection's transaction will make a new version when it commits."""
    # Django keeps a transaction's callbacks as (savepoint ids, callback, robust), and drops
    # them when it, or the savepoint they were added in, is rolled back.
    return any(entry[1] is _new for entry in connection.run_on_commit)


def current() -> str:
    """The data version, made if it has never been set or has been dropped from the cache.

    A new one at once if this connection has written in a transaction not yet committed, so
    that it reads its own writes (as a test does, whose transaction never commits); other
    servers read the committed data under the version they know until the commit changes it."""
    if getattr(_written, "pending", False) and _pending():
        return _new()
    version = caches["default"].get(KEY)
    if version is None:
        caches["default"].add(KEY, uuid.uuid4().hex, timeout=None)
        version = caches["default"].get(KEY)
    return version


def _new() -> str:
    _written.pending = False
    version = uuid.uuid4().hex
    caches["default"].set(KEY, version, timeout=None)
    return version
