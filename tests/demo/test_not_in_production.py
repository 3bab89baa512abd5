"""The demo app (demo data and the benchmark) is installed by the demo settings only: a server
run with the production settings, as `scripts/serve` runs it, loads no demo code."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION, DEMO = "strategy_tracker.settings", "strategy_tracker.settings_demo"

# Sets the product up as a server does (apps, admin, every URL and view, the WSGI
# application), then prints the demo modules loaded and the commands manage.py knows.
PROBE = """
import sys
from django.core.management import get_commands
from django.urls import get_resolver
from strategy_tracker.wsgi import application
get_resolver().url_patterns
print(sorted(name for name in sys.modules if name == "demo" or name.startswith("demo.")))
print(sorted(name for name in ("demo_data", "bench") if name in get_commands()))
"""


def run(args: list[str], settings_module: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")}
    environment.update(DJANGO_SETTINGS_MODULE=settings_module, SECRET_KEY="test-only-not-a-real-key")
    return subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_settings_load_no_demo_module_and_know_no_demo_command():
    probed = run(["-c", PROBE], PRODUCTION)
    assert probed.returncode == 0, probed.stderr
    assert probed.stdout.splitlines() == ["[]", "[]"]

    refused = run(["manage.py", "demo_data", "--users"], PRODUCTION)
    assert refused.returncode != 0
    assert "Unknown command: 'demo_data'" in refused.stderr


def test_the_demo_settings_add_the_demo_app_and_its_commands():
    probed = run(["-c", PROBE], DEMO)
    assert probed.returncode == 0, probed.stderr
    modules, commands = probed.stdout.splitlines()
    assert "'demo'" in modules
    assert commands == "['bench', 'demo_data']"
    assert "demo" in settings.INSTALLED_APPS  # what the tests run with
