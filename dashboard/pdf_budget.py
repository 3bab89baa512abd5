"""The budget the DMT's PDF is built within, and the page that says when it is exceeded.

WeasyPrint's time grows with the report's HTML: a report of 1,000 actions and 12 quarters
is about 115,000 characters, 19 pages and 3 seconds. A PDF is refused, with a page that
offers the spreadsheet instead, rather than left to run until the server restarts its
worker (GUNICORN_TIMEOUT, 60 s):

- before WeasyPrint, when the HTML is longer than MAX_HTML_CHARACTERS;
- after the layout, when it has more than MAX_PAGES pages;
- when WeasyPrint has taken MAX_SECONDS (a timer, in the main thread, as gunicorn's sync
  workers run a request; elsewhere only the two limits above and gunicorn's own timeout
  apply). HTML refused by the timer is remembered for an hour, so asking again does not
  spend the time again.
"""

from __future__ import annotations

import hashlib
import signal
import threading
from contextlib import contextmanager

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

MAX_HTML_CHARACTERS = 1_000_000
MAX_PAGES = 200
MAX_SECONDS = 30
REMEMBERED_FOR = 60 * 60
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


class PdfTooLarge(Exception):
    """The PDF would take more than its budget to build; the message says which limit."""


def write_pdf(html: str, *, base_url: str) -> bytes:
    """The PDF of `html`, built within the budget; raises PdfTooLarge past it."""
    from weasyprint import HTML  # imported here: it takes most of a second to load

    if len(html) > MAX_HTML_CHARACTERS:
        raise PdfTooLarge(
            f"The report is {len(html):,} characters long; the PDF is built from at most {MAX_HTML_CHARACTERS:,}."
        )
    key = "pdf-refused:" + hashlib.sha256(html.encode()).hexdigest()
    if cache.get(key):
        raise PdfTooLarge(f"The PDF took more than {MAX_SECONDS} seconds to build when it was last asked for.")
    try:
        with time_limit(MAX_SECONDS):
            # Tagged PDF/UA-1 (PDF_OPTIONS): a structure tree, the document's title and language,
            # so a screen reader can read it. Fonts subset: with tags, writing whole fonts is the slower.
            document = HTML(string=html, base_url=base_url).render(**PDF_OPTIONS)
            if len(document.pages) > MAX_PAGES:
                raise PdfTooLarge(f"The report has {len(document.pages):,} pages; the PDF has at most {MAX_PAGES}.")
            return document.write_pdf(**PDF_OPTIONS)
    except _TimedOut:
        cache.set(key, True, REMEMBERED_FOR)
        raise PdfTooLarge(f"The PDF took more than {MAX_SECONDS} seconds to build.") from None


class _TimedOut(BaseException):
    """Raised by the timer: a BaseException, so no `except Exception` inside WeasyPrint (a
    missing image, a font) can swallow it and carry on past the limit."""


@contextmanager
def time_limit(seconds: float):
    """Raise _TimedOut in the block after `seconds` (a SIGALRM timer: main thread only)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise _TimedOut

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def refusal_page(request: HttpRequest, *, slug: str, quarter: str, refusal: PdfTooLarge) -> HttpResponse:
    """A 503 page that says why the PDF was not built and offers the spreadsheet and the page."""
    context = {"slug": slug, "quarter": quarter, "reason": str(refusal)}
    response = render(request, "dashboard/pdf_too_large.html", context, status=503)
    response["Retry-After"] = str(REMEMBERED_FOR)
    return response
