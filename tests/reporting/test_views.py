"""The managers' pages: "Your actions", "All actions", an action, and its quarterly update.

People: `manager` is in the team that leads `action`; `outsider` manages another team;
`planner` is in Organisational Planning (may edit anything); `dmt` reads only.
"""

import datetime
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from reporting.models import ProgressUpdate, ReportingPeriod, Status
from tests import factories
from workforce.roles import MANAGER

pytestmark = pytest.mark.django_db

LATER = datetime.date(2017, 6, 30)  # due after Q3 2016/17: not overdue
EARLIER = datetime.date(2016, 8, 31)  # due before the end of Q3 2016/17: overdue unless closed


def home_url() -> str:
    return reverse("reporting:home")


def list_url() -> str:
    return reverse("reporting:list")


def detail_url(action) -> str:
    return reverse("reporting:detail", args=[action.pk])


def update_url(action) -> str:
    return reverse("reporting:update", args=[action.pk])


def update_data(**fields) -> dict:
    """A valid POST for the update form: in progress, Green, version 0 (a new update)."""
    data = {"status": Status.IN_PROGRESS, "rag": "green", "progress": "Plan drafted.", "version": 0}
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def html_of(response) -> str:
    return response.content.decode()


def title_of(response) -> str:
    return unescape(re.search(r"<title>(.*?)</title>", html_of(response), re.S).group(1)).strip()


def textarea(response, name: str) -> str:
    """The text a textarea shows, as the browser would (unescaped, without Django's leading newline)."""
    match = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', html_of(response), re.S)
    assert match, f"no textarea {name!r} on the page"
    return unescape(match.group(1)).removeprefix("\r\n").removeprefix("\n")


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


class _FormReader(HTMLParser):
    """Collects what a browser would submit from the form holding the `version` input."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._form: list[tuple[str, str]] | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = []
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("submit", "button") or (kind in ("radio", "checkbox") and "checked" not in attrs):
                return
            self._form.append((attrs["name"], attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = attrs["name"], ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self._form.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def form_as_shown(response) -> dict[str, str]:
    """The update form's fields as the page shows them, ready to POST again unchanged."""
    reader = _FormReader()
    reader.feed(html_of(response))
    forms = [dict(fields) for fields in reader.forms if any(name == "version" for name, _ in fields)]
    assert len(forms) == 1, "expected one update form on the page"
    form = forms[0]
    form.pop("csrfmiddlewaretoken", None)
    return form


# Signing in, and who sees what -----------------------------------------------------------


@pytest.mark.parametrize("name", ["home", "list", "detail", "update"])
def test_anonymous_is_sent_to_sign_in(client, action, period, name):
    url = {"home": home_url(), "list": list_url(), "detail": detail_url(action), "update": update_url(action)}[name]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_anonymous_post_to_update_saves_nothing(client, action, period):
    response = client.post(update_url(action), update_data())
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not ProgressUpdate.objects.exists()


def test_home_lists_the_managers_team_actions(client, manager, action, period):
    client.force_login(manager)
    response = client.get(home_url())
    assert response.status_code == 200
    assert list(response.context["actions"]) == [action]
    html = html_of(response)
    assert "Your actions" in html
    assert "Actions led by Organisational Planning" in html
    assert "Needs an update" in html


def test_home_for_an_outsider_lists_none_of_the_other_teams_actions(client, outsider, action, period):
    client.force_login(outsider)
    response = client.get(home_url())
    assert response.status_code == 200
    assert list(response.context["actions"]) == []
    assert "No actions match these filters" in html_of(response)


def test_home_for_a_planner_with_no_team_explains_and_links_to_all_actions(client, planner, action, period):
    client.force_login(planner)
    response = client.get(home_url())
    assert response.status_code == 200
    assert list(response.context["actions"]) == []
    html = html_of(response)
    assert "You are not a member of a lead team" in html
    assert f'href="{list_url()}"' in html


def test_home_sends_dmt_with_no_team_to_the_dashboard(client, dmt, action, period):
    client.force_login(dmt)
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:index")


def test_home_keeps_a_dmt_member_who_is_also_in_a_team(client, team, action, period):
    both = factories.UserFactory(username="dmt-and-team", groups=["DMT"], teams=[team])
    client.force_login(both)
    assert client.get(reverse("start"))["Location"] == home_url()
    response = client.get(home_url())
    assert response.status_code == 200
    assert list(response.context["actions"]) == [action]


@pytest.mark.parametrize("who", ["manager", "outsider", "planner", "dmt"])
def test_everyone_signed_in_reads_all_actions(client, request, action, period, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(list_url())
    assert response.status_code == 200
    assert list(response.context["actions"]) == [action]
    assert action.description in html_of(response)


@pytest.mark.parametrize(
    ("who", "can_edit"), [("manager", True), ("planner", True), ("outsider", False), ("dmt", False)]
)
def test_everyone_reads_an_action_and_only_editors_are_offered_the_update(
    client, request, action, period, who, can_edit
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(detail_url(action))
    assert response.status_code == 200
    html = html_of(response)
    assert action.description in html
    # The form lives on the update page only: the action page links to it.
    assert "form" not in response.context
    assert 'name="status"' not in html
    assert (f'href="{update_url(action)}"' in html) is can_edit
    assert ("Write this quarter's update" in html) is can_edit
    assert ("Only the lead officer, members of the lead teams" in html) is not can_edit


@pytest.mark.parametrize("who", ["manager", "planner"])
def test_editors_get_the_update_form(client, request, action, period, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(update_url(action))
    assert response.status_code == 200
    assert title_of(response).startswith("Update action")
    assert form_as_shown(response)["version"] == "0"
    assert "Save update" in html_of(response)


@pytest.mark.parametrize("who", ["outsider", "dmt"])
def test_update_form_is_forbidden_to_others(client, request, action, period, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(update_url(action))
    assert response.status_code == 403
    assert "You do not have permission to see this page" in html_of(response)


@pytest.mark.parametrize("who", ["outsider", "dmt"])
def test_update_post_is_forbidden_to_others_and_saves_nothing(client, request, action, period, who):
    client.force_login(request.getfixturevalue(who))
    response = client.post(update_url(action), update_data())
    assert response.status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_outsider_cannot_change_an_existing_update(client, outsider, action, period, manager):
    update = factories.ProgressUpdateFactory(action=action, period=period, author=manager, progress="Theirs")
    client.force_login(outsider)
    response = client.post(update_url(action), update_data(progress="Mine", version=1))
    assert response.status_code == 403
    update.refresh_from_db()
    assert (update.progress, update.author, update.version) == ("Theirs", manager, 1)


# Wrong method, missing action --------------------------------------------------------------


@pytest.mark.parametrize("name", ["home", "list", "detail"])
def test_post_to_a_read_page_is_not_allowed(client, manager, action, period, name):
    client.force_login(manager)
    url = {"home": home_url(), "list": list_url(), "detail": detail_url(action)}[name]
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_update_accepts_only_get_and_post(client, manager, action, period, method):
    client.force_login(manager)
    response = getattr(client, method)(update_url(action))
    assert response.status_code == 405
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize("name", ["detail", "update"])
def test_missing_action_is_404(client, manager, planner, period, name):
    for user in (manager, planner):
        client.force_login(user)
        assert client.get(reverse(f"reporting:{name}", args=[999_999])).status_code == 404
    assert client.post(reverse("reporting:update", args=[999_999]), update_data()).status_code == 404


# Saving an update ---------------------------------------------------------------------------


def test_manager_saves_an_update(client, manager, action, period):
    client.force_login(manager)
    response = client.post(
        update_url(action),
        update_data(progress="Plan drafted.", next_steps="Consult staff.", evidence="https://intranet/plan"),
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(action)
    assert message_texts(response) == ["Your update for Q3 2016/17 was saved."]
    update = ProgressUpdate.objects.get(action=action, period=period)
    assert (update.status, update.rag, update.progress) == (Status.IN_PROGRESS, "green", "Plan drafted.")
    assert (update.next_steps, update.evidence) == ("Consult staff.", "https://intranet/plan")
    assert update.author == manager
    assert update.version == 1


def test_a_second_save_changes_the_same_update_and_raises_its_version(client, manager, action, period):
    client.force_login(manager)
    client.post(update_url(action), update_data(progress="First words."))
    update = ProgressUpdate.objects.get()
    response = client.post(update_url(action), update_data(rag="amber", progress="Second words.", version=1))
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.rag, update.progress, update.version) == ("amber", "Second words.", 2)
    assert ProgressUpdate.objects.count() == 1


def test_planner_may_update_any_action(client, planner, action, period):
    client.force_login(planner)
    response = client.post(update_url(action), update_data())
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(action=action, period=period)
    assert update.author == planner


def test_a_second_member_of_the_team_may_update(client, team, action, period):
    colleague = factories.UserFactory(username="colleague", groups=[MANAGER], teams=[team])
    client.force_login(colleague)
    assert client.post(update_url(action), update_data()).status_code == 302
    assert ProgressUpdate.objects.get().author == colleague


def test_the_form_opens_with_the_stored_update(client, manager, action, period):
    factories.ProgressUpdateFactory(action=action, period=period, rag="amber", progress="Stored words", version=3)
    client.force_login(manager)
    form = form_as_shown(client.get(update_url(action)))
    assert form["status"] == Status.IN_PROGRESS
    assert form["rag"] == "amber"
    assert form["progress"] == "Stored words"
    assert form["version"] == "3"


def test_after_saving_the_action_page_shows_the_update(client, manager, action, period):
    client.force_login(manager)
    response = client.post(
        update_url(action), update_data(rag="amber", progress="Waiting for the survey results."), follow=True
    )
    assert response.status_code == 200
    html = html_of(response)
    assert "govuk-notification-banner--success" in html
    assert "Your update for Q3 2016/17 was saved." in html
    assert response.context["current"].progress == "Waiting for the survey results."
    assert "Waiting for the survey results." in html
    assert 'app-rag--amber">Amber<' in html
    assert "Change this quarter's update" in html
    assert f'href="{update_url(action)}"' in html
    assert 'name="progress"' not in html  # the saved update, not the form again


def test_change_history_shows_from_and_to_after_a_second_change(client, manager, action, period):
    client.force_login(manager)
    client.post(update_url(action), update_data(progress="Plan drafted."))
    client.post(update_url(action), update_data(rag="amber", progress="Plan delayed.", version=1))
    html = html_of(client.get(detail_url(action)))
    assert "Update for Q3 2016/17 created" in html
    assert "Progress this quarter from “Plan drafted.” to “Plan delayed.”" in html
    assert "RAG rating from “Green (on track)” to “Amber (at risk)”" in html


# The form's rules -----------------------------------------------------------------------------


def test_red_needs_progress_and_help_shown_beside_the_fields_and_in_the_summary(client, manager, action, period):
    client.force_login(manager)
    response = client.post(update_url(action), update_data(rag="red", progress="", help_needed=""))
    assert response.status_code == 200
    assert title_of(response).startswith("Error: ")
    html = html_of(response)
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S).group(0)
    assert '<a href="#id_progress">Enter the progress this quarter: a Red rating needs commentary</a>' in summary
    assert '<a href="#id_help_needed">Enter the help needed from DMT for a Red rating</a>' in summary
    # Beside each field too, and the fields point at their messages.
    for name in ("progress", "help_needed"):
        group = re.search(
            rf'<div id="div_id_{name}" class="govuk-form-group govuk-form-group--error">.*?</textarea>', html, re.S
        )
        assert group, f"{name} is not marked in error"
        assert 'class="govuk-error-message"' in group.group(0)
        assert 'aria-invalid="true"' in group.group(0)
    # What was chosen is kept.
    assert form_as_shown(response)["rag"] == "red"
    assert not ProgressUpdate.objects.exists()


def test_every_error_summary_link_points_at_a_field_on_the_page(client, manager, action, period):
    client.force_login(manager)
    response = client.post(update_url(action), {"version": 0, "progress": "Something"})
    html = html_of(response)
    summary = re.search(r"govuk-error-summary.*?</ul>", html, re.S).group(0)
    targets = re.findall(r'<a href="#([^"]+)">', summary)
    assert targets, "no links in the error summary"
    assert targets[0].startswith("id_status")
    assert [target for target in targets if f'id="{target}"' not in html] == []


def summary_link_targets(response) -> list[str]:
    html = html_of(response)
    summary = re.search(r"govuk-error-summary.*?</ul>", html, re.S).group(0)
    return re.findall(r'<a href="#([^"]+)">', summary)


def test_the_conflict_message_links_to_a_field_on_the_page(client, manager, action, period):
    factories.ProgressUpdateFactory(action=action, period=period, author=manager)
    client.force_login(manager)
    response = client.post(update_url(action), update_data(progress="Mine"))
    assert "saved this update while you were editing it" in html_of(response)
    targets = summary_link_targets(response)
    assert len(targets) == 1
    assert f'id="{targets[0]}"' in html_of(response)


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"rag": "red", "progress": "", "help_needed": ""}, {"progress", "help_needed"}),
        ({"rag": "red", "progress": "Off track", "help_needed": ""}, {"help_needed"}),
        ({"rag": "amber", "progress": "  "}, {"progress"}),
        ({"rag": None}, {"rag"}),
        ({"status": Status.NOT_STARTED, "rag": None}, {"rag"}),
        ({"status": Status.ON_HOLD, "rag": None, "reason": ""}, {"reason"}),
        ({"status": Status.CANCELLED, "rag": None, "reason": ""}, {"reason"}),
        ({"status": Status.COMPLETE, "rag": None}, {"completed_on"}),
        ({"status": None}, {"status"}),
        ({"status": "finished"}, {"status"}),
    ],
)
def test_form_rules(client, manager, action, period, fields, errors):
    client.force_login(manager)
    response = client.post(update_url(action), update_data(**fields))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == errors
    assert title_of(response).startswith("Error: ")
    assert "govuk-error-summary" in html_of(response)
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"rag": "amber", "progress": "At risk: staff shortages."},
        {"rag": "red", "progress": "Off track.", "help_needed": "Agree funding."},
        {"status": Status.ON_HOLD, "rag": None, "reason": "Waiting for the new intranet."},
        {"status": Status.ON_HOLD, "rag": "amber", "progress": "Paused.", "reason": "Waiting."},
        {"status": Status.CANCELLED, "rag": None, "reason": "Superseded by the 2017 plan."},
    ],
)
def test_form_rules_accept(client, manager, action, period, fields):
    client.force_login(manager)
    response = client.post(update_url(action), update_data(**fields))
    assert response.status_code == 302, response.context["form"].errors
    update = ProgressUpdate.objects.get()
    assert update.status == fields.get("status", Status.IN_PROGRESS)


def test_complete_needs_a_date_and_is_shown_as_complete_not_a_colour(client, manager, action, period):
    client.force_login(manager)
    data = update_data(status=Status.COMPLETE, rag="green", progress="Done.")
    response = client.post(update_url(action), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"completed_on": ["Enter the date the action was completed"]}
    assert '<a href="#id_completed_on">' in html_of(response)

    data |= {"completed_on_0": "27", "completed_on_1": "3", "completed_on_2": "2017"}
    response = client.post(update_url(action), data)
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.status == Status.COMPLETE
    assert update.completed_on == datetime.date(2017, 3, 27)
    assert update.rag == ""  # a complete action has no colour, even if one was chosen

    for url in (detail_url(action), list_url(), home_url()):
        html = html_of(client.get(url))
        assert 'app-rag--complete">Complete<' in html, url
        assert not re.search(r"app-rag--(red|amber|green)", html), url
    assert "completed on 27 March 2017" in html_of(client.get(detail_url(action)))


@pytest.mark.parametrize(("day", "month", "year"), [("31", "2", "2017"), ("x", "3", "2017"), ("27", "", "2017")])
def test_complete_with_a_bad_date_is_refused(client, manager, action, period, day, month, year):
    client.force_login(manager)
    data = update_data(status=Status.COMPLETE, rag=None)
    data |= {"completed_on_0": day, "completed_on_1": month, "completed_on_2": year}
    response = client.post(update_url(action), data)
    assert response.status_code == 200
    assert "completed_on" in response.context["form"].errors
    assert not ProgressUpdate.objects.exists()


def test_a_date_is_dropped_when_the_action_is_not_complete(client, manager, action, period):
    client.force_login(manager)
    data = update_data(completed_on_0="1", completed_on_1="1", completed_on_2="2017")
    assert client.post(update_url(action), data).status_code == 302
    assert ProgressUpdate.objects.get().completed_on is None


def test_a_tampered_version_is_refused(client, manager, action, period):
    client.force_login(manager)
    response = client.post(update_url(action), update_data(version="-1"))
    assert response.status_code == 200
    assert "version" in response.context["form"].errors
    assert not ProgressUpdate.objects.exists()


# A closed quarter -----------------------------------------------------------------------------


def test_with_no_open_quarter_the_update_redirects_with_a_message(client, manager, action, period):
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.CLOSED)
    client.force_login(manager)
    for response in (client.get(update_url(action)), client.post(update_url(action), update_data())):
        assert response.status_code == 302
        assert response["Location"] == detail_url(action)
        assert message_texts(response)[-1] == f"No quarter of {action.strategy} is open for updates."
    assert not ProgressUpdate.objects.exists()
    response = client.get(detail_url(action))
    assert "form" not in response.context
    assert f"No quarter of {action.strategy} is open for updates." in html_of(response)


def test_a_closed_quarters_update_is_not_offered_for_change(client, manager, action, period):
    update = factories.ProgressUpdateFactory(action=action, period=period, progress="As reported to DMT")
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.CLOSED)
    q4 = factories.ReportingPeriodFactory(year=2016, number=4)
    client.force_login(manager)
    # The form is for the open quarter (Q4), starting blank: Q3's words stay as they were.
    response = client.get(update_url(action))
    assert response.context["period"] == q4
    assert form_as_shown(response)["version"] == "0"
    assert client.post(update_url(action), update_data(progress="Q4 words")).status_code == 302
    update.refresh_from_db()
    assert (update.progress, update.version) == ("As reported to DMT", 1)
    assert ProgressUpdate.objects.get(period=q4).progress == "Q4 words"


# Two people editing at once -------------------------------------------------------------------


@pytest.mark.parametrize("existing", [False, True], ids=["new-update", "existing-update"])
def test_concurrent_edit_keeps_both_peoples_words(client, manager, planner, action, period, existing):
    if existing:
        factories.ProgressUpdateFactory(action=action, period=period, author=manager, progress="Earlier words")
    first, second = client, Client()
    first.force_login(manager)
    second.force_login(planner)

    # Both open the form at the same version.
    first_form = form_as_shown(first.get(update_url(action)))
    second_form = form_as_shown(second.get(update_url(action)))
    opened_at = first_form["version"]
    assert second_form["version"] == opened_at == ("1" if existing else "0")

    first_form |= {"status": Status.IN_PROGRESS, "rag": "green", "progress": "First person's words"}
    response = first.post(update_url(action), first_form)
    assert response.status_code == 302

    second_form |= {"status": Status.IN_PROGRESS, "rag": "amber", "progress": "Second person's words"}
    response = second.post(update_url(action), second_form)

    # Refused: the page names the first person and shows what they saved…
    assert response.status_code == 200
    html = html_of(response)
    assert "manager saved this update while you were editing it" in html
    assert title_of(response).startswith("Error: ")
    conflict = re.search(r'<div class="govuk-inset-text" id="conflict">.*?</dl>', html, re.S)
    assert conflict, "the first person's update is not shown"
    assert "What manager saved" in conflict.group(0)
    assert "First person&#x27;s words" in conflict.group(0)
    # …and keeps what the second person typed in the form.
    assert textarea(response, "progress") == "Second person's words"
    shown = form_as_shown(response)
    assert shown["rag"] == "amber"
    assert shown["progress"] == "Second person's words"
    # The stored update is still the first person's.
    update = ProgressUpdate.objects.get(action=action, period=period)
    assert (update.progress, update.author) == ("First person's words", manager)
    saved_version = update.version
    assert shown["version"] == str(saved_version)

    # Saving the form again, as shown, replaces the first person's update knowingly.
    response = second.post(update_url(action), shown)
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.progress, update.rag, update.author) == ("Second person's words", "amber", planner)
    assert update.version == saved_version + 1


def test_two_managers_of_the_same_team_conflict_too(client, manager, team, action, period):
    colleague = factories.UserFactory(username="colleague", groups=[MANAGER], teams=[team])
    other = Client()
    client.force_login(manager)
    other.force_login(colleague)
    client.post(update_url(action), update_data(progress="First person's words"))
    response = other.post(update_url(action), update_data(progress="Second person's words"))
    assert response.status_code == 200
    assert "manager saved this update" in html_of(response)
    assert textarea(response, "progress") == "Second person's words"
    assert ProgressUpdate.objects.get().progress == "First person's words"


# Filters, ordering and pages --------------------------------------------------------------------


@pytest.fixture
def catalogue(db, team, other_team, period):
    """Five actions across two strategies and three outcomes, in each strategy's own
    Q3 2016/17 (open).

    | name     | strategy | outcome | lead team   | due   | Q3 update                  |
    | red      | one      | 1       | team        | later | in progress, Red           |
    | green    | one      | 1       | team        | later | in progress, Green         |
    | missing  | one      | 2       | other_team  | Aug   | none (overdue)             |
    | complete | two      | 3       | other_team  | Aug   | complete (not overdue)     |
    | on_hold  | two      | 3       | both        | later | on hold ("intranet")       |
    """
    one = factories.StrategyFactory(slug="one", title="Strategy one")
    two = factories.StrategyFactory(slug="two", title="Strategy two")
    quarters = {
        strategy: factories.ReportingPeriodFactory(strategy=strategy, year=2016, number=3) for strategy in (one, two)
    }
    r1 = factories.RecommendationFactory(outcome__strategy=one, outcome__number=1)
    r2 = factories.RecommendationFactory(outcome__strategy=one, outcome__number=2)
    r3 = factories.RecommendationFactory(outcome__strategy=two, outcome__number=3)
    rows = [
        ("red", r1, [team], LATER),
        ("green", r1, [team], LATER),
        ("missing", r2, [other_team], EARLIER),
        ("complete", r3, [other_team], EARLIER),
        ("on_hold", r3, [team, other_team], LATER),
    ]
    actions = {}
    for order, (name, recommendation, teams, due) in enumerate(rows, start=1):
        actions[name] = factories.ActionFactory(
            recommendation=recommendation,
            reference=f"{recommendation.outcome.number}.1.{order}",
            order=order,
            description=f"The {name} action",
            due_date=due,
            lead_teams=teams,
        )
    factories.ProgressUpdateFactory(
        action=actions["red"], period=quarters[one], rag="red", progress="Off", help_needed="Funding"
    )
    factories.ProgressUpdateFactory(action=actions["green"], period=quarters[one], rag="green")
    factories.ProgressUpdateFactory(
        action=actions["complete"],
        period=quarters[two],
        status=Status.COMPLETE,
        rag="",
        completed_on=datetime.date(2016, 11, 1),
    )
    factories.ProgressUpdateFactory(
        action=actions["on_hold"],
        period=quarters[two],
        status=Status.ON_HOLD,
        rag="",
        reason="Waiting for the intranet",
    )
    actions["on_hold"].timescale = "When the intranet is ready"
    actions["on_hold"].save()
    return {
        "actions": actions,
        "quarters": quarters,
        "one": one,
        "two": two,
        "r1": r1,
        "r3": r3,
        "team": team,
        "other_team": other_team,
    }


def names_on(response, catalogue) -> set[str]:
    by_pk = {action.pk: name for name, action in catalogue["actions"].items()}
    return {by_pk[action.pk] for action in response.context["actions"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"red", "green", "missing", "complete", "on_hold"}),
        ({"strategy": "two"}, {"complete", "on_hold"}),
        ({"outcome": "r1"}, {"red", "green"}),
        ({"lead_team": "other_team"}, {"missing", "complete", "on_hold"}),
        ({"status": "in_progress"}, {"red", "green"}),
        ({"status": "complete"}, {"complete"}),
        ({"status": "none"}, {"missing"}),
        ({"rag": "red"}, {"red"}),
        ({"rag": "green"}, {"green"}),
        ({"overdue": "yes"}, {"missing"}),
        ({"overdue": "no"}, {"red", "green", "complete", "on_hold"}),
        ({"needs_update": "yes"}, {"missing"}),
        ({"needs_update": "no"}, {"red", "green", "complete", "on_hold"}),
        ({"q": "intranet"}, {"on_hold"}),
        ({"q": "the GREEN"}, {"green"}),
        ({"q": "3.1.4"}, {"complete"}),
        ({"strategy": "one", "rag": "red"}, {"red"}),
    ],
)
def test_all_actions_filters(client, dmt, catalogue, query, expected):
    values = {
        "strategy": {"one": catalogue["one"].pk, "two": catalogue["two"].pk},
        "outcome": {"r1": catalogue["r1"].outcome_id},
        "lead_team": {"other_team": catalogue["other_team"].pk},
    }
    params = {key: values.get(key, {}).get(value, value) for key, value in query.items()}
    client.force_login(dmt)
    response = client.get(list_url(), params)
    assert response.status_code == 200
    assert names_on(response, catalogue) == expected
    assert response.context["page_obj"].paginator.count == len(expected)


def test_lead_team_filter_lists_an_action_with_two_lead_teams_once(client, dmt, catalogue):
    client.force_login(dmt)
    response = client.get(list_url(), {"lead_team": catalogue["team"].pk})
    assert [a.pk for a in response.context["actions"]].count(catalogue["actions"]["on_hold"].pk) == 1
    assert names_on(response, catalogue) == {"red", "green", "on_hold"}


def test_a_bad_filter_value_is_ignored_with_an_error_not_a_crash(client, dmt, catalogue):
    client.force_login(dmt)
    response = client.get(list_url(), {"status": "nonsense", "strategy": "999999"})
    assert response.status_code == 200
    assert "status" in response.context["filter"].form.errors


def test_your_actions_lists_only_your_teams_actions_needing_an_update_first(client, manager, catalogue, period):
    needing = factories.ActionFactory(
        recommendation=catalogue["r1"],
        reference="1.1.9",
        order=9,
        description="Ours, not yet updated",
        due_date=LATER,
        lead_teams=[catalogue["team"]],
    )
    client.force_login(manager)
    response = client.get(home_url())
    actions = list(response.context["actions"])
    assert actions[0] == needing
    assert {a.pk for a in actions} == {needing.pk} | {catalogue["actions"][n].pk for n in ("red", "green", "on_hold")}
    assert len(actions) == 4  # on_hold has two lead teams, listed once
    html = html_of(response)
    assert "The missing action" not in html
    assert html.count('govuk-tag--yellow">Needs an update<') == 1
    # The same filters work on "Your actions".
    response = client.get(home_url(), {"needs_update": "yes"})
    assert list(response.context["actions"]) == [needing]


def test_all_actions_list_needing_an_update_first(client, dmt, catalogue):
    client.force_login(dmt)
    response = client.get(list_url())
    assert [a.description for a in response.context["actions"]][0] == "The missing action"


def test_list_in_a_named_quarter(client, dmt, catalogue, period):
    q2 = factories.ReportingPeriodFactory(year=2016, number=2, state=ReportingPeriod.State.CLOSED)
    client.force_login(dmt)
    response = client.get(list_url(), {"quarter": q2.slug, "status": "none"})
    assert response.context["period"] == q2
    assert names_on(response, catalogue) == set(catalogue["actions"])
    assert client.get(list_url(), {"quarter": "q9-2016-17"}).status_code == 404
    assert client.get(list_url(), {"quarter": "q1-2030-31"}).status_code == 404


def test_with_no_quarters_at_all_the_lists_still_work(client, manager, action):
    client.force_login(manager)
    for url in (home_url(), list_url()):
        response = client.get(url, {"status": "none"})
        assert response.status_code == 200
        assert response.context["period"] is None
        assert list(response.context["actions"]) == [action]


def test_pagination_25_a_page(client, dmt, period):
    recommendation = factories.RecommendationFactory()
    for n in range(30):
        factories.ActionFactory(recommendation=recommendation, reference=f"1.1.{n + 1}", order=n + 1)
    client.force_login(dmt)
    first = client.get(list_url())
    assert len(first.context["actions"]) == 25
    assert first.context["page_obj"].paginator.num_pages == 2
    assert 'href="?page=2"' in html_of(first)
    second = client.get(list_url(), {"page": 2})
    assert len(second.context["actions"]) == 5
    assert not {a.pk for a in first.context["actions"]} & {a.pk for a in second.context["actions"]}
    # Out of range gives the last page, not an error; filters are kept in the page links.
    assert len(client.get(list_url(), {"page": 99}).context["actions"]) == 5
    assert 'href="?q=Plan&amp;page=2"' in html_of(client.get(list_url(), {"q": "Plan"}))


# Query counts -----------------------------------------------------------------------------------


def build_actions(size: int, *, team, period, slug: str) -> None:
    """`size` actions led by `team` in a new strategy, four in five updated in `period`, in bulk."""
    factories.bulk_actions(size, teams=[team], periods=[period], strategy=factories.StrategyFactory(slug=slug))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # session, user, the user's team ids, the actions the user leads and which of their
        # strategies have a quarter (each line of carried work once), the open quarter, count
        # of actions, the user's teams (heading), the filter's strategies, outcomes and teams,
        # the page of actions (as at the quarter, one LEFT JOIN and one subquery), their lead
        # teams (one prefetch)
        ("home", 13),
        # session, user, the open quarter, count of actions, the filter's strategies, outcomes
        # and teams, the page of actions, their lead teams
        ("list", 9),
    ],
)
def test_list_query_count_is_the_same_at_10_and_500_actions(
    client, manager, team, period, name, expected, django_assert_num_queries
):
    url = {"home": home_url(), "list": list_url()}[name]
    client.force_login(manager)
    build_actions(10, team=team, period=period, slug="small")
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 10

    build_actions(490, team=team, period=period, slug="large")
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 500
    assert len(response.context["actions"]) == 25


def test_detail_query_count_does_not_grow_with_history(client, manager, action, period, django_assert_num_queries):
    # session, user, the action (with strategy, outcome, recommendation and its outcome), its
    # lead teams, the open quarter, the action's updates (with quarter and author), the user's
    # groups, the user's team ids, the action's history, its updates' history, the
    # recommendation's measures of success, the actions it was carried forward to
    expected = 12
    factories.SuccessMeasureFactory(recommendation=action.recommendation)
    factories.ProgressUpdateFactory(action=action, period=period, author=manager)
    client.force_login(manager)
    with django_assert_num_queries(expected):
        assert client.get(detail_url(action)).status_code == 200

    for year in (2013, 2014, 2015):
        for number in (1, 2, 3, 4):
            quarter = factories.ReportingPeriodFactory(year=year, number=number, state=ReportingPeriod.State.CLOSED)
            factories.ProgressUpdateFactory(action=action, period=quarter, author=manager, progress=f"{quarter}")
    for n in range(5):
        action.notes = f"Note {n}"
        action.save()
        factories.SuccessMeasureFactory(recommendation=action.recommendation)
    with django_assert_num_queries(expected):
        response = client.get(detail_url(action))
    assert len(response.context["earlier"]) == 12
    assert len(response.context["changes"]) >= 18


def test_update_form_query_count(client, manager, action, period, django_assert_num_queries):
    factories.ProgressUpdateFactory(action=action, period=period, author=manager)
    client.force_login(manager)
    # session, user, the action (with its place), its lead teams, the user's groups, the
    # user's team ids, the open quarter, the action's updates (with quarter and author: this
    # quarter's for the form, the earlier ones shown beside it)
    with django_assert_num_queries(8):
        assert client.get(update_url(action)).status_code == 200
    # The same however many earlier updates are shown beside the form.
    for number in (1, 2):
        quarter = factories.ReportingPeriodFactory(
            strategy=action.strategy, year=2016, number=number, state=ReportingPeriod.State.CLOSED
        )
        factories.ProgressUpdateFactory(action=action, period=quarter, author=manager)
    with django_assert_num_queries(8):
        response = client.get(update_url(action))
    assert len(response.context["earlier"]) == 2


# An update's author may be None: SET_NULL when a user is deleted, or loaded from a fixture
# or a spreadsheet. The pages must still show it.


def test_the_action_page_shows_an_update_whose_author_has_gone(client, manager, action, period):
    factories.ProgressUpdateFactory(action=action, period=period, author=None, progress="Loaded by the system")
    client.force_login(manager)
    response = client.get(detail_url(action))
    assert response.status_code == 200
    assert "Loaded by the system" in html_of(response)


def test_a_conflict_with_an_update_that_has_no_author_says_someone_else(client, manager, action, period):
    factories.ProgressUpdateFactory(action=action, period=period, author=None, progress="Loaded by the system")
    client.force_login(manager)
    response = client.post(update_url(action), update_data(progress="Mine"))
    assert response.status_code == 200
    html = html_of(response)
    assert "Loaded by the system" in html
    assert "None saved" not in html
    assert "Someone else saved this update while you were editing it" in html
    assert textarea(response, "progress") == "Mine"


def test_titles_are_shown_in_the_documents_own_words(client, dmt, action, period):
    """No "…" or "We will…" added to an outcome's or a recommendation's title."""
    client.force_login(dmt)
    html = client.get(detail_url(action)).content.decode()
    assert f"{action.outcome.number}. {action.outcome.title}" in html
    assert f"{action.recommendation.reference} {action.recommendation.title}" in html
    assert ". …" not in html and "We will… " not in html
