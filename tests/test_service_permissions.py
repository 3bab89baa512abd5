"""Every write service checks who is acting itself, whatever page, command or admin calls it.

Each service is called by each kind of person: a planner, a manager who leads the action, a
DMT member, a signed-up person with no role, and a planner whose account is deactivated.
Only those the rule allows get through (a planner everywhere; a manager for the updates of
an action they lead); everyone else is refused with PermissionDenied and nothing is written:
not a row anywhere in the product's tables, not an email.

`test_every_write_service_is_walked` fails when a service module gains a public function
that is neither walked here nor named as a read or check, so a new service cannot skip this.
"""

import datetime
import inspect
from collections.abc import Callable
from types import ModuleType

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from actions import services as action_services
from actions import word_import, word_tables
from actions.services import Carried
from publishing import services as publishing_services
from publishing.models import Publication, PublishedVersion, Withholding
from reporting import reminders, services
from reporting.models import RAG, DmtDecision, Reminder, ReportingPeriod, Status
from tests import factories
from tests.actions.word_documents import build_docx
from workforce import people, sign_in
from workforce.models import ProviderGroup
from workforce.roles import DMT, MANAGER, ORGANISATIONAL_PLANNING, SCHEDULED_JOB

pytestmark = pytest.mark.django_db

ROLES = ["planner", "manager", "dmt", "no_role", "inactive"]

# The product's tables: a refused call writes none of them.
WATCHED_APPS = {"auth", "workforce", "outcomes", "actions", "reporting", "publishing"}


@pytest.fixture
def world(team):
    """A strategy with its Q3 2016/17 open, an action its team leads (missing its update, and
    a Red one asking DMT for help), a second strategy with a closed quarter, and one person
    of each kind."""
    period = factories.ReportingPeriodFactory(year=2016, number=3)
    action = factories.ActionFactory(recommendation__outcome__strategy=period.strategy, reference="1.1.1")
    action.lead_teams.set([team])
    red = factories.ActionFactory(recommendation=action.recommendation, reference="1.1.2")
    asked = factories.ProgressUpdateFactory(
        action=red, period=period, status=Status.IN_PROGRESS, rag=RAG.RED, progress="Late", help_needed="Funding"
    )
    other = factories.StrategyFactory(
        slug="workforce-2009-10",
        period_label="2009/10",
        period_start=datetime.date(2009, 4, 1),
        period_end=datetime.date(2010, 3, 31),
    )
    closed = factories.ReportingPeriodFactory(strategy=other, year=2009, number=1, state=ReportingPeriod.State.CLOSED)
    users = {
        "planner": factories.UserFactory(username="planner", groups=[ORGANISATIONAL_PLANNING], is_staff=True),
        "manager": factories.UserFactory(username="manager", groups=[MANAGER], teams=[team]),
        "dmt": factories.UserFactory(username="dmt", groups=[DMT]),
        "no_role": factories.UserFactory(username="no_role"),
        "inactive": factories.UserFactory(
            username="inactive", groups=[ORGANISATIONAL_PLANNING], is_staff=True, is_active=False
        ),
    }
    someone = factories.UserFactory(username="someone", groups=[MANAGER])
    failed = Reminder.objects.create(
        period=period, recipient=users["manager"], state=Reminder.State.FAILED, send_error="Connection refused"
    )
    failed.actions.set([action])
    # Q2 of the first strategy: closed, signed off by the DMT member, its Red action's
    # commentary withheld; and Q1, published.
    signed = factories.ReportingPeriodFactory(
        strategy=period.strategy,
        year=2016,
        number=2,
        state=ReportingPeriod.State.CLOSED,
        signed_off_by=users["dmt"],
        signed_off_on=datetime.date(2016, 10, 20),
    )
    factories.ProgressUpdateFactory(action=action, period=signed, progress="Named a colleague")
    factories.ProgressUpdateFactory(action=red, period=signed, progress="Going well")
    Withholding.objects.create(period=signed, action=red, reason="personal information")
    published = factories.ReportingPeriodFactory(
        strategy=period.strategy,
        year=2016,
        number=1,
        state=ReportingPeriod.State.CLOSED,
        signed_off_by=users["dmt"],
        signed_off_on=datetime.date(2016, 7, 20),
    )
    # Published as the service would leave it, without drawing its files (a second each).
    publication = Publication.objects.create(period=published, slug=period.strategy.slug, year=2016, number=1)
    PublishedVersion.objects.create(
        publication=publication,
        number=1,
        published_at=timezone.now(),
        strategy_title=period.strategy.title,
        quarter_label=published.label,
    )
    return {
        "group": ProviderGroup.objects.create(value="managers-group", role=MANAGER),
        "signed": signed,
        "published": published,
        "period": period,
        "action": action,
        "asked": asked,
        "closed": closed,
        "other": other,
        "someone": someone,
        "failed": failed,
        **users,
    }


def _word_tables():
    document = build_docx([["1. Stable", "7.1", "Recruit", "Summer 2017"]], ["We want", "Ref", "Action", "When"])
    return word_tables.read_tables(SimpleUploadedFile("plan.docx", document))


def _action_changed(w, user):
    action = w["action"]
    action.description = "Rewritten"
    return action_services.action_save(action=action, user=user, changed=["description"])


# Each write service, called as `user` on the world above: (name, call).
WRITES: dict[str, Callable] = {
    "reporting.services.progress_update_record": lambda w, user: services.progress_update_record(
        action=w["action"], period=w["period"], user=user, status=Status.IN_PROGRESS, rag=RAG.GREEN
    ),
    "reporting.services.period_open": lambda w, user: services.period_open(
        strategy=w["other"], year=2009, number=2, user=user
    ),
    "reporting.services.period_deadline_set": lambda w, user: services.period_deadline_set(
        period=w["period"], user=user, update_deadline=datetime.date(2017, 1, 14)
    ),
    "reporting.services.period_close": lambda w, user: services.period_close(period=w["period"], user=user),
    "reporting.services.period_reopen": lambda w, user: services.period_reopen(
        period=w["closed"], user=user, reason="A late return"
    ),
    "reporting.services.key_messages_set": lambda w, user: services.key_messages_set(
        period=w["period"], user=user, key_messages="Going well", strategic_lead="A. Lead"
    ),
    "reporting.services.dmt_decision_record": lambda w, user: services.dmt_decision_record(
        update=w["asked"], user=user, outcome=DmtDecision.Outcome.AGREED
    ),
    "reporting.reminders.reminders_send": lambda w, user: reminders.reminders_send(w["period"], user=user),
    "reporting.reminders.reminder_resend": lambda w, user: reminders.reminder_resend(reminder=w["failed"], user=user),
    "reporting.services.period_sign_off": lambda w, user: services.period_sign_off(
        period=w["closed"], user=user, approver=w["dmt"], approved_on=datetime.date(2009, 7, 20)
    ),
    "publishing.services.report_publish": lambda w, user: publishing_services.report_publish(
        period=w["signed"], user=user
    ),
    "publishing.services.report_correct": lambda w, user: publishing_services.report_correct(
        period=w["published"], user=user, reason="corrected the status of 1.1.1"
    ),
    "publishing.services.report_withdraw": lambda w, user: publishing_services.report_withdraw(
        period=w["published"], user=user, reason="It named a member of staff"
    ),
    "publishing.services.commentary_withhold": lambda w, user: publishing_services.commentary_withhold(
        period=w["signed"], action=w["action"], user=user, reason="personal information"
    ),
    "publishing.services.commentary_release": lambda w, user: publishing_services.commentary_release(
        period=w["signed"], action=w["asked"].action, user=user
    ),
    "actions.services.action_save": _action_changed,
    "actions.services.strategy_refresh": lambda w, user: action_services.strategy_refresh(
        source=w["period"].strategy,
        user=user,
        title="Workforce Strategy 2017/18",
        slug="workforce-2017-18",
        period_label="2017/18",
        period_start=datetime.date(2017, 4, 1),
        period_end=datetime.date(2018, 3, 31),
        carried=[Carried(w["action"], "1.1", "")],
    ),
    "actions.word_import.load_plan": lambda w, user: word_import.load_plan(
        w["other"],
        _word_tables(),
        [word_import.Mapping(table=1, header_rows=1, columns=["outcome", "reference", "action", "timescale"])],
        user=user,
        save=True,
    ),
    "workforce.people.person_create": lambda w, user: people.person_create(
        user=user, person=get_user_model()(username="new", email="new@example.gov.uk"), role=MANAGER
    ),
    "workforce.people.person_update": lambda w, user: people.person_update(
        user=user, person=_renamed(w["someone"]), role=DMT, teams=[]
    ),
    "workforce.people.person_deactivate": lambda w, user: people.person_deactivate(user=user, person=w["someone"]),
    "workforce.people.set_password_email_send": lambda w, user: people.set_password_email_send(
        user=user, person=w["someone"], domain="tracker.example.gov.uk", use_https=True
    ),
    "workforce.sign_in.provider_group_save": lambda w, user: sign_in.provider_group_save(
        user=user, group=ProviderGroup(value="dmt-role", role=DMT), teams=[]
    ),
    "workforce.sign_in.provider_group_delete": lambda w, user: sign_in.provider_group_delete(
        user=user, group=w["group"]
    ),
    "workforce.sign_in.sign_in_account_set": lambda w, user: sign_in.sign_in_account_set(
        user=user, person=w["someone"], link_at_next_sign_in=True, break_glass=False
    ),
}

# Who each service lets through; every other role is refused.
ALLOWED = {name: {"planner"} for name in WRITES}
ALLOWED["reporting.services.progress_update_record"] = {"planner", "manager"}  # the manager leads the action


def _renamed(person):
    person.first_name = "Renamed"
    return person


# The service modules' other public functions: reads, checks and helpers that write nothing.
NOT_WRITES = {
    "reporting.services.progress_update_validate",
    "reporting.services.progress_update_check",
    "reporting.services.period_open_check",
    "reporting.services.dmt_decision_open",
    "reporting.reminders.site_url",
    "reporting.reminders.missing_actions",
    "reporting.reminders.reminders_plan",
    "reporting.reminders.reminder_subject",
    "reporting.reminders.reminder_message",
    "reporting.reminders.error_words",
    "reporting.reminders.reminders_overview",
    "reporting.reminders.demo_emails_words",
    "actions.services.carried_timescale_error",
    "workforce.people.person_name",
    "workforce.people.person_role",
    "workforce.people.person_validate",
    "workforce.people.can_manage_person",
    "workforce.people.person_records_check",  # a check other writes call; refuses, writes nothing
    "workforce.sign_in.mapped_role_and_teams",
    "reporting.services.sign_off_approvers",
    "publishing.services.public_quarter_slug",
    "publishing.services.withheld_for",
    "publishing.services.trend_periods",
    "publishing.services.snapshot_take",
}
# Reads that take the acting user and refuse whoever the rule refuses, like a write.
READS_CHECKED: dict[str, Callable] = {
    "publishing.services.report_preview": lambda w, user: publishing_services.report_preview(
        period=w["signed"], user=user
    ),
}
# Writes no person asks for, so no person to check: what they write follows from the plan.
# `period_states_record` records each action's state as at a closed quarter; it is called
# by `period_close` (after its check), by the `record_closed_quarters` command and the demo.
# `person_sign_in` makes or refreshes the person the council's identity provider vouched for,
# with what the planners' mapping gives their groups: nobody is signed in yet to check.
NO_USER = {"reporting.services.period_states_record", "workforce.sign_in.person_sign_in"}

SERVICE_MODULES: list[ModuleType] = [services, reminders, action_services, people, sign_in, publishing_services]


def snapshot() -> dict:
    """Every row of the product's tables (history and many-to-many tables included) and
    every email sent."""
    rows = {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in WATCHED_APPS
    }
    return {"rows": rows, "mail": [(m.to, m.subject) for m in mail.outbox]}


def test_every_write_service_is_walked():
    public = {
        f"{module.__name__}.{name}"
        for module in SERVICE_MODULES
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_")
    }
    walked = {name for name in WRITES if not name.startswith("actions.word_import.")} | set(READS_CHECKED)
    assert public - NOT_WRITES - NO_USER == walked, "a public service function is neither walked nor named a read"
    for name in WRITES:
        module, function = name.rsplit(".", 1)
        signature = inspect.signature(getattr(__import__(module, fromlist=[function]), function))
        assert signature.parameters["user"].kind == inspect.Parameter.KEYWORD_ONLY, f"{name} takes `user` by keyword"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("service", WRITES)
def test_each_service_refuses_whoever_the_rule_refuses_and_writes_nothing(
    service, role, world, django_capture_on_commit_callbacks
):
    call = WRITES[service]
    before = snapshot()
    if role in ALLOWED[service]:
        with django_capture_on_commit_callbacks(execute=True):
            call(world, world[role])
        assert snapshot() != before, f"{service} wrote nothing for {role}: the walk would prove nothing"
        return
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied) as refused:
        call(world, world[role])
    assert str(refused.value), "the refusal says who may act"
    assert snapshot() == before, f"{service} wrote something for {role} although it refused"


@pytest.mark.parametrize("service", WRITES)
def test_nobody_signed_in_is_refused(service, world):
    from django.contrib.auth.models import AnonymousUser

    before = snapshot()
    with pytest.raises(PermissionDenied):
        WRITES[service](world, AnonymousUser())
    assert snapshot() == before


@pytest.mark.parametrize("service", [name for name in WRITES if name != "reporting.reminders.reminders_send"])
def test_the_scheduled_job_may_only_send_reminders(service, world):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        WRITES[service](world, SCHEDULED_JOB)
    assert snapshot() == before


def test_the_scheduled_job_sends_reminders_recorded_as_sent_by_nobody(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = reminders.reminders_send(world["period"], user=SCHEDULED_JOB)
    assert [plan.recipient for plan in result.sent] == [world["manager"]]
    assert Reminder.objects.get(state=Reminder.State.SENT).sent_by is None


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("read", READS_CHECKED)
def test_each_checked_read_refuses_whoever_the_rule_refuses(read, role, world):
    if role == "planner":
        assert READS_CHECKED[read](world, world[role])
        return
    with pytest.raises(PermissionDenied):
        READS_CHECKED[read](world, world[role])
