"""The department's structure, the teams that lead actions, and workforce figures."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from workforce.quarters import Quarter
from workforce.roles import ROLES


class NameKeyManager(models.Manager):
    """Looks a record up by its unique name, so fixtures can refer to it by name."""

    def get_by_natural_key(self, name):
        return self.get(name=name)


class Directorate(models.Model):
    name = models.CharField("name", max_length=200, unique=True)

    objects = NameKeyManager()

    class Meta:
        ordering = ["name"]
        verbose_name = "directorate"
        verbose_name_plural = "directorates"

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.name,)


class ServiceArea(models.Model):
    directorate = models.ForeignKey(
        Directorate, on_delete=models.PROTECT, related_name="service_areas", verbose_name="directorate"
    )
    name = models.CharField("name", max_length=200, unique=True)

    objects = NameKeyManager()

    class Meta:
        ordering = ["directorate__name", "name"]
        verbose_name = "service area"
        verbose_name_plural = "service areas"

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.name,)

    natural_key.dependencies = ["workforce.directorate"]  # type: ignore[attr-defined]  # Django reads it off the method


class Team(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENTAL = "departmental", "Departmental team"
        CORPORATE = "corporate", "Corporate team"
        ROLE = "role", "Role"
        BOARD = "board", "Board"
        PARTNER = "partner", "Partner"

    name = models.CharField("name", max_length=200, unique=True)
    kind = models.CharField("kind", max_length=20, choices=Kind.choices, default=Kind.DEPARTMENTAL)
    service_area = models.ForeignKey(
        ServiceArea,
        on_delete=models.PROTECT,
        related_name="teams",
        null=True,
        blank=True,
        verbose_name="service area",
        help_text="Departmental teams only; corporate teams, roles, boards and partners sit outside.",
    )
    description = models.TextField("description", blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="TeamMembership", related_name="teams", blank=True
    )

    objects = NameKeyManager()

    class Meta:
        ordering = ["name"]
        verbose_name = "team"
        verbose_name_plural = "teams"

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.name,)

    natural_key.dependencies = ["workforce.servicearea"]  # type: ignore[attr-defined]  # Django reads it off the method


class TeamMembership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships", verbose_name="user"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships", verbose_name="team")

    class Meta:
        ordering = ["team__name", "user__username"]
        verbose_name = "team membership"
        verbose_name_plural = "team memberships"
        constraints = [models.UniqueConstraint(fields=["user", "team"], name="unique_team_membership")]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"


class WorkforceIndicator(models.Model):
    """A figure the department watches each quarter, such as % absence or % with supervision."""

    name = models.CharField("name", max_length=200, unique=True)
    unit = models.CharField("unit", max_length=30, blank=True, help_text='For example "%", "FTE" or "days".')
    higher_is_better = models.BooleanField("higher is better", default=True)
    target = models.DecimalField("target", max_digits=12, decimal_places=2, null=True, blank=True)
    description = models.TextField("description", blank=True)
    strategies = models.ManyToManyField(
        "outcomes.Strategy",
        related_name="workforce_indicators",
        blank=True,
        verbose_name="strategies",
        help_text="The strategies whose DMT report shows this indicator.",
    )
    order = models.PositiveSmallIntegerField("order", default=0)

    objects = NameKeyManager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "workforce indicator"
        verbose_name_plural = "workforce indicators"

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.name,)

    def meets_target(self, value: Decimal | None, target: Decimal | None) -> bool | None:
        """Whether `value` meets `target`: at or above it, or at or below it where lower is
        better; None without both. The one rule for indicators and measures of success."""
        if value is None or target is None:
            return None
        return value >= target if self.higher_is_better else value <= target

    def against_target(self, value: Decimal | None, target: Decimal | None) -> str:
        """`meets_target` in the words the DMT report uses."""
        if target is None:
            return "No target: trend only"
        if value is None:
            return "No figure"
        return "Meets target" if self.meets_target(value, target) else "Misses target"


class WorkforceFigure(models.Model):
    indicator = models.ForeignKey(
        WorkforceIndicator, on_delete=models.CASCADE, related_name="figures", verbose_name="indicator"
    )
    # A financial-year quarter: figures belong to the department, not to one strategy's cycle.
    year = models.PositiveSmallIntegerField("financial year", help_text="The year it starts in: 2016 for 2016/17.")
    quarter = models.PositiveSmallIntegerField("quarter", choices=[(n, f"Q{n}") for n in range(1, 5)])
    value = models.DecimalField("value", max_digits=12, decimal_places=2)
    scope = models.CharField(
        "scope", max_length=200, blank=True, default="", help_text="Blank for the whole department."
    )

    class Meta:
        ordering = ["indicator__order", "indicator__name", "year", "quarter", "scope"]
        verbose_name = "workforce figure"
        verbose_name_plural = "workforce figures"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "quarter", "scope"], name="unique_figure_per_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="figure_quarter_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {Quarter(self.year, self.quarter).label}: {self.value}"


# Single sign-on (workforce/sso.py): what the council's identity provider's groups give here,
# and each person's link to their council account.


class ProviderGroup(models.Model):
    """A group or app role at the council's identity provider, and the role and lead teams
    it gives a person who signs in with it (workforce.sign_in)."""

    ROLE_CHOICES = [(role, role) for role in ROLES]

    value = models.CharField(
        "group or app role",
        max_length=200,
        unique=True,
        help_text=(
            "Exactly as the provider sends it: an Entra ID group's object ID, a group's name "
            "(Google Workspace, Okta, Keycloak), or an app role's value."
        ),
    )
    description = models.CharField(
        "description", max_length=200, blank=True, help_text='What it is at the council, e.g. "SG-Tracker-Managers".'
    )
    role = models.CharField(
        "role",
        max_length=40,
        choices=ROLE_CHOICES,
        blank=True,
        help_text=(
            "Blank for teams only. With several roles, Organisational Planning comes first, then Manager, then DMT."
        ),
    )
    teams = models.ManyToManyField(
        Team, related_name="provider_groups", blank=True, verbose_name="lead teams", help_text="Teams its members join."
    )
    history = HistoricalRecords(m2m_fields=[teams])

    class Meta:
        ordering = ["value"]
        verbose_name = "council group or app role"
        verbose_name_plural = "council groups and app roles"

    def __str__(self) -> str:
        return f"{self.description} ({self.value})" if self.description else self.value


class SignInAccount(models.Model):
    """A person's link to their council account, and how they may sign in without it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_account", verbose_name="person"
    )
    subject = models.CharField(
        "council account",
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        help_text="The provider's lasting identifier for the person (oid in Entra ID, else sub).",
    )
    link_at_next_sign_in = models.BooleanField(
        "link at their next council sign-in",
        default=False,
        help_text=(
            "This account was made here before single sign-on: the next person to sign in with the council "
            "account holding the same email address takes it over, once."
        ),
    )
    break_glass = models.BooleanField(
        "break-glass",
        default=False,
        help_text="Superusers only: may still sign in with a password while single sign-on is on.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["user__username"]
        verbose_name = "sign-in account"
        verbose_name_plural = "sign-in accounts"

    def __str__(self) -> str:
        return str(self.user)
