"""The quarterly cycle: each strategy's quarters, the progress updates written in them,
the cycle's events (opened, closed, reopened) and the reminders sent."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from actions.models import Action
from workforce.quarters import Quarter, quarter_from_label, quarter_from_slug, quarter_slug


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    ON_HOLD = "on_hold", "On hold"
    CANCELLED = "cancelled", "Cancelled or superseded"


class RAG(models.TextChoices):
    """Delivery confidence. A complete action has no RAG: it shows as complete (blue).

    The label is the one wording of each rating: its colour word and what it means. Every
    other wording (a tag's "Red", a count's "Off track (Red)") is made from these
    (reporting.words).
    """

    RED = "red", "Red (off track)"
    AMBER = "amber", "Amber (at risk)"
    GREEN = "green", "Green (on track)"

    @property
    def word(self) -> str:
        """The rating's colour: "Red"."""
        return self.label.partition(" (")[0]

    @property
    def meaning(self) -> str:
        """What the rating means: "off track"."""
        return self.label.partition(" (")[2].removesuffix(")")


OPEN_STATUSES = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.ON_HOLD]
CLOSED_STATUSES = [Status.COMPLETE, Status.CANCELLED]


class PeriodManager(models.Manager):
    def get_by_natural_key(self, strategy_slug, label):
        quarter = quarter_from_label(label)
        return self.get(strategy__slug=strategy_slug, year=quarter.year, number=quarter.number)

    def get_by_slug(self, strategy, slug):
        """The strategy's quarter for an address such as "q3-2016-17"; DoesNotExist if malformed or absent."""
        try:
            quarter = quarter_from_slug(slug)
        except ValueError as error:
            raise self.model.DoesNotExist(str(error)) from error
        return self.get(strategy=strategy, year=quarter.year, number=quarter.number)


class ReportingPeriod(models.Model):
    """A financial-year quarter of one strategy, in which each of its open actions gets one
    progress update. Each strategy runs its own cycle: opening or closing a quarter of one
    strategy changes nothing in another, and a strategy has at most one quarter open."""

    class State(models.TextChoices):
        OPEN = "open", "Open for updates"
        CLOSED = "closed", "Closed"

    strategy = models.ForeignKey(
        "outcomes.Strategy", on_delete=models.CASCADE, related_name="periods", verbose_name="strategy"
    )
    year = models.PositiveSmallIntegerField("financial year", help_text="The year it starts in: 2016 for 2016/17.")
    number = models.PositiveSmallIntegerField("quarter", choices=[(n, f"Q{n}") for n in range(1, 5)])
    start = models.DateField("start")
    end = models.DateField("end")
    update_deadline = models.DateField(
        "update deadline", null=True, blank=True, help_text="The date by which managers should have updated."
    )
    state = models.CharField("state", max_length=10, choices=State.choices, default=State.OPEN)
    outside_period_reason = models.TextField(
        "reason for opening outside the strategy's period",
        blank=True,
        max_length=1000,
        help_text="Given when the quarter falls outside the strategy's own period.",
    )
    # What the planner writes for DMT: it opens the dashboard and the PDF, and is fixed once
    # the quarter closes (reporting.services.key_messages_set).
    key_messages = models.TextField(
        "key messages",
        blank=True,
        max_length=2000,
        help_text="A short narrative for DMT that opens the dashboard and the PDF.",
    )
    strategic_lead = models.CharField(
        "strategic lead", blank=True, max_length=200, help_text="The name of the strategic lead for the strategy."
    )
    # When closing recorded each action's state (RecordedState); empty while open, and for a
    # quarter loaded closed, whose report reads the plan as it stands.
    states_recorded_at = models.DateTimeField("states recorded", null=True, blank=True, editable=False)
    # Who at DMT approved the closed quarter's report, and on what day: what lets it be
    # published (reporting.services.period_sign_off). Reopening the quarter withdraws it.
    # PROTECT: the record of who approved a report outlives nothing it names.
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="approved by",
        help_text="The DMT member who approved the quarter's report.",
    )
    signed_off_on = models.DateField("approved on", null=True, blank=True)

    objects = PeriodManager()

    class Meta:
        ordering = ["strategy", "start"]
        verbose_name = "quarter"
        verbose_name_plural = "quarters"
        constraints = [
            models.UniqueConstraint(fields=["strategy", "year", "number"], name="unique_quarter_per_strategy"),
            models.UniqueConstraint(
                fields=["strategy"], condition=models.Q(state="open"), name="one_open_quarter_per_strategy"
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1, number__lte=4), name="quarter_number_1_to_4"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="period_end_after_start"),
            models.CheckConstraint(
                condition=models.Q(signed_off_by__isnull=True, signed_off_on__isnull=True)
                | models.Q(signed_off_by__isnull=False, signed_off_on__isnull=False),
                name="sign_off_names_approver_and_day",
            ),
            models.CheckConstraint(
                condition=models.Q(signed_off_by__isnull=True) | models.Q(state="closed"),
                name="only_a_closed_quarter_is_signed_off",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def quarter(self) -> Quarter:
        return Quarter(self.year, self.number)

    @property
    def label(self) -> str:
        return self.quarter.label

    @property
    def slug(self) -> str:
        return quarter_slug(self.quarter)

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_by_id is not None

    def natural_key(self):
        return (*self.strategy.natural_key(), self.label)

    natural_key.dependencies = ["outcomes.strategy"]  # type: ignore[attr-defined]  # Django reads it off the method

    def save(self, *args, **kwargs):
        # The dates always follow from the quarter, so they cannot disagree with it.
        self.start, self.end = self.quarter.start, self.quarter.end
        super().save(*args, **kwargs)


class PeriodEvent(models.Model):
    """A step in a quarter's cycle: who opened, closed or reopened it, when, and why."""

    class Kind(models.TextChoices):
        OPENED = "opened", "Opened"
        CLOSED = "closed", "Closed"
        REOPENED = "reopened", "Reopened"
        SIGNED_OFF = "signed_off", "Signed off"

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="events", verbose_name="quarter")
    kind = models.CharField("what happened", max_length=10, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="by"
    )
    at = models.DateTimeField("when", auto_now_add=True)
    reason = models.TextField("reason", blank=True, max_length=1000)

    class Meta:
        ordering = ["period", "at", "pk"]
        verbose_name = "quarter event"
        verbose_name_plural = "quarter events"

    def __str__(self) -> str:
        return f"{self.period} {self.get_kind_display().lower()}"


class RecordedState(models.Model):
    """An action's state as at a quarter, recorded when the quarter closed.

    A closed quarter's report never changes unless the planner reopens it: its counts, its
    exceptions and the lists its counts link to read these rows, so adding an action or
    moving a due date or an action to another outcome afterwards leaves the report DMT had
    as it was. Reopening the quarter
    deletes them; closing it again records them afresh (reporting.services).
    """

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="recorded_states", verbose_name="quarter"
    )
    # An action reported in a closed quarter cannot be deleted on its own (cancel it instead,
    # with a reason); deleting its whole strategy deletes its quarters and these with it.
    action = models.ForeignKey(Action, on_delete=models.RESTRICT, related_name="recorded_states", verbose_name="action")
    # The outcome it was reported under, should it move to another afterwards.
    outcome = models.ForeignKey(
        "outcomes.Outcome", on_delete=models.RESTRICT, related_name="recorded_states", verbose_name="outcome"
    )
    # Empty: the action had no update as at the quarter.
    status = models.CharField("status", max_length=20, choices=Status.choices, null=True, blank=True)
    # Empty unless the action was open.
    rag = models.CharField("RAG rating", max_length=10, choices=RAG.choices, null=True, blank=True)
    is_overdue = models.BooleanField("overdue")

    class Meta:
        verbose_name = "recorded state"
        verbose_name_plural = "recorded states"
        constraints = [
            models.UniqueConstraint(fields=["period", "action"], name="one_recorded_state_per_action_and_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.action.reference} as at {self.period}"


class Reminder(models.Model):
    """An email reminding one person of the actions they still have to update in a quarter.

    Recorded before the email goes (sending), outside any lock it is sent, then marked sent
    or failed with what the mail server said (reporting.reminders).
    """

    class State(models.TextChoices):
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Not sent"

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="reminders", verbose_name="quarter"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders", verbose_name="sent to"
    )
    actions = models.ManyToManyField(Action, related_name="reminders", verbose_name="actions listed")
    sent_at = models.DateTimeField("sent", auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="sent by",
        help_text="Blank when the scheduled job sent it.",
    )
    state = models.CharField("state", max_length=10, choices=State.choices, default=State.SENT)
    send_error = models.TextField(
        "why it was not sent",
        blank=True,
        max_length=1000,
        help_text="What went wrong when the email could not be sent; it can be sent again from the returns page.",
    )

    class Meta:
        ordering = ["period", "-sent_at"]
        verbose_name = "reminder"
        verbose_name_plural = "reminders"

    def __str__(self) -> str:
        return f"Reminder to {self.recipient} for {self.period}"


class ProgressUpdate(models.Model):
    """One action's progress in one quarter, written by a member of a lead team."""

    # What the writer says, in the order the managers' form asks it: the form, the service
    # and the admin all work from this list.
    REPORTED_FIELDS = ["status", "rag", "progress", "next_steps", "evidence", "help_needed", "reason", "completed_on"]
    COMMENTARY_FIELDS = ["progress", "help_needed", "reason", "next_steps", "evidence"]

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates", verbose_name="action")
    # A quarter is never deleted through the product; a strategy deleted goes with its quarters.
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="updates", verbose_name="quarter"
    )
    status = models.CharField("status", max_length=20, choices=Status.choices)
    rag = models.CharField("RAG rating", max_length=10, choices=RAG.choices, blank=True)
    # Each commentary has a limit: the report pack is read in a meeting, and a PDF of any
    # quarter must render quickly whatever was typed. The form shows the count as you type.
    progress = models.TextField("progress this quarter", blank=True, max_length=1500)
    next_steps = models.TextField("next steps", blank=True, max_length=1000)
    evidence = models.TextField(
        "evidence", blank=True, max_length=1000, help_text="Text, or a link to where the evidence is kept."
    )
    help_needed = models.TextField("help needed from DMT", blank=True, max_length=1000)
    reason = models.TextField(
        "reason", blank=True, max_length=1000, help_text="Why the action is on hold or cancelled."
    )
    completed_on = models.DateField("completion date", null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="progress_updates",
        verbose_name="author",
    )
    created = models.DateTimeField("created", auto_now_add=True)
    changed = models.DateTimeField("changed", auto_now=True)
    version = models.PositiveIntegerField(
        "version", default=1, help_text="Raised on every save, to refuse lost updates."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "period__start"]
        verbose_name = "progress update"
        verbose_name_plural = "progress updates"
        constraints = [
            models.UniqueConstraint(fields=["action", "period"], name="one_update_per_action_per_period"),
            models.CheckConstraint(
                condition=(models.Q(status=Status.COMPLETE) & models.Q(rag="") & models.Q(completed_on__isnull=False))
                | (~models.Q(status=Status.COMPLETE) & models.Q(completed_on__isnull=True)),
                name="complete_has_date_and_no_rag",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.reference} in {self.period}"


# --- The DMT meeting: key messages and decisions ----------------------------------------------
# DMT's answer to a Red action's request for help hangs off the update that asked for it.


class DmtDecision(models.Model):
    """DMT's response to the help a Red action asked for in a quarter, recorded after the meeting."""

    class Outcome(models.TextChoices):
        AGREED = "agreed", "Agreed"
        DECLINED = "declined", "Declined"
        DEFERRED = "deferred", "Deferred"

    update = models.OneToOneField(
        ProgressUpdate,
        on_delete=models.CASCADE,
        related_name="dmt_decision",
        verbose_name="update asking for help",
    )
    outcome = models.CharField("DMT's decision", max_length=10, choices=Outcome.choices)
    note = models.TextField(
        "note", blank=True, max_length=1000, help_text="What DMT agreed, why it declined, or when it will decide."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="recorded by",
    )
    decided_at = models.DateTimeField("recorded", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["update__period__start", "update__action__order"]
        verbose_name = "DMT decision"
        verbose_name_plural = "DMT decisions"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=["agreed", "declined", "deferred"]), name="dmt_decision_outcome_known"
            ),
        ]

    def __str__(self) -> str:
        return f"DMT {self.get_outcome_display().lower()}: {self.update}"
