"""Summarise a load test run (`tests/load/locustfile.py`) and check it against its goals.

    report.py RESULTS.json [--cpu CPU.json] [--page-p95 500]
    report.py RESULTS.json --outage OUTAGE.json [--grace 5]
    report.py RESULTS.json --baseline QUIET.json [--cpu CPU.json]     # the hostile run
    report.py RESULTS.json --published-p95 100 [--compare QUIET.json]   # the public run

Reads the requests and acknowledged saves the locust file wrote, and the database at
DATABASE_URL: every acknowledged save must be there, in the progress updates' history (each
save writes one history row in the same transaction), at the version the save gave it.
A load run must have no failures, and pages (all but the sign-in POST and the PDF) within
--page-p95 at the 95th percentile once every user has signed in. With --outage (when the
database was stopped and started again), failures are allowed only while it was down and
for --grace seconds after, and must be the site's own 503 page; every server must answer
again after. With --baseline (the hostile run, where five clients send the most expensive
requests), the others' pages must be within twice the quiet run's 95th percentile, and the
others must have no failures; the hostile clients' own requests are reported apart. With
--published-p95 (the public run, where anonymous readers read the published reports beside
everyone else), the published pages' 95th percentile once every user has signed in must be
within it, and the others' pages within --page-p95 as in the load run; --compare names the
load run, whose page p95 is printed beside. Prints a summary; exits 1 if a goal is missed.
"""

import argparse
import json
import math
import os
import re
import sys
from collections import Counter
from datetime import datetime

import psycopg2

HOSTILE_SIGN_IN = "hostile: sign in (POST)"
# The fewest pages a latency goal is measured over, once every user has signed in.
MIN_MEASURED = 20
TOKEN = re.compile(r"Token (lt-[A-Za-z0-9_]+-[0-9a-f]{16})\.")


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def timing(values: list[float]) -> str:
    return f"{len(values)}, p50 {percentile(values, 0.5):.0f} ms, p95 {percentile(values, 0.95):.0f} ms"


def working_pages(requests: list[dict]) -> tuple[list[float], list[float], float]:
    """The pages' times once every user has signed in, those before, and when that was.

    The sign-ins (0.3 s of password hashing each) come first; the latency goals are for the
    pages after them."""
    first = min((r["start"] for r in requests), default=0)
    signed_in_by = max((r["start"] + r["ms"] / 1000 for r in requests if r["kind"] == "sign_in"), default=first)
    working = [r["ms"] for r in requests if r["kind"] == "page" and r["start"] >= signed_in_by]
    arriving = [r["ms"] for r in requests if r["kind"] == "page" and r["start"] < signed_in_by]
    return working, arriving, signed_in_by


def saved_tokens(database_url: str, run: str) -> dict[str, set[int]]:
    """Every token of this run found in the progress updates' history, with its versions."""
    found: dict[str, set[int]] = {}
    with psycopg2.connect(database_url, connect_timeout=10) as connection, connection.cursor() as cursor:
        # The history table of ProgressUpdate, whichever app holds it.
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE %s",
            ("%\\_historicalprogressupdate",),
        )
        tables = [row[0] for row in cursor.fetchall()]
        if len(tables) != 1:
            raise SystemExit(f"Expected one progress update history table, found {tables or 'none'}.")
        cursor.execute(
            f'SELECT progress, version FROM "{tables[0]}" WHERE progress LIKE %s',  # nosec B608: a table name read from the catalogue
            (f"%Token lt-{run}-%",),
        )
        for progress, version in cursor.fetchall():
            match = TOKEN.search(progress)
            if match:
                found.setdefault(match.group(1), set()).add(version)
    connection.close()
    return found


# A line of the servers' access log (scripts/gunicorn.conf.py's access_log_format): when, the
# request line, the status, the bytes and the time the server took.
ACCESS_LINE = re.compile(
    r'\[(?P<at>[^\]]+)\] "(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d+) \S+ (?P<ms>\d+)ms'
)


def server_times(paths: list[str], first: float, last: float) -> dict[str, list[float]]:
    """The time the servers took, from their access logs, for the requests of the run (begun
    between `first` and `last`, to the second): {"published": [...], "others": [...]}, the
    others being pages (neither the sign-in POST nor a PDF). On a shared machine this is
    the servers' own work, without the wait in the queue for a free worker."""
    times: dict[str, list[float]] = {"published": [], "others": []}
    for path in paths:
        with open(path, encoding="utf-8") as log:
            for line in log:
                match = ACCESS_LINE.search(line)
                if not match:
                    continue
                at = datetime.strptime(match["at"], "%d/%b/%Y:%H:%M:%S %z").timestamp()
                if not (int(first) <= at <= last):
                    continue
                request_path = match["path"]
                if request_path.startswith("/published/"):
                    times["published"].append(float(match["ms"]))
                elif not request_path.endswith(".pdf") and not (
                    match["method"] == "POST" and request_path.startswith("/accounts/login")
                ):
                    times["others"].append(float(match["ms"]))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("--outage", help="JSON with the times the database was stopped and started again")
    parser.add_argument("--page-p95", type=float, default=500, help="goal for pages' 95th percentile, ms")
    parser.add_argument("--cpu", help="JSON with CPU seconds before and after the run (tests/load/cpu.py)")
    parser.add_argument("--grace", type=float, default=5, help="seconds after the database is back to recover")
    parser.add_argument("--baseline", help="the quiet run's results: the others' page p95 must stay within twice it")
    parser.add_argument("--published-p95", type=float, help="goal for published pages' 95th percentile, ms")
    parser.add_argument("--compare", help="the load run's results, whose page p95 is printed beside (public run)")
    parser.add_argument("--access-log", action="append", default=[], help="a server's access log (repeatable)")
    args = parser.parse_args()

    with open(args.results, encoding="utf-8") as data:
        results = json.load(data)
    requests, acks, run = results["requests"], results["acknowledged"], results["run"]
    missed: list[str] = []

    def goal(ok: bool, text: str) -> str:
        if not ok:
            missed.append(text)
        return "met" if ok else "MISSED"

    outage = None
    if args.outage:
        with open(args.outage, encoding="utf-8") as data:
            outage = json.load(data)
    baseline_p95 = None
    if args.baseline:
        with open(args.baseline, encoding="utf-8") as data:
            baseline_p95 = percentile(working_pages(json.load(data)["requests"])[0], 0.95)
    public_run = args.published_p95 is not None
    title = "Outage run" if outage else "Hostile run" if args.baseline else "Public run" if public_run else "Load run"
    first = min((r["start"] for r in requests), default=0)
    last = max((r["start"] + r["ms"] / 1000 for r in requests), default=0)
    print(f"\n== {title} ({run}): {len(requests)} requests in {last - first:.0f} s ==")

    # Which requests count against the error goal: all of them, or those outside the outage.
    def in_outage(r: dict) -> bool:
        if not outage:
            return False
        return r["start"] < outage["started"] + args.grace and r["start"] + r["ms"] / 1000 > outage["stopping"]

    steady = [r for r in requests if not in_outage(r)]
    pages = [r["ms"] for r in steady if r["kind"] == "page"]
    pdfs = [r["ms"] for r in steady if r["kind"] == "pdf" and not r.get("paced")]  # built or kept, not refused
    sign_ins = [r["ms"] for r in steady if r["kind"] == "sign_in"]

    width = max([22, *(len(r["name"]) + 2 for r in requests)])
    # "paced": refused by the per-person pace (429, strategy_tracker/pace.py), an answer, not a failure.
    print(f"{'request':<{width}}{'count':>7}{'fail':>6}{'paced':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for name in sorted({r["name"] for r in requests}):
        rows = [r for r in steady if r["name"] == name]
        times = [r["ms"] for r in rows]
        fails = sum(not r["ok"] for r in rows)
        paced = sum(bool(r.get("paced")) for r in rows)
        print(
            f"{name:<{width}}{len(rows):>7}{fails:>6}{paced:>7}{percentile(times, 0.5):>9.0f}"
            f"{percentile(times, 0.95):>9.0f}{max(times, default=0):>9.0f}"
        )
    servers = Counter(r["server"] or "?" for r in requests)
    print("requests per server: " + ", ".join(f"{host} {n}" for host, n in sorted(servers.items())))
    print(
        "status codes: "
        + ", ".join(
            f"{code or 'no response'} x{n}" for code, n in sorted(Counter(r["status"] for r in requests).items())
        )
    )

    if args.cpu:
        with open(args.cpu, encoding="utf-8") as data:
            cpu = json.load(data)
        total = cpu["after"]["total"] - cpu["before"]["total"]
        busy = (cpu["after"]["busy"] - cpu["before"]["busy"]) / total if total else 0
        ours = (cpu["after"]["ours"] - cpu["before"]["ours"]) / total if total else 0
        names = cpu["after"].get("by_name", {})
        parts: dict[str, float] = {}
        for name, seconds in names.items():
            # gunicorn names its processes "gunicorn: master […]", "gunicorn: worker […]".
            short = name.split(":")[0]
            if short in ("gunicorn", "postgres"):
                share = (seconds - cpu["before"].get("by_name", {}).get(name, 0)) / total
                parts[short] = parts.get(short, 0.0) + share
        # locust has exited by now: its time is counted in the script that waited for it.
        parts["locust"] = ours - sum(parts.values())
        print(
            f"CPU, {os.cpu_count()} cores: {busy:.0%} busy; this test {ours:.0%} ("
            + ", ".join(f"{name} {share:.0%}" for name, share in sorted(parts.items()))
            + f"), other work on the machine {max(0, busy - ours):.0%}"
        )
    hostile = [r for r in requests if r["kind"] == "hostile"]
    failures = [r for r in steady if not r["ok"] and r["kind"] != "hostile"]
    scope = "outside the outage" if outage else "of everyone else" if hostile else "in all"
    print(f"failures {scope}: {len(failures)} ({goal(not failures, f'no failures {scope} requests')})")
    for reason, n in Counter(f"{r['name']}: {r['error'] or r['status']}" for r in failures).most_common(8):
        print(f"  {n} x {reason}")
    # The goal is for pages once every user has signed in; pages while they were signing in
    # are reported beside it.
    working, arriving, signed_in_by = working_pages(steady)
    page_p95 = percentile(working, 0.95)
    if outage or baseline_p95 is not None:
        verdict = "for the load run only"
    else:
        # A goal is measured over enough pages: a run whose users were still signing in at its
        # end (sign-ins timing out on a saturated machine) leaves next to none after the last.
        measured = len(working) >= MIN_MEASURED
        verdict = goal(measured and page_p95 <= args.page_p95, "page p95 within goal" if measured else "pages measured")
    print(
        f"pages with everyone signed in (the last {last - signed_in_by:.0f} s): {timing(working)} "
        f"(goal p95 at most {args.page_p95:.0f} ms: {verdict})"
    )
    if baseline_p95 is not None:
        limit = 2 * baseline_p95
        print(
            f"  beside the hostile clients: p95 {page_p95:.0f} ms against {baseline_p95:.0f} ms in the quiet run "
            f"({page_p95 / baseline_p95 if baseline_p95 else 0:.1f}x; goal at most 2x, {limit:.0f} ms: "
            f"{goal(page_p95 <= limit, 'the others p95 within twice the quiet run')})"
        )
        by_name = Counter(r["name"] for r in hostile if r["name"] != HOSTILE_SIGN_IN)

        def answered_p50(name: str) -> float:  # built or previewed: the pace's refusals left out
            return percentile([r["ms"] for r in hostile if r["name"] == name and not r.get("paced")], 0.5) / 1000

        print(
            "  the hostile clients sent: "
            + ", ".join(
                f"{name.removeprefix('hostile: ')} x{n} "
                f"(p50 {answered_p50(name):.1f} s when not paced, "
                f"{sum(not r['ok'] for r in hostile if r['name'] == name)} failed, "
                f"{sum(bool(r.get('paced')) for r in hostile if r['name'] == name)} refused by the pace)"
                for name, n in sorted(by_name.items())
            )
        )
    if public_run:
        published = [r["ms"] for r in steady if r["kind"] == "published" and r["start"] >= signed_in_by]
        published_p95 = percentile(published, 0.95)
        enough = len(published) >= MIN_MEASURED
        what = "published pages p95 within goal" if enough else "published pages measured"
        print(
            f"published pages read without signing in, with everyone signed in: {timing(published)} "
            f"(goal p95 at most {args.published_p95:.0f} ms: "
            f"{goal(enough and published_p95 <= args.published_p95, what)})"
        )
        if args.compare:
            with open(args.compare, encoding="utf-8") as data:
                quiet_p95 = percentile(working_pages(json.load(data)["requests"])[0], 0.95)
            print(f"  the others' pages: p95 {page_p95:.0f} ms beside the readers, {quiet_p95:.0f} ms in the load run")
    if args.access_log:
        server = server_times(args.access_log, first, last)
        print(
            f"time in the servers (access logs, without the wait for a worker): "
            f"published pages {timing(server['published'])}; the others' pages {timing(server['others'])}"
        )
    print(f"pages while users were signing in (the first {signed_in_by - first:.0f} s): {timing(arriving)}")
    print(f"pages over the whole run: {timing(pages)}")
    print(f"sign in (password hashing): {timing(sign_ins)}")
    print(f"PDF report pack: {timing(pdfs)}")

    if outage:
        down = outage["started"] - outage["stopping"]
        during = [r for r in requests if in_outage(r)]
        codes = Counter(r["status"] for r in during if not r["ok"])
        print(
            f"database down for {down:.1f} s; {len(during)} requests during it and the {args.grace:.0f} s after: "
            f"{sum(r['ok'] for r in during)} succeeded, failed with "
            + (", ".join(f"{code or 'no response'} x{n}" for code, n in sorted(codes.items())) or "nothing")
        )
        not_503 = [r for r in during if not r["ok"] and not (r["status"] == 503 and r["own_page"])]
        print(
            "  every failure is the site's own 503 page: "
            + goal(not not_503, "failures during the outage are the site's own 503 page")
            + (f" ({len(not_503)} are not)" if not_503 else "")
        )
        after = [r for r in requests if r["start"] >= outage["started"] + args.grace]
        recovered = {r["server"] for r in after if r["ok"]}
        print(
            f"  after it: {len(after)} requests, {sum(not r['ok'] for r in after)} failed; servers answering: "
            f"{len(recovered)} of {len(results['hosts'])} "
            f"({goal(len(recovered) == len(results['hosts']), 'every server recovers by itself')})"
        )
        back = {
            host: min(
                (r["start"] for r in requests if r["ok"] and r["server"] == host and r["start"] >= outage["started"]),
                default=None,
            )
            for host in results["hosts"]
        }
        print(
            "  first success after the database was back: "
            + ", ".join(f"{host} +{t - outage['started']:.1f} s" if t else f"{host} never" for host, t in back.items())
        )
        late = [r["start"] - outage["started"] for r in requests if not r["ok"] and r["start"] >= outage["started"]]
        if late:
            print(f"  last failure began {max(late):.1f} s after the database was back")

    found = saved_tokens(os.environ["DATABASE_URL"], run)
    lost = [a for a in acks if a["token"] not in found]
    wrong_version = [
        a for a in acks if a["token"] in found and (a["version"] + 1 if a["version"] else 1) not in found[a["token"]]
    ]
    unacknowledged = len(set(found) - {a["token"] for a in acks})
    print(
        f"saves acknowledged: {len(acks)}, found in the database: {len(acks) - len(lost)}, lost: {len(lost)} "
        f"({goal(not lost and bool(acks), 'every acknowledged save is in the database')}); "
        f"at the wrong version: {len(wrong_version)} "
        f"({goal(not wrong_version, 'each save at the version after the form')})"
    )
    print(
        f"conflicts (another manager saved first; shown to the user, nothing lost): {len(results['conflicts'])}; "
        f"saved but never acknowledged (the response was lost): {unacknowledged}"
    )
    for a in lost[:5]:
        print(f"  lost: action {a['action']} token {a['token']}")

    if missed:
        print("GOALS MISSED: " + "; ".join(missed))
        return 1
    print("All goals met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
