"""gunicorn settings for Strategy Tracker in production (`scripts/serve` uses them).

Each value can be changed from the environment; `docs/deploy.md` explains them:

    BIND                 address and port to listen on (127.0.0.1:8000)
    WEB_CONCURRENCY      worker processes (8)
    GUNICORN_THREADS     threads per worker (1: plain sync workers)
    GUNICORN_TIMEOUT     seconds a request may take before its worker is restarted (60)
    FORWARDED_ALLOW_IPS  proxies gunicorn believes about the scheme (gunicorn's own default)
    GUNICORN_CONTROL_SOCKET  a control socket's path (none by default)

Eight sync workers, about four a core on a 2-core server, not the usual 2 x cores + 1. A
sync worker serves one request at a time, and a PDF report pack or a dashboard keeps one
busy for up to a couple of seconds; with few workers, a published page that takes the
server 5 ms waits in the queue behind them. With more workers than cores, the operating
system shares the CPU between them instead, so the short requests finish in milliseconds
while the long ones take a little longer (docs/performance.md, "Published reports beside
the staff"). Raise WEB_CONCURRENCY with the cores; each worker holds one database
connection and about 125 MB, much of it shared.

Threads (GUNICORN_THREADS > 1, gthread workers) are not recommended: they keep idle
connections open, and when a worker closes one (its keep-alive time ended, or it is being
recycled) just as the client sends on it, the request is lost.
"""

import os
from pathlib import Path

wsgi_app = "strategy_tracker.wsgi:application"
chdir = str(Path(__file__).resolve().parent.parent)

bind = [address.strip() for address in os.environ.get("BIND", "127.0.0.1:8000").split(",") if address.strip()]
workers = int(os.environ.get("WEB_CONCURRENCY") or "8")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"

# The PDF is the slowest request (about 2 s for 1,000 actions): a minute is plenty, and a
# worker stuck longer than that is restarted rather than left holding a slot.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# gthread workers only (a sync worker closes each connection after its answer). Keep it above
# the balancer's idle timeout, so that the balancer, not the server, closes an idle connection.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# Load Django and WeasyPrint once, before forking: workers start quicker and share memory.
preload_app = True
# Recycle workers now and then so memory held by large PDFs is given back.
max_requests = 1000
max_requests_jitter = 100

# Heartbeat files in memory, not on a disk that may stall (gunicorn's own advice; it makes
# them with mkstemp and unlinks them at once).
if Path("/dev/shm").is_dir():  # nosec B108
    worker_tmp_dir = "/dev/shm"  # nosec B108

# Logs to stdout/stderr, for the process manager (systemd's journal) to keep.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# gunicorn 27's control socket is off unless asked for: several servers on one machine
# would otherwise share its default path.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
