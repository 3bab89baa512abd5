import atexit

from django.apps import AppConfig
from django.core.signals import request_finished
from django.db.backends.signals import connection_created


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = "DMT dashboard and report pack"

    def ready(self):
        from dashboard import page_cache

        connection_created.connect(page_cache.watch, dispatch_uid="dashboard.page_cache.watch")
        request_finished.connect(page_cache.tell_pending, dispatch_uid="dashboard.page_cache.tell_pending")
        atexit.register(page_cache.tell_pending)
