"""The yearly refresh: a new strategy made from the old one, chosen actions carried forward."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action
from actions.services import Carried, strategy_refresh
from outcomes.models import Strategy
from reporting import action_selectors, refresh_forms
from reporting.models import ReportingPeriod, Status
from tests import factories

NEW = {
    "title": "Workforce Strategy 2017/18",
    "slug": "workforce-2017-18",
    "period_label": "2017/18",
    "period_start": datetime.date(2017, 4, 1),
    "period_end": datetime.date(2018, 3, 31),
}


@pytest.fixture
def old(db, team):
    """A 2016/17 strategy with a measure, a risk and three actions: one complete, one ongoing
    (complete in its way, but recurring) and one in progress; Q4 2016/17 closed."""
    strategy = factories.StrategyFactory()
    recommendation = factories.RecommendationFactory(outcome__strategy=strategy, outcome__number=1, number=1)
    factories.SuccessMeasureFactory(recommendation=recommendation, number=1, target_value=95, target_unit="%")
    factories.RiskFactory(strategy=strategy, number=1)
    period = factories.ReportingPeriodFactory(
        strategy=strategy, year=2016, number=4, state=ReportingPeriod.State.CLOSED
    )
    done = factories.ActionFactory(recommendation=recommendation, reference="1.1.1", lead_teams=[team])
    recurring = factories.ActionFactory(
        recommendation=recommendation, reference="1.1.2", timescale="Quarterly", is_ongoing=True, lead_teams=[team]
    )
    unfinished = factories.ActionFactory(
        recommendation=recommendation, reference="1.1.3", lead_officer="Head of Service", estimated_cost=5000
    )
    factories.ProgressUpdateFactory(
        action=done, period=period, status=Status.COMPLETE, rag="", completed_on=datetime.date(2017, 3, 1)
    )
    factories.ProgressUpdateFactory(
        action=recurring, period=period, status=Status.COMPLETE, rag="", completed_on=datetime.date(2017, 3, 1)
    )
    factories.ProgressUpdateFactory(action=unfinished, period=period, status=Status.IN_PROGRESS, rag="amber")
    return strategy


def test_ongoing_and_unfinished_actions_are_proposed(old):
    proposed = {row.action.reference: row.proposed for row in action_selectors.refresh_candidates(old)}
    assert proposed == {"1.1.1": False, "1.1.2": True, "1.1.3": True}


def test_the_service_copies_the_strategy_and_carries_the_chosen_actions(old, team, planner):
    unfinished = old.actions.get(reference="1.1.3")
    new = strategy_refresh(
        user=planner, source=old, carried=[Carried(unfinished, "2.1", "By the end of June 2017")], **NEW
    )
    assert (new.title, new.organisation, new.period_label) == (NEW["title"], old.organisation, "2017/18")
    assert new.outcomes.count() == 1
    assert new.risks.count() == 1
    measure = new.outcomes.get().recommendations.get().measures.get()
    assert (measure.measure, measure.target_value) == (
        old.outcomes.get().recommendations.get().measures.get().measure,
        95,
    )
    carried = new.actions.get()
    assert carried.reference == "2.1"
    assert carried.predecessor == unfinished
    assert carried.lead_officer == "Head of Service"
    assert carried.estimated_cost == 5000
    assert carried.outcome.strategy == new and carried.recommendation.outcome == carried.outcome
    # Dates are read from the new timescale, not copied.
    assert carried.due_date == datetime.date(2017, 6, 30)
    assert list(unfinished.successors.all()) == [carried]


def test_a_reference_given_twice_saves_nothing(old, planner):
    actions = list(old.actions.all())
    with pytest.raises(ValidationError, match="more than one"):
        strategy_refresh(
            user=planner, source=old, carried=[Carried(actions[0], "1", ""), Carried(actions[1], "1", "")], **NEW
        )
    assert not Strategy.objects.filter(slug=NEW["slug"]).exists()


def test_the_service_refuses_a_carried_timescale_that_ends_before_the_new_period(old, planner):
    action = old.actions.get(reference="1.1.3")
    with pytest.raises(ValidationError, match="The timescale for 1.1.3 ends before 1 April 2017"):
        strategy_refresh(user=planner, source=old, carried=[Carried(action, "1", "March-April 2016")], **NEW)
    assert not Strategy.objects.filter(slug=NEW["slug"]).exists()


def test_a_strategy_is_refreshed_once_into_a_period(old, planner):
    """A second refresh of the same strategy into an overlapping period is refused, naming
    the strategy the first made, whether or not it carried actions; a later period is not."""
    action = old.actions.get(reference="1.1.3")
    first = strategy_refresh(user=planner, source=old, carried=[Carried(action, "1", "Summer 2017")], **NEW)
    again = {**NEW, "slug": "workforce-2017-18-again", "period_start": datetime.date(2017, 10, 1)}
    with pytest.raises(ValidationError) as refused:
        strategy_refresh(user=planner, source=old, carried=[], **again)
    assert refused.value.messages[0].startswith(
        f"{old.title} was already refreshed into 2017/18: Workforce Strategy 2017/18."
    )
    assert Strategy.objects.count() == 2
    # A strategy carrying nothing is known by its note; a later period is a new refresh.
    first.actions.all().delete()
    with pytest.raises(ValidationError, match="already refreshed into 2017/18"):
        strategy_refresh(user=planner, source=old, carried=[], **again)
    later = {**NEW, "slug": "workforce-2018-19", "period_start": datetime.date(2018, 4, 1)}
    later["period_end"] = datetime.date(2019, 3, 31)
    assert strategy_refresh(user=planner, source=old, carried=[], **later).period_start.year == 2018


def test_an_action_of_another_strategy_cannot_be_carried(old, planner):
    other = factories.ActionFactory(recommendation__outcome__strategy__slug="other-2016-17")
    with pytest.raises(ValidationError, match="not an action of"):
        strategy_refresh(user=planner, source=old, carried=[Carried(other, "1", "")], **NEW)
    assert not Strategy.objects.filter(slug=NEW["slug"]).exists()


def test_an_action_is_carried_only_from_an_earlier_strategy(old):
    later = factories.StrategyFactory(
        slug="later", period_start=datetime.date(2018, 4, 1), period_end=datetime.date(2019, 3, 31)
    )
    action = old.actions.first()
    moved = factories.ActionFactory(recommendation__outcome__strategy=later)
    moved.predecessor = action
    moved.full_clean()  # later strategy: fine
    action.predecessor = moved
    with pytest.raises(ValidationError, match="earlier strategy"):
        action.full_clean()


@pytest.mark.parametrize(
    ("text", "years", "expected"),
    [
        ("Workforce Strategy 2016/17", 1, "Workforce Strategy 2017/18"),
        ("leicestershire-cfs-2016-17", 1, "leicestershire-cfs-2017-18"),
        ("2014-2016", 2, "2016-2018"),
        ("Strategy 2099/00", 1, "Strategy 2100/01"),
        ("no years here", 1, "no years here"),
    ],
)
def test_years_move_on(text, years, expected):
    assert refresh_forms.shift_years(text, years) == expected


def url(strategy) -> str:
    return reverse("reporting:strategy_refresh", args=[strategy.slug])


def test_the_page_proposes_and_suggests(client, planner, old):
    client.force_login(planner)
    response = client.get(url(old))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["slug"].value() == "workforce-2017-18"
    assert form["period_start"].value() == "1 April 2017"
    page = response.content.decode()
    assert "2 of 3 actions are proposed" in page
    # The suggested dates are written the way the field reads them back.
    assert 'value="1 April 2017"' in page and 'value="31 March 2018"' in page
    for action in old.actions.all():
        box = f'name="carry_{action.pk}" type="checkbox" value="on"'
        assert (box + " checked" in page) == (action.reference != "1.1.1")
        assert f"New reference for action {action.reference}" in page


def post_data(strategy, **changes) -> dict:
    data = {**NEW, "period_start": "1/4/2017", "period_end": "31/3/2018"}
    for action in strategy.actions.all():
        data[f"reference_{action.pk}"] = "2." + action.reference
        data[f"timescale_{action.pk}"] = "Summer 2017"
        if action.reference != "1.1.1":
            data[f"carry_{action.pk}"] = "on"
    return {**data, **changes}


def test_the_planner_makes_the_new_strategy(client, planner, old, team):
    client.force_login(planner)
    response = client.post(url(old), post_data(old))
    new = Strategy.objects.get(slug="workforce-2017-18")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('reporting:list')}?strategy={new.pk}"
    carried = {a.reference: a.predecessor.reference for a in new.actions.select_related("predecessor")}
    assert carried == {"2.1.1.2": "1.1.2", "2.1.1.3": "1.1.3"}
    # Leads carried as they stand: the team, and the officer named in the document.
    leads = {a.reference: a.lead_names for a in new.actions.prefetch_related("lead_teams")}
    assert leads == {"2.1.1.2": [team.name], "2.1.1.3": ["Head of Service"]}
    assert {a.due_date for a in new.actions.all()} == {datetime.date(2017, 8, 31)}
    listed = client.get(response["Location"]).content.decode()
    assert listed.count('app-carried">Carried forward from 2016/17</span>') == 2


def test_a_carried_actions_page_shows_its_whole_line_of_updates(client, manager, old, team, planner):
    unfinished = old.actions.get(reference="1.1.3")
    unfinished.lead_teams.set([team])
    new = strategy_refresh(user=planner, source=old, carried=[Carried(unfinished, "2.1", "Summer 2017")], **NEW)
    carried = new.actions.get()
    q1 = factories.ReportingPeriodFactory(strategy=new, year=2017, number=1)
    factories.ProgressUpdateFactory(action=carried, period=q1, progress="Second year: pilot in two teams.")
    client.force_login(manager)
    page = client.get(reverse("reporting:detail", args=[carried.pk])).content.decode()
    assert "Second year: pilot in two teams." in page
    assert "Before it was carried forward" in page
    assert "Q4 2016/17, as action 1.1.3</h3>" in page
    assert "Plan drafted and shared with the Principal Social Worker." in page  # the 2016/17 update
    assert f'href="{reverse("reporting:detail", args=[unfinished.pk])}">Action 1.1.3</a>' in page
    earlier = client.get(reverse("reporting:detail", args=[unfinished.pk])).content.decode()
    assert "Carried forward to" in earlier
    assert f'href="{reverse("reporting:detail", args=[carried.pk])}">Action 2.1</a>' in earlier
    assert "Before it was carried forward" not in earlier


def test_a_carried_actions_page_costs_the_same_however_long_its_line(client, manager, old, planner):
    first = old.actions.get(reference="1.1.3")
    second = strategy_refresh(
        user=planner, source=old, carried=[Carried(first, "2.1", "Summer 2017")], **NEW
    ).actions.get()
    third = strategy_refresh(
        user=planner,
        source=second.strategy,
        carried=[Carried(second, "3.1", "Summer 2018")],
        title="Workforce Strategy 2018/19",
        slug="workforce-2018-19",
        period_label="2018/19",
        period_start=datetime.date(2018, 4, 1),
        period_end=datetime.date(2019, 3, 31),
    ).actions.get()
    client.force_login(manager)

    def read(action) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("reporting:detail", args=[action.pk]))
        assert response.status_code == 200
        return len(queries), response.content.decode()

    one_back, _ = read(second)
    two_back, page = read(third)
    assert two_back == one_back
    assert (  # the whole line, nearest first
        "This action continues action 2.1 of Workforce Strategy 2017/18 (2017/18), which continues action 1.1.3 of"
        in page
    )


def test_errors_name_the_action_and_nothing_is_saved(client, planner, old):
    client.force_login(planner)
    first, second = old.actions.get(reference="1.1.2"), old.actions.get(reference="1.1.3")
    data = post_data(old, **{f"reference_{first.pk}": "X", f"reference_{second.pk}": "X", "period_end": "next year"})
    response = client.post(url(old), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The new reference X is also given to action 1.1.2" in page
    assert "Enter the end as a date, for example 31 March 2018" in page
    assert "There is a problem" in page
    assert not Strategy.objects.filter(slug=NEW["slug"]).exists()


def test_a_short_name_in_use_is_refused(client, planner, old):
    client.force_login(planner)
    response = client.post(url(old), post_data(old, slug=old.slug))
    assert "A strategy already has this short name" in response.content.decode()
    assert Strategy.objects.count() == 1


def test_a_carried_action_needs_a_reference(client, planner, old):
    client.force_login(planner)
    action = old.actions.get(reference="1.1.3")
    response = client.post(url(old), post_data(old, **{f"reference_{action.pk}": " "}))
    assert "Enter a new reference for action 1.1.3, or do not carry it forward" in response.content.decode()
    assert Action.objects.filter(strategy__slug=NEW["slug"]).count() == 0


def test_only_planners_refresh(client, manager, dmt, old):
    for user in (manager, dmt):
        client.force_login(user)
        assert client.get(url(old)).status_code == 403
        assert client.post(url(old), post_data(old)).status_code == 403
    assert Strategy.objects.count() == 1


def test_an_unknown_strategy_is_not_found(client, planner, db):
    client.force_login(planner)
    assert client.get(reverse("reporting:strategy_refresh", args=["nothing"])).status_code == 404


def test_a_carried_timescale_that_ends_before_the_new_period_is_refused(client, planner, old):
    client.force_login(planner)
    action = old.actions.get(reference="1.1.3")
    response = client.post(url(old), post_data(old, **{f"timescale_{action.pk}": "March-April 2016"}))
    assert (
        "The timescale for 1.1.3 ends before 1 April 2017, when the new period starts: give its timescale in the new "
        "strategy" in response.content.decode()
    )
    assert not Strategy.objects.filter(slug=NEW["slug"]).exists()
    # Ongoing and unreadable timescales have no end to check.
    response = client.post(url(old), post_data(old, **{f"timescale_{action.pk}": "TBC"}))
    assert response.status_code == 302


def test_an_action_is_not_carried_forward_from_its_own_strategy(old):
    first, second = old.actions.all()[:2]
    second.predecessor = first
    with pytest.raises(ValidationError, match="from another strategy, not its own"):
        second.full_clean()


def test_the_admin_links_an_action_to_the_one_it_continues(client, planner, old):
    client.force_login(planner)
    action = old.actions.first()
    page = client.get(reverse("admin:actions_action_change", args=[action.pk])).content.decode()
    assert "Carried forward from" in page
    assert 'name="predecessor"' in page
