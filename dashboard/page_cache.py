"""A report page kept once built, until anything it could show has changed.

DMT's members read the same report many times before a meeting, and it changes only when
someone writes: a manager's update, the planner's key messages, a quarter closed. Building
it costs some 40 ms at 1,000 actions; reading it from the cache costs the request and two
small queries (the version and the page). So the page's content is kept in the shared cache under a key holding a *data
version*, which changes whenever anything is written to the database.

What counts as a write is seen where every write passes, whatever made it: each database
connection runs statements through `watch_writes`, which notes any statement that is not a
read (INSERT, UPDATE, DELETE, and anything it does not know) unless it only touches the
cache, the sessions or the record of sign-in attempts. A service, the admin, an import, a
bulk update, a migration and a loaddata are all seen the same way; a SQL statement typed
into the database by hand is not, so each page is also kept for at most `TIMEOUT`.

When the version changes matters as much as that it changes:

- After the transaction commits, so that other servers read afresh. Changing it before the
  commit would let another server build the page from the data as it was before the commit,
  and keep that under the new version.
- On the same connection, before its next read of the version, so that a transaction that
  wrote reads its own writes (and a test, which never commits, reads what it made).

The key also holds the release (a digest of the code and templates, the same on every
server running it) and the date.
"""

import hashlib
import logging
import re
import uuid
from collections.abc import Callable
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

VERSION_KEY = "report-data-version"
# The longest a page is kept, for what no connection sees: SQL run by hand in the database.
TIMEOUT = 10 * 60
# Statements that only read, or manage a transaction: they change nothing a report shows.
READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SET", "SHOW", "PRAGMA", "EXPLAIN")
# The table a write statement writes to, as Django writes them (quoted or not).
WRITE_TARGET = re.compile(r"\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[\"`]?([\w.]+)", re.IGNORECASE)
# Tables no report reads, written on every request or sign-in.
IGNORED_PREFIXES = ("django_session", "axes_")


NOT_TOLD = "A change was written but the report cache could not be told of it"


@cache
def _cache_tables() -> tuple[str, ...]:
    """The tables of the database caches (settings.CACHES)."""
    return tuple(
        config["LOCATION"]
        for config in settings.CACHES.values()
        if config["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    )


def is_write(sql: str) -> bool:
    """Whether `sql` may change what a report shows: not a read, and not only to a table no
    report reads."""
    statement = sql.lstrip(" \t\r\n(")  # a UNION's first part is in brackets on PostgreSQL
    if statement[:10].upper().startswith(READS):
        return False
    target = WRITE_TARGET.match(statement)
    return target is None or not target.group(1).lower().startswith((*_cache_tables(), *IGNORED_PREFIXES))


def new_version() -> str:
    version = uuid.uuid4().hex
    caches["default"].set(VERSION_KEY, version, timeout=None)
    return version


def _changed(connection) -> None:
    """A new data version, after a write has committed: the write stands whatever happens
    here. Before the cache's table exists (a new database being migrated) nothing can have
    been kept, so there is nothing to tell."""
    # Told: this connection's own next read needs no new version of its own.
    connection.report_change_pending = connection.report_data_written = False
    try:
        new_version()
    except DatabaseError:
        if set(_cache_tables()) <= set(connection.introspection.table_names()):
            logger.exception(NOT_TOLD)


def _changed_on_commit() -> None:
    _changed(connections[DEFAULT_DB_ALIAS])


def tell_pending(**kwargs) -> None:
    """Tell the cache of any write outside a transaction not yet told of (see `watch_writes`):
    connected to `request_finished`, and run when the process exits."""
    for connection in connections.all(initialized_only=True):
        if getattr(connection, "report_change_pending", False) and not connection.in_atomic_block:
            try:
                _changed(connection)
            except Exception:  # at exit, the connection may already be gone: say so, go on
                logger.exception(NOT_TOLD)


def watch_writes(execute, sql, params, many, context):
    """A connection's execute wrapper (Django's database instrumentation): runs the statement,
    then, if it wrote, marks the connection and changes the data version once the write has
    committed.

    In a transaction, that is when it commits (once, however many statements it ran).
    Outside one, the statement commits by itself, once it is finished: at once, unless it
    returns rows (SQLite's INSERT ... RETURNING), which SQLite finishes, and so commits, only
    when they have been read, and until then refuses any other transaction on the connection.
    Then the version changes before the connection's next statement, or at the end of the
    request or the process, whichever comes first."""
    connection = context["connection"]
    if getattr(connection, "report_change_pending", False) and not connection.in_atomic_block:
        _changed(connection)
    result = execute(sql, params, many, context)
    if is_write(sql):
        connection.report_data_written = True
        if connection.in_atomic_block:
            # Once a transaction: Django keeps its callbacks as (savepoint ids, callback, robust).
            if not any(func is _changed_on_commit for _ids, func, _robust in connection.run_on_commit):
                transaction.on_commit(_changed_on_commit, using=connection.alias)
        elif connection.get_autocommit():
            if connection.vendor == "sqlite" and context["cursor"].description is not None:
                connection.report_change_pending = True
            else:
                _changed(connection)
    return result


def watch(sender, connection, **kwargs) -> None:
    """Connected to `connection_created`: every connection watches its writes (once, however
    often it reconnects)."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def data_version() -> str:
    """The data version, changed first if this thread's connection wrote since it last asked."""
    written = [c for c in connections.all(initialized_only=True) if getattr(c, "report_data_written", False)]
    for connection in written:
        connection.report_data_written = False
    if written:
        return new_version()
    version = caches["default"].get(VERSION_KEY)
    if version is None:  # never set, or dropped from the cache: any new version will do
        caches["default"].add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = caches["default"].get(VERSION_KEY)
    return version


@cache
def release() -> str:
    """A digest of the code and templates this server runs, so that a page built by an earlier
    release is never served by a later one. The same on every server running the same files."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    folders = ["strategy_tracker", "workforce", "outcomes", "actions", "reporting", "dashboard", "templates"]
    for folder in folders:
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in {".py", ".html", ".svg", ".txt"} and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT or base / "staticfiles") / "staticfiles.json"
    if manifest.is_file():  # the hashed names of the stylesheets and images the page links to
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


def page(name: tuple, build: Callable[[], dict]) -> dict:
    """The page `name` as `build` makes it (a dict of strings), from the cache if it was built
    since the data last changed, under this release, today."""
    parts = (release(), data_version(), timezone.localdate().isoformat(), *map(str, name))
    key = "report-page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    kept = caches["default"].get(key)
    if kept is not None:
        return kept
    built = build()
    caches["default"].set(key, built, timeout=TIMEOUT)
    return built
