"""Factories for the domain, building a small strategy in document shape."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from actions.models import Action
from outcomes.models import Outcome, Recommendation, Risk, Strategy, SuccessMeasure
from reporting.models import ProgressUpdate, ReportingPeriod, Status
from workforce.models import Team, TeamMembership, WorkforceFigure, WorkforceIndicator


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.uk")
    password = factory.django.Password("correct horse battery")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        # get_or_create: a browser test's flush empties the groups the migration made.
        for name in names or []:
            self.groups.add(Group.objects.get_or_create(name=name)[0])

    @factory.post_generation
    def teams(self, create, teams, **kwargs):
        for team in teams or []:
            TeamMembership.objects.create(user=self, team=team)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Team {n}")


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy
        django_get_or_create = ["slug"]

    # One strategy unless a test names another: actions and quarters then meet in it.
    slug = "workforce-2016-17"
    title = factory.LazyAttribute(lambda s: f"Workforce Strategy {s.slug}")
    organisation = "Leicestershire County Council"
    department = "Children and Family Services"
    period_label = "2016/17"
    period_start = datetime.date(2016, 4, 1)
    period_end = datetime.date(2017, 3, 31)


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    strategy = factory.SubFactory(StrategyFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"a workforce outcome {n}")


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    outcome = factory.SubFactory(OutcomeFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "develop and implement a Workforce Engagement Plan"
    rationale = "A plan will give staff consistent key messages."


class SuccessMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SuccessMeasure

    recommendation = factory.SubFactory(RecommendationFactory)
    number = factory.Sequence(lambda n: n + 1)
    measure = "All staff can articulate the department's strategic focus"
    indicator = "Staff Survey"


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    strategy = factory.SubFactory(StrategyFactory)
    number = factory.Sequence(lambda n: n + 1)
    risk = "Capacity of teams to deliver"
    control = "Quarterly monitoring by DMT"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    recommendation = factory.SubFactory(RecommendationFactory)
    outcome = factory.LazyAttribute(lambda a: a.recommendation.outcome)
    strategy = factory.LazyAttribute(lambda a: a.outcome.strategy)
    reference = factory.Sequence(lambda n: f"1.1.{n + 1}")
    order = factory.Sequence(lambda n: n + 1)
    description = factory.Sequence(lambda n: f"Scope out and write Workforce Engagement Plan, part {n}")
    timescale = "March-April 2016"
    start_date = datetime.date(2016, 3, 1)
    due_date = datetime.date(2016, 4, 30)

    @factory.post_generation
    def lead_teams(self, create, teams, **kwargs):
        if teams:
            self.lead_teams.set(teams)


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    """A quarter of a strategy. A new open quarter closes the strategy's open one, as moving
    to the next quarter does (a strategy has at most one open)."""

    class Meta:
        model = ReportingPeriod
        django_get_or_create = ["strategy", "year", "number"]

    strategy = factory.SubFactory(StrategyFactory)
    year = 2016
    number = 3
    start = datetime.date(2000, 1, 1)  # set from the quarter on save
    end = datetime.date(2000, 1, 2)
    state = ReportingPeriod.State.OPEN

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("state", ReportingPeriod.State.OPEN) == ReportingPeriod.State.OPEN:
            strategy = kwargs["strategy"]
            ReportingPeriod.objects.filter(strategy=strategy, state=ReportingPeriod.State.OPEN).exclude(
                year=kwargs.get("year"), number=kwargs.get("number")
            ).update(state=ReportingPeriod.State.CLOSED)
        return super()._create(model_class, *args, **kwargs)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    period = factory.SubFactory(ReportingPeriodFactory)
    status = Status.IN_PROGRESS
    rag = "green"
    progress = "Plan drafted and shared with the Principal Social Worker."


class WorkforceIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkforceIndicator
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "%"


class WorkforceFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkforceFigure

    indicator = factory.SubFactory(WorkforceIndicatorFactory)
    year = 2016
    quarter = 3
    value = 5


def bulk_actions(
    size: int,
    *,
    teams: list[Team],
    periods: list[ReportingPeriod],
    strategy: Strategy | None = None,
    rags: tuple[str, ...] = ("green",),
    skip_every: int = 5,
) -> Strategy:
    """`size` actions in one recommendation, led by `teams`, in bulk for query-count tests.

    Each action is updated (in progress, RAG cycling through `rags`) in every one of
    `periods`, except every `skip_every`-th action, which has no update at all.
    """
    strategy = strategy or StrategyFactory()
    recommendation = RecommendationFactory(outcome__strategy=strategy)
    actions = Action.objects.bulk_create(
        Action(
            strategy=strategy,
            outcome=recommendation.outcome,
            recommendation=recommendation,
            reference=f"1.{recommendation.number}.{n}",
            order=n,
            description=f"Action {n}",
            due_date=datetime.date(2016, 12, 31),
        )
        for n in range(size)
    )
    Action.lead_teams.through.objects.bulk_create(
        Action.lead_teams.through(action=action, team=team) for action in actions for team in teams
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            action=action, period=period, status=Status.IN_PROGRESS, rag=rags[n % len(rags)], progress="Going"
        )
        for n, action in enumerate(actions)
        for period in periods
        if n % skip_every
    )
    return strategy
