"""The Leicestershire CFS Workforce Strategy 2016/17 fixture: what the document says, loaded in place.

The figures and cells below were read from the source document (Leicestershire County
Council, Children and Family Services Workforce Strategy 2016/17), not from the fixture.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from actions.models import Action
from actions.timescales import parse_timescale
from outcomes.models import Recommendation, Strategy, SuccessMeasure
from tests.counts import record_counts
from tests.outcomes.conftest import load_once
from workforce.models import Team

SLUG = "leicestershire-cfs-2016-17"

OP = "Organisational Planning"
CC = "Corporate Comms Team"
DSS = "Development and Support Services"
PSW = "Principal Social Worker"
SHR = "Strategic HR"
OD = "Organisational Development"
HOS = "Heads of Strategy"
SM = "Service Managers"

# outcome number: (recommendations, actions, measures of success)
PER_OUTCOME = {1: (1, 7, 1), 2: (5, 17, 10), 3: (1, 7, 5), 4: (1, 3, 3)}
RISKS = 8

LEAD_TEAM_KINDS = {
    "Commissioning and Procurement": "departmental",
    CC: "corporate",
    DSS: "departmental",
    "Head of Strategy SEND": "role",
    "Head of Strategy, Business Support": "role",
    HOS: "role",
    "LSCB": "board",
    OD: "corporate",
    OP: "departmental",
    PSW: "role",
    "SEND Board": "board",
    SM: "role",
    SHR: "corporate",
}

ACTIONS = [
    # (reference, description begins, lead teams, timescale as written)
    ("1.1.1", "Scope out and write Workforce Engagement Plan - ensuring that", {OP}, "March-April 2016"),
    ("1.1.2", "Ensure involvement in development of new LCC Intranet", {OP}, "January-February 2016"),
    (
        "1.1.3",
        "Implementation of Workforce Engagement Plan through use of new LCC Intranet",
        {OP, CC},
        "March 2016 (and ongoing - contingent on development of LCC Intranet)",
    ),
    ("1.1.4", "The department's Quality Assurance and Improvement Framework (QAIF)", {OP, DSS}, "Ongoing"),
    ("1.1.5", "Develop a mechanism for ensuring that there is a consistency", {OP, DSS, PSW}, "Ongoing"),
    (
        "1.1.6",
        "Explore opportunities for developing a staff Health Check for education staff",
        {OP},
        "March 2016 (with survey to take place later in 2016)",
    ),
    ("1.1.7", "Where feedback is provided through staff engagement", {OP}, "May 2016 (and then ongoing)"),
    ("2.1.1", "Undertake Workforce Planning Exercise", {OP}, "February - March 2016"),
    ("2.1.2", "Use findings from the Workforce Planning Exercise", {OP, SHR, OD}, "April 2016"),
    ("2.1.3", "Utilise Workforce Profile to collaborate statutory", {OP, DSS}, "April 2016 (and then ongoing)"),
    (
        "2.2.1",
        "Make use of the Learning Management System (LMS - expected February 2016)",
        {OD, OP, DSS},
        "February 2016 (and then monthly reports)",
    ),
    ("2.3.1", "Explore further opportunities for using information from Professional", {OD, OP}, "March - June 2016"),
    ("2.3.2", "Scope out and implement a Departmental Training Plan", {OD}, "January-February 2016"),
    (
        "2.3.5",
        "Ensure links to training programme for sustained roll-out of Growing",
        {OD, PSW},
        "January-February 2016",
    ),
    ("2.3.8", "Develop a mechanism for getting better feedback from Organisational", {OP, OD}, "March 2016"),
    ("2.4.1", "Involvement in the development and implementation of the Corporate", {SHR}, "Ongoing"),
    ("2.5.2", "Ensure all staff understand Corporate policy", {HOS, SM}, "Ongoing"),
    (
        "2.5.3",
        "Support development of and implement actions arising from the Health",
        {"Head of Strategy, Business Support"},
        "Ongoing",
    ),
    ("3.1.2", "Ensure continued promotion of opportunities and access to leadership", {OD}, "Ongoing"),
    ("3.1.4", "The Principal Social Worker will continue to identify practice issues", {PSW}, "Ongoing"),
    ("3.1.5", "Implement Corporate and Departmental Guidance concerning supervision", {HOS, SM, DSS}, "Ongoing"),
    ("3.1.6", "Staff (particularly new starters) will be supported", {SM, DSS}, "Ongoing"),
    ("3.1.7", "Ensure that all managers (including Heads of Strategy", {OP}, "December 2015 (and then ongoing)"),
    ("4.1.1", "Build on existing inter-professional and multi-agency training", {OD, "LSCB"}, "Ongoing"),
    (
        "4.1.2",
        "Where partnership arrangements are considered",
        {HOS, SM, "Commissioning and Procurement"},
        "Ongoing",
    ),
    (
        "4.1.3",
        "Scope' local offer' for training around SEND",
        {OD, "SEND Board", "Head of Strategy SEND"},
        "Ongoing",
    ),
]


def load_fixtures() -> None:
    call_command("loaddata", "teams", "leicestershire-cfs-2016-17", verbosity=0)


loaded_once = load_once("teams", "leicestershire-cfs-2016-17")


@pytest.fixture
def strategy(loaded_once, db):
    """The strategy, loaded once for the module with its teams."""
    return Strategy.objects.get(slug=SLUG)


@pytest.mark.django_db
def test_strategy_as_the_document_describes_it(strategy):
    assert strategy.organisation == "Leicestershire County Council"
    assert strategy.department == "Children and Family Services"
    assert strategy.period_label == "2016/17"
    assert (strategy.period_start, strategy.period_end) == (date(2016, 4, 1), date(2017, 3, 31))
    assert strategy.vision.startswith("Leicestershire is the best place for children, young people and")
    assert strategy.mission.startswith("Children and young people in Leicestershire are safe")
    assert "quarterly progress reports" in strategy.governance
    assert "Departmental Management Team (DMT)" in strategy.governance
    assert strategy.version == "4"


@pytest.mark.django_db
def test_four_workforce_outcomes(strategy):
    outcomes = list(strategy.outcomes.order_by("number"))
    assert [o.number for o in outcomes] == [1, 2, 3, 4]
    assert outcomes[0].title == "a workforce with a shared vision and purpose"
    assert outcomes[2].title == "strong and inspirational leaders"
    assert all(o.narrative.strip() for o in outcomes)


@pytest.mark.django_db
def test_extraction_artefacts_tidied(strategy):
    texts = [r.rationale for r in Recommendation.objects.filter(outcome__strategy=strategy)]
    texts += [a.description + " " + a.timescale for a in strategy.actions.all()]
    texts += [m.indicator for m in SuccessMeasure.objects.filter(recommendation__outcome__strategy=strategy)]
    for artefact in ("JanuaryFebruary", "up-todate", "highquality", "personcentred", "from staff Staff Survey"):
        assert not [t for t in texts if artefact in t], artefact
    assert "up-to-date key messages" in strategy.outcomes.get(number=1).recommendations.get().rationale


@pytest.mark.django_db
@pytest.mark.parametrize(("number", "expected"), PER_OUTCOME.items())
def test_counts_per_outcome(strategy, number, expected):
    outcome = strategy.outcomes.get(number=number)
    recommendations, actions, measures = expected
    assert outcome.recommendations.count() == recommendations
    assert outcome.actions.count() == actions
    assert SuccessMeasure.objects.filter(recommendation__outcome=outcome).count() == measures


@pytest.mark.django_db
def test_risks_and_controls(strategy):
    risks = list(strategy.risks.order_by("number"))
    assert len(risks) == RISKS
    assert [r.number for r in risks] == list(range(1, RISKS + 1))
    assert all(r.control.strip() for r in risks)
    assert risks[2].risk.startswith("The LCC intranet is not developed as a")
    assert risks[2].control.startswith("Involvement in the development and design of the intranet")
    # The document gives no likelihood or impact.
    assert all(r.likelihood == "" and r.impact == "" for r in risks)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reference", "begins", "lead_teams", "timescale"),
    [pytest.param(*case, id=case[0]) for case in ACTIONS],
)
def test_action_as_written(strategy, reference, begins, lead_teams, timescale):
    action = Action.objects.get(strategy=strategy, reference=reference)
    assert action.description.startswith(begins)
    assert {team.name for team in action.lead_teams.all()} == lead_teams
    assert action.timescale == timescale
    outcome_number, recommendation_number, _ = reference.split(".")
    assert action.outcome.number == int(outcome_number)
    assert action.recommendation.number == int(recommendation_number)
    assert action.recommendation.outcome_id == action.outcome_id


@pytest.mark.django_db
def test_actions_in_document_order(strategy):
    actions = list(strategy.actions.order_by("order"))
    assert [a.order for a in actions] == list(range(1, len(actions) + 1))
    assert len(actions) == sum(n_actions for _, n_actions, _ in PER_OUTCOME.values())
    keys = [tuple(int(part) for part in a.reference.split(".")) for a in actions]
    assert keys == sorted(keys)


@pytest.mark.django_db
def test_every_action_dates_follow_its_timescale(strategy):
    for action in strategy.actions.all():
        parsed = parse_timescale(action.timescale)
        assert parsed.readable, action.reference
        assert (action.start_date, action.due_date, action.is_ongoing) == (
            parsed.start,
            parsed.due,
            parsed.ongoing,
        ), action.reference


@pytest.mark.django_db
def test_every_action_has_a_lead_team(strategy):
    without = [a.reference for a in strategy.actions.all() if not a.lead_teams.exists()]
    assert without == []


@pytest.mark.django_db
def test_lead_teams_and_their_kinds(strategy):
    leading = Team.objects.filter(led_actions__strategy=strategy).distinct()
    assert {team.name: team.kind for team in leading} == LEAD_TEAM_KINDS
    # Corporate teams, roles and boards sit outside the department's service areas.
    assert all(team.service_area is None for team in leading if team.kind != Team.Kind.DEPARTMENTAL)
    assert Team.objects.get(name=OP).service_area.directorate.name == "Commissioning & Development"


@pytest.mark.django_db
def test_a_100_percent_target_is_numeric(strategy):
    measures = SuccessMeasure.objects.filter(recommendation__outcome__strategy=strategy, indicator__contains="100%")
    assert measures.exists()
    for measure in measures:
        assert measure.target_value == Decimal("100")
        assert measure.target_unit == "%"
    mandatory = measures.get(recommendation__outcome__number=2, recommendation__number=2)
    assert "completing mandatory training" in mandatory.measure


@pytest.mark.django_db
def test_loading_again_changes_nothing(strategy):
    before = record_counts()
    dates = sorted(strategy.actions.values_list("reference", "start_date", "due_date", "is_ongoing"))
    load_fixtures()
    assert record_counts() == before
    assert sorted(strategy.actions.values_list("reference", "start_date", "due_date", "is_ongoing")) == dates


# Each measure of success on its own, per recommendation, with the start of its evidence.
MEASURES = {
    "1.1": [("All staff will be able to articulate", ["Feedback from staff - Staff Survey", "Positive feedback"])],
    "2.1": [
        ("Workforce profile and analysis completed", ["Feedback from staff - Staff Survey"]),
        ("Workforce planning is an integral part", ["Feedback from children, young people and families"]),
        ("As a department, we are able to demonstrate", ["Positive feedback from external scrutiny"]),
        ("Children, young people and families in Leicestershire feel", ["More accurate and readily available data"]),
    ],
    "2.2": [
        ("Increase in the number of staff", ["Training Reports (via LMS"]),
        ("Ongoing training needs of staff are better addressed", ["Positive feedback from staff"]),
    ],
    "2.3": [
        ("Staff have received the training", ["Feedback from staff - Staff Survey"]),
        ("Growing knowledge and skills", ["Positive feedback from external scrutiny", "Feedback from children"]),
    ],
    "2.4": [("Fewer procedural issues", ["Corporate Recruitment and Retention Strategy completed"])],
    "2.5": [
        (
            "Greater productivity; less absenteeism",
            ["Feedback from staff", "Reduced absenteeism rates", "Feedback from children", "Positive feedback"],
        )
    ],
    "3.1": [
        ("Improved training opportunities for managers", ["Feedback from staff - Staff Survey"]),
        ("Managers who understand and can undertake workforce planning", ["Training reports"]),
        ("Leaders have a better understanding of their workforce", ["Supervision audits and Annex F Audits"]),
        ("Managers can support staff effectively through change", ["Numbers of managers having completed"]),
        ("Managers are more proficient in service planning", ["In 2017/18 managers are undertaking"]),
    ],
    "4.1": [
        ("Shared training opportunities", ["Departmental Training Plan"]),
        ("Specifications for commissioned services", ["Commissioned service specifications"]),
        ("CFS is a lead organisation in the local offer", ["Joint Working Arrangements"]),
    ],
}


@pytest.mark.django_db
def test_each_measure_of_success_is_its_own_record_with_its_evidence(strategy):
    measures = SuccessMeasure.objects.filter(recommendation__outcome__strategy=strategy).select_related(
        "recommendation__outcome"
    )
    found = {}
    for measure in measures.order_by("recommendation__outcome__number", "recommendation__number", "number"):
        found.setdefault(measure.recommendation.reference, []).append(measure)
    assert list(found) == list(MEASURES)
    assert sum(len(expected) for expected in MEASURES.values()) == measures.count() == 19
    for reference, expected in MEASURES.items():
        assert [m.number for m in found[reference]] == list(range(1, len(expected) + 1)), reference
        for measure, (start, evidence) in zip(found[reference], expected, strict=True):
            assert measure.measure.startswith(start), (reference, measure.measure)
            assert "\n" not in measure.measure, (reference, measure.measure)
            paragraphs = measure.indicator.split("\n")
            assert len(paragraphs) == len(evidence), (reference, measure.indicator)
            for paragraph, beginning in zip(paragraphs, evidence, strict=True):
                assert paragraph.startswith(beginning), (reference, paragraph)
