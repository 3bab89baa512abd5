"""`manage.py demo_data`: demo users, quarters, progress updates and workforce figures.

    manage.py demo_data --users --seed 2016          # every loaded strategy, and the demo users
    manage.py demo_data --strategy leicestershire-cfs-2016-17
    manage.py demo_data --actions 1000 --quarters 12 # a synthetic strategy, for benchmarks

The same seed always writes the same data, and running it again changes nothing: closed
quarters that already have updates are left alone and the open quarter is rewritten.
Progress is written by `demo.progress`; this module makes the users (and links the demo
officer to the action they lead) and the synthetic strategy.
"""

import calendar
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.test.utils import override_settings

from actions.models import Action
from demo.progress import BATCH_SIZE, DEMO_MANAGER, DEMO_OFFICER, StrategyResult, strategy_demo_write
from demo.publishing import demo_publish
from outcomes.models import Outcome, Recommendation, Strategy
from strategy_tracker import data_version
from workforce.models import Team, TeamMembership
from workforce.quarters import Quarter
from workforce.roles import DMT, MANAGER, ORGANISATIONAL_PLANNING

DEMO_PASSWORD = "demo-password-2016"
SYNTHETIC_SLUG = "synthetic-benchmark"
SYNTHETIC_FIRST_QUARTER = Quarter(2016, 1)  # starting 1 April 2016
SYNTHETIC_TEAMS = 20

# username, first name, last name, group, staff, the team to join if it exists
DEMO_USERS = (
    ("planner", "Priya", "Shah", ORGANISATIONAL_PLANNING, True, "Organisational Planning"),
    ("manager", "Gareth", "Hughes", MANAGER, False, "Strategic HR"),
    ("manager2", "Helen", "Okafor", MANAGER, False, "Corporate Comms Team"),
    ("dmt", "Margaret", "Ellis", DMT, False, None),
    ("officer", "Dana", "Whitfield", MANAGER, False, None),
)

OUTCOME_TITLES = (
    "a workforce with a shared vision and purpose",
    "a workforce that is recruited, retained and developed",
    "a workforce that is well supervised and supported",
    "a workforce that works well with partners",
    "a workforce that is ready for new ways of working",
)
RECOMMENDATION_TITLES = (
    "develop and implement a Workforce Engagement Plan",
    "influence the Corporate Recruitment and Retention Strategy",
    "improve the quality and consistency of supervision",
    "refresh the Department Training Plan",
)
ACTION_DESCRIPTIONS = (
    "Scope out and write the Workforce Engagement Plan",
    "Take part in the consultation on the redesign of the LCC intranet",
    "Run the Staff Healthcheck survey and report the findings to DMT",
    "Audit supervision in each locality",
    "Refresh the Department Training Plan from the training needs analysis",
    "Feed department needs into the Corporate Recruitment and Retention Strategy",
    "Develop a career pathway for children's social workers",
    "Agree a joint workforce development offer with partners",
)


@transaction.atomic
def demo_users_create(*, strategy: Strategy | None) -> list[tuple[str, str]]:
    """Create or reset the demo users; returns each username with where they work.

    `manager` leads actions (Strategic HR, or else the team leading most of the strategy's
    actions); `manager2` is in another lead team, to show that it cannot edit them;
    `officer` is in no team but is the linked lead officer of one action (`officer_link`).
    """
    ranked = []
    if strategy is not None:
        ranked = list(
            Team.objects.filter(led_actions__strategy=strategy)
            .annotate(led=Count("led_actions"))
            .order_by("-led", "name")
        )
    named = {team.name: team for team in Team.objects.filter(name__in=[row[-1] for row in DEMO_USERS if row[-1]])}
    manager = named.get("Strategic HR") or next(iter(ranked), None)
    manager2 = named.get("Corporate Comms Team")
    if manager2 is None or manager2 == manager:
        manager2 = next((team for team in ranked if team != manager), None)
    teams = {"planner": named.get("Organisational Planning"), DEMO_MANAGER: manager, "manager2": manager2}
    User = get_user_model()
    users = {}
    for username, first_name, last_name, group_name, staff, _ in DEMO_USERS:
        try:
            group = Group.objects.get(name=group_name)
        except Group.DoesNotExist:
            raise CommandError(f'The group "{group_name}" is missing: run migrate first.') from None
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name, user.email = first_name, last_name, f"{username}@example.gov.uk"
        user.is_staff, user.is_superuser, user.is_active = staff, False, True
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([group])
        team = teams.get(username)
        TeamMembership.objects.filter(user=user).exclude(team=team).delete()
        if team is not None:
            TeamMembership.objects.get_or_create(user=user, team=team)
        users[username] = user
    led = officer_link(strategy=strategy, officer=users[DEMO_OFFICER], manager_team=manager)
    where = {username: f" in {team}" if team else "" for username, team in teams.items()}
    for username in (DEMO_MANAGER, "manager2"):
        where[username] = where[username] or " in no team (no lead team found)"
    where[DEMO_OFFICER] = f", lead officer of {led.reference}" if led else ", lead officer of nothing (no action found)"
    return [(username, where.get(username, "")) for username, *_ in DEMO_USERS]


def officer_link(*, strategy: Strategy | None, officer, manager_team: Team | None) -> Action | None:
    """Make `officer` the linked lead officer of one action of the strategy; returns it.

    The action is the first in document order that names a lead officer, else one led by a
    single post (a team that is a role, such as Principal Social Worker), preferring an
    ongoing action, and not one the demo manager's team leads. The officer's name is
    written as the lead officer. Any other action linked to the officer is unlinked, and
    nothing is saved that is already so: running again changes nothing.
    """
    chosen = None
    if strategy is not None:
        actions = list(strategy.actions.prefetch_related("lead_teams").order_by("order", "reference", "pk"))
        others = [a for a in actions if manager_team is None or manager_team not in a.lead_teams.all()] or actions

        def preference(action: Action) -> tuple:
            teams = action.lead_teams.all()
            by_post = len(teams) == 1 and teams[0].kind == Team.Kind.ROLE
            return (not action.lead_officer, not by_post, not action.is_ongoing)

        chosen = min(others, key=preference, default=None)  # min keeps document order among equals
    name = officer.get_full_name()
    others_led = Action.objects.filter(lead_officer_user=officer)
    if chosen is not None:
        others_led = others_led.exclude(pk=chosen.pk)
    for action in others_led:
        action.lead_officer_user = None
        action.lead_officer = "" if action.lead_officer == name else action.lead_officer
        action.save(update_fields=["lead_officer_user", "lead_officer"])
    if chosen is not None and (chosen.lead_officer_user_id != officer.pk or not chosen.lead_officer):
        chosen.lead_officer_user, chosen.lead_officer = officer, chosen.lead_officer or name
        chosen.save(update_fields=["lead_officer_user", "lead_officer"])
    return chosen


def _timescale(start: Quarter, due: Quarter, ongoing: bool) -> str:
    """The timescale as a strategy would write it, e.g. "July-December 2016"."""
    first, last = start.start, due.end
    if ongoing:
        return f"{calendar.month_name[first.month]} {first.year} (and then ongoing)"
    if first.year == last.year:
        return f"{calendar.month_name[first.month]}-{calendar.month_name[last.month]} {first.year}"
    return f"{calendar.month_name[first.month]} {first.year} - {calendar.month_name[last.month]} {last.year}"


def synthetic_strategy_build(*, actions: int, quarters: int, seed: int) -> Strategy:
    """Build (or rebuild from scratch) the synthetic benchmark strategy.

    Five outcomes of four recommendations each, `actions` actions spread over them and led
    by one or two of twenty benchmark teams, with timescales over `quarters` quarters.
    """
    rng = random.Random(f"{seed}:{SYNTHETIC_SLUG}")
    span = [SYNTHETIC_FIRST_QUARTER]
    while len(span) < quarters:
        span.append(span[-1].next())
    with transaction.atomic():
        # Benchmark data: its deletion is not worth a history record per row (which would
        # take most of the time of a rebuild).
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            Strategy.objects.filter(slug=SYNTHETIC_SLUG).delete()
        strategy = Strategy.objects.create(
            slug=SYNTHETIC_SLUG,
            title="Synthetic benchmark workforce strategy",
            organisation="Benchmark County Council",
            department="Children and Family Services",
            period_label=f"{span[0].financial_year_label}-{span[-1].financial_year_label}",
            period_start=span[0].start,
            period_end=span[-1].end,
            source_notes=f"Built by manage.py demo_data --actions {actions} --quarters {quarters} --seed {seed}.",
        )
        outcomes = Outcome.objects.bulk_create(
            Outcome(strategy=strategy, number=n, title=title) for n, title in enumerate(OUTCOME_TITLES, start=1)
        )
        recommendations = Recommendation.objects.bulk_create(
            Recommendation(outcome=outcome, number=n, title=title)
            for outcome in outcomes
            for n, title in enumerate(RECOMMENDATION_TITLES, start=1)
        )
        names = [f"Benchmark team {n}" for n in range(1, SYNTHETIC_TEAMS + 1)]
        known = set(Team.objects.filter(name__in=names).values_list("name", flat=True))
        Team.objects.bulk_create(Team(name=name) for name in names if name not in known)
        teams = sorted(Team.objects.filter(name__in=names), key=lambda team: names.index(team.name))
        built, leads, counts = [], [], [0] * len(recommendations)
        for i in range(actions):
            r = i % len(recommendations)
            recommendation, counts[r] = recommendations[r], counts[r] + 1
            first = rng.randrange(quarters)
            last = min(first + rng.choices((0, 1, 2, 3), weights=(4, 3, 2, 1))[0], quarters - 1)
            action = Action(
                strategy=strategy,
                outcome=recommendation.outcome,
                recommendation=recommendation,
                reference=f"{recommendation.outcome.number}.{recommendation.number}.{counts[r]}",
                order=i + 1,
                description=rng.choice(ACTION_DESCRIPTIONS),
                timescale=_timescale(span[first], span[last], ongoing=rng.random() < 0.1),
            )
            action.apply_timescale()
            built.append(action)
            leads.append(rng.sample(teams, rng.choice((1, 1, 1, 2))))
        Action.objects.bulk_create(built, batch_size=BATCH_SIZE)
        Through = Action.lead_teams.through
        Through.objects.bulk_create(
            (
                Through(action_id=action.pk, team_id=team.pk)
                for action, lead in zip(built, leads, strict=True)
                for team in lead
            ),
            batch_size=BATCH_SIZE,
        )
    return strategy


class Command(BaseCommand):
    help = "Write demo quarters, progress updates and workforce figures (and, with --users, the demo users)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2016, help="The same seed writes the same data (2016).")
        parser.add_argument(
            "--users", action="store_true", help=f'Create or reset the demo users, password "{DEMO_PASSWORD}".'
        )
        parser.add_argument("--strategy", metavar="SLUG", help="Only this strategy (default: every loaded one).")
        parser.add_argument(
            "--actions",
            type=int,
            metavar="N",
            help="Build the synthetic benchmark strategy with N actions instead (for benchmarks: it closes "
            "every quarter it spans but the last, so use a database of its own).",
        )
        parser.add_argument(
            "--quarters", type=int, metavar="Q", help="The synthetic strategy's quarters, from Q1 2016/17."
        )

    def handle(self, *args, seed, users, strategy, actions, quarters, verbosity, **options):
        self.verbosity = verbosity
        if (actions is None) != (quarters is None):
            raise CommandError("--actions and --quarters go together.")
        if actions is not None:
            if strategy:
                raise CommandError("--strategy cannot be used with --actions.")
            if actions < 1 or quarters < 1:
                raise CommandError("--actions and --quarters must be at least 1.")
            strategies = [synthetic_strategy_build(actions=actions, quarters=quarters, seed=seed)]
        elif strategy:
            strategies = list(Strategy.objects.filter(slug=strategy))
            if not strategies:
                raise CommandError(f'No strategy "{strategy}" is loaded.')
        else:
            strategies = list(Strategy.objects.exclude(slug=SYNTHETIC_SLUG).order_by("pk"))
            if not strategies:
                self._say("No strategies are loaded: load one with manage.py loaddata first.")
        if users:
            self._report_users(demo_users_create(strategy=strategies[0] if strategies else None))
        for each in strategies:
            self._report(strategy_demo_write(strategy=each, seed=seed))
        if actions is None and (published := demo_publish(strategies)) and published.labels:
            self._say(
                f"{published.strategy.slug}: {', '.join(published.labels)} signed off by {published.approver} "
                f"and published at /published/"
            )
        data_version.changed()  # the reports are built again from what was written

    def _say(self, message: str) -> None:
        if self.verbosity:
            self.stdout.write(message)

    def _report_users(self, users):
        for username, where in users:
            self._say(f"User {username}{where}, password {DEMO_PASSWORD}")

    def _report(self, result: StrategyResult):
        periods = result.periods
        open_labels = ", ".join(p.label for p in periods if p.is_open) or "none"
        kept = f", {result.quarters_kept} closed quarters kept as they were" if result.quarters_kept else ""
        authors = ", ".join(sorted(result.authors)) or "nobody (run with --users for the demo users)"
        self._say(
            f"{result.strategy.slug}: {len(periods)} quarters {periods[0].label} to {periods[-1].label} "
            f"(open: {open_labels}), {result.updates_written} updates written{kept}, "
            f"{result.figures_written} workforce figures; updates by {authors}"
        )
