"""A workforce strategy as its document writes it: outcomes, recommendations, measures, risks.

Fixtures refer to every record by a natural key built from the strategy's slug and the
record's number in the document, so a strategy loads beside others and reloads in place.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from outcomes.limits import limited_text


class StrategyManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Strategy(models.Model):
    slug = models.SlugField(
        "short name",
        max_length=100,
        unique=True,
        help_text="Used in addresses and fixtures, e.g. leicestershire-cfs-2016-17.",
    )
    title = models.CharField("title", max_length=300)
    organisation = models.CharField("organisation", max_length=200)
    department = models.CharField("department", max_length=200, blank=True)
    period_label = models.CharField("period", max_length=30, help_text='As written, e.g. "2016/17" or "2017-2020".')
    period_start = models.DateField("period start")
    period_end = models.DateField("period end")
    vision = limited_text("vision", 2000, blank=True)
    mission = limited_text("mission", 2000, blank=True)
    governance = limited_text(
        "governance", 4000, blank=True, help_text="Who the strategy reports to and how often, as the document says."
    )
    version = models.CharField("version", max_length=50, blank=True)
    source_document = models.CharField(
        "source document", max_length=300, blank=True, help_text="The document this strategy was transcribed from."
    )
    source_notes = limited_text(
        "notes on the source",
        20000,
        blank=True,
        help_text="Where a reading of the document was uncertain, and how it was read.",
    )

    objects = StrategyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = "strategy"
        verbose_name_plural = "strategies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="strategy_period_in_order"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self):
        return (self.slug,)


class OutcomeManager(models.Manager):
    def get_by_natural_key(self, strategy_slug, number):
        return self.get(strategy__slug=strategy_slug, number=number)


class Outcome(models.Model):
    """A workforce outcome: "We want… a workforce with a shared vision and purpose"."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="outcomes", verbose_name="strategy")
    number = models.PositiveSmallIntegerField("number", help_text="Its place in the document: 1 for the first outcome.")
    title = models.CharField("title", max_length=300)
    narrative = limited_text("narrative", 20000, blank=True)

    objects = OutcomeManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "number"]
        verbose_name = "outcome"
        verbose_name_plural = "outcomes"
        constraints = [models.UniqueConstraint(fields=["strategy", "number"], name="unique_outcome_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def natural_key(self):
        return (self.strategy.slug, self.number)

    natural_key.dependencies = ["outcomes.strategy"]  # type: ignore[attr-defined]  # Django reads it off the method


class RecommendationManager(models.Manager):
    def get_by_natural_key(self, strategy_slug, outcome_number, number):
        return self.get(outcome__strategy__slug=strategy_slug, outcome__number=outcome_number, number=number)


class Recommendation(models.Model):
    """What the department commits to ("We will…"), with why ("Why we will…")."""

    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, related_name="recommendations", verbose_name="outcome"
    )
    number = models.PositiveSmallIntegerField("number", help_text="Its place within the outcome.")
    title = limited_text("recommendation", 2000)
    rationale = limited_text("rationale", 4000, blank=True, help_text='"Why we will…": the intended result.')

    objects = RecommendationManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["outcome__strategy", "outcome__number", "number"]
        verbose_name = "recommendation"
        verbose_name_plural = "recommendations"
        constraints = [models.UniqueConstraint(fields=["outcome", "number"], name="unique_recommendation_number")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"{self.outcome.number}.{self.number}"

    def natural_key(self):
        return (*self.outcome.natural_key(), self.number)

    natural_key.dependencies = ["outcomes.outcome"]  # type: ignore[attr-defined]  # Django reads it off the method


class SuccessMeasureManager(models.Manager):
    def get_by_natural_key(self, strategy_slug, outcome_number, recommendation_number, number):
        return self.get(
            recommendation__outcome__strategy__slug=strategy_slug,
            recommendation__outcome__number=outcome_number,
            recommendation__number=recommendation_number,
            number=number,
        )


class SuccessMeasure(models.Model):
    """How we know it has worked: a measure of success and how it is evidenced."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="measures", verbose_name="recommendation"
    )
    number = models.PositiveSmallIntegerField("number")
    measure = limited_text("measure of success", 2000)
    indicator = limited_text("indicator or evidence", 2000, blank=True)
    workforce_indicator = models.ForeignKey(
        "workforce.WorkforceIndicator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name="workforce indicator",
        help_text="The workforce figure that shows this measure, where there is one; its latest figure is "
        "reported against the target.",
    )
    target_value = models.DecimalField("target", max_digits=12, decimal_places=2, null=True, blank=True)
    target_unit = models.CharField("target unit", max_length=30, blank=True, help_text='For example "%".')
    baseline = models.CharField("baseline", max_length=200, blank=True)

    objects = SuccessMeasureManager()
    history = HistoricalRecords()

    class Meta:
        ordering = [
            "recommendation__outcome__strategy",
            "recommendation__outcome__number",
            "recommendation__number",
            "number",
        ]
        verbose_name = "measure of success"
        verbose_name_plural = "measures of success"
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "number"], name="unique_measure_number"),
        ]

    def __str__(self) -> str:
        return self.measure[:80]

    @property
    def target_display(self) -> str:
        if self.target_value is None:
            return ""
        value = f"{self.target_value.normalize():f}"
        return f"{value}{self.target_unit}" if self.target_unit == "%" else f"{value} {self.target_unit}".strip()

    def natural_key(self):
        return (*self.recommendation.natural_key(), self.number)

    natural_key.dependencies = ["outcomes.recommendation"]  # type: ignore[attr-defined]  # Django reads it off the method


class RiskManager(models.Manager):
    def get_by_natural_key(self, strategy_slug, number):
        return self.get(strategy__slug=strategy_slug, number=number)


class Risk(models.Model):
    class Level(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="risks", verbose_name="strategy")
    number = models.PositiveSmallIntegerField("number")
    risk = limited_text("risk", 2000)
    control = limited_text("control", 2000, blank=True)
    likelihood = models.CharField("likelihood", max_length=10, choices=Level.choices, blank=True)
    impact = models.CharField("impact", max_length=10, choices=Level.choices, blank=True)

    objects = RiskManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "number"]
        verbose_name = "risk"
        verbose_name_plural = "risks"
        constraints = [models.UniqueConstraint(fields=["strategy", "number"], name="unique_risk_number")]

    def __str__(self) -> str:
        return self.risk[:80]

    def natural_key(self):
        return (self.strategy.slug, self.number)

    natural_key.dependencies = ["outcomes.strategy"]  # type: ignore[attr-defined]  # Django reads it off the method
