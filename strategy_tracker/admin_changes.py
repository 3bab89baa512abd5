"""The one signal receiver: the admin's saves and deletes change the data version.

The admin writes through its own forms, not the services, so it cannot call
`data_version.changed()` where they do. Every add, change and delete it makes writes a
`LogEntry` (one object's with `save()`, which sends `post_save`), so a new log entry is
exactly "the admin wrote". Deleting several objects at once ("delete selected") writes its
log entries in bulk, which sends no signal, so the deletes themselves are heard too, of the
models the admin edits only: a receiver for every model would cost every bulk delete its
fast path (rows read and signalled one by one). Only the plan's apps and the accounts whose
names the report shows count: sign-ins, sessions and sign-in attempts change nothing.
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save

from strategy_tracker import data_version

# The apps whose models a report shows (auth: a lead officer's account name).
REPORTED_APPS = frozenset({"auth", "workforce", "outcomes", "actions", "reporting"})


def admin_changed(sender, instance, **kwargs) -> None:
    """A new data version once the admin's change to something a report shows commits."""
    if sender is LogEntry:
        sender = ContentType.objects.get_for_id(instance.content_type_id).model_class()
    if sender is not None and sender._meta.app_label in REPORTED_APPS:
        data_version.changed()


def connect() -> None:
    """Called when the site is ready (strategy_tracker.apps), after the admin has registered
    its models."""
    post_save.connect(admin_changed, sender=LogEntry, dispatch_uid="admin_changes.log_entry")
    for model in apps.get_models():
        if model._meta.app_label in REPORTED_APPS and admin.site.is_registered(model):
            post_delete.connect(admin_changed, sender=model, dispatch_uid=f"admin_changes.{model._meta.label}")
