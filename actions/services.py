"""Writes to actions and progress updates. Views and the admin call these, never save()."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import capfirst

from actions.models import RAG, Action, ProgressUpdate, ReportingPeriod, Status
from actions.permissions import can_edit_action


@dataclass
class UpdateConflict(Exception):
    """Someone else saved this quarter's update after the form was opened."""

    current: ProgressUpdate | None

    def __str__(self) -> str:
        if self.current is None:
            return "The update was removed by someone else"
        return f"{self.current} was changed by {self.current.author or 'someone else'}"


def action_save(*, action: Action) -> Action:
    """Validate and save an action, reading its dates from the timescale as written."""
    action.apply_timescale()
    action.full_clean()
    with transaction.atomic():
        action.save()
    return action


def progress_update_validate(update: ProgressUpdate) -> None:
    """The rules of a progress update; raises ValidationError naming each field at fault."""
    errors: dict[str, ValidationError] = {}
    if update.status == Status.COMPLETE:
        update.rag = ""
        if update.completed_on is None:
            errors["completed_on"] = ValidationError("Enter the date the action was completed", code="required")
    else:
        update.completed_on = None
        if update.status in (Status.IN_PROGRESS, Status.NOT_STARTED) and not update.rag:
            errors["rag"] = ValidationError("Select a RAG rating", code="required")
    if update.status in (Status.ON_HOLD, Status.CANCELLED) and not update.reason.strip():
        label = "on hold" if update.status == Status.ON_HOLD else "cancelled or superseded"
        errors["reason"] = ValidationError(f"Enter why the action is {label}", code="required")
    if update.rag in (RAG.RED, RAG.AMBER) and not update.progress.strip():
        errors["progress"] = ValidationError(
            f"Enter the progress this quarter: a {update.get_rag_display().split()[0]} rating needs commentary",
            code="required",
        )
    if update.rag == RAG.RED and not update.help_needed.strip():
        errors["help_needed"] = ValidationError("Enter the help needed from DMT for a Red rating", code="required")
    for name in ProgressUpdate.COMMENTARY_FIELDS:
        field = ProgressUpdate._meta.get_field(name)
        if len(getattr(update, name) or "") > field.max_length:
            errors[name] = ValidationError(
                f"{capfirst(field.verbose_name)} must be {field.max_length:,} characters or fewer",
                code="max_length",
            )
    if errors:
        raise ValidationError(errors)


def progress_update_record(
    *,
    action: Action,
    period: ReportingPeriod,
    user,
    status: str,
    rag: str = "",
    progress: str = "",
    next_steps: str = "",
    evidence: str = "",
    help_needed: str = "",
    reason: str = "",
    completed_on: date | None = None,
    expected_version: int | None = None,
) -> ProgressUpdate:
    """Create or change the action's update for the quarter, as `user`.

    Refuses (PermissionDenied) a user who may not edit the action or a closed quarter, and
    refuses (UpdateConflict) a save based on an older version than the one stored: the
    first save wins and the second person is shown what it says. `expected_version` is the
    version the form was opened at, 0 for a new update, or None to skip the check.
    """
    if not can_edit_action(user, action):
        raise PermissionDenied("You may not update this action: your team does not lead it.")
    with transaction.atomic():
        # Lock the quarter row: closing a quarter and saving into it cannot interleave.
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if not period.is_open:
            raise PermissionDenied(f"{period} is closed: its updates can no longer be changed.")
        existing = ProgressUpdate.objects.select_for_update().filter(action=action, period=period).first()
        stored_version = existing.version if existing else 0
        if expected_version is not None and expected_version != stored_version:
            raise UpdateConflict(current=existing)
        update = existing or ProgressUpdate(action=action, period=period)
        update.status, update.rag = status, rag
        update.progress, update.next_steps, update.evidence = progress, next_steps, evidence
        update.help_needed, update.reason, update.completed_on = help_needed, reason, completed_on
        update.author = user
        progress_update_validate(update)
        update.full_clean(validate_constraints=False)
        if existing:
            # The row is locked above, so a plain increment cannot race.
            update.version = stored_version + 1
        update.save()
    return update


def period_close(*, period: ReportingPeriod) -> ReportingPeriod:
    """Close a quarter once its report has gone to DMT; its updates never change after."""
    with transaction.atomic():
        ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.CLOSED)
    period.refresh_from_db()
    return period
