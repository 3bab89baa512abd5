"""manage.py demo_data: deterministic demo progress, demo users and the benchmark strategy."""

import io

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from actions.permissions import can_edit_action
from actions.timescales import parse_timescale
from outcomes.models import Strategy, SuccessMeasure
from reporting.models import RAG, ProgressUpdate, ReportingPeriod, Status
from reporting.services import period_close, progress_update_validate
from tests import factories
from tests.counts import record_counts
from workforce.models import Team, WorkforceFigure, WorkforceIndicator
from workforce.quarters import Quarter
from workforce.roles import DMT, MANAGER, ORGANISATIONAL_PLANNING

pytestmark = pytest.mark.django_db

PASSWORD = "demo-password-2016"

# reference, action, timescale as written, lead teams
ACTIONS = [
    ("1.1.1", "Scope out and write Workforce Engagement Plan", "March-April 2016", ["Organisational Planning"]),
    (
        "1.1.2",
        "Take part in the consultation on the new LCC intranet",
        "March 2016 (and then ongoing)",
        ["Corporate Comms Team"],
    ),
    ("1.1.3", "Develop a Staff Healthcheck for education staff", "September-December 2016", ["Strategic HR"]),
    ("1.2.1", "Publish key messages from DMT each month", "Ongoing", ["Corporate Comms Team"]),
    ("1.2.2", "Review the induction programme for new starters", "2016/17", ["Strategic HR"]),
    ("1.2.3", "Agree a joint workforce plan with partners", "TBC", ["Heads of Strategy"]),
    (
        "2.1.1",
        "Influence the Corporate Recruitment and Retention Strategy",
        "December 2015 - March 2016",
        ["Strategic HR"],
    ),
    ("2.1.2", "Run a recruitment campaign for children's social workers", "July-September 2016", ["Strategic HR"]),
    ("2.1.3", "Audit supervision in each locality", "October 2016 - March 2017", ["Principal Social Worker"]),
    (
        "2.2.1",
        "Report mandatory training completion to DMT",
        "February 2016 (and then monthly reports)",
        ["Strategic HR"],
    ),
    ("2.2.2", "Refresh the Department Training Plan", "Q2 2016/17", ["Organisational Planning", "Strategic HR"]),
    ("2.2.3", "Develop a career pathway for social workers", "January-March 2017", ["Principal Social Worker"]),
    ("2.3.1", "Review supervision policy against the QAIF", "May-June 2016", ["Principal Social Worker"]),
    ("2.3.2", "Evaluate the Staff Healthcheck results", "November 2016", ["Strategic HR"]),
    ("2.3.3", "Refresh intranet pages for the department", "April 2016", ["Corporate Comms Team"]),
    ("2.3.4", "Hold engagement sessions in each locality", "June-August 2016", ["Organisational Planning"]),
]


def build_strategy(slug: str = "demo-2016-17") -> Strategy:
    """A 2016/17 strategy in document shape, the same every time it is built."""
    strategy = factories.StrategyFactory(slug=slug)
    outcomes, recommendations = {}, {}
    for order, (reference, description, timescale, team_names) in enumerate(ACTIONS, start=1):
        outcome_number, recommendation_number, _ = (int(part) for part in reference.split("."))
        if outcome_number not in outcomes:
            outcomes[outcome_number] = factories.OutcomeFactory(strategy=strategy, number=outcome_number)
        key = (outcome_number, recommendation_number)
        if key not in recommendations:
            recommendations[key] = factories.RecommendationFactory(
                outcome=outcomes[outcome_number], number=recommendation_number
            )
        parsed = parse_timescale(timescale)
        factories.ActionFactory(
            recommendation=recommendations[key],
            reference=reference,
            order=order,
            description=description,
            timescale=timescale,
            start_date=parsed.start,
            due_date=parsed.due,
            is_ongoing=parsed.ongoing,
            lead_teams=[factories.TeamFactory(name=name) for name in team_names],
        )
    return strategy


def demo_data(*args, **options) -> str:
    out = io.StringIO()
    call_command("demo_data", *args, stdout=out, **options)
    return out.getvalue()


def story(strategy: Strategy) -> list[tuple]:
    return list(
        ProgressUpdate.objects.filter(action__strategy=strategy)
        .order_by("action__reference", "period__start")
        .values_list("action__reference", "period__year", "period__number", "status", "rag", "progress")
    )


def wipe() -> None:
    """Empty every table the demo writes to, as a flushed database would be."""
    ProgressUpdate.objects.all().delete()
    WorkforceFigure.objects.all().delete()
    WorkforceIndicator.objects.all().delete()
    Strategy.objects.all().delete()
    ReportingPeriod.objects.all().delete()
    Team.objects.all().delete()
    get_user_model().objects.all().delete()


def test_the_same_seed_writes_the_same_updates_and_another_seed_does_not():
    first = story(build_strategy())
    assert first == []
    demo_data(seed=7)
    first = story(Strategy.objects.get())
    figures = list(WorkforceFigure.objects.values_list("indicator__name", "quarter", "value"))
    wipe()
    demo_data(seed=7)  # nothing loaded: nothing written
    assert ProgressUpdate.objects.count() == 0

    demo_data(seed=7, strategy=build_strategy().slug)
    assert story(Strategy.objects.get()) == first
    assert list(WorkforceFigure.objects.values_list("indicator__name", "quarter", "value")) == figures
    wipe()

    demo_data(seed=8, strategy=build_strategy().slug)
    assert story(Strategy.objects.get()) != first


def test_it_writes_a_quarter_per_financial_quarter_of_the_strategy_and_leaves_the_last_open():
    build_strategy()
    output = demo_data()

    periods = list(ReportingPeriod.objects.order_by("start"))
    assert [p.label for p in periods] == ["Q1 2016/17", "Q2 2016/17", "Q3 2016/17", "Q4 2016/17"]
    assert [p.state for p in periods] == ["closed", "closed", "closed", "open"]
    # The closed quarters' deadlines ten days after each ended; the open one's ten days from
    # today (tests/demo/test_demo_deadlines.py).
    assert [p.update_deadline.isoformat() for p in periods[:3]] == ["2016-07-10", "2016-10-10", "2017-01-10"]
    assert "demo-2016-17: 4 quarters" in output
    assert all(p.updates.exists() for p in periods)
    # Each closed quarter's states are recorded, as if closed a fortnight after it ended.
    closed_on = [p.states_recorded_at and timezone.localdate(p.states_recorded_at).isoformat() for p in periods]
    assert closed_on == ["2016-07-15", "2016-10-16", "2017-01-17", None]
    assert all(p.recorded_states.count() == Action.objects.count() for p in periods[:3])


def test_running_it_again_changes_nothing():
    strategy = build_strategy()
    demo_data(users=True)
    before, updates = record_counts(), story(strategy)

    demo_data(users=True)

    assert record_counts() == before
    assert story(strategy) == updates


def test_closed_quarters_with_updates_are_never_rewritten_and_never_reopened(planner):
    strategy = build_strategy()
    demo_data(seed=1)
    q1 = ReportingPeriod.objects.get(year=2016, number=1)
    q1_updates = ProgressUpdate.objects.filter(period=q1)
    q1_updates.filter(pk=q1_updates.first().pk).update(progress="Written by hand.")
    q1_updates.last().delete()
    q1_before = sorted(q1_updates.values_list("action__reference", "status", "rag", "progress", "changed"))
    q4 = ReportingPeriod.objects.get(year=2016, number=4)
    q4_before = story(strategy)

    demo_data(seed=2)  # another seed rewrites the open quarter only
    assert sorted(q1_updates.values_list("action__reference", "status", "rag", "progress", "changed")) == q1_before
    assert story(strategy) != q4_before

    period_close(period=q4, user=planner)  # the quarter has gone to DMT
    q4_closed = sorted(ProgressUpdate.objects.filter(period=q4).values_list("action__reference", "progress"))
    demo_data(seed=3)
    q4.refresh_from_db()
    assert q4.state == ReportingPeriod.State.CLOSED
    assert sorted(ProgressUpdate.objects.filter(period=q4).values_list("action__reference", "progress")) == q4_closed
    assert "4 closed quarters kept as they were" in demo_data(seed=3)


def test_the_open_quarter_has_missing_updates():
    strategy = build_strategy()
    demo_data()
    open_quarter = ReportingPeriod.objects.get(state=ReportingPeriod.State.OPEN)
    finished = ProgressUpdate.objects.filter(status__in=[Status.COMPLETE, Status.CANCELLED]).exclude(
        period=open_quarter
    )
    still_open = strategy.actions.exclude(pk__in=finished.values("action"))
    reported = ProgressUpdate.objects.filter(period=open_quarter).values("action")

    assert reported.exists()
    assert still_open.exclude(pk__in=reported).exists(), "every open action has an update in the open quarter"
    # Closed quarters are complete: every action not yet finished reported.
    q3 = ReportingPeriod.objects.get(year=2016, number=3)
    assert (
        ProgressUpdate.objects.filter(period=q3).count()
        == ProgressUpdate.objects.filter(period__year=2016, period__number=2)
        .exclude(status__in=[Status.COMPLETE, Status.CANCELLED])
        .count()
    )


def check_updates_are_valid() -> list[ProgressUpdate]:
    updates = list(ProgressUpdate.objects.select_related("action", "period").order_by("action_id", "period__start"))
    finished = set()
    for update in updates:
        assert update.action_id not in finished, f"{update} follows its completion or cancellation"
        progress_update_validate(update)  # the rules a manager's update must follow
        if update.status == Status.COMPLETE:
            assert update.rag == ""
            assert update.period.start <= update.completed_on <= update.period.end
        else:
            assert update.completed_on is None
        if update.rag in (RAG.RED, RAG.AMBER):
            assert update.progress
        if update.rag == RAG.RED:
            assert update.help_needed.startswith("DMT to agree")
        if update.status in (Status.ON_HOLD, Status.CANCELLED):
            assert update.reason
        if update.status in (Status.COMPLETE, Status.CANCELLED):
            finished.add(update.action_id)
        if update.action.is_ongoing:
            assert update.status != Status.COMPLETE
    return updates


def test_updates_follow_the_rules_of_a_progress_update():
    build_strategy()
    demo_data(seed=11)
    demo_data(actions=50, quarters=4, seed=11)

    updates = check_updates_are_valid()

    seen = {(u.status, u.rag) for u in updates}
    assert {(Status.IN_PROGRESS, RAG.RED), (Status.IN_PROGRESS, RAG.AMBER), (Status.COMPLETE, "")} <= seen
    assert {Status.NOT_STARTED, Status.ON_HOLD} <= {status for status, _ in seen}
    in_progress = [u.rag for u in updates if u.status == Status.IN_PROGRESS]
    assert in_progress.count(RAG.GREEN) > len(in_progress) / 2


def test_each_update_is_written_by_someone_who_may_write_it():
    build_strategy()
    demo_data()
    assert not ProgressUpdate.objects.exclude(author=None).exists()  # no users yet: nobody

    wipe()
    strategy = build_strategy()
    demo_data(users=True)

    planner = get_user_model().objects.get(username="planner")
    updates = ProgressUpdate.objects.filter(action__strategy=strategy).select_related(
        "author", "action__lead_officer_user"
    )
    authors = set()
    for update in updates.prefetch_related("action__lead_teams__members"):
        action, author = update.action, update.author
        members = {member for team in action.lead_teams.all() for member in team.members.all()}
        if action.lead_officer_user is not None:
            assert author == action.lead_officer_user, action.reference
        elif members:
            assert author in members, action.reference  # a member of the action's own lead team
        else:
            assert author == planner, action.reference  # Organisational Planning, for a team with nobody
        assert can_edit_action(author, action)
        authors.add(author.username)
    assert authors == {"planner", "manager", "manager2", "officer"}


def needing_update(client, username: str) -> list[str]:
    """The references "Your actions" lists as needing an update in the open quarter."""
    client.force_login(get_user_model().objects.get(username=username))
    actions = client.get(reverse("reporting:home")).context["actions"]
    return [action.reference for action in actions if action.status_as_at is None]


@pytest.mark.parametrize("seed", range(6))
def test_the_demo_manager_and_officer_have_actions_to_update_whatever_the_seed(client, seed):
    strategy = build_strategy()
    demo_data(users=True, seed=seed)

    open_quarter = ReportingPeriod.objects.get(strategy=strategy, state=ReportingPeriod.State.OPEN)
    finished = ProgressUpdate.objects.filter(status__in=[Status.COMPLETE, Status.CANCELLED]).values("action")
    hr_open = strategy.actions.filter(lead_teams__name="Strategic HR").exclude(pk__in=finished)
    assert len(needing_update(client, "manager")) >= min(2, hr_open.count())
    officers = strategy.actions.get(lead_officer_user__username="officer")
    assert needing_update(client, "officer") == [officers.reference]
    assert not ProgressUpdate.objects.filter(period=open_quarter, action=officers).exists()
    # About 30% missing in all: more only by the three kept for the demo users.
    due = strategy.actions.exclude(pk__in=finished.exclude(period=open_quarter)).count()
    missing = due - ProgressUpdate.objects.filter(period=open_quarter).count()
    assert round(due * 0.3) <= missing <= max(round(due * 0.3), 3)


def test_the_officer_leads_one_action_outside_the_managers_team_and_it_stays_so():
    strategy = build_strategy()
    output = demo_data(users=True)

    officer = get_user_model().objects.get(username="officer")
    [action] = Action.objects.filter(lead_officer_user=officer)
    assert action.strategy == strategy
    assert "Strategic HR" not in [team.name for team in action.lead_teams.all()]
    assert action.is_ongoing  # it needs an update every quarter
    assert action.lead_officer == "Dana Whitfield"
    assert action.lead_names[0] == "Dana Whitfield"
    assert f"User officer, lead officer of {action.reference}" in output
    history = Action.history.count()

    demo_data(users=True)
    assert list(Action.objects.filter(lead_officer_user=officer)) == [action]
    assert Action.history.count() == history  # nothing saved again


def test_no_user_is_created_without_users():
    build_strategy()
    output = demo_data()
    assert not get_user_model().objects.exists()
    assert "run with --users" in output
    assert demo_data(verbosity=0) == ""


def test_users_creates_the_five_demo_users_who_can_sign_in(client):
    strategy = build_strategy()
    factories.UserFactory(username="manager", groups=[DMT], first_name="Old")  # reset, not duplicated
    output = demo_data(users=True)

    users = {user.username: user for user in get_user_model().objects.prefetch_related("groups", "teams")}
    assert set(users) == {"planner", "manager", "manager2", "dmt", "officer"}
    groups = {name: [g.name for g in user.groups.all()] for name, user in users.items()}
    assert groups == {
        "planner": [ORGANISATIONAL_PLANNING],
        "manager": [MANAGER],
        "manager2": [MANAGER],
        "dmt": [DMT],
        "officer": [MANAGER],
    }
    teams = {name: [t.name for t in user.teams.all()] for name, user in users.items()}
    assert teams == {
        "planner": ["Organisational Planning"],
        "manager": ["Strategic HR"],
        "manager2": ["Corporate Comms Team"],
        "dmt": [],
        "officer": [],
    }
    assert users["planner"].is_staff and not users["manager"].is_staff
    assert all(user.first_name and user.last_name for user in users.values())
    assert users["manager"].first_name != "Old"
    assert "manager in Strategic HR" in output and "manager2 in Corporate Comms Team" in output
    for username in users:
        assert client.login(username=username, password=PASSWORD), username
        client.logout()

    # manager2 may not edit the actions Strategic HR alone leads.
    hr_only = strategy.actions.get(reference="2.1.2")
    assert can_edit_action(users["manager"], hr_only)
    assert not can_edit_action(users["manager2"], hr_only)


def test_without_strategic_hr_the_manager_joins_the_team_leading_most_actions():
    build_strategy()
    Team.objects.filter(name__in=["Strategic HR", "Corporate Comms Team"]).delete()

    output = demo_data(users=True)

    # Principal Social Worker leads three actions; Organisational Planning three, then by name.
    assert "manager in Organisational Planning" in output
    assert "manager2 in Principal Social Worker" in output
    manager2 = get_user_model().objects.get(username="manager2")
    assert list(manager2.teams.values_list("name", flat=True)) == ["Principal Social Worker"]


def test_standard_workforce_indicators_get_a_figure_each_quarter():
    strategy = build_strategy()
    demo_data()

    indicators = WorkforceIndicator.objects.filter(strategies=strategy)
    assert indicators.count() == 9
    absence = indicators.get(name="% absence")
    assert (absence.unit, absence.higher_is_better, absence.target) == ("%", False, 4)
    headcount = indicators.get(name="Headcount")
    assert (headcount.unit, headcount.higher_is_better, headcount.target) == ("people", True, None)
    assert WorkforceFigure.objects.filter(scope="").count() == 9 * 4
    assert all(0 < figure.value < 100 for figure in WorkforceFigure.objects.filter(indicator__unit="%"))


def test_a_strategy_with_its_own_indicators_keeps_them():
    strategy = build_strategy()
    own = factories.WorkforceIndicatorFactory(name="% absence rates", unit="%", higher_is_better=False)
    own.strategies.add(strategy)

    demo_data()

    assert list(strategy.workforce_indicators.all()) == [own]
    values = list(own.figures.values_list("value", flat=True))
    assert len(values) == 4
    assert all(2 < value < 10 for value in values)  # read as an absence rate


def test_strategy_limits_it_to_one_strategy():
    build_strategy()
    other = build_strategy("other-2016-17")
    other.period_start, other.period_end = other.period_start.replace(year=2017), other.period_end.replace(year=2018)
    other.save()

    demo_data(strategy="other-2016-17")

    assert not ProgressUpdate.objects.filter(action__strategy__slug="demo-2016-17").exists()
    assert [p.label for p in ReportingPeriod.objects.all()] == [f"Q{n} 2017/18" for n in range(1, 5)]
    with pytest.raises(CommandError, match="No strategy"):
        demo_data(strategy="missing")


def test_actions_and_quarters_build_the_synthetic_strategy():
    output = demo_data(actions=50, quarters=4)

    strategy = Strategy.objects.get(slug="synthetic-benchmark")
    assert strategy.outcomes.count() == 5
    assert strategy.actions.count() == 50
    assert Team.objects.filter(name__startswith="Benchmark team").count() == 20
    assert not strategy.actions.filter(lead_teams=None).exists()
    periods = list(ReportingPeriod.objects.order_by("start"))
    assert [p.quarter for p in periods] == [Quarter(2016, n) for n in range(1, 5)]
    assert [p.state for p in periods] == ["closed", "closed", "closed", "open"]
    assert all(ProgressUpdate.objects.filter(period=p, action__strategy=strategy).exists() for p in periods)
    assert WorkforceFigure.objects.count() == 9 * 4
    for action in strategy.actions.all():
        parsed = parse_timescale(action.timescale)
        assert (parsed.start, parsed.due, parsed.ongoing) == (action.start_date, action.due_date, action.is_ongoing)
        assert strategy.period_start <= action.start_date <= strategy.period_end
    assert "synthetic-benchmark: 4 quarters" in output
    check_updates_are_valid()

    # Rebuilt from scratch, the same.
    before = story(strategy)
    demo_data(actions=50, quarters=4)
    assert story(Strategy.objects.get(slug="synthetic-benchmark")) == before
    assert Action.objects.count() == 50


def test_actions_and_quarters_go_together():
    with pytest.raises(CommandError, match="go together"):
        demo_data(actions=10)
    with pytest.raises(CommandError, match="--strategy"):
        demo_data(actions=10, quarters=2, strategy="x")


@pytest.mark.skipif(
    not (settings.BASE_DIR / "fixtures" / "leicestershire-cfs-2016-17.json").exists(),
    reason="the Leicestershire fixture is not written yet",
)
def test_the_leicestershire_strategy_gets_valid_demo_progress():
    call_command("loaddata", "teams", "leicestershire-cfs-2016-17", verbosity=0)
    output = demo_data(users=True)

    assert "manager in Strategic HR" in output
    assert "leicestershire-cfs-2016-17: 4 quarters Q1 2016/17 to Q4 2016/17 (open: Q4 2016/17)" in output
    check_updates_are_valid()
    strategy = Strategy.objects.get(slug="leicestershire-cfs-2016-17")
    assert (
        ProgressUpdate.objects.filter(action__strategy=strategy, period__number=1).count() == strategy.actions.count()
    )


def test_the_demo_links_the_mandatory_training_measure_to_its_figure():
    call_command("loaddata", "teams", "leicestershire-cfs-2016-17", verbosity=0)
    demo_data(users=False)
    linked = SuccessMeasure.objects.filter(workforce_indicator__isnull=False)
    assert [(m.workforce_indicator.name, m.target_value) for m in linked] == [("% completed mandatory training", 100)]
