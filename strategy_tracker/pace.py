"""The pace of expensive work per person: building a PDF, previewing or confirming an import.

Each of these keeps an application server's worker busy for seconds. Without a pace, a few
people (or scripts) sending them without pause keep most of the workers busy and everyone
else waits. So, per person and kind of work:

- one at a time: a second request while the first is being worked on is refused;
- at most `per_minute` a minute: enough that a DMT member or a planner at work never meets it
  (a pack rebuilt after each change, an import previewed, corrected and previewed again).

Only the work counts: a PDF served from the cache is never paced (the callers ask for a pace
only when they build), nor is a confirm counted towards the minute (it holds the one-at-a-time
lock only), so a preview that was allowed can always be confirmed.

Counts and locks are kept in the shared cache (settings.CACHES, the database), so the pace
holds across several application servers. The lock is taken with `cache.add` (which only one
server can win), given a timeout so that a worker killed mid-build cannot leave it behind,
and released in `finally`. The list of times is read and written while the lock is held, so
two servers cannot both count the same slot.

Past the pace the person gets a page (HTTP 429, Retry-After) saying what they have done and
what to do: `refusal_page`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache import BaseCache, caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

WINDOW = 60  # seconds: the "minute" of per_minute
#: How long a lock outlives a worker that died holding it: gunicorn's timeout (60 s) and a little.
LOCK_TIMEOUT = 65
#: What Retry-After says while the person's previous request of the kind is still being worked on.
BUSY_RETRY_AFTER = 10


@dataclass(frozen=True)
class Kind:
    name: str
    per_minute: int
    done: str  # "You have {done} {n} {plural} in the last minute"
    singular: str
    plural: str
    working: str  # "You are already {working}."
    instead: str  # what to do meanwhile, after "Wait N seconds"


PDF = Kind(
    name="pdf",
    per_minute=4,
    done="built",
    singular="PDF",
    plural="PDFs",
    working="building a PDF (in another tab or download)",
    instead="or download the spreadsheet, which has the same report",
)
IMPORT = Kind(
    name="import",
    per_minute=4,
    done="previewed",
    singular="import",
    plural="imports",
    working="importing a file (in another tab)",
    instead="then upload the file again",
)
KINDS = {kind.name: kind for kind in (PDF, IMPORT)}


class PaceExceeded(Exception):
    """A person asked for more of one kind of expensive work than the pace allows."""

    def __init__(self, message: str, *, retry_after: int, kind: Kind):
        super().__init__(message)
        self.retry_after = retry_after
        self.kind = kind


def _now() -> float:
    return time.time()


def _keys(user, kind: Kind) -> tuple[str, str]:
    base = f"pace:{kind.name}:{user.pk}"
    return f"{base}:lock", f"{base}:recent"


@contextmanager
def paced(user, kind: Kind, *, count: bool = True, store: BaseCache | None = None) -> Iterator[None]:
    """Run the block as `user`'s one piece of `kind` of work, or raise PaceExceeded.

    With count=False (a confirm step), the block takes the one-at-a-time lock only and does
    not count towards the minute.
    """
    store = store or caches["default"]
    lock, recent_key = _keys(user, kind)
    if not store.add(lock, True, LOCK_TIMEOUT):
        raise PaceExceeded(
            f"You are already {kind.working}. Wait for it to finish, then try again.",
            retry_after=BUSY_RETRY_AFTER,
            kind=kind,
        )
    try:
        if count:
            now = _now()
            recent = [at for at in store.get(recent_key, []) if now - at < WINDOW]
            if len(recent) >= kind.per_minute:
                wait = max(1, math.ceil(min(recent) + WINDOW - now))
                raise PaceExceeded(
                    f"You have {kind.done} {len(recent)} {kind.plural} in the last minute. "
                    f"Wait {wait} seconds, {kind.instead}.",
                    retry_after=wait,
                    kind=kind,
                )
            store.set(recent_key, [*recent, now], WINDOW)
        yield
    finally:
        store.delete(lock)


def refusal_page(request: HttpRequest, refusal: PaceExceeded, *, links: tuple = ()) -> HttpResponse:
    """A 429 page with the refusal's message, Retry-After, and `links` ((address, text) pairs:
    what the person can do meanwhile)."""
    context = {"message": str(refusal), "kind": refusal.kind, "links": links}
    response = render(request, "pace_exceeded.html", context, status=429)
    response["Retry-After"] = str(refusal.retry_after)
    return response
