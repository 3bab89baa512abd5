"""The planner's pages at 1,280 pixels and for a screen reader: the admin (the strategy's page,
every list the planner uses, an action, a progress update, outcomes, recommendations, people,
teams, quarters and the imports) and the site's returns pages, on the Leicestershire 2016/17
strategy with a year of demo progress. Both accessibility engines, axe and HTML_CodeSniffer
(pa11y, WCAG2AA), find no error on any of them; no list scrolls sideways, in the page or in its
own box; the strategy page opens on its check; and no page, worked as a planner works it, is
blocked by the Content-Security-Policy.
"""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from demo.progress import strategy_demo_write
from outcomes.models import Strategy
from reporting.models import RAG, ProgressUpdate, ReportingPeriod
from tests import factories
from workforce.models import Team
from workforce.roles import MANAGER

from .pa11y import pa11y_errors, pa11y_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 1280, 800

# axe reads the page's style sheets itself ("preload"); for one that @imports another (Django's
# forms.css imports widgets.css) it puts the text in a <style> element, which the page's policy
# rightly blocks and reports. The only rule that needs it is css-orientation-lock, and no style
# sheet here locks the orientation; without it axe leaves the page exactly as it found it.
AXE_OPTIONS = {"resultTypes": ["violations"], "preload": False}

# How far the page scrolls sideways and down, and how far a list's table scrolls sideways in its own
# box (Django's lists scroll there, so a page never wider than the screen can still hide columns).
MEASURE = """() => {
    const results = document.querySelector('#changelist .results');
    return {
        width: document.documentElement.scrollWidth,
        height: document.documentElement.scrollHeight,
        listOverflow: results ? results.scrollWidth - results.clientWidth : 0,
    };
}"""


@pytest.fixture
def strategy(planner):
    """Leicestershire 2016/17 as loaded for real, its quarters and demo updates: Q4 open."""
    call_command("loaddata", "teams", "leicestershire-cfs-2016-17", verbosity=0)
    strategy = Strategy.objects.get(slug="leicestershire-cfs-2016-17")
    strategy_demo_write(strategy=strategy, seed=2016)
    return strategy


def planner_pages(strategy) -> dict[str, str]:
    """Every page the planner works on, by name: the admin's, then the site's."""
    open_quarter = ReportingPeriod.objects.get(strategy=strategy, state="open")
    closed_quarter = ReportingPeriod.objects.filter(strategy=strategy).exclude(pk=open_quarter.pk).last()
    update = ProgressUpdate.objects.filter(period=open_quarter).order_by("action__order").first()
    request = ProgressUpdate.objects.filter(period=open_quarter, rag=RAG.RED).exclude(help_needed="").first()
    if request is None:  # the demo seed always writes one; this keeps the page in the test if it does not
        request = factories.ProgressUpdateFactory(period=open_quarter, rag=RAG.RED, help_needed="Agree funding")
    action = strategy.actions.order_by("order").first()
    team = Team.objects.get(name="Strategic HR")
    person = factories.UserFactory(username="gareth", groups=[MANAGER], teams=[team])
    recommendation = action.recommendation
    per_strategy = f"?strategy__id__exact={strategy.pk}"
    returns = [strategy.slug, open_quarter.slug]
    return {
        "admin home": reverse("admin:index"),
        "the strategy": reverse("admin:outcomes_strategy_change", args=[strategy.pk]),
        "strategies": reverse("admin:outcomes_strategy_changelist"),
        "actions": reverse("admin:actions_action_changelist"),
        "the strategy's actions": reverse("admin:actions_action_changelist") + per_strategy,
        "an action": reverse("admin:actions_action_change", args=[action.pk]),
        "a new action": reverse("admin:actions_action_add"),
        "progress updates": reverse("admin:reporting_progressupdate_changelist"),
        "a progress update": reverse("admin:reporting_progressupdate_change", args=[update.pk]),
        "outcomes": reverse("admin:outcomes_outcome_changelist") + per_strategy,
        "an outcome": reverse("admin:outcomes_outcome_change", args=[recommendation.outcome.pk]),
        "recommendations": reverse("admin:outcomes_recommendation_changelist"),
        "a recommendation": reverse("admin:outcomes_recommendation_change", args=[recommendation.pk]),
        "measures of success": reverse("admin:outcomes_successmeasure_changelist"),
        "risks": reverse("admin:outcomes_risk_changelist"),
        "people": reverse("admin:auth_user_changelist"),
        "a person": reverse("admin:auth_user_change", args=[person.pk]),
        "a new person": reverse("admin:auth_user_add"),
        "teams": reverse("admin:workforce_team_changelist"),
        "a team": reverse("admin:workforce_team_change", args=[team.pk]),
        "quarters": reverse("admin:reporting_reportingperiod_changelist"),
        "a quarter": reverse("admin:reporting_reportingperiod_change", args=[open_quarter.pk]),
        "a new quarter": reverse("admin:reporting_reportingperiod_add"),
        "the Word import": reverse("admin:actions_action_word_import"),
        "the actions import": reverse("admin:actions_action_import"),
        "the measures import": reverse("admin:outcomes_successmeasure_import"),
        "returns": reverse("reporting:returns_index"),
        "the strategy's returns": reverse("reporting:returns_strategy", args=[strategy.slug]),
        "the quarter's returns": reverse("reporting:returns", args=returns),
        "send reminders": reverse("reporting:returns_reminders", args=returns),
        "close the quarter": reverse("reporting:returns_close", args=returns),
        "reopen a quarter": reverse("reporting:returns_reopen", args=[strategy.slug, closed_quarter.slug]),
        "the DMT meeting": reverse("reporting:dmt", args=returns),
        "DMT's decision": reverse("reporting:dmt_decision", args=[*returns, request.pk]),
        "the strategy's refresh": reverse("reporting:strategy_refresh", args=[strategy.slug]),
    }


def summary(page, fold: str):
    """The summary that folds and unfolds `fold`."""
    return page.locator("summary").filter(has_text=re.compile(rf"^\s*{re.escape(fold)}\s*$"))


def test_axe_finds_nothing_and_no_list_scrolls_sideways(page, live_server, sign_in, axe, strategy, csp_violations):
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    sign_in(page, "planner")
    problems, sizes = [], {}
    for name, url in planner_pages(strategy).items():
        page.goto(live_server.url + url)
        assert "/accounts/login/" not in page.url and page.title(), name
        for violation in axe.run(page, options=AXE_OPTIONS).response["violations"]:
            nodes = "; ".join(str(node["target"]) for node in violation["nodes"][:3])
            problems.append(f"{name}: axe {violation['id']} ({violation['impact']}) {violation['help']}: {nodes}")
        size = sizes[name] = page.evaluate(MEASURE)
        if size["width"] > WIDTH:
            problems.append(f"{name}: the page is {size['width']} pixels wide")
        if size["listOverflow"] > 0:
            problems.append(f"{name}: the list scrolls {size['listOverflow']} pixels sideways in its box")
    print("\n".join(f"{name}: {size['width']} x {size['height']}" for name, size in sizes.items()))
    assert not problems, "\n".join(problems)
    assert not csp_violations


def test_the_action_list_shows_the_quarter_beside_the_filters(page, live_server, sign_in, strategy):
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    sign_in(page, "planner")
    page.goto(live_server.url + reverse("admin:actions_action_changelist") + f"?strategy__id__exact={strategy.pk}")
    filters = page.locator("#changelist-filter").bounding_box()
    for column in ("status_this_quarter", "rag_this_quarter", "overdue"):
        header = page.locator(f"#result_list thead th.column-{column}")
        expect(header).to_be_visible()
        box = header.bounding_box()
        assert box["x"] + box["width"] <= filters["x"], f"{column} is behind the filters"
    expect(page.locator("#result_list tbody tr").first).to_contain_text(re.compile("Complete|In progress|No update"))


def test_the_strategy_page_opens_on_its_check_costs_and_links(page, live_server, sign_in, strategy):
    """Leicestershire passes the check; Lincolnshire 2014-16 fails it on 18 leads and 45 timescales,
    whose lists fold under their counts so that the totals and the links stay in the first screen."""
    call_command("loaddata", "lincolnshire-cs-2014-16", verbosity=0)
    failing = Strategy.objects.get(slug="lincolnshire-cs-2014-16")
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    sign_in(page, "planner")
    for shown in (strategy, failing):
        page.goto(live_server.url + reverse("admin:outcomes_strategy_change", args=[shown.pk]))
        for field in ("strategy_check", "cost_totals", "links"):
            box = page.locator(f".field-{field}").bounding_box()
            assert box["y"] + box["height"] <= HEIGHT, f"{shown.slug}: {field} is not in the first screen"
        glance = page.get_by_role("group", name="At a glance")
        expect(glance).to_contain_text("Are the objectives SMART?")
        # The document, the outcomes and the risks are folded away: the page is a couple of screens.
        for fold in ("The strategy in document order", "Outcomes", "Risks"):
            expect(page.locator("details").filter(has=summary(page, fold))).not_to_have_attribute("open", "")
        assert page.evaluate("document.documentElement.scrollHeight") < 3 * HEIGHT
    first_action = glance.get_by_role("link", name="1.1", exact=True)  # in both lists: no lead, no dates
    expect(first_action).to_have_count(0)
    summary(page, "Timescales that could not be read as dates: 45").click()
    expect(first_action).to_have_count(1)


def test_pa11y_finds_no_errors_on_the_planners_pages(live_server, tmp_path, strategy):
    found = {}
    for name, url in planner_pages(strategy).items():
        errors = pa11y_errors(live_server, tmp_path, url, username="planner")
        if errors:
            found[name] = errors
    report = "\n".join(f"{name} ({len(errors)}):\n{pa11y_report(errors)}" for name, errors in found.items())
    assert not found, f"pa11y (HTML_CodeSniffer, WCAG2AA) found errors:\n{report}"


def test_the_admin_widgets_are_named_and_never_blocked(page, live_server, sign_in, strategy, csp_violations):
    """Folds, the calendar, a new inline row, the autocomplete boxes and a related record's
    window, worked as a planner works them: each has a name, and nothing is blocked."""
    page.context.on(
        "page",
        lambda popup: popup.on(
            "console", lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None
        ),
    )
    sign_in(page, "planner")
    page.goto(live_server.url + reverse("admin:outcomes_strategy_change", args=[strategy.pk]))
    for fold in ("Source", "The strategy in document order", "Outcomes", "Risks"):
        summary(page, fold).click()
    outcomes = page.get_by_role("group", name="Outcomes", exact=True)
    expect(outcomes).to_contain_text("a workforce with a shared vision")
    rows = outcomes.locator(".inline-related:not(.empty-form)").count()
    page.get_by_role("button", name="Add another Outcome").click()
    expect(outcomes.locator(".inline-related:not(.empty-form)")).to_have_count(rows + 1)
    page.get_by_role("link", name="Choose a Date (Period start)").click()
    expect(page.locator(".calendarbox:visible")).to_have_count(1)  # (a new row redraws the pickers)
    page.keyboard.press("Escape")

    action = strategy.actions.order_by("order").first()
    page.goto(live_server.url + reverse("admin:actions_action_change", args=[action.pk]))
    expect(page.get_by_role("link", name="Change selected strategy")).to_be_visible()
    expect(page.get_by_role("link", name="Choose a Date (Due date)")).to_be_visible()
    expect(page.get_by_role("combobox", name=re.compile(r"^Lead officer.s account"))).to_be_visible()
    lead_teams = page.get_by_role("searchbox", name=re.compile("^Lead teams"))
    lead_teams.click()
    lead_teams.press_sequentially("Strategic")
    page.get_by_role("option", name="Strategic HR").click()
    expect(page.locator(".field-lead_teams .select2-selection__choice")).to_have_count(2)
    expect(page.locator(".field-lead_teams ul.select2-selection__rendered > :not(li)")).to_have_count(0)
    with page.expect_popup() as opened:
        page.get_by_role("link", name="Add another strategy").click()
    popup = opened.value
    popup.wait_for_load_state()
    expect(popup.get_by_role("heading", name="Add strategy")).to_be_visible()
    popup.close()

    page.goto(live_server.url + reverse("admin:workforce_team_change", args=[Team.objects.get(name="Strategic HR").pk]))
    page.get_by_role("button", name="Add another Team membership").click()
    expect(page.get_by_role("combobox", name=re.compile("^User"))).to_have_count(2)

    page.goto(live_server.url + reverse("admin:auth_user_add"))
    expect(page.get_by_role("img", name=re.compile("^Type into this box to filter"))).to_have_count(2)
    assert not csp_violations
