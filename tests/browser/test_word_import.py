"""A planner loads a strategy's plan from its Word document in the browser: upload, the
mapping suggested from the headers and cells, the preview of every action, then saving them all."""

import datetime
import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from actions.models import Action
from tests import factories
from tests.actions.word_documents import build_docx, issue_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADERS = ["We want…", "How we will…", "Who will… Lead Team(s)", "When will we…", "Cost"]
ROWS = [
    [
        "1. a workforce with a shared vision",
        "Scope out the Workforce Engagement Plan",
        "Strategic HR",
        "Spring 2016",
        "£1,500",
    ],
    [
        "1. a workforce with a shared vision",
        "Run the staff survey\n(with the Health Check)",
        "Strategic HR",
        "Starting 1st May 2016",
        "",
    ],
]


def test_planner_uploads_maps_previews_and_loads_a_plan(
    page, live_server, sign_in, check_accessibility, planner, tmp_path
):
    strategy = factories.StrategyFactory(slug="new-plan", title="New Workforce Strategy 2016/17")
    factories.TeamFactory(name="Strategic HR")
    document = tmp_path / "plan.docx"
    document.write_bytes(build_docx(ROWS, HEADERS, merged={0}))

    sign_in(page, "planner")
    page.goto(live_server.url + reverse("admin:actions_action_word_import"))
    check_accessibility(page)
    page.get_by_label("Strategy").select_option(label=str(strategy))
    page.get_by_label("Word document (.docx)").set_input_files(str(document))
    page.get_by_role("button", name="Read the tables").click()

    # The mapping, suggested from the header words, with the table's first rows.
    expect(page.get_by_label("Plan 1, column 2 (How we will…)")).to_have_value("action")
    expect(page.get_by_label("Plan 1, column 1 (We want…)")).to_have_value("outcome")
    expect(page.get_by_label("Plan 1, column 3 (Who will… Lead Team(s))")).to_have_value("lead_teams")
    expect(page.get_by_label("Plan 1, column 5 (Cost)")).to_have_value("estimated_cost")
    expect(page.get_by_label("Load plan 1")).to_be_checked()
    check_accessibility(page)

    page.get_by_role("button", name="Preview the actions").click()
    preview = page.get_by_role("table", name="Every action as it will be saved, with its errors")
    expect(preview.get_by_role("row")).to_have_count(3)
    expect(preview).to_contain_text("Run the staff survey (with the Health Check)")
    expect(preview).to_contain_text("1 May 2016")
    expect(page.get_by_text("2 actions are ready to load. Nothing has been saved yet.")).to_be_visible()
    check_accessibility(page)
    assert not Action.objects.exists()

    page.get_by_role("button", name="Save all 2 actions").click()
    expect(page.get_by_text("2 actions loaded into New Workforce Strategy 2016/17.")).to_be_visible()
    loaded = list(Action.objects.filter(strategy=strategy).order_by("order"))
    assert [(a.reference, a.timescale, a.estimated_cost) for a in loaded] == [
        ("1.1", "Spring 2016", 1500),
        ("1.2", "Starting 1st May 2016", None),
    ]
    assert [t.name for t in loaded[0].lead_teams.all()] == ["Strategic HR"]


def test_a_bad_row_is_shown_and_nothing_can_be_saved(page, live_server, sign_in, planner, tmp_path):
    factories.StrategyFactory(slug="new-plan", title="New Workforce Strategy 2016/17")
    factories.TeamFactory(name="Strategic HR")
    document = tmp_path / "plan.docx"
    document.write_bytes(build_docx([*ROWS, ["1. a workforce", "Write it", "No Such Team", "TBC", ""]], HEADERS))

    sign_in(page, "planner")
    page.goto(live_server.url + reverse("admin:actions_action_word_import"))
    page.get_by_label("Strategy").select_option(label="New Workforce Strategy 2016/17")
    page.get_by_label("Word document (.docx)").set_input_files(str(document))
    page.get_by_role("button", name="Read the tables").click()
    page.get_by_role("button", name="Preview the actions").click()

    expect(page.get_by_text("1 of 3 actions cannot be loaded, so nothing will be saved.")).to_be_visible()
    expect(page.get_by_role("table", name="Every action as it will be saved, with its errors")).to_contain_text(
        'there is no lead team called "No Such Team".'
    )
    expect(page.get_by_role("button", name="Save all 3 actions")).to_have_count(0)
    assert not Action.objects.exists()


def test_a_plan_over_four_tables_with_a_two_row_header_loads_first_time(page, live_server, sign_in, planner, tmp_path):
    """Opened from the strategy's page, with the strategy chosen; one mapping, one preview, saved.
    The preview's screenshot is left in SCREENSHOTS (a folder), or the test's own folder."""
    strategy = factories.StrategyFactory(
        slug="children-2009",
        title="Children's Workforce Strategy 2009/10",
        period_start=datetime.date(2009, 4, 1),
        period_end=datetime.date(2010, 3, 31),
    )
    document = tmp_path / "action-plan.docx"
    document.write_bytes(issue_plan(reordered=True))
    shots = Path(os.environ.get("SCREENSHOTS", tmp_path))

    sign_in(page, "planner")
    page.goto(live_server.url + reverse("admin:outcomes_strategy_change", args=[strategy.pk]))
    page.get_by_role("link", name="from the Word document").click()
    expect(page.get_by_label("Strategy")).to_have_value(str(strategy.pk))
    page.get_by_label("Word document (.docx)").set_input_files(str(document))
    page.get_by_role("button", name="Read the tables").click()

    expect(page.get_by_text("These 4 tables have the same header, so they are one plan")).to_be_visible()
    expect(page.get_by_label("Header rows of plan 1")).to_have_value("2")
    expect(page.get_by_label("Plan 1, column 1 (Lead Officer)")).to_have_value("lead_officer")
    expect(page.get_by_label("Plan 1, column 6 (Outcomes)")).to_have_value("measure")
    expect(page.get_by_label("Plan 1, column 4 (Resources (Estimated Costs))")).to_have_value("estimated_cost")
    page.screenshot(path=str(shots / "word-import-mapping.png"), full_page=True)
    page.get_by_role("button", name="Preview the actions").click()

    preview = page.get_by_role("table", name="Every action as it will be saved, with its errors")
    expect(preview.get_by_role("row")).to_have_count(8)
    expect(page.get_by_text("7 actions are ready to load. Nothing has been saved yet.")).to_be_visible()
    expect(preview).to_contain_text("Strategy agreed by October 2009; Implementation - ongoing")
    expect(preview).to_contain_text("As written: Materials, promotional costs (£1000) Plus cost of running programme")
    page.get_by_role("heading", name="Step 3 of 3: the actions as they will be saved").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "word-import-preview.png"), full_page=True)
    assert not Action.objects.exists()

    page.get_by_role("button", name="Save all 7 actions").click()
    expect(page.get_by_text("7 actions loaded into Children's Workforce Strategy 2009/10.")).to_be_visible()
    assert list(strategy.actions.order_by("order").values_list("reference", flat=True)) == list("1234567")
