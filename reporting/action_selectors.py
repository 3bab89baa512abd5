"""The reads of the action pages ("Your actions", "All actions", an action and its update)
and of the refresh page's list of actions to carry forward.

Each action's state as at a quarter is `reporting.selectors`' one definition; this module
only asks it, and reads what the pages show beside it.
"""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When

from actions.models import Action
from outcomes.models import Strategy, SuccessMeasure
from reporting import decisions, selectors, words
from reporting.models import ProgressUpdate, ReportingPeriod
from workforce.models import Team
from workforce.quarters import Quarter
from workforce.roles import user_team_ids

#: How far back the line of carried-forward actions is followed: a strategy refreshed yearly
#: for ten years.
LINE_LIMIT = 10


# --- The lists ------------------------------------------------------------------------------


def actions_led_by(user) -> QuerySet[Action]:
    """The actions the user leads (through a lead team they are in, or as the linked lead
    officer), each line of carried-forward work once (`current_of_lines`).

    Two small queries find the ids (the actions led, and which of their strategies have a
    quarter); the list then reads its page by those ids, with no join to the lead teams and
    no subquery for each action, so it costs the same on SQLite and PostgreSQL.
    """
    led = Action.objects.filter(Q(lead_teams__in=user_team_ids(user)) | Q(lead_officer_user=user))
    rows: set[tuple[int, int | None, int]] = set(led.values_list("pk", "predecessor_id", "strategy_id"))
    strategies = {strategy_id for _pk, _predecessor_id, strategy_id in rows}
    with_quarter = set(
        ReportingPeriod.objects.filter(strategy_id__in=strategies).values_list("strategy_id", flat=True).distinct()
    )
    return Action.objects.filter(pk__in=current_of_lines(rows, with_quarter))


def current_of_lines(rows: set[tuple[int, int | None, int]], with_quarter: set[int]) -> set[int]:
    """Of actions given as (id, the id of the action it continues, strategy id), the ids to
    list: an action carried forward into a later strategy is one line of work, listed once.

    Where both an action and the copy that continues it are given, the copy replaces it once
    the copy's strategy has a quarter (its updates go there); until then the copy waits and
    the earlier action, whose quarter is the one being reported, stays.
    """
    given = {pk for pk, _predecessor_id, _strategy_id in rows}
    hidden = set()
    for pk, predecessor_id, strategy_id in rows:
        if predecessor_id in given:
            hidden.add(predecessor_id if strategy_id in with_quarter else pk)
    return given - hidden


def teams_of(user) -> QuerySet[Team]:
    """The teams the user is in, by name."""
    return Team.objects.filter(pk__in=user_team_ids(user)).order_by("name")


def periods_named(quarter: Quarter, strategy_id: str | None = None) -> list[ReportingPeriod]:
    """Each strategy's quarter of that name (only the strategy with `strategy_id`, when it is
    a number): the quarters a list reached from a count on a report reads."""
    periods = ReportingPeriod.objects.filter(year=quarter.year, number=quarter.number)
    if strategy_id and strategy_id.isdigit():
        periods = periods.filter(strategy_id=strategy_id)
    return list(periods)


def action_list_page(
    *, periods: list[ReportingPeriod], queryset: QuerySet[Action], as_reported: bool
) -> QuerySet[Action]:
    """A list page's actions (`selectors.action_list`) with their latest DMT decision, those
    needing an update in their open quarter first, then in document order.

    An action whose quarter is closed, or whose strategy has no quarter, needs no update and
    is not put first. The order reads only the columns the list's one query already joins:
    no subquery is written into it.
    """
    open_ids = [period.pk for period in periods if period.is_open] or [0]
    return (
        selectors.action_list(
            periods=periods, queryset=decisions.with_latest_decision(queryset), as_reported=as_reported
        )
        .annotate(
            needs_first=Case(
                When(status_as_at__isnull=True, as_at_period_id__in=open_ids, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("needs_first", "strategy__period_start", "order", "reference")
    )


def update_offered(action) -> bool:
    """Whether a list offers to update `action` (read by `selectors.actions_as_at`, with its
    `as_at_period` set): its quarter is open, and it was not finished in an earlier quarter
    (the list's reading of `selectors.finished_before`). One finished by this quarter's own
    update can still have that update changed."""
    period = getattr(action, "as_at_period", None)
    if period is None or not period.is_open:
        return False
    return action.period_status is not None or not selectors.is_finished(action.status_as_at)


# --- An action's pages ----------------------------------------------------------------------


def action_for_page() -> QuerySet[Action]:
    """Actions with their place in the strategy, leads and latest DMT decision, as an
    action's page and its update page show one."""
    return (
        decisions.with_latest_decision(Action.objects.all())
        .select_related("strategy", "outcome", "recommendation__outcome", "lead_officer_user", "predecessor__strategy")
        .prefetch_related(Prefetch("lead_teams", queryset=Team.objects.only("id", "name", "kind")))
    )


def updates(action: Action, period: ReportingPeriod | None) -> tuple[ProgressUpdate | None, list[ProgressUpdate]]:
    """The action's update for `period` and its other updates, newest first: one query."""
    found = list(
        ProgressUpdate.objects.filter(action=action).select_related("period", "author").order_by("-period__start")
    )
    current = next((u for u in found if period and u.period_id == period.pk), None)
    return current, [u for u in found if u is not current]


def line(action: Action) -> tuple[list[Action], list[ProgressUpdate]]:
    """The actions `action` continues from earlier strategies, nearest first, and their
    updates newest first: none for an action not carried forward; else two queries, however
    long the line (up to `LINE_LIMIT`): the line joined in one, then the updates."""
    if action.predecessor_id is None:
        return [], []
    # predecessor, predecessor__predecessor, ...: each with its strategy, in one query.
    hops = ["__".join(["predecessor"] * n) for n in range(1, LINE_LIMIT + 1)]
    joined = Action.objects.select_related(*(f"{hop}__strategy" for hop in hops)).get(pk=action.pk)
    found: list[Action] = []
    earlier = joined.predecessor
    while earlier is not None and len(found) < LINE_LIMIT and earlier.pk != action.pk:
        found.append(earlier)
        earlier = earlier.predecessor if len(found) < LINE_LIMIT else None
    line_updates = list(
        ProgressUpdate.objects.filter(action__in=found)
        .select_related("period", "author", "action__strategy")
        .order_by("-period__start")
    )
    return found, line_updates


def successors(action: Action) -> list[Action]:
    """The actions that carry `action` forward into later strategies, earliest first."""
    return list(action.successors.select_related("strategy").order_by("strategy__period_start"))


def measures(action: Action) -> QuerySet[SuccessMeasure] | list:
    """The measures of success of the action's recommendation, in order."""
    if not action.recommendation_id:
        return []
    return SuccessMeasure.objects.filter(recommendation_id=action.recommendation_id).order_by("number")


def history(action: Action) -> tuple[QuerySet, QuerySet]:
    """The recorded versions of the action and of its updates, with who made each."""
    return (
        action.history.select_related("history_user"),
        ProgressUpdate.history.filter(action_id=action.pk).select_related("history_user", "period"),
    )


# --- The refresh page -----------------------------------------------------------------------


@dataclass
class Candidate:
    """An action of the old strategy as the refresh page lists it."""

    action: Action
    state: str
    proposed: bool


def refresh_candidates(strategy: Strategy) -> list[Candidate]:
    """The strategy's actions in document order with their state in its open quarter (else its
    latest); ongoing actions and those not complete or cancelled are proposed. Two queries."""
    period = selectors.period_to_report(list(selectors.periods_for_strategy(strategy)))
    actions = selectors.actions_as_at([period] if period else [], Action.objects.filter(strategy=strategy))
    result = []
    for action in actions.order_by("order", "reference"):
        unfinished = not selectors.is_finished(action.status_as_at)
        state = words.state_words(action, period) if period else "No quarter yet"
        if action.is_ongoing:
            state = f"Ongoing; {state[0].lower()}{state[1:]}"
        result.append(Candidate(action, state, proposed=action.is_ongoing or unfinished))
    return result
