"""Python's cycle collector paused while a report is built and written.

A report makes many objects at once and keeps them to the end of the request: the rows of
every action, and for the PDF WeasyPrint's boxes (millions at 1,000 actions). The collector,
run after every 700 new objects, keeps walking ever more live objects to free almost
nothing: a fifth of the PDF's processor time (0.3 s of 1.9 s at 1,000 actions, 2 s of 11.4 s
at 10,000), and about a quarter of the dashboard's at 10,000 actions (some 55 ms of 235 ms),
with spikes of twice the usual time at 1,000. Objects are still freed as soon as they are
unused; only cycles wait for the next collection, so memory peaks higher (for a PDF about
25 MB at 1,000 actions and 130 MB at 10,000).
"""

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector paused, and running again afterwards whatever happens, if it ran before.

    Pauses nest: only the outermost starts it again. Another thread's pause overlapping this
    one can at worst start it again early, never leave it stopped."""
    was_running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_running:
            gc.enable()


def with_collector_paused(view: Callable) -> Callable:
    """A view run with the collector paused (`collector_paused`)."""

    @wraps(view)
    def paused(*args, **kwargs):
        with collector_paused():
            return view(*args, **kwargs)

    return paused
