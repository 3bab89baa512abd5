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
import io
import itertools
import json
import os
import re

import pypdf
import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.models import Action
from publishing import services as publishing_services
from publishing.models import PublishedVersion
from publishing.public_data import open_data_files, public_snapshot
from publishing.public_views import SERVED_FILES
from reporting import services
from reporting.models import RAG, DmtDecision, PeriodEvent, ProgressUpdate, ReportingPeriod, Status
from tests import factories
from workforce.quarters import Quarter
from workforce.roles import DMT

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


def public_text(number: int) -> str:
    """What the public may read of quarter `number` in that quarter's own report only."""
    return f"PUBLIC-Q{number}"


def build(history: dict, planner, *, publish: bool = False) -> dict:
    """The strategy in the database, every internal field marked; the progress and key
    messages of the quarters published left unmarked (`public_text`), as the public may read
    them. With `publish`, the quarter published is closed, as publishing needs."""
    marks = Marks()
    strategy = factories.StrategyFactory(slug="published-strategy", title="Workforce Strategy 2016/17")
    outcomes = [
        factories.OutcomeFactory(strategy=strategy, number=n + 1, narrative=marks("outcome narrative"))
        for n in range(2)
    ]
    teams = {name: factories.TeamFactory(name=name) for name in PUBLIC_TEAMS}
    published = history["published"]
    # The quarters the public reads: the one published, and those of its trend (published
    # before it). Their texts are public, each in its own quarter's report only.
    public_quarters = {published, *history["trend"]}
    periods = {}
    for number in history["quarters"]:
        is_open = number == published and history["open"] and not publish
        periods[number] = factories.ReportingPeriodFactory(
            strategy=strategy,
            year=YEAR,
            number=number,
            state=ReportingPeriod.State.OPEN if is_open else ReportingPeriod.State.CLOSED,
            key_messages=f"Key messages {public_text(number)}"
            if number in public_quarters
            else marks(f"key messages of Q{number}"),
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
            public = number in public_quarters and not (number == published and spec["withheld"])
            written = ProgressUpdate.objects.create(
                action=action,
                period=periods[number],
                status=status,
                rag="" if status == Status.COMPLETE else rag,
                completed_on=Quarter(YEAR, number).start if status == Status.COMPLETE else None,
                progress=f"Progress of action {index + 1}, {public_text(number)}"
                if public
                else marks(f"progress in Q{number}"),
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
        "marks": marks,
        "actions": actions,
    }


def assert_nothing_internal(texts: dict[str, str], *, other_quarters: list[int]) -> None:
    """No marked text in any of `texts`, nor the public text of `other_quarters`."""
    for name, text in texts.items():
        flat = re.sub(r"\s+", "", text)  # a PDF's text may break a line anywhere
        for mark in [MARK, *(public_text(number) for number in other_quarters)]:
            assert mark not in text and mark.replace(" ", "") not in flat, (name, mark, _around(text, flat, mark))


def _around(text: str, flat: str, mark: str) -> str:
    where = text if mark in text else flat
    at = where.index(mark.replace(" ", "") if mark not in text else mark)
    return where[max(0, at - 40) : at + 80]


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
        number = history["published"]
        assert_nothing_internal(texts, other_quarters=[q for q in history["quarters"] if q != number])
        # What is public is there: each action, and the withheld ones' reason.
        for action in Action.objects.all():
            assert f'"{action.reference}"' in texts["snapshot"]
        if built["withheld"]:
            assert "Personal information" in texts["actions.csv"]
        transaction.set_rollback(True)


# --- Published through the product: every public page, PDF, file and the feed -------------------


def publish(built: dict, history: dict, planner) -> dict[int, list[str]]:
    """The trend's quarters and then the quarter itself signed off by a DMT member and
    published, its commentaries withheld first, then corrected: {quarter: its public addresses}."""
    period = built["period"]
    marks = built["marks"]
    # The planner who withholds, publishes and corrects is a person too.
    planner.username, planner.email = marks("planner").replace(" ", "-"), f"{marks('planner').replace(' ', '-')}@x.uk"
    planner.first_name, planner.last_name = marks("planner's first name"), marks("planner's last name")
    planner.save()
    approver = person(marks, "DMT member who signed it off")
    approver.groups.add(Group.objects.get(name=DMT))
    quarters = {p.number: p for p in ReportingPeriod.objects.filter(strategy=period.strategy)}
    numbers = [*(n for n in history["trend"] if n < period.number), period.number]
    for number in numbers:
        quarter = quarters[number]
        services.period_sign_off(period=quarter, user=planner, approver=approver, approved_on=datetime.date(2017, 5, 2))
        if number == period.number:
            for action in built["actions"]:
                if action.pk in built["withheld"]:
                    publishing_services.commentary_withhold(
                        period=quarter, action=action, user=planner, reason=built["withheld"][action.pk]
                    )
        publishing_services.report_publish(period=quarter, user=planner)
    publishing_services.report_correct(period=period, user=planner, reason="Corrected the status of 1.1.1")
    addresses = {}
    for version in PublishedVersion.objects.select_related("publication"):
        publication = version.publication
        page = version.get_absolute_url()
        addresses.setdefault(publication.number, [publication.get_absolute_url()])
        addresses[publication.number] += [page, *(page + name for name in sorted(SERVED_FILES))]
    return addresses


def read(client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, address
    if address.endswith(".pdf"):
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    return response.content.decode("utf-8-sig")


@settings(
    max_examples=int(os.environ.get("PUBLIC_PROPERTY_EXAMPLES", "5")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=histories())
def test_no_internal_text_is_in_any_public_page_pdf_file_or_feed(planner, history):
    """Published through the product: the index, the feed, and every version's page, PDF and
    open data, as anyone reads them without signing in."""
    client = Client()
    with transaction.atomic():
        built = build(history, planner, publish=True)
        addresses = publish(built, history, planner)
        everywhere = {address: read(client, address) for address in ("/published/", "/published/feed.atom")}
        assert_nothing_internal(everywhere, other_quarters=history["quarters"])
        for number, quarter_addresses in addresses.items():
            texts = {address: read(client, address) for address in quarter_addresses}
            assert_nothing_internal(texts, other_quarters=[q for q in history["quarters"] if q != number])
        # What is public is there: the quarter's own progress, and a withheld one's reason.
        page = read(client, addresses[history["published"]][0])
        assert f"Key messages {public_text(history['published'])}" in page
        if built["withheld"]:
            assert "Personal information" in page
        transaction.set_rollback(True)
