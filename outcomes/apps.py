from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Strategies and outcomes"

    def ready(self) -> None:
        # Registers the project's configuration checks (manage.py check --deploy).
        from strategy_tracker import checks  # noqa: F401
