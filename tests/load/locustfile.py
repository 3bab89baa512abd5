"""Load test: managers recording their quarterly updates while DMT reads the dashboard.

Run by `scripts/loadtest`, which starts PostgreSQL and two application servers and checks
the results (`tests/load/report.py`); see docs/performance.md. Every request goes to one of
the servers in LOADTEST_HOSTS at random, so a session started on one server is used on the
other, as behind a load balancer.

Managers (the demo user `manager`) sign in, open "Your actions", and record Green updates
on their team's actions: the form is fetched for its CSRF token and version, and the save
is acknowledged by the redirect to the action. Each saved update carries a unique token in
its progress text; the acknowledged tokens are written out, for the report to find each
one in the database. A save refused because another manager saved the same update first
is the app working as designed: it is counted as a conflict, not an error.

DMT members (the demo user `dmt`) read the dashboard and download the PDF report pack,
which is reported under its own name. Four in five users are managers. Everyone waits one
to five seconds between requests: far busier than people reading pages, as a deadline-day
peak.

With LOADTEST_HOSTILE=1 (the hostile run), five more clients join, each sending the most
expensive request one role may send, over and over with no pause: two managers the longest
search allowed (10 words, 200 characters, every filter of the list set), two DMT members the
PDF report pack, and one planner the largest spreadsheet import allowed (IMPORT_MAX_ROWS rows,
previewed, which is where the work is). Their requests are reported apart ("hostile: …"):
the goal is about everyone else.

Building a PDF and previewing an import are paced per person (strategy_tracker/pace.py: one
at a time, four a minute). A refusal by the pace (429 with Retry-After) is an answer the site
means to give, not a failure: it is recorded as "paced" and counted apart. Each DMT member
signs in as an account of their own (LOADTEST_DMT-1, -2, …, made by scripts/loadtest), as
people do, so that the pace applies to one person, not to everyone sharing a demo account;
the hostile DMT clients share LOADTEST_DMT itself, as one person with two tabs.

With LOADTEST_READERS=N (the public run), N anonymous readers join them: councillors and
residents reading the published reports without signing in (publishing/public_views.py).
Each opens the index of published reports, then reads reports' pages, a version's PDF and
open data, and the Atom feed, waiting one to five seconds between requests, as the others do.
Their requests are reported under "published: …", against their own goal.

Environment: LOADTEST_HOSTS (comma-separated base URLs), LOADTEST_RESULTS (where to write
the requests and acknowledgements, JSON), LOADTEST_RUN (a label put in every token),
LOADTEST_PASSWORD (the demo password), LOADTEST_HOSTILE (1 for the hostile clients),
LOADTEST_HOSTILE_WAIT (seconds each waits between requests: 0), LOADTEST_IMPORT_ROWS (500,
as IMPORT_MAX_ROWS), LOADTEST_PLANNER (planner), LOADTEST_DMT (dmt), LOADTEST_DMT_ACCOUNTS
(how many DMT accounts scripts/loadtest made: 12; 0 to share LOADTEST_DMT), LOADTEST_READERS
(anonymous readers of the published reports: 0).
"""

import itertools
import json
import os
import random
import re
import time
import uuid
from urllib.parse import urlsplit

from locust import HttpUser, between, constant, events, task

from tests.load.hostile_requests import IMPORT_MAX_ROWS, LONGEST_SEARCH, XLSX_CHOICE, largest_import
from tests.load.published_links import FILE_LINK, FILE_NAMES, REPORT_LINK

HOSTS = [host.strip().rstrip("/") for host in os.environ.get("LOADTEST_HOSTS", "").split(",") if host.strip()]
if not HOSTS:
    HOSTS = ["http://127.0.0.1:8000"]
RESULTS = os.environ.get("LOADTEST_RESULTS", "loadtest-results.json")
RUN = os.environ.get("LOADTEST_RUN", "load")
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "demo-password-2016")
TIMEOUT = float(os.environ.get("LOADTEST_REQUEST_TIMEOUT", "30"))

DMT = os.environ.get("LOADTEST_DMT", "dmt")
DMT_ACCOUNTS = int(os.environ.get("LOADTEST_DMT_ACCOUNTS", "12"))
_dmt_numbers = itertools.count()

HOSTILE = os.environ.get("LOADTEST_HOSTILE", "") == "1"
HOSTILE_WAIT = float(os.environ.get("LOADTEST_HOSTILE_WAIT", "0"))
IMPORT_ROWS = int(os.environ.get("LOADTEST_IMPORT_ROWS", IMPORT_MAX_ROWS))
READERS = int(os.environ.get("LOADTEST_READERS", "0"))

# The names requests are reported under, and which are pages for the latency goal.
SIGN_IN = "sign in (POST)"
PDF = "PDF report pack"
HOSTILE_PREFIX = "hostile: "
PUBLISHED_PREFIX = "published: "
NOT_PAGES = {SIGN_IN, PDF}

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
ACTION_LINK = re.compile(r'href="/actions/(\d+)/[^"]*"')  # the action, its update form, with any query
# An update offered: never on an action finished in an earlier quarter (its update page says so, 409).
UPDATE_LINK = re.compile(r'href="/actions/(\d+)/update/[^"]*"')
PDF_LINK = re.compile(r'href="(/dashboard/[^"]+/report\.pdf)"')

# Filled as the run goes; written out when locust quits.
requests_seen: list[dict] = []
acknowledged: list[dict] = []
conflicts: list[dict] = []


@events.request.add_listener
def _record(request_type, name, response_time, response, exception, start_time=None, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    body = ""
    if status >= 500 and response is not None:
        body = (getattr(response, "text", "") or "")[:4000]
    requests_seen.append(
        {
            "name": name,
            "kind": _kind(name),
            "start": start_time if start_time is not None else time.time() - response_time / 1000,
            "ms": response_time,
            "status": status,
            "ok": exception is None,
            "error": str(exception)[:200] if exception else "",
            "own_page": "govuk-" in body,
            "paced": is_paced(response),
            "server": _server_of(getattr(response, "url", "") or kwargs.get("url", "") or ""),
        }
    )


def is_paced(response) -> bool:
    """Whether `response` is the pace's refusal (strategy_tracker/pace.py): 429 with Retry-After."""
    return getattr(response, "status_code", 0) == 429 and "Retry-After" in (getattr(response, "headers", None) or {})


def _kind(name: str) -> str:
    if name.startswith(HOSTILE_PREFIX):
        return "hostile"
    if name.startswith(PUBLISHED_PREFIX):
        return "published"
    return "pdf" if name == PDF else "sign_in" if name == SIGN_IN else "page"


def _server_of(url: str) -> str:
    return next((host for host in HOSTS if url.startswith(host)), "")


@events.quitting.add_listener
def _write_results(environment, **kwargs):
    with open(RESULTS, "w", encoding="utf-8") as out:
        json.dump(
            {
                "hosts": HOSTS,
                "run": RUN,
                "requests": requests_seen,
                "acknowledged": acknowledged,
                "conflicts": conflicts,
            },
            out,
        )


class SignedInUser(HttpUser):
    abstract = True
    host = HOSTS[0]
    username = ""

    def url(self, path: str) -> str:
        """The path on one of the servers, chosen at random for every request."""
        return random.choice(HOSTS) + path

    def get(self, path: str, name: str, **kwargs):
        return self.client.get(self.url(path), name=name, timeout=TIMEOUT, catch_response=True, **kwargs)

    def on_start(self):
        self.signed_in = False
        self.sign_in()

    def sign_in(self):
        prefix = HOSTILE_PREFIX if getattr(self, "hostile", False) else ""
        with self.get("/accounts/login/", prefix + "sign-in page") as page:
            token = CSRF.search(page.text or "")
            if page.status_code != 200 or not token:
                page.failure(f"no sign-in form (status {page.status_code})")
                return
            page.success()
        with self.client.post(
            self.url("/accounts/login/"),
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
            name=prefix + SIGN_IN,
            timeout=TIMEOUT,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302 and "/accounts/login" not in response.headers.get("Location", ""):
                response.success()
                self.signed_in = True
            else:
                response.failure(f"not signed in (status {response.status_code})")

    def ensure_signed_in(self) -> bool:
        if not self.signed_in:
            self.sign_in()
        return self.signed_in


class Manager(SignedInUser):
    """A manager updating the actions their team leads: reads, then saves Green updates."""

    weight = 4  # most people who use the tracker are managers; DMT is a handful
    wait_time = between(1, 5)
    username = os.environ.get("LOADTEST_MANAGER", "manager")

    def on_start(self):
        self.action_ids: list[str] = []
        self.update_ids: list[str] = []
        self.home_path = "/"  # redirects to "Your actions"; learnt on the first visit
        super().on_start()
        if self.signed_in:
            self.your_actions()

    @task(2)
    def your_actions(self):
        if not self.ensure_signed_in():
            return
        with self.get(self.home_path, "your actions") as page:
            ids = sorted(set(ACTION_LINK.findall(page.text or ""))) if page.status_code == 200 else []
            if page.status_code == 200 and page.history:
                self.home_path = urlsplit(page.url).path
            if page.status_code != 200:
                page.failure(f"status {page.status_code}")
            elif not ids:
                page.failure("no actions listed for this manager")
            else:
                self.action_ids = ids
                self.update_ids = sorted(set(UPDATE_LINK.findall(page.text or "")))
                page.success()

    @task(1)
    def all_actions(self):
        if self.ensure_signed_in():
            with self.get("/actions/", "all actions") as page:
                page.success() if page.status_code == 200 else page.failure(f"status {page.status_code}")

    @task(1)
    def action_page(self):
        if self.ensure_signed_in() and self.action_ids:
            with self.get(f"/actions/{random.choice(self.action_ids)}/", "action") as page:
                page.success() if page.status_code == 200 else page.failure(f"status {page.status_code}")

    @task(3)
    def record_update(self):
        if not self.ensure_signed_in() or not self.update_ids:
            return
        action_id = random.choice(self.update_ids)
        path = f"/actions/{action_id}/update/"
        with self.get(path, "update form") as form:
            csrf, version = CSRF.search(form.text or ""), VERSION.search(form.text or "")
            if form.status_code != 200 or not csrf or not version:
                form.failure(f"no update form (status {form.status_code})")
                return
            form.success()
        token = f"lt-{RUN}-{uuid.uuid4().hex[:16]}"
        data = {
            "csrfmiddlewaretoken": csrf.group(1),
            "status": "in_progress",
            "rag": "green",
            "progress": f"On track: the load test saved this update. Token {token}.",
            "next_steps": "Carry on as planned.",
            "evidence": "",
            "help_needed": "",
            "reason": "",
            "version": version.group(1),
            "save": "Save update",
        }
        with self.client.post(
            self.url(path),
            data=data,
            name="save update (POST)",
            timeout=TIMEOUT,
            allow_redirects=False,
            catch_response=True,
        ) as saved:
            location = urlsplit(saved.headers.get("Location", "")).path  # the action's page, any query aside
            if saved.status_code == 302 and location.rstrip("/").endswith(f"/actions/{action_id}"):
                saved.success()
                acknowledged.append({"action": int(action_id), "token": token, "version": int(version.group(1))})
            elif saved.status_code == 200 and 'id="conflict"' in (saved.text or ""):
                saved.success()  # someone else saved it first: the form says so, nothing is lost
                conflicts.append({"action": int(action_id), "token": token})
            else:
                saved.failure(f"not saved (status {saved.status_code})")


class DmtMember(SignedInUser):
    """A DMT member reading the quarter's dashboard and taking the PDF into the meeting."""

    weight = 1
    wait_time = between(1, 5)
    username = DMT

    def on_start(self):
        self.pdf_path = ""
        if DMT_ACCOUNTS:  # an account each, in turn
            self.username = f"{DMT}-{next(_dmt_numbers) % DMT_ACCOUNTS + 1}"
        super().on_start()

    @task(4)
    def dashboard(self):
        if not self.ensure_signed_in():
            return
        # /dashboard/ redirects to the quarter to report on; both are timed as one request.
        with self.get("/dashboard/", "dashboard") as page:
            link = PDF_LINK.search(page.text or "")
            if page.status_code != 200 or not link:
                page.failure(f"no dashboard (status {page.status_code})")
                return
            self.pdf_path = link.group(1)
            page.success()

    @task(1)
    def pdf(self):
        if not self.ensure_signed_in() or not self.pdf_path:
            return
        with self.get(self.pdf_path, PDF) as report:
            if (report.status_code == 200 and report.content[:5] == b"%PDF-") or is_paced(report):
                report.success()
            else:
                report.failure(f"no PDF (status {report.status_code})")


# The anonymous readers of published reports (LOADTEST_READERS=N) ----------------------------


class PublicReader(HttpUser):
    """Someone reading the published reports without signing in: the index first, then the
    reports' pages most, a version's PDF or open data, and now and then the Atom feed."""

    abstract = not READERS
    fixed_count = READERS
    wait_time = between(1, 5)
    host = HOSTS[0]

    def url(self, path: str) -> str:
        return random.choice(HOSTS) + path

    def read(self, path: str, name: str):
        return self.client.get(self.url(path), name=PUBLISHED_PREFIX + name, timeout=TIMEOUT, catch_response=True)

    def on_start(self):
        self.reports: list[str] = []
        self.files: list[str] = []
        self.index()

    @task(1)
    def index(self):
        with self.read("/published/", "index") as page:
            reports = sorted(set(REPORT_LINK.findall(page.text or ""))) if page.status_code == 200 else []
            if not reports:
                page.failure(f"no published report listed (status {page.status_code})")
                return
            self.reports = reports
            page.success()

    @task(6)
    def report(self):
        if not self.reports:
            return
        with self.read(random.choice(self.reports), "report") as page:
            files = FILE_LINK.findall(page.text or "") if page.status_code == 200 else []
            if not files:
                page.failure(f"no report page with its files (status {page.status_code})")
                return
            self.files = files
            page.success()

    @task(2)
    def file(self):
        if not self.files:
            return
        path = random.choice(self.files)
        with self.read(path, FILE_NAMES[path.rsplit("/", 1)[1]]) as kept:
            kept.success() if kept.status_code == 200 and kept.content else kept.failure(f"status {kept.status_code}")

    @task(1)
    def feed(self):
        with self.read("/published/feed.atom", "feed") as feed:
            ok = feed.status_code == 200 and "<feed" in (feed.text or "")
            feed.success() if ok else feed.failure(f"no feed (status {feed.status_code})")


# The hostile clients (LOADTEST_HOSTILE=1) ---------------------------------------------------


class HostileUser(SignedInUser):
    abstract = True
    hostile = True
    wait_time = constant(HOSTILE_WAIT)

    def hostile_get(self, path: str, name: str, **kwargs):
        return self.get(path, HOSTILE_PREFIX + name, **kwargs)


class HostileSearcher(HostileUser):
    """A manager sending the longest search allowed, again and again."""

    abstract = not HOSTILE
    fixed_count = 2
    username = os.environ.get("LOADTEST_MANAGER", "manager")

    @task
    def longest_search(self):
        if self.ensure_signed_in():
            with self.hostile_get("/actions/", "longest search", params=LONGEST_SEARCH) as page:
                page.success() if page.status_code == 200 else page.failure(f"status {page.status_code}")


class HostilePdf(HostileUser):
    """A DMT member downloading the report pack, again and again."""

    abstract = not HOSTILE
    fixed_count = 2
    username = DMT
    pdf_path = ""

    @task
    def pdf(self):
        if not self.ensure_signed_in():
            return
        if not self.pdf_path:
            with self.hostile_get("/dashboard/", "dashboard") as page:
                link = PDF_LINK.search(page.text or "")
                if not link:
                    page.failure(f"no dashboard (status {page.status_code})")
                    return
                self.pdf_path = link.group(1)
                page.success()
        with self.hostile_get(self.pdf_path, PDF) as report:
            if (report.status_code == 200 and report.content[:5] == b"%PDF-") or is_paced(report):
                report.success()
            else:
                report.failure(f"no PDF (status {report.status_code})")


class HostileImporter(HostileUser):
    """A planner previewing the largest spreadsheet import allowed, again and again."""

    abstract = not HOSTILE
    fixed_count = 1
    username = os.environ.get("LOADTEST_PLANNER", "planner")
    # Built before any user starts: building it later would stall every user's requests.
    import_file = largest_import(IMPORT_ROWS) if HOSTILE else b""

    @task
    def largest_import(self):
        if not self.ensure_signed_in():
            return
        path = "/admin/actions/action/import/"
        with self.hostile_get(path, "import form") as form:
            csrf, choice = CSRF.search(form.text or ""), XLSX_CHOICE.search(form.text or "")
            if form.status_code != 200 or not csrf or not choice:
                form.failure(f"no import form (status {form.status_code})")
                return
            form.success()
        with self.client.post(
            self.url(path),
            data={"csrfmiddlewaretoken": csrf.group(1), "resource": "0", "format": choice.group(1)},
            files={"import_file": ("actions.xlsx", self.import_file, "application/octet-stream")},
            headers={"Referer": self.url(path)},
            name=HOSTILE_PREFIX + "largest import (preview)",
            timeout=TIMEOUT * 4,
            catch_response=True,
        ) as preview:
            if (preview.status_code == 200 and "Confirm import" in (preview.text or "")) or is_paced(preview):
                preview.success()
            else:
                preview.failure(f"no preview (status {preview.status_code})")
