"""Writes of the quarterly cycle: progress updates and quarters. The managers' pages, the
planners' pages, imports and the admin all call these; nothing else saves these models."""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.text import capfirst

from actions.models import Action
from actions.permissions import can_edit_action
from reporting import selectors, words
from reporting.models import RAG, DmtDecision, PeriodEvent, ProgressUpdate, RecordedState, ReportingPeriod, Status
from strategy_tracker import data_version
from workforce.quarters import Quarter
from workforce.roles import DMT, planner_required


@dataclass
class UpdateConflict(Exception):
    """Someone else saved this quarter's update after the form was opened."""

    current: ProgressUpdate | None

    def __str__(self) -> str:
        if self.current is None:
            return "The update was removed by someone else"
        return f"{self.current} was changed by {self.current.author or 'someone else'}"


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
    if update.status in (Status.ON_HOLD, Status.CANCELLED) and not (update.reason or "").strip():
        label = "on hold" if update.status == Status.ON_HOLD else "cancelled or superseded"
        errors["reason"] = ValidationError(f"Enter why the action is {label}", code="required")
    if update.rag in (RAG.RED, RAG.AMBER) and not (update.progress or "").strip():
        article = "an" if update.rag == RAG.AMBER else "a"
        errors["progress"] = ValidationError(
            f"Enter the progress this quarter: {article} {update.get_rag_display().split()[0]} rating needs commentary",
            code="required",
        )
    if update.rag == RAG.RED and not (update.help_needed or "").strip():
        errors["help_needed"] = ValidationError("Enter the help needed from DMT for a Red rating", code="required")
    for name in ProgressUpdate.COMMENTARY_FIELDS:
        field = ProgressUpdate._meta.get_field(name)
        assert isinstance(field, Field) and field.max_length is not None  # commentary is text with a limit
        if len(getattr(update, name) or "") > field.max_length:
            errors[name] = ValidationError(
                f"{capfirst(field.verbose_name)} must be {field.max_length:,} characters or fewer",
                code="max_length",
            )
    if errors:
        raise ValidationError(errors)


def progress_update_check(
    *, action: Action, period: ReportingPeriod, update: ProgressUpdate, expected_version: int | None
) -> None:
    """Everything `progress_update_record` refuses, checked without writing: for forms that
    show every error at once. The record call checks again, under a lock."""
    _check_quarter(action, period)
    _check_not_finished(action, period)
    progress_update_validate(update)
    if expected_version is not None:
        existing = ProgressUpdate.objects.filter(action=action, period=period).select_related("author").first()
        if expected_version != (existing.version if existing else 0):
            raise UpdateConflict(current=existing)


def _check_quarter(action: Action, period: ReportingPeriod) -> None:
    if period.strategy_id != action.strategy_id:
        raise ValidationError(
            f"{period} is a quarter of another strategy: an update goes into its own strategy's quarter.",
            code="wrong_strategy",
        )
    if not period.is_open:
        raise PermissionDenied(f"{period} is closed: its updates can no longer be changed.")


def _check_not_finished(action: Action, period: ReportingPeriod) -> None:
    """Refuses a new update for an action finished in an earlier quarter (`selectors.finished_before`):
    it has nothing to report. An update it already has in `period` can still be changed."""
    finished = selectors.finished_before(period, ProgressUpdate.objects.filter(action=action).select_related("period"))
    if finished is not None:
        raise ValidationError(words.finished_refusal(action, period, finished), code="finished_earlier")


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
    """Create or change the action's update for a quarter of its own strategy, as `user`.

    Refuses (PermissionDenied) a user who may not edit the action or a closed quarter,
    refuses (ValidationError) a quarter of another strategy or a new update for an action
    finished in an earlier quarter (`_check_not_finished`), and refuses (UpdateConflict) a
    save based on an older version than the one stored: the first save wins and the second
    person is shown what it says. `expected_version` is the version the form was opened at,
    0 for a new update, or None to skip the check.
    """
    if not can_edit_action(user, action):
        raise PermissionDenied("You may not update this action: you do not lead it.")
    with transaction.atomic():
        # Lock the quarter row: closing a quarter and saving into it cannot interleave.
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        _check_quarter(action, period)
        _check_not_finished(action, period)
        existing = ProgressUpdate.objects.select_for_update().filter(action=action, period=period).first()
        stored_version = existing.version if existing else 0
        if expected_version is not None and expected_version != stored_version:
            raise UpdateConflict(current=existing)
        update = existing or ProgressUpdate(action=action, period=period)
        update.status, update.rag = status, rag or ""
        update.progress, update.next_steps, update.evidence = progress or "", next_steps or "", evidence or ""
        update.help_needed, update.reason, update.completed_on = help_needed or "", reason or "", completed_on
        update.author = user
        progress_update_validate(update)
        update.full_clean(validate_constraints=False)
        if existing:
            # The row is locked above, so a plain increment cannot race.
            update.version = stored_version + 1
        update.save()
        data_version.changed()
    return update


# --- The cycle -----------------------------------------------------------------------------


def period_open_check(*, strategy, year: int, number: int, confirm_outside: bool, reason: str) -> None:
    """Whether the strategy's quarter may be opened; ValidationError naming what stops it."""
    quarter = Quarter(year, number)
    errors: dict[str, ValidationError] = {}
    if ReportingPeriod.objects.filter(strategy=strategy, year=year, number=number).exists():
        errors["number"] = ValidationError(
            f"{strategy} already has {quarter.label}: reopen it from its returns page if it is closed.", code="exists"
        )
    current = ReportingPeriod.objects.filter(strategy=strategy, state=ReportingPeriod.State.OPEN).first()
    if current is not None:
        errors["strategy"] = ValidationError(
            f"{current} of {strategy} is still open: close it before opening another quarter.", code="one_open"
        )
    outside = quarter.end < strategy.period_start or quarter.start > strategy.period_end
    if outside and not confirm_outside:
        errors["confirm_outside_period"] = ValidationError(
            f"{quarter.label} is outside the strategy's period ({strategy.period_label}): confirm that you mean it.",
            code="outside",
        )
    if outside and not (reason or "").strip():
        errors["outside_period_reason"] = ValidationError(
            f"Enter why {quarter.label} is opened outside the strategy's period", code="reason_required"
        )
    if errors:
        raise ValidationError(errors)


def period_open(
    *,
    strategy,
    year: int,
    number: int,
    user,
    update_deadline: date | None = None,
    confirm_outside: bool = False,
    reason: str = "",
) -> ReportingPeriod:
    """Open a quarter of one strategy for updates, as a planner; no other strategy's quarters change."""
    planner_required(user, "open a quarter")
    period_open_check(strategy=strategy, year=year, number=number, confirm_outside=confirm_outside, reason=reason)
    with transaction.atomic():
        period = ReportingPeriod(
            strategy=strategy,
            year=year,
            number=number,
            update_deadline=update_deadline,
            outside_period_reason=(reason or "").strip(),
        )
        period.full_clean(exclude=["start", "end"])
        period.save()
        PeriodEvent.objects.create(
            period=period, kind=PeriodEvent.Kind.OPENED, by=user, reason=period.outside_period_reason
        )
        data_version.changed()
    return period


def period_deadline_set(*, period: ReportingPeriod, user, update_deadline: date | None) -> ReportingPeriod:
    """Change the date managers should update by, as a planner, while the quarter is open."""
    planner_required(user, "change a quarter's update deadline")
    with transaction.atomic():
        locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if not locked.is_open:
            raise PermissionDenied(f"{locked} is closed: it can no longer be changed.")
        locked.update_deadline = update_deadline
        locked.save(update_fields=["update_deadline"])
        data_version.changed()
    return locked


def period_close(*, period: ReportingPeriod, user) -> ReportingPeriod:
    """Close a quarter once its report has gone to DMT, as a planner; its updates then never change."""
    planner_required(user, "close a quarter")
    with transaction.atomic():
        locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if not locked.is_open:
            raise ValidationError(f"{locked} is already closed.", code="closed")
        locked.state = ReportingPeriod.State.CLOSED
        locked.save(update_fields=["state"])
        period_states_record(locked)
        PeriodEvent.objects.create(period=locked, kind=PeriodEvent.Kind.CLOSED, by=user)
        data_version.changed()
    return locked


def period_states_record(period: ReportingPeriod, *, at: datetime | None = None) -> ReportingPeriod:
    """Record each of the strategy's actions' state as at a closed quarter: from then on its
    report, counts and lists read these, whatever later happens to the plan. Closing does
    this; so does the demo, for the quarters it loads closed, giving when they closed (`at`;
    else now). Any earlier record is replaced."""
    if period.is_open:
        raise ValidationError(f"{period} is open: its actions' states are recorded when it closes.", code="open")
    with transaction.atomic():
        RecordedState.objects.filter(period=period).delete()
        period.states_recorded_at = None  # read as the plan stands, to record it
        rows = selectors.actions_as_at([period], Action.objects.filter(strategy_id=period.strategy_id)).values_list(
            "id", "outcome_as_at", "status_as_at", "rag_as_at", "is_overdue"
        )
        RecordedState.objects.bulk_create(
            (
                RecordedState(
                    period=period, action_id=pk, outcome_id=outcome, status=status, rag=rag, is_overdue=bool(overdue)
                )
                for pk, outcome, status, rag, overdue in rows
            ),
            batch_size=500,
        )
        period.states_recorded_at = at or timezone.now()
        period.save(update_fields=["states_recorded_at"])
        data_version.changed()
    return period


def period_reopen(*, period: ReportingPeriod, user, reason: str) -> ReportingPeriod:
    """Reopen a closed quarter, as a planner, for a reason that is recorded and shown on its report."""
    planner_required(user, "reopen a quarter")
    if not (reason or "").strip():
        raise ValidationError({"reason": ValidationError("Enter why the quarter is being reopened", code="required")})
    with transaction.atomic():
        locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if locked.is_open:
            raise ValidationError(f"{locked} is already open.", code="open")
        other = ReportingPeriod.objects.filter(strategy_id=locked.strategy_id, state=ReportingPeriod.State.OPEN).first()
        if other is not None:
            raise ValidationError(
                f"{other} is open: close it before reopening {locked}, so that updates go into one quarter.",
                code="one_open",
            )
        locked.state = ReportingPeriod.State.OPEN
        # Open again, its report reads the plan as it stands until it closes again.
        locked.states_recorded_at = None
        # And what DMT approved may change: its sign-off is withdrawn (`period_sign_off`).
        locked.signed_off_by, locked.signed_off_on = None, None
        locked.save(update_fields=["state", "states_recorded_at", "signed_off_by", "signed_off_on"])
        RecordedState.objects.filter(period=locked).delete()
        PeriodEvent.objects.create(period=locked, kind=PeriodEvent.Kind.REOPENED, by=user, reason=reason.strip())
        data_version.changed()
    return locked


# --- Sign-off: DMT approves a closed quarter's report ---------------------------------------


def sign_off_approvers():
    """Who may approve a quarter's report: the active DMT members, by name."""
    return (
        get_user_model()
        .objects.filter(groups__name=DMT, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def period_sign_off(*, period: ReportingPeriod, user, approver, approved_on: date) -> ReportingPeriod:
    """Record, as a planner, that `approver` (a DMT member) approved a closed quarter's report
    on `approved_on`: what lets it be published. Recording it again replaces it; reopening
    the quarter withdraws it (`period_reopen`).

    Refuses (ValidationError) an open quarter, an approver who is not an active DMT member,
    and a day before the quarter ended or after today."""
    planner_required(user, "record a quarter's sign-off")
    errors: dict[str, ValidationError] = {}
    if approver is None or not sign_off_approvers().filter(pk=approver.pk).exists():
        errors["approver"] = ValidationError("Select the DMT member who approved the report", code="not_dmt")
    with transaction.atomic():
        locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if locked.is_open:
            raise ValidationError(f"{locked} is open: close it before recording its sign-off.", code="open")
        if approved_on is None:
            errors["approved_on"] = ValidationError("Enter the date DMT approved the report", code="required")
        elif approved_on < locked.end:
            errors["approved_on"] = ValidationError(
                f"The date must be after {locked} ended, on {locked.end:%-d %B %Y}", code="before_end"
            )
        elif approved_on > timezone.localdate():
            errors["approved_on"] = ValidationError("The date must be today or in the past", code="future")
        if errors:
            raise ValidationError(errors)
        locked.signed_off_by, locked.signed_off_on = approver, approved_on
        locked.full_clean(exclude=["start", "end"], validate_constraints=False)
        locked.save(update_fields=["signed_off_by", "signed_off_on"])
        PeriodEvent.objects.create(
            period=locked,
            kind=PeriodEvent.Kind.SIGNED_OFF,
            by=user,
            reason=capfirst(words.approval_words(approver, approved_on)),
        )
        data_version.changed()
    return locked


# --- The DMT meeting: key messages and decisions ----------------------------------------------


def key_messages_set(*, period: ReportingPeriod, user, key_messages: str, strategic_lead: str) -> ReportingPeriod:
    """Write the quarter's key messages and strategic lead, as a planner, while it is open.

    A closed quarter's report never changes, so its key messages are refused (PermissionDenied).
    """
    planner_required(user, "write the key messages")
    with transaction.atomic():
        locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if not locked.is_open:
            raise PermissionDenied(f"{locked} is closed: its key messages can no longer be changed.")
        locked.key_messages = (key_messages or "").strip()
        locked.strategic_lead = (strategic_lead or "").strip()
        locked.full_clean(exclude=["start", "end"], validate_constraints=False)
        locked.save(update_fields=["key_messages", "strategic_lead"])
        data_version.changed()
    return locked


def dmt_decision_open(period: ReportingPeriod, periods: list[ReportingPeriod]) -> bool:
    """Whether DMT's decisions on a quarter's requests for help may still be recorded.

    DMT meets once the quarter's report has gone to it, usually after the quarter is closed,
    so decisions are taken while the quarter is open and after it closes, until a later
    quarter of the strategy closes: that later quarter's report shows them, and a closed
    report never changes. `periods` are the strategy's quarters.
    """
    return not any(p.start > period.start and not p.is_open for p in periods)


def dmt_decision_record(*, update: ProgressUpdate, user, outcome: str, note: str = "") -> DmtDecision:
    """Record (or change) DMT's response to the help a Red update asked for, as a planner.

    Refuses (PermissionDenied) anyone but Organisational Planning and a quarter whose
    decisions are fixed (`dmt_decision_open`); refuses (ValidationError) an update that
    asked for no help.
    """
    planner_required(user, "record DMT's decisions")
    if update.rag != RAG.RED or not (update.help_needed or "").strip():
        raise ValidationError("DMT decides on the help asked by a Red action.", code="no_request")
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update().get(pk=update.period_id)
        periods = list(ReportingPeriod.objects.filter(strategy_id=period.strategy_id))
        if not dmt_decision_open(period, periods):
            raise PermissionDenied(f"A later quarter's report has closed: DMT's decisions on {period} are fixed.")
        decision = DmtDecision.objects.filter(update=update).first() or DmtDecision(update=update)
        decision.outcome, decision.note, decision.decided_by = outcome, (note or "").strip(), user
        decision.full_clean()
        decision.save()
        data_version.changed()
    return decision
