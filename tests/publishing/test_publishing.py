"""Publishing a signed-off quarter: its versions, corrections, withdrawal and withheld
commentaries, through the services the planner's pages call."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dashboard import pdf_budget
from publishing import services
from publishing.models import Publication, PublishedFile, PublishedVersion, Withholding
from reporting import services as reporting_services
from strategy_tracker import data_version
from tests import factories

pytestmark = pytest.mark.django_db

ADDRESS = "/published/leics/2016-q3/"


def page_of(version: PublishedVersion) -> str:
    return bytes(version.files.get(name=PublishedFile.PAGE).content).decode()


@pytest.fixture
def told(monkeypatch):
    """Each time a write tells the data version it changed."""
    calls = []
    monkeypatch.setattr(data_version, "changed", lambda: calls.append(True))
    return calls


def test_each_publishing_write_tells_the_data_version(ready, planner, told):
    period, action = ready["period"], ready["actions"]["A"]
    writes = [
        lambda: services.commentary_withhold(period=period, action=action, user=planner, reason="personal"),
        lambda: services.commentary_release(period=period, action=action, user=planner),
        lambda: services.report_publish(period=period, user=planner),
        lambda: services.report_correct(period=period, user=planner, reason="corrected 2.1.3"),
        lambda: services.report_withdraw(period=period, user=planner, reason="named a person"),
    ]
    for number, write in enumerate(writes, start=1):
        write()
        assert len(told) == number


def test_publishing_keeps_the_page_the_pdf_the_open_data_and_the_snapshot(ready, planner):
    version = services.report_publish(period=ready["period"], user=planner)
    assert (version.number, version.published_by, version.reason) == (1, planner, "")
    assert version.publication.get_absolute_url() == ADDRESS
    files = {f.name: bytes(f.content) for f in version.files.all()}
    assert set(files) == {
        "index.html",
        "report.pdf",
        "actions.csv",
        "actions.json",
        "datapackage.json",
        "snapshot.json",
    }
    assert files["report.pdf"].startswith(b"%PDF")
    snapshot = json.loads(files["snapshot.json"])
    assert snapshot["quarter"]["label"] == "Q3 2016/17"
    page = files["index.html"].decode()
    assert "Version 1, published" in page
    assert "Signed off by the Departmental Management Team on 25 January 2017" in page
    assert f"{ADDRESS}v1/report.pdf" in page and f"{ADDRESS}v1/actions.csv" in page


@pytest.mark.parametrize("state", ["open", "not signed off"])
def test_only_a_closed_signed_off_quarter_is_published(timeline, planner, state):
    period = timeline["q3"] if state == "open" else timeline["q2"]
    with pytest.raises(ValidationError) as refused:
        services.report_publish(period=period, user=planner)
    assert {"open": "open", "not signed off": "not_signed_off"}[state] == refused.value.code
    assert not Publication.objects.exists()


def test_a_quarter_is_published_once_then_corrected_with_a_reason(ready, planner):
    services.report_publish(period=ready["period"], user=planner)
    with pytest.raises(ValidationError, match="published already"):
        services.report_publish(period=ready["period"], user=planner)
    with pytest.raises(ValidationError) as refused:
        services.report_correct(period=ready["period"], user=planner, reason="  ")
    assert refused.value.message_dict == {"reason": ["Enter what the correction corrects"]}

    second = services.report_correct(period=ready["period"], user=planner, reason="corrected the status of 2.1.3")

    assert second.number == 2
    page = page_of(second)
    published = timezone.localtime(second.published_at)
    assert f"Version 2, published {published:%-d %B %Y}: corrected the status of 2.1.3" in page
    assert f'href="{ADDRESS}v1/"' in page, "it links the earlier version"
    assert "Version 1, published" in page_of(PublishedVersion.objects.get(number=1)), "the first is as it was"


def test_a_correction_needs_the_quarter_signed_off_again_after_reopening(ready, planner, approver):
    services.report_publish(period=ready["period"], user=planner)
    period = reporting_services.period_reopen(period=ready["period"], user=planner, reason="2.1.3 was wrong")
    reporting_services.period_close(period=period, user=planner)
    with pytest.raises(ValidationError, match="not signed off"):
        services.report_correct(period=period, user=planner, reason="corrected the status of 2.1.3")
    reporting_services.period_sign_off(period=period, user=planner, approver=approver, approved_on=timezone.localdate())
    assert services.report_correct(period=period, user=planner, reason="corrected the status of 2.1.3").number == 2


def test_withdrawing_needs_a_reason_and_stops_every_version(ready, planner, client):
    services.report_publish(period=ready["period"], user=planner)
    with pytest.raises(ValidationError):
        services.report_withdraw(period=ready["period"], user=planner, reason="")

    publication = services.report_withdraw(period=ready["period"], user=planner, reason="It named a member of staff")

    assert publication.is_withdrawn and publication.withdrawn_by == planner
    for url in (ADDRESS, f"{ADDRESS}v1/", f"{ADDRESS}v1/report.pdf", f"{ADDRESS}v1/actions.csv"):
        response = client.get(url)
        assert response.status_code == 410, url
        assert response["Cache-Control"] == "public, max-age=300"
        text = response.content.decode()
        assert "has been withdrawn" in text and "It named a member of staff" in text
        assert f"withdrawn on {timezone.localdate():%-d %B %Y}" in text
    with pytest.raises(ValidationError, match="withdrawn"):
        services.report_correct(period=ready["period"], user=planner, reason="corrected 2.1.3")


def test_a_withheld_commentary_is_replaced_by_its_reason_everywhere(ready, planner):
    action = ready["actions"]["A"]  # its Q3 progress: "A in Q3 2016/17"
    with pytest.raises(ValidationError):
        services.commentary_withhold(period=ready["period"], action=action, user=planner, reason=" ")
    services.commentary_withhold(period=ready["period"], action=action, user=planner, reason="personal information")

    version = services.report_publish(period=ready["period"], user=planner)

    files = {f.name: bytes(f.content) for f in version.files.all()}
    assert "Withheld: personal information" in files["index.html"].decode()
    for name, content in files.items():
        if name != "report.pdf":
            assert b"A in Q3 2016/17" not in content, name
    services.commentary_release(period=ready["period"], action=action, user=planner)
    assert not Withholding.objects.exists()
    with pytest.raises(ValidationError, match="not withheld"):
        services.commentary_release(period=ready["period"], action=action, user=planner)


def test_an_action_of_another_strategy_cannot_be_withheld(ready, planner):
    stranger = factories.ActionFactory(recommendation__outcome__strategy__slug="other")
    with pytest.raises(ValidationError, match="not an action of"):
        services.commentary_withhold(period=ready["period"], action=stranger, user=planner, reason="personal")


def test_a_published_version_and_its_files_refuse_to_be_saved_again(ready, planner):
    version = services.report_publish(period=ready["period"], user=planner)
    version.reason = "changed"
    with pytest.raises(ValidationError, match="never changes"):
        version.save()
    kept = version.files.get(name="actions.csv")
    kept.content = b"changed"
    with pytest.raises(ValidationError, match="never changes"):
        kept.save()


def test_the_trend_shows_only_the_earlier_quarters_published(ready, planner, approver):
    q2 = ready["q2"]
    reporting_services.period_sign_off(period=q2, user=planner, approver=approver, approved_on=ready["q3"].start)
    assert services.trend_periods(ready["period"]) == []
    services.report_publish(period=q2, user=planner)
    assert services.trend_periods(ready["period"]) == [q2]
    version = services.report_publish(period=ready["period"], user=planner)
    snapshot = json.loads(bytes(version.files.get(name="snapshot.json").content))
    assert [row["quarter"] for row in snapshot["trend"]] == ["Q2 2016/17", "Q3 2016/17"]


def test_the_preview_is_the_page_as_it_would_be_published(ready, planner, client):
    services.commentary_withhold(
        period=ready["period"], action=ready["actions"]["A"], user=planner, reason="personal information"
    )
    client.force_login(planner)
    url = reverse("publishing:preview", args=["leics", "q3-2016-17"])
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    page = response.content.decode()
    assert "Not published yet" in page and "Withheld: personal information" in page
    assert "Version 1, published" in page
    csv = client.get(reverse("publishing:preview_file", args=["leics", "q3-2016-17", "actions.csv"]))
    assert csv.status_code == 200 and b"reference,outcome," in csv.content[:40]
    assert not Publication.objects.exists(), "a preview publishes nothing"


@pytest.mark.parametrize("more", [0, 30])
def test_the_publishing_page_costs_the_same_queries_whatever_the_number_of_actions(
    client, ready, planner, more, django_assert_num_queries
):
    period = ready["period"]
    if more:
        factories.bulk_actions(more, teams=[ready["team"]], periods=[period], strategy=ready["strategy"])
    services.report_publish(period=period, user=planner)
    for action in list(ready["actions"].values())[:3]:
        Withholding.objects.create(period=period, action=action, reason="personal information")
    client.force_login(planner)
    # Session, user, the user's groups, the strategy's quarters (with who signed them off),
    # the publication, its versions, the withheld commentaries, the updates with their actions.
    with django_assert_num_queries(8):
        response = client.get(reverse("publishing:quarter", args=["leics", "q3-2016-17"]))
    assert response.status_code == 200
    assert len(response.context["commentaries"]) == 3 + more * 4 // 5  # every fifth bulk action has no update


@pytest.mark.parametrize("name", ["publish", "correct", "withdraw", "withhold", "release", "preview"])
def test_only_planners_reach_the_publishing_pages(client, ready, dmt, name):
    args = ["leics", "q3-2016-17"] + ([ready["actions"]["A"].pk] if name in ("withhold", "release") else [])
    client.force_login(dmt)
    assert client.post(reverse(f"publishing:{name}", args=args)).status_code in (403, 405)
    assert not Publication.objects.exists() and not Withholding.objects.exists()


@pytest.mark.parametrize("name", ["publish", "release"])
def test_publishing_and_releasing_take_a_post_only(client, ready, planner, name):
    args = ["leics", "q3-2016-17"] + ([ready["actions"]["A"].pk] if name == "release" else [])
    client.force_login(planner)
    assert client.get(reverse(f"publishing:{name}", args=args)).status_code == 405


def test_a_refused_publication_is_said_on_the_publishing_page(client, timeline, planner):
    client.force_login(planner)
    response = client.post(reverse("publishing:publish", args=["leics", "q2-2016-17"]), follow=True)
    assert "Q2 2016/17 is not signed off: record who at DMT approved it first." in response.content.decode()
    assert not Publication.objects.exists()


def test_a_pdf_past_its_budget_refuses_the_publication_and_keeps_nothing(ready, planner, monkeypatch):
    monkeypatch.setattr(pdf_budget, "MAX_HTML_CHARACTERS", 100)
    with pytest.raises(ValidationError, match="The report's PDF could not be made: The report is"):
        services.report_publish(period=ready["period"], user=planner)
    assert not Publication.objects.exists() and not PublishedFile.objects.exists()
