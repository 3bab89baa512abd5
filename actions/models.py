"""Actions: the plan of a strategy, who leads each action and by when."""

from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from actions.timescales import Timescale, parse_timescale
from outcomes.limits import limited_text
from workforce.people import person_name

#: The fields read from the timescale unless given.
DATE_FIELDS = ("start_date", "due_date", "is_ongoing")


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
    description = limited_text("action", 4000)
    lead_teams = models.ManyToManyField(
        "workforce.Team", related_name="led_actions", blank=True, verbose_name="lead teams"
    )
    lead_officer = models.CharField(
        "lead officer", max_length=200, blank=True, help_text="The officer's name or post, as the document gives it."
    )
    lead_officer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_actions",
        verbose_name="lead officer's account",
        help_text="Link the lead officer to their account: they then see, update and are reminded about the action.",
    )
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
    notes = limited_text("notes", 4000, blank=True)
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name="carried forward from",
        help_text="The action of an earlier strategy this one continues, when the strategy was refreshed.",
    )

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

    natural_key.dependencies = ["outcomes.strategy", "outcomes.outcome", "outcomes.recommendation", "workforce.team"]  # type: ignore[attr-defined]  # Django reads it off the method

    @property
    def lead_names(self) -> list[str]:
        """Who leads it, as every list shows it: the lead officer, then the lead teams.

        The officer is named as the document names them, or by their account's full name.
        Reads `lead_officer_user` and `lead_teams.all()`: select and prefetch them for lists.
        """
        officer = self.lead_officer
        if not officer and self.lead_officer_user_id:
            officer = person_name(self.lead_officer_user)
        return ([officer] if officer else []) + [team.name for team in self.lead_teams.all()]

    def read_timescale(self) -> Timescale:
        """The timescale as written, read into dates; "Year 2" counts from the strategy's start.

        The strategy is fetched only for a timescale that cannot be read without it.
        """
        parsed = parse_timescale(self.timescale)
        if not parsed.readable and self.strategy_id and self.timescale.strip():
            parsed = parse_timescale(self.timescale, period_start=self.strategy.period_start)
        return parsed

    @property
    def timescale_unreadable(self) -> bool:
        """True when the timescale says something the product could not turn into dates."""
        return bool(self.timescale) and not self.read_timescale().readable

    @property
    def dates_given(self) -> bool:
        """Whether a start date, due date or the ongoing flag is set."""
        return self.start_date is not None or self.due_date is not None or bool(self.is_ongoing)

    def apply_timescale(self) -> None:
        """Set the start date, due date and ongoing flag from the timescale as written."""
        parsed = self.read_timescale()
        self.start_date, self.due_date, self.is_ongoing = parsed.start, parsed.due, parsed.ongoing

    def settle_dates(self, *, changed: Collection[str] | None = None) -> None:
        """Read the dates from the timescale unless they were given: the one rule for every writer.

        ``changed`` names the fields a writer changed on an existing action; None for a new
        action (a fixture record, a Word import), where whatever dates are set were given.
        An action with no dates has them read; dates given are kept, unless the timescale
        changed and the dates did not (they were read from the old timescale), when they are
        read again.
        """
        if self.is_ongoing is None:  # a blank cell in an import
            self.is_ongoing = False
        if not self.dates_given:
            read = True
        elif changed is None:
            read = False
        else:
            read = "timescale" in changed and not any(name in changed for name in DATE_FIELDS)
        if read:
            self.apply_timescale()

    def before_loaddata(self) -> None:
        """Called by loaddata before a fixture's record is saved: a fixture may leave out the dates."""
        self.settle_dates()

    def clean(self) -> None:
        errors = {}
        if self.outcome_id and self.strategy_id and self.outcome.strategy_id != self.strategy_id:
            errors["outcome"] = ValidationError("The outcome belongs to another strategy.", code="wrong_strategy")
        if self.recommendation is not None and self.outcome_id and self.recommendation.outcome_id != self.outcome_id:
            errors["recommendation"] = ValidationError(
                "The recommendation belongs to another outcome.", code="wrong_outcome"
            )
        if self.predecessor is not None and self.strategy_id:
            earlier = self.predecessor.strategy
            if earlier.pk == self.strategy_id:
                errors["predecessor"] = ValidationError(
                    "An action is carried forward from another strategy, not its own.", code="same_strategy"
                )
            elif earlier.period_start >= self.strategy.period_start:
                errors["predecessor"] = ValidationError(
                    f"An action is carried forward from an earlier strategy: {earlier} does not start before this one.",
                    code="not_earlier",
                )
        if errors:
            raise ValidationError(errors)
