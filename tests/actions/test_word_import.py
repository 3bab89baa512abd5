"""Loading a plan from the tables of its Word document: the three strategies' own tables,
built with python-docx in different column orders, read back into a new strategy."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from actions.costs import note_line
from actions.models import Action
from actions.plan_columns import suggest_field
from actions.word_import import Mapping, load_plan
from actions.word_tables import read_tables
from outcomes.models import Outcome, Strategy, SuccessMeasure
from outcomes.spreadsheets import SpreadsheetRefused
from tests import factories
from tests.actions.plan_checks import posted
from tests.actions.word_documents import COLUMNS, MERGED, build_docx, issue_plan, plan_rows

pytestmark = pytest.mark.django_db

ORDERS = {
    "leicestershire-cfs-2016-17": [
        ["outcome", "recommendation", "rationale", "action", "lead_teams", "timescale", "measure", "indicator"],
        ["reference", "timescale", "lead_teams", "action", "recommendation", "outcome", "indicator", "measure"],
    ],
    "lincolnshire-cs-2014-16": [
        ["outcome", "action", "lead_teams", "timescale", "framework_link"],
        ["framework_link", "timescale", "action", "outcome", "reference", "lead_teams"],
    ],
    "leicester-city-ecs-2017-20": [
        ["outcome", "recommendation", "reference", "action", "lead_teams", "timescale", "framework_link"],
        ["action", "framework_link", "reference", "lead_teams", "recommendation", "timescale", "outcome"],
    ],
}
CASES = [(slug, order) for slug, orders in ORDERS.items() for order in orders]


@pytest.fixture
def copy():
    """An empty strategy to load the plan into."""
    return factories.StrategyFactory(slug="copy", period_start=datetime.date(2016, 4, 1))


def document_for(slug, fields, *, blank_outcome=False):
    """The strategy's plan as a Word table; repeated cells merged down (the outcome left blank)."""
    call_command("loaddata", "teams", slug, verbosity=0)
    original = Strategy.objects.get(slug=slug)
    rows = plan_rows(original, fields)
    headers = [COLUMNS[name][0] for name in fields]
    merged = {i for i, name in enumerate(fields) if name in MERGED and not (blank_outcome and name == "outcome")}
    blank = {fields.index("outcome")} if blank_outcome else set()
    return original, build_docx(rows, headers, merged=merged, blank=blank)


def upload(content, name="plan.docx"):
    return SimpleUploadedFile(name, content)


def described(action):
    return (
        action.outcome.number,
        action.outcome.title,
        (action.recommendation.number, action.recommendation.title) if action.recommendation else None,
        action.description,
        sorted(team.name for team in action.lead_teams.all()),
        action.timescale,
        (action.start_date, action.due_date, action.is_ongoing),
        action.framework_link,
    )


@pytest.mark.parametrize(("slug", "fields"), CASES, ids=[f"{s}-{i % 2}" for i, (s, _) in enumerate(CASES)])
def test_a_strategys_own_table_loads_back_as_its_actions(copy, slug, fields, planner):
    original, content = document_for(slug, fields, blank_outcome=fields[0] != "outcome")
    tables = read_tables(upload(content))
    headers = [text for text, _ in tables[0][0]]
    assert [suggest_field(header) for header in headers] == fields  # the mapping suggested is right

    records = load_plan(copy, tables, [Mapping(table=1, header_rows=1, columns=fields)], user=planner, save=True)

    assert [record.errors for record in records if record.errors] == []
    expected = [described(a) for a in original.actions.order_by("order", "reference")]
    loaded = [described(a) for a in copy.actions.order_by("order")]
    assert loaded == expected
    if "reference" in fields or slug == "leicestershire-cfs-2016-17":
        references = list(copy.actions.order_by("order").values_list("reference", flat=True))
        assert references == list(original.actions.order_by("order", "reference").values_list("reference", flat=True))
    if "measure" in fields:
        measures = SuccessMeasure.objects.order_by(
            "recommendation__outcome__number", "recommendation__number", "number"
        )
        theirs = measures.filter(recommendation__outcome__strategy=original).values_list("measure", "indicator")
        ours = measures.filter(recommendation__outcome__strategy=copy).values_list("measure", "indicator")
        assert list(ours) == list(theirs)


def test_a_bad_row_blocks_the_whole_load_and_nothing_is_saved(copy, planner):
    fields = ["outcome", "recommendation", "action", "lead_teams", "timescale"]
    call_command("loaddata", "teams", verbosity=0)
    rows = [
        ["a workforce with a shared vision", "develop a plan", "Scope out the plan", "Strategic HR", "March 2016"],
        ["a workforce with a shared vision", "develop a plan", "Write the plan", "Nobody In Particular", "May 2016"],
        ["a workforce with a shared vision", "develop a plan", "x" * 5, "Strategic HR", "Within 3 months"],
    ]
    tables = read_tables(upload(build_docx(rows, [COLUMNS[f][0] for f in fields])))
    outcomes_before = Outcome.objects.count()

    records = load_plan(copy, tables, [Mapping(table=1, header_rows=1, columns=fields)], user=planner, save=True)

    assert [r.errors for r in records] == [
        [],
        [
            'Table 1, row 3, column "Who will… Lead Team(s)": there is no lead team called "Nobody In Particular". '
            "Add the team in the admin first or correct the name in the document; if the column names people, "
            "map it to Lead officer."
        ],
        [],
    ]
    assert records[2].action.due_date == datetime.date(2016, 6, 30)  # previewed, counted from the strategy's start
    assert not copy.actions.exists()
    assert Outcome.objects.count() == outcomes_before


def test_numbered_items_stay_one_action_and_costs_are_read_from_the_words(planner):
    strategy = factories.StrategyFactory(slug="costed")
    fields = ["outcome", "reference", "action", "lead_officer", "timescale", "estimated_cost"]
    rows = [
        ["1. Stable", "1.1", "1. Recruit\npermanent staff\n2. Reduce agency use", "Head", "Summer 2018", "£1,500"],
        ["1. Stable", "", "2.1.4 Review pay\nand grading", "Head", "TBC", "Within existing budget"],
        ["1. Stable", "1.3", "Train mentors:\na) social workers\nb) team managers", "Head", "2018", "£1.5k"],
    ]
    tables = read_tables(upload(build_docx(rows, ["Theme", "Ref", "Action", "Lead officer", "When", "Resources"])))
    assert [suggest_field(text) for text, _ in tables[0][0]] == fields
    records = load_plan(strategy, tables, [Mapping(table=1, header_rows=1, columns=fields)], user=planner, save=True)
    assert [r.errors for r in records] == [[], [], []]
    actions = list(strategy.actions.order_by("order"))
    assert [(a.reference, a.description, a.estimated_cost) for a in actions] == [
        ("1.1", "1. Recruit permanent staff\n2. Reduce agency use", 1500),  # its own number is not the reference
        ("2.1.4", "Review pay and grading", None),
        ("1.3", "Train mentors:\na) social workers\nb) team managers", 1500),
    ]
    assert actions[1].notes == "Cost as written: Within existing budget"
    assert strategy.outcomes.get().title == "Stable"
    assert actions[0].lead_officer == "Head" and actions[0].due_date == datetime.date(2018, 8, 31)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a zip at all", "could not be read as a Word document"),
        (b"PK\x03\x04broken", "could not be read as a Word document"),
    ],
)
def test_an_unreadable_upload_is_refused_with_a_sentence(content, message):
    with pytest.raises(SpreadsheetRefused, match=message):
        read_tables(upload(content))


def test_a_document_unpacking_too_far_is_refused_before_it_is_parsed(settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1000
    with pytest.raises(SpreadsheetRefused, match="too large once unpacked"):
        read_tables(upload(build_docx([["a"]], ["Action"])))


def test_too_many_rows_are_refused(settings):
    settings.IMPORT_MAX_ROWS = 3
    with pytest.raises(SpreadsheetRefused, match="more than 3 rows"):
        read_tables(upload(build_docx([["a"]] * 5, ["Action"])))


# The admin's three steps.


@pytest.fixture
def planner_client(client):
    client.force_login(factories.UserFactory(username="planner", is_staff=True, is_superuser=True))
    return client


def test_upload_map_preview_and_save_in_the_admin(planner_client, copy):
    fields = ["outcome", "recommendation", "rationale", "action", "lead_teams", "timescale", "measure", "indicator"]
    original, content = document_for("leicestershire-cfs-2016-17", fields)
    url = reverse("admin:actions_action_word_import")
    assert planner_client.get(url).status_code == 200

    mapped = planner_client.post(
        url, {"step": "upload", "strategy": copy.pk, "document": upload(content)}, format="multipart"
    )
    assert mapped.status_code == 200 and mapped.context["step"] == "map"
    form = mapped.context["mapping"]
    data = posted(form)
    assert [data[f"column_1_{c}"] for c in range(1, 9)] == fields

    preview = planner_client.post(url, {**data, "step": "preview"})
    assert preview.context["step"] == "preview" and not preview.context["failed"]
    records = preview.context["records"]
    assert len(records) == 34
    # A recommendation's measures are listed once, on its first action; the others say so.
    assert [(r.action.reference, len(r.measures), r.measures_above) for r in records[6:9]] == [
        ("1.1.7", 1, True),
        ("2.1.1", 4, False),
        ("2.1.2", 4, True),
    ]
    shown = preview.content.decode().split('id="preview"')[1]  # below the mapping's sample rows
    assert shown.count("All staff will be able to articulate") == 1
    assert not copy.actions.exists()  # nothing saved by the preview

    saved = planner_client.post(url, {**data, "step": "save"})
    assert saved.status_code == 302
    assert copy.actions.count() == 34

    again = planner_client.post(url, {**data, "step": "save"})  # the upload is no longer held
    assert again.context["step"] == "upload" and again.context["expired"]
    assert copy.actions.count() == 34


def test_the_upload_is_checked_before_it_is_read(planner_client, copy, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    url = reverse("admin:actions_action_word_import")
    response = planner_client.post(url, {"step": "upload", "strategy": copy.pk, "document": upload(b"x" * 200)})
    assert "the import takes files of up to 100" in response.content.decode()
    response = planner_client.post(url, {"step": "upload", "strategy": copy.pk, "document": upload(b"x", "plan.doc")})
    assert "saved as .docx" in response.content.decode()


def test_someone_who_may_not_add_actions_cannot_load_a_plan(client):
    client.force_login(factories.UserFactory(username="reader", is_staff=True))
    assert client.get(reverse("admin:actions_action_word_import")).status_code == 403


def test_another_planners_upload_is_not_found(planner_client, client, copy):
    content = build_docx([["Do it", "Outcome"]], ["Action", "Theme"])
    url = reverse("admin:actions_action_word_import")
    mapped = planner_client.post(url, {"step": "upload", "strategy": copy.pk, "document": upload(content)})
    token = mapped.context["mapping"]["token"].value()
    other = factories.UserFactory(username="other", is_staff=True, is_superuser=True)
    client.force_login(other)
    response = client.post(
        url,
        {
            "step": "preview",
            "token": token,
            "use_1": "on",
            "header_rows_1": 1,
            "column_1_1": "action",
            "column_1_2": "outcome",
        },
    )
    assert response.context["step"] == "upload" and response.context["expired"]
    assert not Action.objects.exists()


def test_the_word_import_opened_from_a_strategy_has_that_strategy_chosen(planner_client, copy):
    other = factories.StrategyFactory(slug="other")
    strategy_page = planner_client.get(reverse("admin:outcomes_strategy_change", args=[other.pk])).content.decode()
    link = f"{reverse('admin:actions_action_word_import')}?strategy={other.pk}"
    assert f'href="{link}"' in strategy_page

    page = planner_client.get(link)

    assert page.context["upload"]["strategy"].value() == str(other.pk)
    assert f'<option value="{other.pk}" selected>' in page.content.decode()
    assert planner_client.get(reverse("admin:actions_action_word_import")).context["upload"]["strategy"].value() is None


def test_a_plan_over_four_tables_is_mapped_once_and_the_preview_shows_it_as_it_will_be_saved(planner_client):
    strategy = factories.StrategyFactory(
        slug="children-2009", period_start=datetime.date(2009, 4, 1), period_end=datetime.date(2010, 3, 31)
    )
    url = reverse("admin:actions_action_word_import")
    mapped = planner_client.post(url, {"step": "upload", "strategy": strategy.pk, "document": upload(issue_plan())})
    form = mapped.context["mapping"]
    assert [item["tables"] for item in form.layout] == [[1, 2, 3, 4]]
    assert "These 4 tables have the same header, so they are one plan: map its columns once." in mapped.content.decode()

    preview = planner_client.post(url, {**posted(form), "step": "preview"})

    page = preview.content.decode()
    assert preview.context["failed"] == [] and len(preview.context["records"]) == 7
    for shown in (
        "7 actions are ready to load. Nothing has been saved yet.",
        "Plan 1, column “Outcomes”: Measure of success",
        "Plan 1, column “Lead Officer”: Lead officer (people)",
        "No outcome column: every action loads into a new outcome, “Action plan”.",
        "there is no recommendation column, so each action with measures is given a recommendation of its own",
        "Officer: Jane Smith <strong>(new: named only, no account)</strong>",
        "£1,000<br>As written: Materials, promotional costs (£1000) Plus cost of running programme",
        "Strategy agreed by October 2009; Implementation - ongoing",
        "Due 31 October 2009. Ongoing.",
        "ii. supervision skills",
    ):
        assert shown in page, shown
    assert not strategy.actions.exists() and not strategy.outcomes.exists()

    saved = planner_client.post(url, {**posted(form), "step": "save"})
    assert saved.status_code == 302 and strategy.actions.count() == 7


def test_the_action_page_shows_the_cost_as_the_plan_gives_it(client, planner):
    action = factories.ActionFactory(estimated_cost=1000, notes=note_line("Materials (£1000) plus running costs"))
    client.force_login(planner)
    page = client.get(reverse("reporting:detail", args=[action.pk])).content.decode()
    assert "£1000" in page and "As the plan gives it: Materials (£1000) plus running costs" in page


def test_the_outcome_for_a_plan_with_no_outcome_column_is_asked_only_for_such_a_plan(planner_client, copy):
    url = reverse("admin:actions_action_word_import")
    with_outcome = build_docx([["1. People", "Recruit staff"]], ["We want…", "How we will…"])
    without = build_docx([["Recruit staff", "March 2016"]], ["How we will…", "When"])

    asked = [
        "Outcome for a plan with no outcome column"
        in planner_client.post(
            url, {"step": "upload", "strategy": copy.pk, "document": upload(content)}
        ).content.decode()
        for content in (with_outcome, without)
    ]

    assert asked == [False, True]
