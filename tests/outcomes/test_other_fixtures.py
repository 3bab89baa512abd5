"""The Lincolnshire 2014-16 and Leicester City 2017-20 strategies load as their documents set them out.

The lead teams these fixtures refer to are in the project's teams fixture, so it is loaded first.
"""

from datetime import date

import pytest
from django.core.management import call_command

from actions.models import Action
from actions.timescales import parse_timescale
from outcomes.models import Outcome, Recommendation, Risk, Strategy, SuccessMeasure
from tests.counts import record_counts
from tests.outcomes.conftest import load_once
from workforce.models import Team, WorkforceIndicator

pytestmark = pytest.mark.django_db

LINCS = "lincolnshire-cs-2014-16"
LEIC = "leicester-city-ecs-2017-20"
FIXTURES = ("teams", LINCS, LEIC)

LINCS_LD = "Children's Services Learning and Development Team (Lincolnshire)"
UOL = "University of Lincoln"
WSG = "Workforce Strategy Group (Leicester City)"
OWG = "Operational Workforce Group (Leicester City)"
PSW = "Principal Social Worker (Leicester City)"
OD = "Organisational Development (Leicester City)"
HUB = "Social Care and Early Help Learning and Development Hub"
DMU = "De Montfort University"


def load():
    call_command("loaddata", *FIXTURES, verbosity=0)


loaded_once = load_once(*FIXTURES)


@pytest.fixture
def loaded(loaded_once, db):
    """The two strategies and the teams, loaded once for the module."""


@pytest.mark.parametrize(
    ("slug", "organisation", "department", "label", "start", "end", "version"),
    [
        (
            LINCS,
            "Lincolnshire County Council",
            "Children's Services",
            "2014-2016",
            date(2014, 4, 1),
            date(2016, 3, 31),
            "",
        ),
        (
            LEIC,
            "Leicester City Council",
            "Education and Children's Services",
            "2017-2020",
            date(2017, 4, 1),
            date(2020, 3, 31),
            "v2",
        ),
    ],
)
def test_strategy(loaded, slug, organisation, department, label, start, end, version):
    strategy = Strategy.objects.get(slug=slug)
    assert (strategy.organisation, strategy.department, strategy.period_label) == (organisation, department, label)
    assert (strategy.period_start, strategy.period_end, strategy.version) == (start, end, version)
    assert strategy.vision
    assert strategy.source_notes


def test_strategy_texts(loaded):
    lincs, leic = Strategy.objects.get(slug=LINCS), Strategy.objects.get(slug=LEIC)
    assert lincs.vision.startswith("Every child in every part of the county should achieve their potential")
    assert lincs.mission == ""  # the document states no mission
    assert leic.vision.startswith("Leicester City has a clear shared vision that by 2020")
    assert leic.mission.startswith("To improve the lives of Leicester City children")
    assert "monthly divisional Workforce Strategy Group" in leic.governance
    assert "SMT and DMT" in leic.governance


@pytest.mark.parametrize(
    ("slug", "outcomes"),
    [
        (
            LINCS,
            [
                (1, "Embed and deliver evidence informed approaches to improving outcomes", 6),
                (2, "Implement national and local recommendations to enhance our recruitment and development", 9),
                (3, "Implement the Lincolnshire Social Work 'Learning Authority' Strategy and concept", 10),
                (4, "Implement the Signs of Safety approach", 0),
                (5, "Embed Commissioning for Lincolnshire", 20),
            ],
        ),
        (
            LEIC,
            [
                (1, "The Children's Social Care and Early Help workforce", 1),
                (2, "Attraction and Recruitment", 6),
                (3, "Retention", 6),
                (4, "Continuous Professional Development and embedding a 'Learning Culture'", 29),
                (5, "Leicester City's social work offer", 13),
                (6, "Manage Capacity and Skill Mix", 11),
            ],
        ),
    ],
)
def test_outcomes_and_actions_per_outcome(loaded, slug, outcomes):
    found = [
        (outcome.number, outcome.title, outcome.actions.count())
        for outcome in Outcome.objects.filter(strategy__slug=slug).order_by("number")
    ]
    assert [(number, count) for number, _, count in found] == [(number, count) for number, _, count in outcomes]
    for (_, title, _), (_, expected, _) in zip(found, outcomes, strict=True):
        assert title.startswith(expected)
    assert Action.objects.filter(strategy__slug=slug).count() == sum(count for *_, count in outcomes)


def test_recommendations(loaded):
    assert not Recommendation.objects.filter(outcome__strategy__slug=LINCS).exists()
    assert not Action.objects.filter(strategy__slug=LINCS, recommendation__isnull=False).exists()
    found = [
        (rec.reference, rec.title, rec.actions.count())
        for rec in Recommendation.objects.filter(outcome__strategy__slug=LEIC)
    ]
    assert found == [
        ("4.1", "Ensuring staff have the right tools, knowledge and capability to do their jobs", 9),
        ("4.2", "Learning opportunities based around bespoke models and methodologies", 5),
        ("4.3", "Access to a range of resources and training", 8),
        ("4.4", "Evaluation", 2),
        ("4.5", "Management training", 5),
    ]
    assert Recommendation.objects.get(outcome__strategy__slug=LEIC, number=5).rationale.startswith(
        "The Division is committed to a 'grow your own' strategy"
    )
    # Only theme 4 groups its actions under recommendations.
    assert not Action.objects.filter(strategy__slug=LEIC, recommendation__isnull=True, outcome__number=4).exists()
    assert (
        not Action.objects.filter(strategy__slug=LEIC, recommendation__isnull=False).exclude(outcome__number=4).exists()
    )
    # Neither document gives measures of success or risks.
    assert not SuccessMeasure.objects.exists()
    assert not Risk.objects.exists()


@pytest.mark.parametrize("slug", [LINCS, LEIC])
def test_references_and_order_follow_the_document(loaded, slug):
    actions = list(Action.objects.filter(strategy__slug=slug).order_by("order"))
    assert [action.order for action in actions] == list(range(1, len(actions) + 1))
    for action in actions:
        expected = (
            f"{action.outcome.number}.{action.recommendation.number}."
            if action.recommendation
            else f"{action.outcome.number}."
        )
        assert action.reference.startswith(expected)
        assert action.outcome.strategy.slug == slug
        assert action.lead_officer == "" and action.estimated_cost is None and action.notes == ""
        assert "\n" not in action.description and "  " not in action.description


ACTIONS = [
    # (strategy, reference, wording starts, lead teams, timescale, framework link)
    (
        LINCS,
        "1.1",
        "Significant numbers of Children's Services practitioners have already been trained in the Triple P",
        [],
        "",
        "",
    ),
    (LINCS, "1.3", "The implementation of the Signs of Safety model", [], "", ""),
    (LINCS, "1.5", "The College of Social Work - All frontline social workers", [], "", "Standards for Employers"),
    (LINCS, "2.1", "Continuing to deliver, evaluate and develop the Assessed and Supported Year", [], "", "PCF"),
    (
        LINCS,
        "2.8",
        "Evaluation of and consultation on the development of a renewed Children's Services Core Learning",
        [],
        "In 2013 for introduction in 2014",
        "",
    ),
    (LINCS, "3.1", "Agreeing the selection criteria", [UOL], "", ""),
    (LINCS, "3.7", "The University of Lincoln will ensure that graduating students", [UOL], "", ""),
    (LINCS, "5.1", "We will ensure Children's Services leaders and managers access the LCC leadership", [], "", ""),
    (LINCS, "5.3", "Co-ordinate and deliver additional, Children's Services specific, leadership", [LINCS_LD], "", ""),
    (LINCS, "5.6", "We will continue to review and develop our annual Learning and Development Programme", [], "", ""),
    (
        LINCS,
        "5.9",
        "Understand and respond to learning needs identified through conclusions from Serious",
        [LINCS_LD],
        "",
        "",
    ),
    (
        LINCS,
        "5.12",
        "Update and widen our Legal and Court Skills training in partnership with Legal",
        [LINCS_LD],
        "",
        "",
    ),
    (
        LINCS,
        "5.20",
        "Supporting staff development and expertise by facilitating access to research",
        [LINCS_LD],
        "",
        "",
    ),
    (LEIC, "1.1", "Further work is planned to understand the profile and diversity", [], "", ""),
    (LEIC, "2.2", "September 2017, will see the start of our partnership with Frontline", [], "September 2017", ""),
    (LEIC, "3.6", "We have invested in and are committed to a 5 year implementation", [], "5 year implementation", ""),
    (LEIC, "4.1.2", "Effective management of probationary reviews and appraisals", [], "2018 onwards", ""),
    (
        LEIC,
        "4.1.9",
        "Management and Leadership training including partnership with Firstline",
        [],
        "From October 2017",
        "",
    ),
    (
        LEIC,
        "4.2.5",
        "The Division in conjunction with Organisational Development is committed to funding",
        [OD],
        "",
        "",
    ),
    (
        LEIC,
        "4.3.1",
        "Social Care and Early Help Learning and Development Hub in conjunction with De Montfort",
        [DMU, HUB],
        "",
        "",
    ),
    (LEIC, "4.3.8", "Research, articles and resources promoted via Principal Social Worker's twitter", [PSW], "", ""),
    (
        LEIC,
        "4.5.1",
        "A refreshed management and leadership training programme will be rolled out from July 2017",
        [],
        "From July 2017",
        "",
    ),
    (
        LEIC,
        "4.5.3",
        "From October 2017, the division will invest in developing the leadership skills",
        [],
        "From October 2017",
        "",
    ),
    (LEIC, "4.5.4", "The Social Worker Advanced Practitioner role (5 posts)", [], "March 2017", ""),
    (LEIC, "5.10", "Leicester City's Social Work Progression framework maps out", [OWG], "", "PCF"),
    (
        LEIC,
        "5.11",
        "Leicester is in the initial stages of planning for the national implementation",
        ["Children's Social Care (Leicester City)"],
        "",
        "KSS",
    ),
    (LEIC, "5.13", "An initial small scale bid was submitted unsuccessfully to the DfE", [PSW], "", ""),
    (LEIC, "6.2", "We maintain and monitor how Social Care and Early Help key policies", [WSG], "", ""),
    (LEIC, "6.5", "The Children and Social Work Act 2017 has a number of implications", [WSG], "", ""),
    (LEIC, "6.7", "The division is committed to supporting employees to maximise the benefit", [OD], "", ""),
]


@pytest.mark.parametrize(("slug", "reference", "wording", "leads", "timescale", "framework"), ACTIONS)
def test_action(loaded, slug, reference, wording, leads, timescale, framework):
    action = Action.objects.get(strategy__slug=slug, reference=reference)
    assert action.description.startswith(wording)
    assert sorted(action.lead_teams.values_list("name", flat=True)) == sorted(leads)
    assert action.timescale == timescale
    assert action.framework_link == framework


def test_only_these_actions_have_timescales(loaded):
    with_timescale = {
        (action.strategy.slug, action.reference): action.timescale for action in Action.objects.exclude(timescale="")
    }
    assert with_timescale == {
        (slug, reference): timescale for slug, reference, _, _, timescale, _ in ACTIONS if timescale
    }


def test_stored_dates_are_what_the_timescale_says(loaded):
    actions = Action.objects.filter(strategy__slug__in=[LINCS, LEIC])
    assert actions.count() == 111
    for action in actions:
        if action.timescale:
            parsed = parse_timescale(action.timescale)
            expected = (parsed.start, parsed.due, parsed.ongoing)
        else:
            expected = (None, None, False)
        assert (action.start_date, action.due_date, action.is_ongoing) == expected, action.reference
    frontline = actions.get(strategy__slug=LEIC, reference="2.2")
    assert (frontline.start_date, frontline.due_date) == (date(2017, 9, 1), date(2017, 9, 30))


@pytest.mark.parametrize(
    ("name", "kind", "actions"),
    [
        (LINCS_LD, "departmental", 17),
        (UOL, "partner", 10),
        (WSG, "board", 3),
        (OWG, "board", 1),
        (PSW, "role", 2),
        ("Advanced Practitioners (Leicester City)", "role", 1),
        (OD, "corporate", 3),
        ("Quality Assurance Team (Leicester City)", "departmental", 1),
        ("Children's Social Care (Leicester City)", "departmental", 1),
        ("Adults' Services (Leicester City)", "corporate", 1),
        (HUB, "departmental", 1),
        (DMU, "partner", 3),
    ],
)
def test_lead_teams(loaded, name, kind, actions):
    team = Team.objects.get(name=name)
    assert team.kind == kind
    assert team.led_actions.filter(strategy__slug__in=[LINCS, LEIC]).count() == actions


def test_workforce_indicators(loaded):
    indicators = WorkforceIndicator.objects.filter(strategies__slug=LEIC).order_by("order")
    assert [(i.name, i.unit, i.higher_is_better, i.target) for i in indicators] == [
        ("% of people having professional supervision", "%", True, None),
        ("% of people having an annual appraisal and career discussions", "%", True, None),
        ("% of completed specified learning needs in personal development plans", "%", True, None),
        ("% of people receiving professional or additional qualifications", "%", True, None),
        ("% of people completing compliance training", "%", True, None),
        ("% absence rates", "%", False, None),
        ("% vacancies", "%", False, None),
        ("% of agency staff", "%", False, None),
    ]
    assert not WorkforceIndicator.objects.filter(strategies__slug=LINCS).exists()


def test_loading_twice_changes_no_count():
    load()
    before = record_counts()
    load()
    assert record_counts() == before
