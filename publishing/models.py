"""A signed-off quarter as published to councillors and the public, and what the planner
keeps out of it.

What is published never changes: each version keeps the files as they were made at
publishing (the page, the PDF, the open data and the snapshot they were made from), and a
version, once saved, is never saved again. A correction is a new version with a reason;
withdrawing the report keeps every version but serves a notice in their place.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from actions.models import Action
from reporting.models import ReportingPeriod
from workforce.quarters import Quarter

# The most a withholding's reason may say: it is printed in place of the commentary.
REASON_MAX_LENGTH = 200


class Withholding(models.Model):
    """An action's progress commentary kept out of a quarter's public report, and the reason
    shown in its place ("Withheld: personal information")."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="withholdings", verbose_name="quarter"
    )
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="withholdings", verbose_name="action")
    reason = models.CharField(
        "reason",
        max_length=REASON_MAX_LENGTH,
        help_text="Shown to the public in place of the commentary, e.g. personal information.",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="by"
    )
    at = models.DateTimeField("when", auto_now=True)

    class Meta:
        ordering = ["period", "action__order", "action__reference"]
        verbose_name = "withheld commentary"
        verbose_name_plural = "withheld commentaries"
        constraints = [
            models.UniqueConstraint(fields=["period", "action"], name="one_withholding_per_action_and_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.action.reference} in {self.period}: withheld"


class Publication(models.Model):
    """A quarter's public report, at a stable address: /published/<strategy>/<year>-q<n>/.

    The address is fixed at the first publication (the strategy's short name then), so a
    link made to it keeps working whatever is renamed later. PROTECT: a published quarter,
    and so its strategy, cannot be deleted; withdraw the report instead."""

    period = models.OneToOneField(
        ReportingPeriod, on_delete=models.PROTECT, related_name="publication", verbose_name="quarter"
    )
    slug = models.SlugField("strategy's short name", max_length=100, editable=False)
    year = models.PositiveSmallIntegerField("financial year", editable=False)
    number = models.PositiveSmallIntegerField("quarter", editable=False)
    withdrawn_at = models.DateTimeField("withdrawn", null=True, blank=True)
    withdrawn_reason = models.TextField("why it was withdrawn", blank=True, max_length=1000)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="withdrawn by",
    )

    class Meta:
        ordering = ["slug", "-year", "-number"]
        verbose_name = "publication"
        verbose_name_plural = "publications"
        constraints = [
            models.UniqueConstraint(fields=["slug", "year", "number"], name="one_publication_per_address"),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True, withdrawn_reason="")
                | (models.Q(withdrawn_at__isnull=False) & ~models.Q(withdrawn_reason="")),
                name="withdrawal_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slug} {self.quarter.label}"

    @property
    def quarter(self) -> Quarter:
        return Quarter(self.year, self.number)

    @property
    def quarter_slug(self) -> str:
        """The quarter in the public address: "2016-q3"."""
        return f"{self.year}-q{self.number}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def get_absolute_url(self) -> str:
        return reverse("published:report", args=[self.slug, self.quarter_slug])


class PublishedVersion(models.Model):
    """One version of a publication, as published: never changed once saved (`save`)."""

    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="versions", verbose_name="publication"
    )
    number = models.PositiveIntegerField("version")
    published_at = models.DateTimeField("published")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="published by",
    )
    reason = models.TextField(
        "what was corrected", blank=True, max_length=500, help_text="Empty for the first version."
    )
    # What the index and the feed list, kept beside the files so that listing reads no file.
    strategy_title = models.CharField("strategy", max_length=300)
    quarter_label = models.CharField("quarter", max_length=20)

    class Meta:
        ordering = ["publication", "number"]
        verbose_name = "published version"
        verbose_name_plural = "published versions"
        constraints = [
            models.UniqueConstraint(fields=["publication", "number"], name="one_version_number_per_publication"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="version_numbers_from_1"),
            models.CheckConstraint(
                condition=models.Q(number=1) | ~models.Q(reason=""), name="a_correction_has_a_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publication}, version {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(f"{self} is published: it never changes. Publish a correction instead.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        publication = self.publication
        return reverse("published:version", args=[publication.slug, publication.quarter_slug, self.number])


class PublishedFile(models.Model):
    """One file of a version, its bytes as they were made at publishing: the page
    (`PAGE`), the PDF and the open data. Never changed once saved."""

    PAGE = "index.html"

    version = models.ForeignKey(
        PublishedVersion, on_delete=models.PROTECT, related_name="files", verbose_name="version"
    )
    name = models.CharField("file name", max_length=50)
    content_type = models.CharField("content type", max_length=100)
    content = models.BinaryField("content")

    class Meta:
        ordering = ["version", "name"]
        verbose_name = "published file"
        verbose_name_plural = "published files"
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="one_file_of_a_name_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.version}: {self.name}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(f"{self} is published: it never changes.")
        super().save(*args, **kwargs)
