"""Chasing a quarter's missing updates: every missing action is either in a reminder or named
on the returns page and the reminders page as having nobody to email, with why and a link to
the admin page that fixes it; the count of missing updates equals what its link lists; and
the demo says where its emails go, which a real deployment does not.

People: `manager` is in `team`; `planner` runs the cycle.
"""

import datetime
import importlib
import os
import re

import pytest
from django.contrib.messages import get_messages
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reporting.reminders import demo_emails_words, reminders_overview
from reporting.returns import fixes_to_make, returns_url
from tests import factories

pytestmark = pytest.mark.django_db


def reminders_url(period) -> str:
    return reverse("reporting:returns_reminders", args=[period.strategy.slug, period.slug])


def admin_url(name: str, obj) -> str:
    return reverse(f"admin:{name}_change", args=[obj.pk])


@pytest.fixture
def chase(period, team, manager):
    """Q3 2016/17 open: one action the team leads (its manager has an email) and one of each
    way an action can have nobody to email, all missing their update."""
    period.update_deadline = datetime.date(2017, 1, 14)
    period.save()
    recommendation = factories.RecommendationFactory(outcome__strategy=period.strategy)
    empty_team = factories.TeamFactory(name="Heads of Strategy")
    silent_team = factories.TeamFactory(name="LSCB")
    factories.UserFactory(username="silent", email="", teams=[silent_team])
    factories.UserFactory(username="gone", teams=[empty_team], is_active=False)
    no_email = factories.UserFactory(username="noemail", first_name="Nia", last_name="Evans", email="")
    leaver = factories.UserFactory(username="leaver", first_name="Len", last_name="Price", is_active=False)

    def action(reference, **fields):
        return factories.ActionFactory(
            recommendation=recommendation, reference=reference, description=f"Action {reference}", **fields
        )

    return {
        "period": period,
        "empty_team": empty_team,
        "silent_team": silent_team,
        "no_email": no_email,
        "leaver": leaver,
        "reached": action("1.1.1", lead_teams=[team]),
        "no_lead": action("1.1.2"),
        "unlinked": action("1.1.3", lead_officer="Principal Social Worker"),
        "officer_no_email": action("1.1.4", lead_officer_user=no_email),
        "officer_left": action("1.1.5", lead_officer_user=leaver),
        "team_empty": action("1.1.6", lead_teams=[empty_team]),
        "team_silent": action("1.1.7", lead_teams=[silent_team]),
        # Its officer has no email, but its team reaches the manager: it is in a reminder.
        "reached_by_team": action("1.1.8", lead_officer_user=no_email, lead_teams=[team]),
    }


# Why each action of `chase` has nobody to email, and the admin page that fixes it.
EXPECTED = {
    "no_lead": [("The action names no lead team or lead officer", ("actions_action", "no_lead"))],
    "unlinked": [
        ("The lead officer, Principal Social Worker, is not linked to an account", ("actions_action", "unlinked"))
    ],
    "officer_no_email": [("The lead officer, Nia Evans, has no email address", ("auth_user", "no_email"))],
    "officer_left": [("The lead officer, Len Price, has a deactivated account", ("auth_user", "leaver"))],
    "team_empty": [("Heads of Strategy has no active members", ("workforce_team", "empty_team"))],
    "team_silent": [("No member of LSCB has an email address", ("workforce_team", "silent_team"))],
}


def expected_reasons(chase) -> dict[str, list[tuple[str, str]]]:
    return {
        chase[name].reference: [(words, admin_url(model, chase[key])) for words, (model, key) in reasons]
        for name, reasons in EXPECTED.items()
    }


def test_every_missing_action_is_in_a_reminder_or_named_with_why_and_where_to_fix_it(chase, manager):
    plans, nobody = reminders_overview(chase["period"])
    assert [(plan.recipient, [a.reference for a in plan.actions]) for plan in plans] == [(manager, ["1.1.1", "1.1.8"])]
    assert {item.action.reference: item.reasons for item in nobody} == expected_reasons(chase)


@pytest.mark.parametrize("page", ["returns", "reminders"])
def test_both_pages_name_each_action_with_nobody_to_email_and_link_to_its_fix(client, planner, chase, page):
    client.force_login(planner)
    url = returns_url(chase["period"]) if page == "returns" else reminders_url(chase["period"])
    html = client.get(url).content.decode()
    assert "6 missing actions have nobody to email" in html
    section = html[html.index('id="nobody-to-email"') :]
    section = section[: section.index("</ul>")]
    # Each thing to fix is said once, with the actions it holds up after it.
    holding_up: dict[tuple[str, str], list[str]] = {}
    for reference, reasons in expected_reasons(chase).items():
        for words, fix in reasons:
            holding_up.setdefault((words, fix), []).append(reference)
    for (words, fix), references in holding_up.items():
        said = f'{words}: <a class="govuk-link" href="{fix}">fix it in the admin'
        assert section.count(said) == 1, words
        line = section[section.index(said) :].split("</li>")[0]
        assert re.findall(r">(\d+\.\d+\.\d+)</a>", line) == references, words
    assert ">1.1.1</a>" not in section  # reached: not named


def test_a_closed_quarter_names_nobody(client, planner, chase):
    chase["period"].state = "closed"
    chase["period"].save()
    client.force_login(planner)
    assert 'id="nobody-to-email"' not in client.get(returns_url(chase["period"])).content.decode()


@pytest.mark.django_db(transaction=True)  # the emails go as the page's writes commit
def test_after_sending_the_message_names_the_actions_nobody_was_emailed_about(client, planner, chase):
    client.force_login(planner)
    response = client.post(reminders_url(chase["period"]))
    assert response["Location"] == returns_url(chase["period"])
    words = [str(message) for message in get_messages(response.wsgi_request)]
    assert words[0].startswith("Reminder sent to 1: ")
    assert words[1] == (
        "6 missing actions have nobody to email: 1.1.2, 1.1.3, 1.1.4, 1.1.5, 1.1.6, 1.1.7. "
        "The returns page says why, and where to fix it."
    )


# Where the demo's emails go ------------------------------------------------------------------


def test_the_demo_says_where_its_emails_go(client, planner, chase, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    client.force_login(planner)
    html = client.get(reminders_url(chase["period"])).content.decode()
    assert "This is the demo: emails are written to the server&#x27;s console (the terminal it runs in)" in html


@pytest.mark.django_db(transaction=True)
def test_the_demo_says_where_the_reminders_went_once_sent(client, planner, chase, settings):
    client.force_login(planner)
    response = client.post(reminders_url(chase["period"]))
    words = [str(message) for message in get_messages(response.wsgi_request)]
    assert words[0].endswith("This is the demo: emails are kept in the server's memory, not sent to anyone.")


def test_a_real_deployment_says_nothing_of_the_demo(client, planner, chase, settings):
    del settings.DEMO  # as strategy_tracker.settings, without the demo's
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert demo_emails_words() == ""
    client.force_login(planner)
    html = client.get(reminders_url(chase["period"])).content.decode()
    assert "This is the demo" not in html and 'id="demo-emails"' not in html


def test_only_the_demo_settings_say_it_is_the_demo():
    production = importlib.import_module("strategy_tracker.settings")
    demo = importlib.import_module("strategy_tracker.settings_demo")
    assert not hasattr(production, "DEMO")
    assert demo.DEMO is True


# The count of missing updates equals what its link lists ----------------------------------------

# Each action's leads, drawn: its officer (none, linked, linked but without an email, or named
# with no account) and its teams (of three: one with a member, one empty, one whose member
# has no email), and whether it has its update.
action_draws = st.fixed_dictionaries(
    {
        "officer": st.sampled_from(["none", "linked", "no_email", "named"]),
        "teams": st.sets(st.integers(0, 2), max_size=3),
        "updated": st.booleans(),
    }
)


@settings(
    max_examples=int(os.environ.get("STATE_PROPERTY_EXAMPLES", "10")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=st.lists(action_draws, min_size=0, max_size=8))
def test_the_missing_count_equals_the_actions_its_link_lists_each_reminded_or_named(client, planner, drawn):
    client.force_login(planner)
    # Examples share the test's transaction: each builds inside a savepoint and rolls it back.
    with transaction.atomic():
        period = factories.ReportingPeriodFactory(strategy__slug="chased", year=2016, number=3)
        teams = [factories.TeamFactory(name=f"Team {n}") for n in range(3)]
        factories.UserFactory(username="member", teams=[teams[0]])
        factories.UserFactory(username="quiet", email="", teams=[teams[2]])
        people = {
            "linked": factories.UserFactory(username="linked"),
            "no_email": factories.UserFactory(username="officer-no-email", email=""),
        }
        recommendation = factories.RecommendationFactory(outcome__strategy=period.strategy)
        missing = set()
        for n, draw in enumerate(drawn):
            action = factories.ActionFactory(
                recommendation=recommendation,
                reference=f"1.1.{n}",
                lead_teams=[teams[t] for t in sorted(draw["teams"])],
                lead_officer_user=people.get(draw["officer"]),
                lead_officer="Named Officer" if draw["officer"] == "named" else "",
            )
            if draw["updated"]:
                factories.ProgressUpdateFactory(action=action, period=period)
            else:
                missing.add(action.reference)

        page = client.get(returns_url(period, show="all")).content.decode()
        count = re.search(r'Missing an update</dt>\s*<dd[^>]*>(?:<a class="govuk-link" href="([^"]+)">)?(\d+)', page)
        assert count is not None
        link, shown = count.group(1), int(count.group(2))
        assert shown == len(missing)
        if missing:
            listed_page = client.get(link).content.decode()
            by_lead = listed_page[listed_page.index('id="by-lead"') : listed_page.index('id="reminders"')]
            listed = set(re.findall(r'data-label="Missing \(\d+\)">.*?</td>', by_lead, re.S))
            references = {ref for block in listed for ref in re.findall(r"Action </span>([\d.]+)</a>", block)}
            assert references == missing

        plans, nobody = reminders_overview(period)
        reminded = {action.reference for plan in plans for action in plan.actions}
        named = {item.action.reference for item in nobody}
        assert reminded | named == missing and not reminded & named
        transaction.set_rollback(True)


# What it costs ------------------------------------------------------------------------------------


def test_naming_nobody_to_email_costs_no_query_per_action(client, planner, django_assert_num_queries):
    """The returns page and the reminders page cost the same at 10 and 1,000 missing actions,
    every one of them with nobody to email (its team has no members) and one in five missing."""
    empty = factories.TeamFactory(name="Heads of Strategy")
    client.force_login(planner)
    for size, slug in ((10, "small"), (1000, "large")):
        strategy = factories.StrategyFactory(slug=slug)
        period = factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=3)
        factories.bulk_actions(size, teams=[empty], periods=[period], strategy=strategy)
        # session, user, the user's groups, the strategy's quarters, then returns.returns_for:
        # actions as at the quarter, their lead teams, the teams' members, the reminders (none
        # yet, so no query for the actions each listed), the quarter's events
        with django_assert_num_queries(9):
            response = client.get(returns_url(period))
        assert len(response.context["returns"].nobody_to_email) == size // 5
        # session, user, the user's groups, the strategy's quarters, then reminders_overview:
        # the missing actions, their lead teams, the teams' members (and no query for recent
        # reminders: nobody to email, nobody to ask about)
        with django_assert_num_queries(7):
            response = client.get(reminders_url(period))
        assert len(response.context["nobody_to_email"]) == size // 5


def test_a_fix_that_holds_up_several_actions_is_said_once(chase):
    _plans, nobody = reminders_overview(chase["period"])
    fixes = fixes_to_make(nobody)
    said = [(fix.reason, fix.fix_url) for fix in fixes]
    assert len(said) == len(set(said)), "each thing to fix once"
    for fix in fixes:
        assert [a.reference for a in fix.actions] == [
            item.action.reference for item in nobody if (fix.reason, fix.fix_url) in item.reasons
        ]
    assert sum(len(fix.actions) for fix in fixes) == sum(len(item.reasons) for item in nobody)
