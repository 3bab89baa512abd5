"""Actions, the quarters they are reported in, and the progress updates managers write."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from actions.quarters import Quarter, quarter_from_label, quarter_from_slug, quarter_slug
from actions.timescales import parse_timescale


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    ON_HOLD = "on_hold", "On hold"
    CANCELLED = "cancelled", "Cancelled or superseded"


class RAG(models.TextChoices):
    """Delivery confidence. A complete action has no RAG: it shows as complete (blue)."""

    RED = "red", "Red (off track)"
    AMBER = "amber", "Amber (at risk)"
    GREEN = "green", "Green (on track)"


class ActionManager(models.Manager):
    def get_by_natural_key(self, strategy_slug, reference):
        return self.get(strategy__slug=strategy_slug, reference=reference)


class Action(models.Model):
    """A concrete action ("How we will…"), led by one or more teams, due by a timescale."""

    strategy = models.ForeignKey(
        "outcomes.Strategy", on_delete=models.CASCADE, related_name="actions", verbose_name="strategy"
    )
    outcome = models.ForeignKey(
        "outcomes.Outcome", on_delete=models.CASCADE, related_name="actions", verbose_name="outcome"
    )
    recommendation = models.ForeignKey(
        "outcomes.Recommendation",
        on_delete=models.CASCADE,
        related_name="actions",
        null=True,
        blank=True,
        verbose_name="recommendation",
        help_text="Blank where the strategy lists actions under a theme with no recommendations.",
    )
    reference = models.CharField("reference", max_length=20, help_text='Unique in the strategy, e.g. "2.3.1".')
    order = models.PositiveIntegerField("order", default=0, help_text="Its place in the document.")
    description = models.TextField("action")
    lead_teams = models.ManyToManyField(
        "workforce.Team", related_name="led_actions", blank=True, verbose_name="lead teams"
    )
    lead_officer = models.CharField("lead officer", max_length=200, blank=True)
    timescale = models.CharField(
        "timescale", max_length=300, blank=True, help_text="Exactly as the document writes it."
    )
    start_date = models.DateField("start date", null=True, blank=True)
    due_date = models.DateField("due date", null=True, blank=True)
    is_ongoing = models.BooleanField("ongoing or recurring", default=False)
    estimated_cost = models.DecimalField("estimated cost (£)", max_digits=12, decimal_places=2, null=True, blank=True)
    framework_link = models.CharField(
        "framework link", max_length=300, blank=True, help_text="A national framework or standard the action serves."
    )
    notes = models.TextField("notes", blank=True)

    objects = ActionManager()
    history = HistoricalRecords(m2m_fields=[lead_teams])

    class Meta:
        ordering = ["strategy", "order", "reference"]
        verbose_name = "action"
        verbose_name_plural = "actions"
        constraints = [
            models.UniqueConstraint(fields=["strategy", "reference"], name="unique_action_reference"),
            models.CheckConstraint(
                condition=models.Q(estimated_cost__isnull=True) | models.Q(estimated_cost__gte=0),
                name="action_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(due_date__isnull=True)
                | models.Q(due_date__gte=models.F("start_date")),
                name="action_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.description[:80]}"

    def natural_key(self):
        return (self.strategy.slug, self.reference)

    natural_key.dependencies = ["outcomes.strategy", "outcomes.outcome", "outcomes.recommendation", "workforce.team"]

    def get_absolute_url(self) -> str:
        return reverse("actions:detail", kwargs={"pk": self.pk})

    @property
    def timescale_unreadable(self) -> bool:
        """True when the timescale says something the product could not turn into dates."""
        return bool(self.timescale) and not parse_timescale(self.timescale).readable

    def apply_timescale(self) -> None:
        """Set the start date, due date and ongoing flag from the timescale as written."""
        parsed = parse_timescale(self.timescale)
        self.start_date, self.due_date, self.is_ongoing = parsed.start, parsed.due, parsed.ongoing

    def clean(self) -> None:
        errors = {}
        if self.outcome_id and self.strategy_id and self.outcome.strategy_id != self.strategy_id:
            errors["outcome"] = ValidationError("The outcome belongs to another strategy.", code="wrong_strategy")
        if self.recommendation_id and self.outcome_id and self.recommendation.outcome_id != self.outcome_id:
            errors["recommendation"] = ValidationError(
                "The recommendation belongs to another outcome.", code="wrong_outcome"
            )
        if errors:
            raise ValidationError(errors)


class PeriodManager(models.Manager):
    def get_by_natural_key(self, label):
        quarter = quarter_from_label(label)
        return self.get(year=quarter.year, number=quarter.number)

    def get_by_slug(self, slug):
        """The quarter for an address such as "q3-2016-17"; DoesNotExist if it is malformed or absent."""
        try:
            quarter = quarter_from_slug(slug)
        except ValueError as error:
            raise self.model.DoesNotExist(str(error)) from error
        return self.get(year=quarter.year, number=quarter.number)


class ReportingPeriod(models.Model):
    """A financial-year quarter in which every open action gets one progress update."""

    class State(models.TextChoices):
        OPEN = "open", "Open for updates"
        CLOSED = "closed", "Closed"

    year = models.PositiveSmallIntegerField("financial year", help_text="The year it starts in: 2016 for 2016/17.")
    number = models.PositiveSmallIntegerField("quarter", choices=[(n, f"Q{n}") for n in range(1, 5)])
    start = models.DateField("start")
    end = models.DateField("end")
    update_deadline = models.DateField("update deadline", null=True, blank=True)
    state = models.CharField("state", max_length=10, choices=State.choices, default=State.OPEN)

    objects = PeriodManager()

    class Meta:
        ordering = ["start"]
        verbose_name = "reporting period"
        verbose_name_plural = "reporting periods"
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="unique_quarter"),
            models.CheckConstraint(condition=models.Q(number__gte=1, number__lte=4), name="quarter_number_1_to_4"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="period_end_after_start"),
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

    def natural_key(self):
        return (self.label,)

    def save(self, *args, **kwargs):
        # The dates always follow from the quarter, so they cannot disagree with it.
        self.start, self.end = self.quarter.start, self.quarter.end
        super().save(*args, **kwargs)


class ProgressUpdate(models.Model):
    """One action's progress in one quarter, written by a member of a lead team."""

    # What the writer says, in the order the managers' form asks it: the form, the service
    # and the admin all work from this list.
    REPORTED_FIELDS = ["status", "rag", "progress", "next_steps", "evidence", "help_needed", "reason", "completed_on"]
    COMMENTARY_FIELDS = ["progress", "help_needed", "reason", "next_steps", "evidence"]

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates", verbose_name="action")
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="updates", verbose_name="quarter"
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
