"""Writes to actions. Views, imports and the admin call these, never save()."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from actions.models import Action
from actions.timescales import parse_timescale
from outcomes.models import Outcome, Recommendation, Risk, Strategy, SuccessMeasure
from strategy_tracker import data_version
from workforce.people import can_manage_person
from workforce.roles import planner_required


def action_save(*, action: Action, user, changed: Collection[str] | None = None) -> Action:
    """Validate and save an action, as a planner; its dates are read from the timescale unless given.

    ``changed`` names the fields changed on an existing action (the admin form's changed
    data); None for a new action. See ``Action.settle_dates`` for the rule.
    """
    planner_required(user, "change the plan's actions")
    action.settle_dates(changed=changed)
    action.full_clean()
    with transaction.atomic():
        action.save()
        data_version.changed()
    return action


@dataclass(frozen=True)
class Carried:
    """An action to carry into the refreshed strategy, with its new reference and timescale."""

    action: Action
    reference: str
    timescale: str


def carried_timescale_error(item: Carried, period_start: date) -> str | None:
    """What is wrong with a carried action's new timescale, if it ends before the new
    strategy starts (the form names it beside the field; `strategy_refresh` refuses it)."""
    timescale = item.timescale.strip()
    due = parse_timescale(timescale, period_start=period_start).due if timescale else None
    if due and due < period_start:
        return (
            f"The timescale for {item.action.reference} ends before {period_start:%-d %B %Y}, when the new "
            "period starts: give its timescale in the new strategy"
        )
    return None


def _refreshed_into(source: Strategy, period_start: date, period_end: date) -> Strategy | None:
    """The strategy already made from `source` by a refresh whose period overlaps
    `period_start`–`period_end` (the first one found), or None.

    "The same period" means the same source and any overlap of the two periods: a strategy
    is refreshed once into each stretch of time, so a second refresh changing only the title
    or short name is refused, while refreshing into a later, separate period is not. A
    strategy was made from `source` when one of its actions continues one of `source`'s, or
    (when none was carried) its notes say it was refreshed from `source`. One query.
    """
    return (
        Strategy.objects.filter(period_start__lte=period_end, period_end__gte=period_start)
        .filter(
            Q(actions__predecessor__strategy=source)
            | Q(source_notes=_refreshed_from(source), organisation=source.organisation)
        )
        .exclude(pk=source.pk)
        .order_by("period_start", "pk")
        .first()
    )


def _refreshed_from(source: Strategy) -> str:
    """The note a refreshed strategy keeps of the strategy it was made from."""
    return f"Refreshed from {source.title} ({source.period_label})."


def strategy_refresh(
    *,
    source: Strategy,
    user,
    title: str,
    slug: str,
    period_label: str,
    period_start: date,
    period_end: date,
    carried: Sequence[Carried],
) -> Strategy:
    """The next strategy, made from `source`: its outcomes, recommendations, measures of
    success, risks and workforce indicators as they stand, and the chosen actions carried
    forward with new references and timescales, each linked to the action it continues.

    Dates are read from each new timescale. All or nothing: a ValidationError (a short name
    in use, a reference twice, an action of another strategy, a timescale ending before the
    new period starts, `source` already refreshed into the period: see `_refreshed_into`)
    saves nothing. Refuses (PermissionDenied) anyone but a planner.
    """
    planner_required(user, "refresh a strategy")
    if earlier := _refreshed_into(source, period_start, period_end):
        raise ValidationError(
            f"{source.title} was already refreshed into {earlier.period_label}: "
            f"{earlier.title}. Change that strategy in the admin rather than making another.",
            code="already_refreshed",
        )
    errors = []
    references = [item.reference.strip() for item in carried]
    for reference in {r for r in references if references.count(r) > 1}:
        errors.append(f"The reference {reference} is given to more than one carried action.")
    for item in carried:
        if item.action.strategy_id != source.pk:
            errors.append(f"Action {item.action.reference} is not an action of {source}.")
        elif message := carried_timescale_error(item, period_start):
            errors.append(message)
    errors += _lead_officers_out_of_reach(user, carried)
    if errors:
        raise ValidationError(errors)
    if period_start <= source.period_start:
        raise ValidationError(
            {
                "period_start": f"The refreshed strategy starts after {source.title}, which starts "
                f"{source.period_start:%-d %B %Y}."
            },
            code="not_later",
        )
    with transaction.atomic():
        strategy = Strategy(
            title=title,
            slug=slug,
            organisation=source.organisation,
            department=source.department,
            period_label=period_label,
            period_start=period_start,
            period_end=period_end,
            vision=source.vision,
            mission=source.mission,
            governance=source.governance,
            source_notes=_refreshed_from(source),
        )
        strategy.full_clean()
        strategy.save()
        strategy.workforce_indicators.add(*source.workforce_indicators.all())
        outcomes, recommendations = _copy_document(source, strategy)
        # The old actions' lead teams in one read; each new action's are set through the
        # relation, so that its history records them.
        teams: dict[int, list[int]] = {}
        links = Action.lead_teams.through.objects.filter(action_id__in=[item.action.pk for item in carried])
        for action_id, team_id in links.values_list("action_id", "team_id"):
            teams.setdefault(action_id, []).append(team_id)
        for item in sorted(carried, key=lambda item: (item.action.order, item.action.reference)):
            old = item.action
            action = Action(
                strategy=strategy,
                outcome=outcomes[old.outcome_id],
                recommendation=recommendations.get(old.recommendation_id),
                reference=item.reference.strip(),
                order=old.order,
                description=old.description,
                lead_officer=old.lead_officer,
                lead_officer_user_id=old.lead_officer_user_id,
                timescale=item.timescale.strip(),
                estimated_cost=old.estimated_cost,
                framework_link=old.framework_link,
                notes=old.notes,
                predecessor=old,
            )
            action_save(action=action, user=user)
            action.lead_teams.set(teams.get(old.pk, []))
        data_version.changed()
    return strategy


def _lead_officers_out_of_reach(user, carried: Sequence[Carried]) -> list[str]:
    """A message for each carried action whose lead officer `user` may not name (a superuser,
    for a planner: the Users page's rule), as carrying it forward would name them again. One
    query, and none when no carried action has a linked lead officer."""
    ids = {item.action.lead_officer_user_id for item in carried if item.action.lead_officer_user_id is not None}
    if not ids:
        return []
    barred = {
        person.pk for person in get_user_model().objects.filter(pk__in=ids) if not can_manage_person(user, person)
    }
    return [
        f"Action {item.action.reference}'s lead officer can be named only by a superuser: "
        "ask one to carry it forward, or leave it out."
        for item in carried
        if item.action.lead_officer_user_id in barred
    ]


def _copy_document(source: Strategy, strategy: Strategy) -> tuple[dict, dict]:
    """Copies the strategy as written (outcomes, recommendations, measures, risks) into
    `strategy`; returns the new outcome and recommendation for each old one's id."""
    outcomes, recommendations = {}, {}
    for outcome in source.outcomes.order_by("number"):
        outcomes[outcome.pk] = Outcome.objects.create(
            strategy=strategy, number=outcome.number, title=outcome.title, narrative=outcome.narrative
        )
    for recommendation in Recommendation.objects.filter(outcome__strategy=source).prefetch_related("measures"):
        new = Recommendation.objects.create(
            outcome=outcomes[recommendation.outcome_id],
            number=recommendation.number,
            title=recommendation.title,
            rationale=recommendation.rationale,
        )
        recommendations[recommendation.pk] = new
        for measure in recommendation.measures.all():
            SuccessMeasure.objects.create(
                recommendation=new,
                number=measure.number,
                measure=measure.measure,
                indicator=measure.indicator,
                workforce_indicator_id=measure.workforce_indicator_id,
                target_value=measure.target_value,
                target_unit=measure.target_unit,
                baseline=measure.baseline,
            )
    for risk in source.risks.order_by("number"):
        Risk.objects.create(
            strategy=strategy,
            number=risk.number,
            risk=risk.risk,
            control=risk.control,
            likelihood=risk.likelihood,
            impact=risk.impact,
        )
    return outcomes, recommendations
