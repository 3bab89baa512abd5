"""Demo progress for loaded strategies: quarters, progress updates and (from
`demo.figures`) workforce figures.

Used by `manage.py demo_data`. Everything written follows from the seed: each action's
story comes from its own `random.Random` seeded with the seed, the strategy and the
action's reference, so it does not change when other actions or strategies are added.
Updates are written straight to the database (bulk_create), not through the service:
the demo fills quarters that are closed, which the service rightly refuses. Each is
still written by someone who may write it (`_author_of`).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from actions.models import Action
from demo.figures import BATCH_SIZE, workforce_figures_write
from demo.key_messages import key_messages_write
from demo.text import (
    AMBER,
    CANCEL_REASONS,
    CANCELLED,
    COMPLETE,
    EVIDENCE,
    HELP_NEEDED,
    HOLD_REASONS,
    NOT_STARTED,
    NOT_STARTED_LATE,
    NOT_STARTED_NEXT,
    ON_HOLD,
    RAG_MOVES,
    RED,
    TOPIC_WORDS,
    TOPICS,
)
from outcomes.models import Strategy
from reporting import selectors, services
from reporting.models import RAG, ProgressUpdate, ReportingPeriod, Status
from workforce.quarters import Quarter, quarter_of, quarters_between
from workforce.roles import ORGANISATIONAL_PLANNING

DEADLINE_DAYS = 10  # the open quarter's updates are due ten days after it ends, or from today


def open_deadline(quarter: Quarter, today: date | None = None) -> date:
    """The open quarter's update deadline: ten days after it ends, as a planner would set it;
    but the demo's quarters are years old, so never before ten days from today, else the
    returns page would read "overdue by 3,521 days" for a quarter just opened."""
    today = today or timezone.localdate()
    return max(quarter.end, today) + timedelta(days=DEADLINE_DAYS)


MISSING_SHARE = 0.3  # the share of actions with no update yet in the open quarter
DEMO_MANAGER = "manager"  # signs in to find actions of their team to update
DEMO_OFFICER = "officer"  # the lead officer linked to an action: finds it to update
MANAGER_LEFT_TO_UPDATE = 2  # of the demo manager's actions, at least this many left to update


def topic_of(description: str) -> str:
    """The subject of an action, to choose what its updates say."""
    words = description.lower()
    return next((topic for topic, stems in TOPIC_WORDS if any(stem in words for stem in stems)), "general")


@dataclass(frozen=True)
class Plan:
    """One action's update in one quarter, before it is written."""

    status: str
    rag: str = ""
    progress: str = ""
    next_steps: str = ""
    evidence: str = ""
    help_needed: str = ""
    reason: str = ""
    completed_on: date | None = None


@dataclass
class StrategyResult:
    strategy: Strategy
    periods: list[ReportingPeriod]
    authors: set[str] = field(default_factory=set)
    updates_written: int = 0
    quarters_kept: int = 0
    figures_written: int = 0


def periods_prepare(*, strategy: Strategy, quarters: list[Quarter], today: date | None = None) -> list[ReportingPeriod]:
    """The strategy's quarters: the last open, its deadline `open_deadline` (ten days from
    today for a quarter of years ago), the rest closed, each with the deadline it had (ten
    days after it ended). Other strategies' are untouched.

    A quarter already closed is left exactly as it is: closed quarters never change.
    """
    periods = []
    # Close any other open quarter first: a strategy has at most one open.
    last_quarter = quarters[-1]
    ReportingPeriod.objects.filter(strategy=strategy, state=ReportingPeriod.State.OPEN).exclude(
        year=last_quarter.year, number=last_quarter.number
    ).update(state=ReportingPeriod.State.CLOSED)
    for i, quarter in enumerate(quarters):
        last = i == len(quarters) - 1
        deadline = open_deadline(quarter, today) if last else quarter.end + timedelta(days=DEADLINE_DAYS)
        state = ReportingPeriod.State.OPEN if last else ReportingPeriod.State.CLOSED
        period, created = ReportingPeriod.objects.get_or_create(
            strategy=strategy,
            year=quarter.year,
            number=quarter.number,
            defaults={"start": quarter.start, "end": quarter.end, "state": state, "update_deadline": deadline},
        )
        if not created and period.is_open and (period.state != state or period.update_deadline != deadline):
            period.state = state
            period.update_deadline = deadline if last else period.update_deadline or deadline
            period.save()
        periods.append(period)
    return periods


def _rag_after(rng: random.Random, rag: RAG, overdue: bool) -> RAG:
    green, amber, _ = RAG_MOVES[rag]
    if overdue:  # an action past its due date is rarely still on track
        green /= 3
    draw = rng.random() * (green + amber + RAG_MOVES[rag][2])
    return RAG.GREEN if draw < green else RAG.AMBER if draw < green + amber else RAG.RED


def _rag_first(rng: random.Random, overdue: bool) -> RAG:
    """The RAG of an action's first quarter in progress, in the proportions the moves settle at."""
    return rng.choices((RAG.GREEN, RAG.AMBER, RAG.RED), weights=(0.73 / 3 if overdue else 0.73, 0.2, 0.07))[0]


def _date_between(rng: random.Random, first: date, last: date) -> date:
    if last < first:
        first, last = last, first
    return first + timedelta(days=rng.randint(0, (last - first).days))


def action_story(
    *, action: Action, strategy: Strategy, quarters: list[Quarter], rng: random.Random
) -> list[Plan | None]:
    """The action's update in each quarter, or None once it is complete or cancelled.

    It is not started until the quarter it starts in (a few start a quarter late), then in
    progress with a RAG that moves from quarter to quarter, and complete around its due
    date (a few early, some late); ongoing actions stay in progress. A few go on hold for
    a quarter or two, and a very few are cancelled.
    """

    def index(d: date) -> int:
        q = quarter_of(d)
        return (q.year - quarters[0].year) * 4 + q.number - quarters[0].number

    start = action.start_date or strategy.period_start
    ongoing = action.is_ongoing
    due = None if ongoing else max(action.due_date or quarters[rng.randrange(len(quarters))].end, start)
    start_index = max(index(start), 0)
    if rng.random() < 0.12:
        start_index += 1  # slipped: still not started in the quarter it should have begun
    complete_index = math.inf
    slip = 0
    if not ongoing:
        slip = rng.choices((-1, 0, 1, 2, 99), weights=(10, 52, 23, 10, 5))[0]
        assert due is not None  # only an ongoing action has no due date
        complete_index = max(index(due) + slip, start_index, 0)
    fate = rng.random()
    hold_from, hold_until, cancel_at = math.inf, math.inf, math.inf
    last_useful = int(min(complete_index, len(quarters))) - 1
    if ongoing:
        pass  # ongoing actions stay in progress
    elif fate < 0.03 and last_useful > start_index:
        cancel_at = rng.randint(start_index + 1, last_useful)
    elif fate < 0.09 and last_useful >= start_index:
        hold_from = rng.randint(start_index, last_useful)
        hold_until = hold_from + rng.choice((1, 1, 2))
        complete_index += hold_until - hold_from
    topic = topic_of(action.description)
    plans: list[Plan | None] = []
    rag: RAG | None = None
    for i, quarter in enumerate(quarters):
        if i > min(complete_index, cancel_at):
            plans.append(None)
        elif i == complete_index:
            first, last = max(quarter.start, start), quarter.end
            if slip <= 0 and due and quarter.contains(due):
                last = due
            plans.append(
                Plan(
                    status=Status.COMPLETE,
                    progress=rng.choice(COMPLETE),
                    evidence=rng.choice(EVIDENCE),
                    completed_on=_date_between(rng, min(first, quarter.end), last),
                )
            )
        elif i == cancel_at:
            plans.append(Plan(status=Status.CANCELLED, progress=CANCELLED, reason=rng.choice(CANCEL_REASONS)))
        elif hold_from <= i < hold_until:
            plans.append(Plan(status=Status.ON_HOLD, rag=RAG.AMBER, progress=ON_HOLD, reason=rng.choice(HOLD_REASONS)))
        elif i < start_index:
            late = quarter.contains(start) or quarter.start > start
            plans.append(
                Plan(
                    status=Status.NOT_STARTED,
                    rag=RAG.AMBER if late else RAG.GREEN,
                    progress=NOT_STARTED_LATE if late else NOT_STARTED,
                    next_steps=NOT_STARTED_NEXT,
                )
            )
        else:
            # Overdue as the last quarter's report read it: the product's rule, as at the day before.
            overdue = selectors.overdue_as_at(
                is_ongoing=ongoing, due_date=due, status=Status.IN_PROGRESS, day=quarter.start - timedelta(days=1)
            )
            rag = _rag_after(rng, rag, overdue) if rag else _rag_first(rng, overdue)
            plans.append(_in_progress(rng, topic, rag, plans[-1] if plans else None))
    return plans


def _in_progress(rng: random.Random, topic: str, rag: RAG, previous: Plan | None) -> Plan:
    sentences = TOPICS[topic]
    said = previous.progress if previous else ""
    # Say something other than last quarter's progress where there is a choice.
    options = [s for s in {RAG.GREEN: sentences["progress"], RAG.AMBER: AMBER, RAG.RED: RED}[rag] if s != said]
    return Plan(
        status=Status.IN_PROGRESS,
        rag=rag,
        progress=rng.choice(options),
        next_steps=rng.choice(sentences["next"]),
        evidence=rng.choice(EVIDENCE) if rng.random() < 0.3 else "",
        help_needed=rng.choice(HELP_NEEDED) if rag == RAG.RED else "",
    )


def _author_of(action: Action, fallback):
    """Who writes the action's demo updates: someone who may write them. Its linked lead
    officer, else the first (by username) active member of its lead teams, else `fallback`,
    a member of Organisational Planning (who may update any action). Reads the prefetched
    `lead_officer_user` and `lead_teams__members`."""
    officer = action.lead_officer_user if action.lead_officer_user_id else None
    if officer is not None and officer.is_active:
        return officer
    members = [m for team in action.lead_teams.all() for m in team.members.all() if m.is_active]
    return min(members, key=lambda m: m.username) if members else fallback


def _left_to_update(actions: list[Action], due: set[int]) -> set[int]:
    """The open quarter's actions the demo users are left to update, whatever the seed: the
    first few (in document order) of those the demo manager's teams lead, and the demo
    officer's, so that signing in as either shows actions needing an update."""
    users = {
        user.username: user
        for user in get_user_model()
        .objects.filter(username__in=[DEMO_MANAGER, DEMO_OFFICER], is_active=True)
        .prefetch_related("team_memberships")
    }
    left: set[int] = set()
    if manager := users.get(DEMO_MANAGER):
        team_ids = {membership.team_id for membership in manager.team_memberships.all()}
        led = [a.pk for a in actions if a.pk in due and team_ids & {team.pk for team in a.lead_teams.all()}]
        left |= set(led[:MANAGER_LEFT_TO_UPDATE])
    if officer := users.get(DEMO_OFFICER):
        left |= {a.pk for a in actions if a.pk in due and a.lead_officer_user_id == officer.pk}
    return left


def progress_updates_write(*, strategy: Strategy, periods: list[ReportingPeriod], seed: int) -> StrategyResult:
    """Write every action's updates: open quarters are rewritten, closed ones only filled.

    A closed quarter that already holds updates for the strategy is left alone; in the
    open quarter about 30% of the actions have no update yet, among them at least two the
    demo manager's teams lead and the demo officer's (see `_left_to_update`).
    """
    result = StrategyResult(strategy=strategy, periods=periods)
    quarters = [period.quarter for period in periods]
    actions = list(
        strategy.actions.select_related("lead_officer_user")
        .prefetch_related("lead_teams__members")
        .order_by("order", "reference", "pk")
    )
    fallback = (
        get_user_model()
        .objects.filter(groups__name=ORGANISATIONAL_PLANNING, is_active=True)
        .order_by("username")
        .first()
    )
    authors = {action.pk: _author_of(action, fallback) for action in actions}
    filled = set(
        ProgressUpdate.objects.filter(action__strategy=strategy, period__in=periods)
        .values_list("period_id", flat=True)
        .distinct()
    )
    writable = [p.is_open or p.pk not in filled for p in periods]
    result.quarters_kept = writable.count(False)
    stories = {
        action.pk: action_story(
            action=action,
            strategy=strategy,
            quarters=quarters,
            rng=random.Random(f"{seed}:{strategy.slug}:{action.reference}"),
        )
        for action in actions
    }
    rng = random.Random(f"{seed}:{strategy.slug}:missing")
    missing = set()
    for i, period in enumerate(periods):
        if period.is_open:
            due = [action.pk for action in actions if stories[action.pk][i] is not None]
            left = _left_to_update(actions, set(due))
            count = round(len(due) * MISSING_SHARE) or (1 if len(due) > 1 else 0)
            others = [pk for pk in due if pk not in left]
            chosen = left | set(rng.sample(others, max(min(count - len(left), len(others)), 0)))
            missing |= {(pk, i) for pk in chosen}
    updates = [
        ProgressUpdate(action=action, period=period, author=authors[action.pk], **vars(plan))
        for i, period in enumerate(periods)
        if writable[i]
        for action in actions
        if (plan := stories[action.pk][i]) is not None and (action.pk, i) not in missing
    ]
    with transaction.atomic():
        open_ids = [p.pk for p in periods if p.is_open]
        ProgressUpdate.objects.filter(action__strategy=strategy, period_id__in=open_ids).delete()
        ProgressUpdate.objects.bulk_create(updates, batch_size=BATCH_SIZE)
        for period, write in zip(periods, writable, strict=True):
            # Dated as if written in the week after the quarter ended, not today.
            written = timezone.make_aware(
                datetime.combine(period.end + timedelta(days=2 + period.number), time(10, 30))
            )
            if write:
                ProgressUpdate.objects.filter(action__strategy=strategy, period=period).update(
                    created=written, changed=written
                )
                if not period.is_open:  # as closing it a fortnight after the quarter would have
                    services.period_states_record(period, at=written + timedelta(days=12))
                    key_messages_write(period)
    result.updates_written = len(updates)
    result.authors = {update.author.username for update in updates if update.author is not None}
    return result


def strategy_demo_write(*, strategy: Strategy, seed: int, quarters: list[Quarter] | None = None) -> StrategyResult:
    """Quarters, progress updates and workforce figures for one strategy."""
    quarters = quarters or quarters_between(strategy.period_start, strategy.period_end)
    with transaction.atomic():
        periods = periods_prepare(strategy=strategy, quarters=quarters)
        result = progress_updates_write(strategy=strategy, periods=periods, seed=seed)
        result.figures_written = workforce_figures_write(strategy=strategy, periods=periods, seed=seed)
    return result
