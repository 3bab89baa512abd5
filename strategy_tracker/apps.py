from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site as a whole: its configuration checks and its session clock."""

    name = "strategy_tracker"
    verbose_name = "Strategy Tracker"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from strategy_tracker import admin_changes, checks  # noqa: F401  (checks: registers the deploy checks)
        from strategy_tracker.middleware import start_session_clock

        # Set at sign-in, so reading pages afterwards writes nothing to the session.
        user_logged_in.connect(start_session_clock, dispatch_uid="start_session_clock")
        admin_changes.connect()
