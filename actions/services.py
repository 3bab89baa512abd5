"""Writes to actions. Views, imports and the admin call these, never save()."""

from collections.abc import Collection

from django.db import transaction

from actions.models import Action


def action_save(*, action: Action, changed: Collection[str] | None = None) -> Action:
    """Validate and save an action; its dates are read from the timescale unless given.

    ``changed`` names the fields changed on an existing action (the admin form's changed
    data); None for a new action. See ``Action.settle_dates`` for the rule.
    """
    action.settle_dates(changed=changed)
    action.full_clean()
    with transaction.atomic():
        action.save()
    return action
