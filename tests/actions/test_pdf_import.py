"""A plan loaded from its PDF through the admin's import, as from its Word document: upload
the PDF, take the mapping suggested, preview once, save; the strategy loaded matches the
project's fixture of it action by action."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from actions.pdf_tables import read_pdf_tables
from outcomes.models import Strategy, SuccessMeasure
from tests import factories
from tests.actions.make_pdfs import DOCUMENTS, PDFS, SPACED, pdf_name
from tests.actions.pdf_documents import build_pdf
from tests.actions.plan_checks import assert_matches_fixture
from tests.actions.word_documents import COLUMNS, MERGED, plan_rows
from workforce.models import Team

pytestmark = pytest.mark.django_db

URL = "admin:actions_action_word_import"


@pytest.fixture
def planner_client(client):
    client.force_login(factories.UserFactory(username="planner", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def copy():
    """An empty strategy to load the plan into."""
    return factories.StrategyFactory(slug="copy", period_start=datetime.date(2016, 4, 1))


def described(action, fields):
    """What the document says of an action: its outcome, and each mapped column as loaded."""
    said = {
        "outcome": (action.outcome.number, action.outcome.title),
        "action": action.description,
        "lead_teams": sorted(team.name for team in action.lead_teams.all()),
        "timescale": (action.timescale, action.start_date, action.due_date, action.is_ongoing),
        "estimated_cost": action.estimated_cost,
    }
    if "recommendation" in fields:
        recommendation = action.recommendation
        said["recommendation"] = (recommendation.number, recommendation.title) if recommendation else None
    if "reference" in fields:
        said["reference"] = action.reference
    if "framework_link" in fields:
        said["framework_link"] = action.framework_link
    return said


def posted(form) -> dict:
    """The mapping form's fields as the browser posts them, as suggested."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is True:
            data[name] = "on"
        elif value not in (False, None):
            data[name] = value
    return data


def load_through_the_admin(client, strategy, content: bytes) -> None:
    url = reverse(URL)
    mapped = client.post(
        url, {"step": "upload", "strategy": strategy.pk, "document": SimpleUploadedFile("plan.pdf", content)}
    )
    assert mapped.status_code == 200 and mapped.context["step"] == "map", mapped.context["upload"].errors
    data = posted(mapped.context["mapping"])
    preview = client.post(url, {**data, "step": "preview"})
    assert preview.context["step"] == "preview"
    assert [(r.where, r.errors) for r in preview.context["records"] if r.errors] == []
    assert not strategy.actions.exists()  # nothing saved by the preview
    saved = client.post(url, {**data, "step": "save"})
    assert saved.status_code == 302


def assert_loaded_as_fixture(slug, fields, copy):
    original = Strategy.objects.get(slug=slug)
    expected = [described(a, fields) for a in original.actions.order_by("order", "reference")]
    assert [described(a, fields) for a in copy.actions.order_by("order")] == expected
    if "measure" in fields:
        # Each measure and its evidence, word for word, one by one.
        assert measures_of(copy) == measures_of(original)


def measures_of(strategy) -> list[tuple[int, int, str, str]]:
    order = ("recommendation__outcome__number", "recommendation__number", "number")
    measures = SuccessMeasure.objects.filter(recommendation__outcome__strategy=strategy).order_by(*order)
    return [
        (m.recommendation.outcome.number, m.recommendation.number, m.measure, m.indicator)
        for m in measures.select_related("recommendation__outcome")
    ]


@pytest.mark.parametrize(("slug", "fields", "landscape"), DOCUMENTS, ids=[pdf_name(s, o) for s, _, o in DOCUMENTS])
def test_libreoffices_pdf_loads_the_strategy(planner_client, copy, slug, fields, landscape):
    call_command("loaddata", "teams", slug, verbosity=0)
    load_through_the_admin(planner_client, copy, (PDFS / pdf_name(slug, landscape)).read_bytes())
    assert_loaded_as_fixture(slug, fields, copy)


PRINTED = [
    (
        "leicestershire-cfs-2016-17",
        ["outcome", "recommendation", "rationale", "action", "lead_teams", "timescale", "measure", "indicator"],
        True,
        True,
    ),
    (
        "lincolnshire-cs-2014-16",
        ["outcome", "action", "lead_teams", "timescale", "framework_link", "estimated_cost"],
        False,
        True,
    ),
    (
        "leicester-city-ecs-2017-20",
        ["outcome", "recommendation", "reference", "action", "lead_teams", "timescale", "framework_link"],
        True,
        False,
    ),
]


@pytest.mark.parametrize(("slug", "fields", "ruled", "landscape"), PRINTED, ids=[p[0] for p in PRINTED])
def test_weasyprints_pdf_loads_the_strategy(planner_client, copy, slug, fields, ruled, landscape):
    call_command("loaddata", "teams", slug, verbosity=0)
    rows = plan_rows(Strategy.objects.get(slug=slug), fields)
    repeated = {i for i, name in enumerate(fields) if name in MERGED}
    merged, blank = (repeated, set()) if ruled else (set(), repeated)
    headers = [COLUMNS[name][0] for name in fields]
    spaced = slug in SPACED  # its paragraphs spaced apart, as LibreOffice's PDF of it spaces them
    content = build_pdf(rows, headers, merged=merged, blank=blank, ruled=ruled, landscape=landscape, paragraphs=spaced)
    load_through_the_admin(planner_client, copy, content)
    assert_loaded_as_fixture(slug, fields, copy)


def test_the_upload_form_names_both_types_it_takes(planner_client, copy):
    url = reverse(URL)
    form = planner_client.get(url).context["upload"]
    assert form["document"].label == "Word document (.docx) or PDF"
    response = planner_client.post(
        url, {"step": "upload", "strategy": copy.pk, "document": SimpleUploadedFile("plan.doc", b"x")}
    )
    assert response.context["upload"].errors["document"] == [
        "Choose a Word document saved as .docx, or a PDF (not .doc or any other type)."
    ]


def test_a_refused_pdf_is_shown_on_the_upload_form(planner_client, copy):
    response = planner_client.post(
        reverse(URL), {"step": "upload", "strategy": copy.pk, "document": SimpleUploadedFile("plan.pdf", b"%PDF-1.7")}
    )
    assert response.context["step"] == "upload"
    assert "The file could not be read as a PDF." in response.content.decode()


#: The PDFs of documents with every column their fixture fills (the portrait copy of Leicester
#: City's plan leaves out its recommendations and framework links, so it cannot match whole).
WHOLE = [
    document for document in DOCUMENTS if "recommendation" in document[1] or document[0] == "lincolnshire-cs-2014-16"
]


@pytest.mark.parametrize(("slug", "fields", "landscape"), WHOLE, ids=[pdf_name(s, o) for s, _, o in WHOLE])
def test_libreoffices_pdf_matches_the_fixture_as_the_word_import_checks_it(planner, slug, fields, landscape):
    call_command("loaddata", "teams", slug, verbosity=0)
    names = Team.objects.values_list("name", flat=True)
    tables = read_pdf_tables(
        SimpleUploadedFile("plan.pdf", (PDFS / pdf_name(slug, landscape)).read_bytes()), names=names
    )
    assert_matches_fixture(slug, tables, user=planner)
