"""The report's reads: each a fixed number of queries whatever the number of actions.

The actions as at the quarter (one query, plus one for lead teams), the trend across the
quarters so far (one UNION query of the same as-at rule, counted by state in the database,
a closed quarter's counts kept in the cache), the indicators and their figures (two), DMT's
decisions on this and the previous quarter's requests for help (one), and every strategy's
counts for the summary (one). `dashboard.report` puts them together.
"""

from collections import defaultdict
from dataclasses import fields

from django.db.models import CharField, Count, F, Q, Value
from django.db.models.functions import Concat

from actions.models import Action
from dashboard import page_cache
from dashboard.counting import State, Tally, tally
from dashboard.report_types import Decision, IndicatorRow, ReportAction
from outcomes.models import Strategy
from reporting import selectors as action_selectors
from reporting.models import DmtDecision, ReportingPeriod
from workforce.models import WorkforceFigure

# The fields read from the database, in order: all of ReportAction's up to these, which come last.
NOT_COLUMNS = ("outcome_number", "lead_names", "lead_team_names", "decision", "previous_decision")
REPORT_FIELDS = [f.name for f in fields(ReportAction) if f.name not in NOT_COLUMNS]
# The column a field is read from, where that is not the field's name: an action's outcome is
# the one it is counted under as at the quarter (in a closed quarter, the one reported then).
READ_FROM = {"outcome_id": "outcome_as_at"}
REPORT_COLUMNS = [READ_FROM.get(name, name) for name in REPORT_FIELDS]


def report_actions(strategy: Strategy, period: ReportingPeriod) -> list[ReportAction]:
    """The strategy's actions as at the end of `period`, as reported, in document order, each
    with its lead officer and teams (`lead_names`). Two queries."""
    rows = (
        action_selectors.actions_as_at([period], Action.objects.filter(strategy=strategy), as_reported=True)
        .annotate(
            lead_officer_username=F("lead_officer_user__username"),
            carried_from=F("predecessor__strategy__period_label"),
            lead_officer_account=Concat(
                "lead_officer_user__first_name", Value(" "), "lead_officer_user__last_name", output_field=CharField()
            ),
        )
        .order_by("order", "reference")
        .values_list(*REPORT_COLUMNS)
    )
    actions = [ReportAction(*row) for row in rows]
    # Lead team names as plain rows too: cheaper than prefetching teams for every action.
    names: dict[int, list[str]] = defaultdict(list)
    lead_teams = Action.lead_teams.through.objects.filter(action__strategy=strategy)
    for action_id, name in lead_teams.order_by("team__name").values_list("action_id", "team__name"):
        names[action_id].append(name)
    for action in actions:
        # The lead officer first, as the document names them (or their account does), then the teams.
        officer = action.lead_officer or (action.lead_officer_account or "").strip() or action.lead_officer_username
        action.lead_names = ([officer] if officer else []) + names[action.id]
        action.lead_team_names = names[action.id]
    return actions


def indicator_rows(
    strategy: Strategy, period: ReportingPeriod, previous_period: ReportingPeriod | None
) -> list[IndicatorRow]:
    """The strategy's workforce indicators with their figures this quarter and last. Two queries."""
    indicators = list(strategy.workforce_indicators.order_by("order", "name"))
    # Figures are the department's, kept by financial-year quarter, whatever the strategy.
    wanted = Q()
    for p in (period, previous_period):
        if p is not None:
            wanted |= Q(year=p.year, quarter=p.number)
    figures = {
        (f.indicator_id, f.year, f.quarter): f.value
        for f in WorkforceFigure.objects.filter(wanted, indicator__in=indicators, scope="")
    }
    return [
        IndicatorRow(
            indicator=indicator,
            value=figures.get((indicator.pk, period.year, period.number)),
            previous=figures.get((indicator.pk, previous_period.year, previous_period.number))
            if previous_period
            else None,
            target=indicator.target,
        )
        for indicator in indicators
    ]


TREND_STATE = ["as_at_period_id", "outcome_as_at", "status_as_at", "rag_as_at", "is_overdue"]


def trend_tallies(
    strategy: Strategy,
    periods: list[ReportingPeriod],
    current: ReportingPeriod,
    current_tallies: dict[int, list[Tally]],
) -> dict[int, dict[int, list[Tally]]]:
    """For each of `periods` (the strategy's quarters so far) and each outcome, the actions
    counted by state: {period id: {outcome id: [(state, number), ...]}}.

    The current quarter's are the report's own rows, counted (`current_tallies`). A closed
    quarter with its actions' states recorded reads those, which never change but when it is
    closed again, so its counts are kept in the cache under the quarter, when its states were
    recorded, the release and what `manage.py report_changed` last said (`page_cache.hand_edits`).
    The rest, a quarter loaded closed among them (it reads the plan as it stands), in one
    query: each quarter by the same as-at rule (`actions_as_at`), counted by state in the
    database, the quarters joined by UNION ALL.
    """
    result = {current.pk: current_tallies}
    recorded = {p.pk: p.states_recorded_at for p in periods if p.states_recorded_at is not None and p != current}
    keys = {}
    if recorded:
        version = page_cache.hand_edits()  # read once for all the quarters
        keys = {pk: page_cache.key("dmt-trend", (pk, at.timestamp()), version) for pk, at in recorded.items()}
    cached = page_cache.get_many(keys.values()) if keys else {}
    for period_id, key in keys.items():
        if key in cached:
            result[period_id] = tally(cached[key])
    missing = [p for p in periods if p.pk not in result]
    if not missing:
        return result
    actions_qs = Action.objects.filter(strategy=strategy)
    parts = [
        action_selectors.actions_as_at([p], actions_qs, as_reported=True)
        .order_by()
        .values_list(*TREND_STATE)
        .annotate(number=Count("id"))
        for p in missing
    ]
    rows: dict[int, list] = defaultdict(list)
    for period_id, *row in parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]:
        rows[period_id].append(tuple(row))
    for p in missing:
        result[p.pk] = tally(rows[p.pk])
    to_keep = {keys[p.pk]: rows[p.pk] for p in missing if p.pk in keys}
    if to_keep:
        page_cache.set_many(to_keep)
    return result


def decisions(
    period: ReportingPeriod, previous_period: ReportingPeriod | None
) -> tuple[dict[int, Decision], dict[int, Decision]]:
    """DMT's decisions on the help asked in this quarter and the one before, by action id: one query."""
    wanted = [p.pk for p in (period, previous_period) if p is not None]
    labels = dict(DmtDecision.Outcome.choices)
    now: dict[int, Decision] = {}
    before: dict[int, Decision] = {}
    rows = DmtDecision.objects.filter(update__period__in=wanted).values_list(
        "update__action_id", "update__period_id", "outcome", "note"
    )
    for action_id, period_id, outcome, note in rows:
        if period_id == period.pk:
            now[action_id] = Decision(outcome, labels.get(outcome, outcome), note, period.label)
        elif previous_period is not None:
            before[action_id] = Decision(outcome, labels.get(outcome, outcome), note, previous_period.label)
    return now, before


def strategy_tallies(periods: dict[int, ReportingPeriod]) -> dict[int, list[Tally]]:
    """Each strategy's actions as at its quarter in `periods` ({strategy id: quarter}), counted
    by state in the database: {strategy id: [(state, number), ...]}. One query."""
    tallies: dict[int, list[Tally]] = defaultdict(list)
    rows = (
        action_selectors.actions_as_at(periods.values(), as_reported=True)
        .filter(strategy_id__in=list(periods))
        .order_by()
        .values("strategy_id", "status_as_at", "rag_as_at", "is_overdue")
        .annotate(number=Count("id"))
    )
    for row in rows:
        state = State(row["status_as_at"], row["rag_as_at"], bool(row["is_overdue"]))
        tallies[row["strategy_id"]].append((state, row["number"]))
    return tallies
