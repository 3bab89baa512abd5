"""Reads of a strategy as a document, and the checks a good strategy should pass."""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Prefetch, QuerySet, Sum

from actions.models import Action
from outcomes.models import Outcome, Recommendation, Strategy, SuccessMeasure

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def strategy_document(strategy: Strategy) -> QuerySet[Outcome]:
    """The strategy's outcomes with recommendations, measures and actions, in document order.

    Four queries whatever the size: outcomes, recommendations, measures, actions.
    """
    return strategy.outcomes.prefetch_related(
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.order_by("number").prefetch_related(
                Prefetch("measures", queryset=SuccessMeasure.objects.order_by("number")),
                Prefetch("actions", queryset=Action.objects.order_by("order", "reference")),
            ),
        )
    ).order_by("number")


@dataclass
class StrategyCheck:
    """What the CWDC checklist asks of a strategy: SMART objectives with leads and dates."""

    actions_without_lead: list[Action]
    unreadable_timescales: list[Action]
    recommendations_without_measure: list[Recommendation]
    measures_without_indicator: list[SuccessMeasure]

    @property
    def passed(self) -> bool:
        return not (
            self.actions_without_lead
            or self.unreadable_timescales
            or self.recommendations_without_measure
            or self.measures_without_indicator
        )


def strategy_check(strategy: Strategy) -> StrategyCheck:
    """Check the strategy against the CWDC toolkit's checklist ("Are your objectives SMART?")."""
    actions = list(strategy.actions.prefetch_related("lead_teams").order_by("order", "reference"))
    recommendations = Recommendation.objects.filter(outcome__strategy=strategy).select_related("outcome")
    return StrategyCheck(
        actions_without_lead=[a for a in actions if not a.lead_teams.all() and not a.lead_officer],
        # A blank timescale fails the check too: the checklist asks for one on every action.
        unreadable_timescales=[a for a in actions if not a.timescale or a.timescale_unreadable],
        recommendations_without_measure=list(recommendations.filter(measures__isnull=True)),
        measures_without_indicator=list(
            SuccessMeasure.objects.filter(recommendation__outcome__strategy=strategy, indicator="").select_related(
                "recommendation__outcome"
            )
        ),
    )


class OutcomeCosts(TypedDict):
    cost_total: Decimal | None
    costed: int
    action_count: int


@dataclass(frozen=True)
class StrategyCosts:
    """Estimated costs totalled by outcome and for the strategy.

    ``outcomes`` holds each outcome in document order, annotated with ``cost_total`` (None
    when none of its actions is costed), ``costed`` and ``action_count``.
    """

    outcomes: list["WithAnnotations[Outcome, OutcomeCosts]"]
    total: Decimal | None
    costed: int
    action_count: int


def strategy_costs(strategy: Strategy) -> StrategyCosts:
    """The strategy's estimated costs by outcome and in all: one query, whatever the size."""
    outcomes = list(
        strategy.outcomes.annotate(
            cost_total=Sum("actions__estimated_cost"),
            costed=Count("actions__estimated_cost"),
            action_count=Count("actions"),
        ).order_by("number")
    )
    totals = [o.cost_total for o in outcomes if o.cost_total is not None]
    return StrategyCosts(
        outcomes=outcomes,
        total=sum(totals, Decimal(0)) if totals else None,
        costed=sum(o.costed for o in outcomes),
        action_count=sum(o.action_count for o in outcomes),
    )
