"""The returns page: each lead's actions updated and missing in a strategy's quarter, who can
update them, the deadline, the reminders sent and the quarter's events; planners only.

People: `manager` is in `team`, which leads most actions; `officer` is a lead officer linked
to their account; `planner` runs the cycle; `dmt` reads only.
"""

import datetime

import pytest
from django.urls import reverse

from reporting.models import PeriodEvent, Reminder, ReportingPeriod, Status
from reporting.returns import Returns, returns_for, strategy_periods
from tests import factories
from workforce.roles import MANAGER

pytestmark = pytest.mark.django_db


def returns_url(period) -> str:
    return reverse("reporting:returns", args=[period.strategy.slug, period.slug])


def page_urls(period) -> dict[str, str]:
    args = [period.strategy.slug, period.slug]
    return {
        "index": reverse("reporting:returns_index"),
        "strategy": reverse("reporting:returns_strategy", args=[period.strategy.slug]),
        "returns": returns_url(period),
        "close": reverse("reporting:returns_close", args=args),
        "reopen": reverse("reporting:returns_reopen", args=args),
        "reminders": reverse("reporting:returns_reminders", args=args),
    }


def detail_url(action) -> str:
    return reverse("reporting:detail", args=[action.pk])


@pytest.fixture
def officer(db):
    return factories.UserFactory(username="officer", first_name="Olu", last_name="Adeyemi", groups=[MANAGER])


@pytest.fixture
def cycle(period, team, manager, officer):
    """Strategy A in Q3 2016/17 (open, deadline 14 January 2017): one action updated, one
    missing, one led by a linked officer and missing, one completed in Q2, one led by an
    officer with no account. Strategy B (2009/10) is open in Q2 2009/10 with one action."""
    manager.first_name, manager.last_name = "Gareth", "Hughes"
    manager.save()
    period.update_deadline = datetime.date(2017, 1, 14)
    period.save()
    q2 = factories.ReportingPeriodFactory(strategy=period.strategy, year=2016, number=2, state="closed")
    updated = factories.ActionFactory(reference="1.1.1", lead_teams=[team], outcome__strategy=period.strategy)
    recommendation = updated.recommendation
    missing = factories.ActionFactory(reference="1.1.2", recommendation=recommendation, lead_teams=[team])
    officers = factories.ActionFactory(reference="1.1.3", recommendation=recommendation, lead_officer_user=officer)
    completed = factories.ActionFactory(reference="1.1.4", recommendation=recommendation, lead_teams=[team])
    unlinked = factories.ActionFactory(
        reference="1.1.5", recommendation=recommendation, lead_officer="Head of Strategy"
    )
    factories.ProgressUpdateFactory(action=updated, period=period)
    factories.ProgressUpdateFactory(
        action=completed, period=q2, status=Status.COMPLETE, rag="", completed_on=datetime.date(2016, 9, 1)
    )
    other = factories.StrategyFactory(
        slug="workforce-2009-10",
        period_label="2009/10",
        period_start=datetime.date(2009, 4, 1),
        period_end=datetime.date(2010, 3, 31),
    )
    other_period = factories.ReportingPeriodFactory(strategy=other, year=2009, number=2)
    others = factories.ActionFactory(
        reference="B.1", recommendation__outcome__strategy=other, lead_teams=[team], description="Older strategy"
    )
    return {
        "period": period,
        "updated": updated,
        "missing": missing,
        "officers": officers,
        "completed": completed,
        "unlinked": unlinked,
        "other_period": other_period,
        "others": others,
    }


def leads_by_key(response) -> dict:
    return {lead.key: lead for lead in response.context["leads"]}


# What the page says -------------------------------------------------------------------------


def test_each_lead_with_its_actions_updated_and_missing_and_who_can_update(client, planner, cycle, team, manager):
    client.force_login(planner)
    response = client.get(returns_url(cycle["period"]))
    assert response.status_code == 200
    leads = leads_by_key(response)
    assert set(leads) == {
        f"team-{team.pk}",
        f"officer-{cycle['officers'].lead_officer_user_id}",
        "named-Head of Strategy",
    }

    by_team = leads[f"team-{team.pk}"]
    assert by_team.updated == [cycle["updated"]]
    assert by_team.missing == [cycle["missing"]]
    assert by_team.closed_earlier == [cycle["completed"]]
    assert by_team.people == [manager]

    by_officer = leads[f"officer-{cycle['officers'].lead_officer_user_id}"]
    assert (by_officer.name, by_officer.kind) == ("Olu Adeyemi", "officer")
    assert (by_officer.updated, by_officer.missing) == ([], [cycle["officers"]])
    assert by_officer.people == [cycle["officers"].lead_officer_user]

    unlinked = leads["named-Head of Strategy"]
    assert (unlinked.missing, unlinked.people) == ([cycle["unlinked"]], [])

    data = response.context["returns"]
    assert (data.total, data.updated, data.missing, data.closed_earlier) == (5, 1, 3, 1)

    html = response.content.decode()
    assert "Returns for Q3 2016/17" in html
    assert "Gareth Hughes" in html and "Olu Adeyemi" in html
    assert "link the lead officer to their account" in html
    assert "14 January 2017" in html
    for name in ("updated", "missing", "officers", "completed", "unlinked"):
        assert f'href="{detail_url(cycle[name])}"' in html, name


def test_two_strategies_open_in_different_quarters_keep_their_own_returns(client, planner, cycle, team):
    client.force_login(planner)
    response = client.get(returns_url(cycle["period"]))
    assert detail_url(cycle["others"]) not in response.content.decode()

    response = client.get(returns_url(cycle["other_period"]))
    assert "Returns for Q2 2009/10" in response.content.decode()
    leads = leads_by_key(response)
    assert list(leads) == [f"team-{team.pk}"]
    assert leads[f"team-{team.pk}"].missing == [cycle["others"]]
    assert leads[f"team-{team.pk}"].updated == []
    assert detail_url(cycle["missing"]) not in response.content.decode()


def test_partial_returns_move_as_updates_arrive(client, planner, cycle, manager):
    client.force_login(planner)
    factories.ProgressUpdateFactory(action=cycle["missing"], period=cycle["period"], author=manager)
    response = client.get(returns_url(cycle["period"]))
    data = response.context["returns"]
    assert (data.updated, data.missing) == (2, 2)
    team_lead = next(lead for lead in data.leads if lead.kind == "team")
    assert team_lead.updated == [cycle["updated"], cycle["missing"]]
    assert team_lead.missing == []


def test_leads_with_missing_updates_are_shown_by_default_and_every_lead_on_asking(client, planner, cycle, team):
    """The planner chases the leads with missing updates: the page opens on them, and shows
    every lead when asked. The team has updated all its actions, so it is left out."""
    client.force_login(planner)
    factories.ProgressUpdateFactory(action=cycle["missing"], period=cycle["period"])
    url = returns_url(cycle["period"])
    chasing = {f"officer-{cycle['officers'].lead_officer_user_id}", "named-Head of Strategy"}

    response = client.get(url)
    assert set(leads_by_key(response)) == chasing
    html = response.content.decode()
    assert "Leads with actions missing an update" in html
    assert f'href="{url}?show=all#by-lead"' in html  # the way to every lead
    assert detail_url(cycle["updated"]) not in html

    response = client.get(url, {"show": "all"})
    assert set(leads_by_key(response)) == {*chasing, f"team-{team.pk}"}
    assert detail_url(cycle["updated"]) in response.content.decode()

    response = client.get(url, {"show": "all", "lead": f"team-{team.pk}"})
    assert list(leads_by_key(response)) == [f"team-{team.pk}"]
    assert detail_url(cycle["officers"]) not in response.content.decode()

    response = client.get(url, {"show": "missing", "lead": f"team-{team.pk}"})
    assert leads_by_key(response) == {}
    assert "No lead matches the filters." in response.content.decode()

    response = client.get(url, {"show": "all", "lead": "team-99999"})  # a stale link: every lead
    assert len(leads_by_key(response)) == 3
    response = client.get(url, {"show": "nonsense"})  # an unknown view: the default
    assert set(leads_by_key(response)) == chasing


def test_the_count_of_missing_updates_links_to_the_actions_it_counts(client, planner, cycle):
    client.force_login(planner)
    response = client.get(returns_url(cycle["period"]) + "?show=all")
    data = response.context["returns"]
    assert data.missing == 3
    assert data.missing_url == returns_url(cycle["period"]) + "?show=missing#by-lead"
    assert f'<a class="govuk-link" href="{data.missing_url}">3<' in response.content.decode()


def test_when_every_action_has_its_update_the_page_says_so(client, planner, cycle):
    for name in ("missing", "officers", "unlinked"):
        factories.ProgressUpdateFactory(action=cycle[name], period=cycle["period"])
    client.force_login(planner)
    response = client.get(returns_url(cycle["period"]))
    assert leads_by_key(response) == {}
    assert "No lead has an action missing an update for Q3 2016/17." in response.content.decode()


def test_the_reminders_sent_and_the_quarters_events_are_shown(client, planner, cycle, manager):
    period = cycle["period"]
    PeriodEvent.objects.create(period=period, kind=PeriodEvent.Kind.OPENED, by=planner)
    PeriodEvent.objects.create(period=period, kind=PeriodEvent.Kind.REOPENED, by=planner, reason="A late return")
    reminder = Reminder.objects.create(period=period, recipient=manager, sent_by=planner)
    reminder.actions.set([cycle["missing"]])
    Reminder.objects.create(period=cycle["other_period"], recipient=manager)  # another strategy's

    client.force_login(planner)
    response = client.get(returns_url(period))
    data = response.context["returns"]
    assert data.reminders == [reminder]
    assert [event.kind for event in data.events] == ["opened", "reopened"]
    team_lead = next(lead for lead in data.leads if lead.kind == "team")
    assert team_lead.reminders == [reminder]
    html = response.content.decode()
    assert "A late return" in html
    assert "Reopened" in html


@pytest.mark.parametrize(
    ("today", "words"),
    [
        (datetime.date(2017, 1, 9), "due in 5 days"),
        (datetime.date(2017, 1, 13), "due tomorrow"),
        (datetime.date(2017, 1, 14), "due today"),
        (datetime.date(2017, 1, 15), "overdue by 1 day"),
        (datetime.date(2017, 2, 1), "overdue by 18 days"),
        (datetime.date(2017, 3, 15), "overdue by 60 days"),
        # Long past, as a planner says it, not "overdue by 3,521 days".
        (datetime.date(2017, 5, 15), "overdue by about 4 months"),
        (datetime.date(2026, 11, 25), "overdue by over 9 years"),
    ],
)
def test_days_to_the_deadline(cycle, today, words):
    period = cycle["period"]
    data = returns_for(period, periods=strategy_periods(period.strategy.slug), today=today)
    assert data.deadline_words == words


def test_a_closed_quarter_is_not_said_to_be_overdue(client, planner, cycle):
    cycle["period"].state = "closed"
    cycle["period"].save()
    client.force_login(planner)
    html = client.get(returns_url(cycle["period"])).content.decode()
    assert "14 January 2017" in html
    assert "overdue" not in html.lower()


def test_no_deadline_is_said(period):
    assert Returns.deadline_words.fget(returns_for(period, periods=[period])) == "no deadline set"


def test_a_closed_quarter_offers_reopening_not_closing(client, planner, cycle):
    period = cycle["period"]
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.CLOSED)
    client.force_login(planner)
    html = client.get(returns_url(period)).content.decode()
    urls = page_urls(period)
    assert urls["reopen"] in html
    assert urls["close"] not in html and urls["reminders"] not in html
    assert "is closed" in html


def test_an_open_quarter_offers_reminders_and_closing(client, planner, cycle):
    client.force_login(planner)
    html = client.get(returns_url(cycle["period"])).content.decode()
    urls = page_urls(cycle["period"])
    assert urls["close"] in html and urls["reminders"] in html
    assert urls["reopen"] not in html
    assert "Close Q3 2016/17" in html


def test_the_index_lists_each_strategy_with_its_open_quarter(client, planner, cycle):
    factories.StrategyFactory(slug="no-quarters", title="A strategy with no quarter")
    client.force_login(planner)
    response = client.get(reverse("reporting:returns_index"))
    html = response.content.decode()
    assert returns_url(cycle["period"]) in html
    assert returns_url(cycle["other_period"]) in html
    assert "A strategy with no quarter" in html and "No quarter yet" in html


def test_a_strategys_address_opens_its_open_quarter(client, planner, cycle):
    client.force_login(planner)
    response = client.get(reverse("reporting:returns_strategy", args=[cycle["period"].strategy.slug]))
    assert response.status_code == 302
    assert response["Location"] == returns_url(cycle["period"])


@pytest.mark.parametrize(
    "args", [("workforce-2016-17", "q1-2016-17"), ("workforce-2016-17", "nonsense"), ("nobody", "q3-2016-17")]
)
def test_a_quarter_the_strategy_does_not_have_is_404(client, planner, cycle, args):
    client.force_login(planner)
    assert client.get(reverse("reporting:returns", args=args)).status_code == 404


def test_the_header_links_to_returns_for_planners_only(client, planner, manager, dmt, cycle):
    link = f'href="{reverse("reporting:returns_index")}"'
    client.force_login(planner)
    assert link in client.get(reverse("reporting:list")).content.decode()
    for user in (manager, dmt):
        client.force_login(user)
        assert link not in client.get(reverse("reporting:list")).content.decode()


# Who may use the cycle pages ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["index", "strategy", "returns", "close", "reopen", "reminders"])
def test_anonymous_is_sent_to_sign_in(client, cycle, name):
    response = client.get(page_urls(cycle["period"])[name])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["manager", "dmt"])
@pytest.mark.parametrize("name", ["index", "strategy", "returns", "close", "reopen", "reminders"])
def test_managers_and_dmt_are_refused(request, client, cycle, who, name):
    client.force_login(request.getfixturevalue(who))
    url = page_urls(cycle["period"])[name]
    assert client.get(url).status_code == 403
    if name in ("close", "reopen", "reminders"):
        assert client.post(url, {"reason": "Because"}).status_code == 403
    cycle["period"].refresh_from_db()
    assert cycle["period"].is_open
    assert not Reminder.objects.exists()


@pytest.mark.parametrize("name", ["index", "strategy", "returns"])
def test_the_returns_pages_take_no_post(client, planner, cycle, name):
    client.force_login(planner)
    assert client.post(page_urls(cycle["period"])[name]).status_code == 405


# What it costs --------------------------------------------------------------------------------


def test_query_count_is_the_same_at_10_and_1000_actions(client, planner, django_assert_num_queries):
    team = factories.TeamFactory(name="Strategic HR")
    people = [factories.UserFactory(username=f"member{n}", teams=[team]) for n in range(3)]
    client.force_login(planner)

    def build(size: int, slug: str) -> ReportingPeriod:
        strategy = factories.StrategyFactory(slug=slug)
        q2 = factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=2, state="closed")
        q3 = factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=3)
        factories.bulk_actions(size, teams=[team], periods=[q3], strategy=strategy)
        reminder = Reminder.objects.create(period=q3, recipient=people[0], sent_by=planner)
        reminder.actions.set(strategy.actions.all()[: size // 2])
        PeriodEvent.objects.create(period=q2, kind=PeriodEvent.Kind.CLOSED, by=planner)
        PeriodEvent.objects.create(period=q3, kind=PeriodEvent.Kind.OPENED, by=planner)
        return q3

    # session, user, the user's groups, the strategy's quarters (with the strategy), its
    # actions as at the quarter (one LEFT JOIN and one subquery), their lead teams, the
    # teams' active members, the quarter's reminders (with recipient and sender), the
    # actions each reminder listed, the quarter's events (with who)
    expected = 10
    for size, slug in ((10, "small"), (1000, "large")):
        period = build(size, slug)
        with django_assert_num_queries(expected):
            response = client.get(returns_url(period))
        data = response.context["returns"]
        assert (data.total, data.missing, len(data.reminders)) == (size, size // 5, 1)
        assert len(data.leads) == 1 and data.leads[0].people == people
