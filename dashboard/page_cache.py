"""What the report keeps once built, until something it shows has changed.

DMT's members read the same report many times before a meeting, and it changes only when
someone writes: a manager's update, the planner's key messages, a quarter closed. Building
it costs some 40 ms at 1,000 actions, a PDF a second or more; reading it from the cache costs
the request and two small queries (the version and the page). So the page, the PDF and the
spreadsheet are kept in the shared cache under a key holding the release (a digest of the
code and templates, the same on every server running them) and the data version, which the
writes change (`strategy_tracker.data_version`); a closed quarter's trend counts under the
release, when its states were recorded and a token only hand edits change (`hand_edits`).
A change made outside the application (SQL run by hand) is not told: `manage.py
report_changed` tells it, and a page is not kept longer than `TIMEOUT` anyway.
"""

import hashlib
import uuid
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from strategy_tracker import data_version

# The longest a page is kept, for changes no one tells of: SQL run by hand in the database.
TIMEOUT = 10 * 60
# A closed quarter's trend counts, which change only when its states are recorded again
# (part of their key) or by hand: kept longer, as recounting them costs more than a page.
TREND_TIMEOUT = 24 * 60 * 60
# Changed by `manage.py report_changed` only: what hand edits may have made stale.
HAND_EDITS_KEY = "report-hand-edits"


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


def key(kind: str, name: Iterable[object], version: str | None = None) -> str:
    """The cache key of the kept `kind` called `name`, under this release and `version`
    (by default the data version)."""
    parts = (release(), version or data_version.current(), *map(str, name))
    return f"{kind}:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def page(name: tuple, build: Callable[[], dict]) -> dict:
    """The page `name` as `build` makes it (a dict of strings), from the cache if it was built
    since the data last changed, under this release, today (the report says what is overdue
    as at today)."""
    page_key = key("report-page", (timezone.localdate().isoformat(), *name))
    kept = caches["default"].get(page_key)
    if kept is not None:
        return kept
    built = build()
    caches["default"].set(page_key, built, timeout=TIMEOUT)
    return built


def hand_edits() -> str:
    """A token changed only by `hand_edited()`: the version a closed quarter's trend counts are
    kept under. Not the data version: their recorded states change only when the quarter is
    closed again, which their key says (an action with recorded states cannot be deleted), so
    any other write would only throw away counts that cost more to make again than the page
    (at 1,000 actions and 12 quarters, the first build after a write would take four times as
    long)."""
    token = caches["default"].get(HAND_EDITS_KEY)
    if token is None:
        caches["default"].add(HAND_EDITS_KEY, uuid.uuid4().hex, timeout=None)
        token = caches["default"].get(HAND_EDITS_KEY)
    return token


def hand_edited() -> None:
    """Throw away everything kept (`manage.py report_changed`, after SQL run by hand)."""
    caches["default"].set(HAND_EDITS_KEY, uuid.uuid4().hex, timeout=None)
    data_version.changed()


def get_many(keys: Iterable[str]) -> dict[str, Any]:
    return caches["default"].get_many(keys)


def set_many(values: dict[str, Any]) -> None:
    caches["default"].set_many(values, timeout=TREND_TIMEOUT)
