"""The production settings, plus error logging to stderr if they have none (for the load test).

Django's default logging sends a request's traceback nowhere with DEBUG off and no ADMINS;
the load test needs it in the servers' logs to say why a request failed.
"""

from strategy_tracker.settings import *  # noqa: F403

if "LOGGING" not in globals():
    LOGGING = {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"stderr": {"class": "logging.StreamHandler"}},
        "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False}},
    }
