"""A property of what is published: nothing internal ever leaves.

Hypothesis draws strategies of a few actions over the quarters of 2016/17, each update with
every status and RAG rating, and puts a marked text ("SECRET-<n>") in every internal field:
requests for help, DMT's decisions, reasons for on hold or cancelled, next steps, evidence,
the action's notes, lead officers (as the document names them and as accounts), the authors
of updates and who recorded a decision, the strategic lead, the reasons for reopening, and
every text of the quarters not published (their progress, their key messages). One quarter
is published, with a random set of earlier quarters as its trend and random commentaries
withheld (their progress marked too). No marked text may appear anywhere in what the public
reads: the snapshot and every open data file.
"""

import datetime
import itertools
import json
import os

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.models import Action
from publishing.public_data import open_data_files, public_snapshot
from reporting import services
from reporting.models import RAG, DmtDecision, PeriodEvent, ProgressUpdate, ReportingPeriod, Status
from tests import factories
from workforce.quarters import Quarter

pytestmark = pytest.mark.django_db

MARK = "SECRET-"
YEAR = 2016
PUBLIC_TEAMS = ["Strategic HR", "Corporate Comms Team", "Principal Social Worker"]

update_values = st.one_of(
    st.none(), st.tuples(st.sampled_from(list(Status.values)), st.sampled_from(["", *RAG.values]))
)


@st.composite
def histories(draw):
    """Quarters, the one published (and whether it is still open), its trend, and the actions."""
    quarters = sorted(draw(st.sets(st.integers(1, 4), min_size=1, max_size=4)))
    published = draw(st.sampled_from(quarters))
    actions = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "outcome": st.integers(0, 1),
                    "teams": st.sets(st.sampled_from(PUBLIC_TEAMS), max_size=2),
                    "officer_account": st.booleans(),
                    "ongoing": st.booleans(),
                    "due": st.sampled_from([None, datetime.date(2016, 8, 31), datetime.date(2017, 3, 31)]),
                    "updates": st.fixed_dictionaries(dict.fromkeys(quarters, update_values)),
                    "withheld": st.booleans(),
                }
            ),
            min_size=1,
            max_size=6,
        )
    )
    return {
        "quarters": quarters,
        "published": published,
        "open": draw(st.booleans()),
        "trend": sorted(draw(st.sets(st.sampled_from([q for q in quarters if q < published] or [published])))),
        "reopened": draw(st.booleans()),
        "actions": actions,
    }


class Marks:
    """Marked texts, each different, so that a leak names the field it came from."""

    def __init__(self):
        self.counter = itertools.count(1)

    def __call__(self, what: str) -> str:
        return f"{MARK}{next(self.counter)} {what}"


def person(marks: Marks, what: str):
    return factories.UserFactory(
        username=marks(what).replace(" ", "-").lower(),
        first_name=marks(f"{what} first name"),
        last_name=marks(f"{what} last name"),
        email=f"{marks(what).replace(' ', '-').lower()}@example.gov.uk",
    )


def build(history: dict, planner) -> dict:
    """The strategy in the database, every internal field marked; the published quarter's
    progress and key messages left unmarked, as the public may read them."""
    marks = Marks()
    strategy = factories.StrategyFactory(slug="published-strategy", title="Workforce Strategy 2016/17")
    outcomes = [
        factories.OutcomeFactory(strategy=strategy, number=n + 1, narrative=marks("outcome narrative"))
        for n in range(2)
    ]
    teams = {name: factories.TeamFactory(name=name) for name in PUBLIC_TEAMS}
    published = history["published"]
    periods = {}
    for number in history["quarters"]:
        is_open = number == published and history["open"]
        periods[number] = factories.ReportingPeriodFactory(
            strategy=strategy,
            year=YEAR,
            number=number,
            state=ReportingPeriod.State.OPEN if is_open else ReportingPeriod.State.CLOSED,
            key_messages="The quarter in brief." if number == published else marks(f"key messages of Q{number}"),
            strategic_lead=marks("strategic lead"),
        )
    if history["reopened"]:
        PeriodEvent.objects.create(
            period=periods[published], kind=PeriodEvent.Kind.REOPENED, by=person(marks, "reopener"), reason=marks("why")
        )
    actions, withheld = [], {}
    for index, spec in enumerate(history["actions"]):
        action = Action.objects.create(
            strategy=strategy,
            outcome=outcomes[spec["outcome"]],
            reference=f"{spec['outcome'] + 1}.1.{index + 1}",
            order=index + 1,
            description=f"Action {index + 1}",
            timescale="By March 2017",
            due_date=spec["due"],
            is_ongoing=spec["ongoing"],
            lead_officer=marks("lead officer as the document names them"),
            lead_officer_user=person(marks, "lead officer's account") if spec["officer_account"] else None,
            notes=marks("the action's notes"),
        )
        action.lead_teams.set([teams[name] for name in spec["teams"]])
        actions.append(action)
        for number, update in spec["updates"].items():
            if update is None:
                continue
            status, rag = update
            public = number == published and not spec["withheld"]
            written = ProgressUpdate.objects.create(
                action=action,
                period=periods[number],
                status=status,
                rag="" if status == Status.COMPLETE else rag,
                completed_on=Quarter(YEAR, number).start if status == Status.COMPLETE else None,
                progress=f"Progress of action {index + 1}" if public else marks(f"progress in Q{number}"),
                next_steps=marks("next steps"),
                evidence=marks("evidence"),
                help_needed=marks("help needed from DMT"),
                reason=marks("reason for on hold or cancelled"),
                author=person(marks, "author"),
            )
            DmtDecision.objects.create(
                update=written, outcome="agreed", note=marks("DMT's decision"), decided_by=person(marks, "DMT member")
            )
        if spec["withheld"]:
            withheld[action.pk] = "Personal information"
    # A closed quarter reads each action's state as recorded at closing, as one closed through
    # the product does.
    for period in periods.values():
        if not period.is_open:
            services.period_states_record(period)
    return {
        "period": ReportingPeriod.objects.get(pk=periods[published].pk),
        "trend": [periods[number] for number in history["trend"]],
        "withheld": withheld,
    }


def published_texts(built: dict) -> dict[str, str]:
    """Everything the public reads of the published quarter, by name, as text."""
    snapshot = public_snapshot(built["period"], withheld=built["withheld"], trend_periods=built["trend"])
    files = open_data_files(
        snapshot,
        version=1,
        published_at=datetime.datetime(2017, 2, 3, tzinfo=datetime.UTC),
        licence_url="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    )
    return {"snapshot": json.dumps(snapshot, ensure_ascii=False)} | {
        name: content.decode("utf-8-sig") for name, content in files.items()
    }


@settings(
    max_examples=int(os.environ.get("PUBLIC_PROPERTY_EXAMPLES", "10")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=histories())
def test_no_internal_text_is_published(planner, history):
    # Examples share the test's transaction: each builds inside a savepoint and rolls it back.
    with transaction.atomic():
        built = build(history, planner)
        texts = published_texts(built)
        for name, text in texts.items():
            assert MARK not in text, (name, text[text.index(MARK) : text.index(MARK) + 80])
        # What is public is there: each action, and the withheld ones' reason.
        for action in Action.objects.all():
            assert f'"{action.reference}"' in texts["snapshot"]
        if built["withheld"]:
            assert "Personal information" in texts["actions.csv"]
        transaction.set_rollback(True)
