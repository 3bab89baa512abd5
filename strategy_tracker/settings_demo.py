"""The production settings plus the `demo` app (`manage.py demo_data`, `manage.py bench`).

For `scripts/demo`, the tests (pyproject.toml's DJANGO_SETTINGS_MODULE), the benchmark and
loading demo data into a test database; never for a real deployment, whose settings
(`strategy_tracker.settings`, what `scripts/serve` runs) load no demo code:

    DJANGO_SETTINGS_MODULE=strategy_tracker.settings_demo python manage.py demo_data --users
"""

from strategy_tracker.settings import *  # noqa: F403
from strategy_tracker.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "demo"]

# The demo says where its emails go on the reminders pages (reporting.reminders.demo_emails_words);
# a real deployment does not.
DEMO = True
