"""Writes to actions. Views, imports and the admin call these, never save()."""

from django.db import transaction

from actions.models import Action


def action_save(*, action: Action) -> Action:
    """Validate and save an action, reading its dates from the timescale as written."""
    action.apply_timescale()
    action.full_clean()
    with transaction.atomic():
        action.save()
    return action
