"""Configuration problems, reported as Django system checks rather than found in production."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    """With DEBUG off, the SECRET_KEY must come from the environment."""
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django's own refusal of an empty key
        key = ""
    if not settings.DEBUG and not key:
        return [
            Error(
                "SECRET_KEY is not set, and DEBUG is off.",
                hint="Set the SECRET_KEY environment variable to a long random string (see .env.example).",
                id="strategy_tracker.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_email_backend(app_configs, **kwargs):
    """Password reset emails go nowhere with the console backend in production."""
    if not settings.DEBUG and settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        return [
            Warning(
                "Emails (password resets) are written to the console, not sent.",
                hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the EMAIL_* settings.",
                id="strategy_tracker.W001",
            )
        ]
    return []
