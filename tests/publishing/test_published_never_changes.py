"""What is published never changes: after everything that can change in the product has
changed, every file of a published version, kept and served, is byte for byte what it was."""

import datetime

import pytest

from actions import services as action_services
from actions.services import Carried
from publishing import services
from publishing.models import PublishedFile, PublishedVersion
from reporting import services as reporting_services
from reporting.models import RAG, Status

pytestmark = pytest.mark.django_db

ADDRESS = "/published/leics/2016-q3/"
SERVED = ["", "v1/", "v1/report.pdf", "v1/actions.csv", "v1/actions.json", "v1/datapackage.json"]


def kept() -> dict[str, bytes]:
    return {f.name: bytes(f.content) for f in PublishedFile.objects.filter(version__number=1)}


def served(client) -> dict[str, bytes]:
    responses = {path: client.get(ADDRESS + path) for path in SERVED}
    assert all(r.status_code == 200 for r in responses.values())
    return {path: r.content for path, r in responses.items()}


def change_everything(ready, planner, approver) -> None:
    """Every write the product has, on the published quarter's strategy: its updates edited
    (the quarter reopened and closed again, signed off again), its key messages, actions
    renamed and moved, a lead team renamed, a commentary withheld, the strategy retitled and
    refreshed into the next year's."""
    period, strategy, actions = ready["period"], ready["strategy"], ready["actions"]
    period = reporting_services.period_reopen(period=period, user=planner, reason="2.1.3 was wrong")
    reporting_services.progress_update_record(
        action=actions["A"],
        period=period,
        user=planner,
        status=Status.COMPLETE,
        progress="Finished early",
        completed_on=datetime.date(2016, 12, 1),
    )
    reporting_services.progress_update_record(
        action=actions["D"], period=period, user=planner, status=Status.IN_PROGRESS, rag=RAG.GREEN, progress="Late"
    )
    reporting_services.key_messages_set(
        period=period, user=planner, key_messages="Rewritten after publishing", strategic_lead="Someone"
    )
    reporting_services.period_close(period=period, user=planner)
    reporting_services.period_sign_off(
        period=period, user=planner, approver=approver, approved_on=datetime.date(2017, 2, 1)
    )
    services.commentary_withhold(period=period, action=actions["C"], user=planner, reason="personal information")
    for name, action in actions.items():
        action.description = f"Renamed {name}"
        action.timescale = "Ongoing"
        action_services.action_save(action=action, user=planner, changed=["description", "timescale"])
    moved = actions["B"]
    moved.outcome = actions["D"].outcome
    moved.recommendation = actions["D"].recommendation
    action_services.action_save(action=moved, user=planner, changed=["outcome", "recommendation"])
    team = ready["team"]
    team.name = "Renamed team"
    team.save()
    strategy.title = "Retitled strategy"
    strategy.organisation = "Another council"
    strategy.save()
    action_services.strategy_refresh(
        source=strategy,
        user=planner,
        title="Workforce Strategy 2017/18",
        slug="workforce-2017-18",
        period_label="2017/18",
        period_start=datetime.date(2017, 4, 1),
        period_end=datetime.date(2018, 3, 31),
        carried=[Carried(actions["E"], "1.1.1", "April-June 2017")],
    )


def test_every_published_file_stays_byte_for_byte_as_published(client, ready, planner, approver):
    services.report_publish(period=ready["period"], user=planner)
    kept_before, served_before = kept(), served(client)
    assert served_before[""] == kept_before["index.html"] == served_before["v1/"]
    assert "Action A" in kept_before["index.html"].decode()

    change_everything(ready, planner, approver)

    # The changes reached what a new version would publish...
    fresh = services.report_preview(period=ready["period"], user=planner).decode()
    assert "Renamed A" in fresh and "Retitled strategy" in fresh and "Withheld: personal information" in fresh
    # ...and not what was published.
    assert kept() == kept_before
    assert served(client) == served_before
    assert PublishedVersion.objects.count() == 1
