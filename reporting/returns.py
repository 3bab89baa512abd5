"""The returns of a strategy's quarter, for Organisational Planning: each lead (a lead team,
or a lead officer as a person) with its actions updated and still missing, who can update
them, the deadline, the reminders sent and the quarter's events.

"Missing" is the one definition in `reporting.selectors`: no update as at the quarter, and
not completed or cancelled earlier. Nothing here restates it.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from outcomes.models import Strategy
from reporting import selectors
from reporting.models import PeriodEvent, Reminder, ReportingPeriod
from workforce.models import TeamMembership
from workforce.people import person_name

User = get_user_model()

NO_LEAD = "none"


def strategy_periods(strategy_slug: str) -> list[ReportingPeriod]:
    """The strategy's quarters in date order, each with its strategy and who signed it off: one query."""
    return list(
        ReportingPeriod.objects.filter(strategy__slug=strategy_slug)
        .select_related("strategy", "signed_off_by")
        .order_by("start")
    )


def team_members(team_ids: Iterable[int]) -> dict[int, list]:
    """The active members of each team, by team id, in name order: one query."""
    members: dict[int, list] = {}
    memberships = (
        TeamMembership.objects.filter(team_id__in=set(team_ids), user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )
    for membership in memberships:
        members.setdefault(membership.team_id, []).append(membership.user)
    return members


def people_who_can_update(actions: Iterable[Action], members: dict[int, list] | None = None) -> dict[int, list]:
    """For each action (by id), the people who lead it and so can update it: the active
    members of its lead teams and its linked lead officer if active. Organisational Planning
    may update anything but does not lead, so is not listed.

    Reads the actions' prefetched `lead_teams` and selected `lead_officer_user`; costs one
    query for the teams' members unless `members` (from `team_members`) is given.
    """
    actions = list(actions)
    if members is None:
        members = team_members(team.pk for action in actions for team in action.lead_teams.all())
    people: dict[int, list] = {}
    for action in actions:
        found = {}
        officer = action.lead_officer_user
        if officer is not None and officer.is_active:
            found[officer.pk] = officer
        for team in action.lead_teams.all():
            for user in members.get(team.pk, []):
                found.setdefault(user.pk, user)
        people[action.pk] = list(found.values())
    return people


# --- Missing actions with nobody to email -----------------------------------------------------


@dataclass
class NobodyToEmail:
    """A missing action no reminder can reach: no active person with an email address leads
    it. `reasons` say why, lead by lead, each as (what is wrong, the admin page that fixes it)."""

    action: Action
    reasons: list[tuple[str, str]]


def nobody_to_email(actions: Iterable[Action], members: dict[int, list]) -> list[NobodyToEmail]:
    """Of `actions`, those whose leads give nobody to email, each with why and where to fix it.

    The one rule of who a reminder reaches (an active person who leads the action and has an
    email address), shared by the reminders and the returns page. Reads the actions' leads
    and `members` (from `team_members`): no query.
    """
    people = people_who_can_update(actions, members)
    return [
        NobodyToEmail(action=action, reasons=_why_nobody(action, members))
        for action in actions
        if not any(person.email for person in people[action.pk])
    ]


def _why_nobody(action: Action, members: dict[int, list]) -> list[tuple[str, str]]:
    action_page = reverse("admin:actions_action_change", args=[action.pk])
    reasons = []
    officer = action.lead_officer_user
    if officer is not None:
        page = reverse("admin:auth_user_change", args=[officer.pk])
        if not officer.is_active:
            reasons.append((f"The lead officer, {person_name(officer)}, has a deactivated account", page))
        else:
            reasons.append((f"The lead officer, {person_name(officer)}, has no email address", page))
    elif action.lead_officer:
        reasons.append((f"The lead officer, {action.lead_officer}, is not linked to an account", action_page))
    for team in action.lead_teams.all():
        page = reverse("admin:workforce_team_change", args=[team.pk])
        if members.get(team.pk):
            reasons.append((f"No member of {team.name} has an email address", page))
        else:
            reasons.append((f"{team.name} has no active members", page))
    return reasons or [("The action names no lead team or lead officer", action_page)]


@dataclass
class FixToMake:
    """One thing to put right in the admin, and the missing actions it would let a reminder reach."""

    reason: str
    fix_url: str
    actions: list[Action]


def fixes_to_make(nobody: Iterable[NobodyToEmail]) -> list[FixToMake]:
    """`nobody`'s reasons, each once, with the actions it holds up: a team with no members that
    leads four actions is one line to fix, not four."""
    fixes: dict[tuple[str, str], FixToMake] = {}
    for item in nobody:
        for reason, fix_url in item.reasons:
            fixes.setdefault((reason, fix_url), FixToMake(reason, fix_url, [])).actions.append(item.action)
    return list(fixes.values())


# --- The returns page ----------------------------------------------------------------------


@dataclass
class Lead:
    """One lead of the quarter's actions and how its returns stand."""

    key: str  # in the page's address: "team-3", "officer-7" (a linked officer), "named-<name>", "none"
    name: str
    kind: str  # "team", "officer", "named" (an officer with no account linked) or "none"
    people: list = field(default_factory=list)
    updated: list[Action] = field(default_factory=list)
    missing: list[Action] = field(default_factory=list)
    closed_earlier: list[Action] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The lead as the filter names it."""
        suffix = {"team": " (lead team)", "officer": " (lead officer)", "named": " (lead officer, no account)"}
        return self.name + suffix.get(self.kind, "")


@dataclass
class Returns:
    period: ReportingPeriod
    periods: list[ReportingPeriod]  # the strategy's quarters, for moving between them
    leads: list[Lead]
    total: int
    updated: int
    missing: int
    closed_earlier: int
    days_to_deadline: int | None
    reminders: list[Reminder]
    events: list[PeriodEvent]
    nobody_to_email: list[NobodyToEmail] = field(default_factory=list)

    @property
    def missing_url(self) -> str:
        """Where the count of missing updates links: the page showing the leads with missing
        updates, which lists exactly the actions counted (`missing_listed`)."""
        return returns_url(self.period, show=SHOW_MISSING) + "#by-lead"

    @property
    def all_url(self) -> str:
        """The page showing every lead."""
        return returns_url(self.period, show=SHOW_ALL) + "#by-lead"

    @property
    def deadline_words(self) -> str:
        """How the deadline stands today: "due in 5 days", "due today", "overdue by 3 days";
        long past, in months or years ("overdue by about 4 months", "overdue by over 9 years"),
        as a planner would say it, not "overdue by 3,521 days". Shown only while the quarter is
        open: a closed quarter is not overdue."""
        days = self.days_to_deadline
        if days is None:
            return "no deadline set"
        if days == 0:
            return "due today"
        if days > 0:
            return "due tomorrow" if days == 1 else f"due in {days:,} days"
        past = -days
        if past <= 60:
            return f"overdue by {past} day{'s' if past != 1 else ''}"
        if past < 730:
            return f"overdue by about {past // 30} months"
        return f"overdue by over {past // 365} years"

    @property
    def failed_reminders(self) -> list[Reminder]:
        """The quarter's reminders whose email could not be sent, newest first."""
        return [reminder for reminder in self.reminders if reminder.state == Reminder.State.FAILED]

    @property
    def lead_choices(self) -> list[tuple[str, str]]:
        return [(lead.key, lead.label) for lead in self.leads]


# The returns page's views of its leads: those with missing updates (the page's default, and
# what the count of missing updates links to), or every lead.
SHOW_MISSING = "missing"
SHOW_ALL = "all"


def returns_url(period: ReportingPeriod, *, show: str | None = None) -> str:
    """The quarter's returns page: as it opens (the leads with missing updates), or showing
    those (`SHOW_MISSING`) or every lead (`SHOW_ALL`) whichever the planner chose before."""
    url = reverse("reporting:returns", args=[period.strategy.slug, period.slug])
    return url if show is None else f"{url}?show={show}"


def days_to_deadline(period: ReportingPeriod, today: date | None = None) -> int | None:
    """Days from today to the quarter's update deadline (negative once past); None without one."""
    if period.update_deadline is None:
        return None
    return (period.update_deadline - (today or timezone.localdate())).days


def _leads_of(action: Action) -> list[tuple[str, str, str, AbstractUser | None]]:
    """The action's leads as (key, name, kind, person or None): its officer, then its teams."""
    leads: list[tuple[str, str, str, AbstractUser | None]] = []
    officer = action.lead_officer_user
    if officer is not None:
        leads.append((f"officer-{officer.pk}", person_name(officer), "officer", officer))
    elif action.lead_officer:
        leads.append((f"named-{action.lead_officer}", action.lead_officer, "named", None))
    leads.extend((f"team-{team.pk}", team.name, "team", None) for team in action.lead_teams.all())
    return leads or [(NO_LEAD, "No lead named", "none", None)]


def returns_for(period: ReportingPeriod, *, periods: list[ReportingPeriod], today: date | None = None) -> Returns:
    """The quarter's returns, by lead, in lead name order.

    Costs six queries whatever the number of actions: the strategy's actions as at the
    quarter, their lead teams, the teams' members, the reminders (with recipient and sender),
    the actions each reminder listed, and the quarter's events.
    """
    queryset = Action.objects.filter(strategy_id=period.strategy_id).order_by("order", "reference")
    # A closed quarter's returns as they stood when it closed, as its report reads it.
    actions = list(selectors.action_list(periods=[period], queryset=queryset, as_reported=True))
    members = team_members(team.pk for action in actions for team in action.lead_teams.all())
    reminders = list(
        Reminder.objects.filter(period=period)
        .select_related("recipient", "sent_by")
        .prefetch_related(Prefetch("actions", queryset=Action.objects.only("id", "reference").order_by("order")))
        .order_by("-sent_at", "-pk")
    )
    events = list(PeriodEvent.objects.filter(period=period).select_related("by").order_by("at", "pk"))

    leads: dict[str, Lead] = {}
    for action in actions:
        for key, name, kind, officer in _leads_of(action):
            lead = leads.get(key)
            if lead is None:
                lead = leads[key] = Lead(key=key, name=name, kind=kind)
                if officer is not None and officer.is_active:
                    lead.people = [officer]
                elif kind == "team":
                    lead.people = members.get(int(key.removeprefix("team-")), [])
            if action.status_as_at is None:  # the selectors' "no update" as at the quarter
                lead.missing.append(action)
            elif action.period_status is not None:
                lead.updated.append(action)
            else:
                lead.closed_earlier.append(action)
    for lead in leads.values():
        people = {person.pk for person in lead.people}
        lead.reminders = [reminder for reminder in reminders if reminder.recipient_id in people]

    ordered = sorted(leads.values(), key=lambda lead: (lead.kind == "none", lead.name.lower()))
    # The count of missing updates is what its link lists: one definition, not two.
    missing = len(missing_listed(leads_filter(ordered, show=SHOW_MISSING)))
    updated = sum(1 for action in actions if action.period_status is not None)
    return Returns(
        period=period,
        periods=periods,
        leads=ordered,
        total=len(actions),
        updated=updated,
        missing=missing,
        closed_earlier=len(actions) - missing - updated,
        days_to_deadline=days_to_deadline(period, today),
        reminders=reminders,
        events=events,
        nobody_to_email=nobody_to_email(missing_listed(ordered), members) if period.is_open else [],
    )


def leads_filter(leads: list[Lead], *, lead: str = "", show: str = SHOW_MISSING) -> list[Lead]:
    """The leads the page shows: one lead (by key) or all; those with missing updates
    (`SHOW_MISSING`, the default) or every lead (`SHOW_ALL`)."""
    return [
        candidate
        for candidate in leads
        if (not lead or candidate.key == lead) and (show == SHOW_ALL or candidate.missing)
    ]


def missing_listed(leads: Iterable[Lead]) -> list[Action]:
    """The actions missing an update that these leads list, each once (an action led by two
    leads is listed under both), in the order first listed."""
    found: dict[int, Action] = {}
    for lead in leads:
        for action in lead.missing:
            found.setdefault(action.pk, action)
    return list(found.values())


def strategies_for_index() -> list[tuple[Strategy, ReportingPeriod | None]]:
    """Every strategy with the quarter its returns open at: the open one, else the latest,
    else None. Two queries."""
    periods = {period.strategy_id: period for period in selectors.periods_to_report()}
    return [(strategy, periods.get(strategy.pk)) for strategy in Strategy.objects.order_by("-period_start", "title")]
