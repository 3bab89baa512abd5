"""The update form asks only what the status needs, and the managers' pages read quickly.

People: `manager` is in the team that leads `action`; `outsider` manages another team.
"""

import datetime
import re

import pytest

from reporting.forms import ProgressUpdateForm
from reporting.models import ProgressUpdate, ReportingPeriod, Status
from tests import factories

from .test_views import detail_url, form_as_shown, home_url, html_of, list_url, update_data, update_url

pytestmark = pytest.mark.django_db


def active_section(response) -> str:
    """The header item marked as the current section."""
    match = re.search(
        r'govuk-header__navigation-item--active">\s*<a class="govuk-header__link" href="[^"]*"[^>]*>([^<]+)</a>',
        html_of(response),
    )
    return match.group(1) if match else ""


# What the form keeps of each status --------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "kept"),
    [
        # A rating left chosen before switching to a closed status asks nothing more.
        ({"status": Status.CANCELLED, "rag": "red", "reason": "Superseded."}, {"rag": "", "help_needed": ""}),
        (
            {
                "status": Status.COMPLETE,
                "rag": "red",
                "completed_on_0": "1",
                "completed_on_1": "3",
                "completed_on_2": "2017",
            },
            {"rag": "", "help_needed": ""},
        ),
        # Help from DMT is asked under Red only; a reason under On hold and Cancelled only.
        ({"rag": "amber", "progress": "At risk.", "help_needed": "Typed under Red first"}, {"help_needed": ""}),
        ({"rag": "green", "reason": "Typed under On hold first"}, {"reason": ""}),
        (
            {
                "status": Status.ON_HOLD,
                "rag": "red",
                "progress": "Paused.",
                "help_needed": "Funding",
                "reason": "Waiting",
            },
            {"rag": "red", "help_needed": "Funding", "reason": "Waiting"},
        ),
    ],
)
def test_what_the_status_does_not_ask_for_is_dropped_not_refused(client, manager, action, period, fields, kept):
    client.force_login(manager)
    response = client.post(update_url(action), update_data(**{"help_needed": "Agree funding", **fields}))
    assert response.status_code == 302, response.context["form"].errors
    update = ProgressUpdate.objects.get(action=action, period=period)
    assert {name: getattr(update, name) for name in kept} == kept


def test_a_box_the_status_does_not_use_is_still_refused_when_too_long(client, manager, action, period):
    client.force_login(manager)
    response = client.post(update_url(action), update_data(rag="green", reason="x" * 1001))
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["Reason must be 1,000 characters or fewer"]}


@pytest.mark.parametrize(("rag", "article"), [("red", "a Red"), ("amber", "an Amber")])
def test_the_commentary_message_has_the_right_article(client, manager, action, period, rag, article):
    client.force_login(manager)
    response = client.post(update_url(action), update_data(rag=rag, progress=""))
    assert f"Enter the progress this quarter: {article} rating needs commentary" in html_of(response)


def test_every_field_is_on_the_page_for_use_without_javascript_each_saying_when(client, manager, action, period):
    client.force_login(manager)
    html = html_of(client.get(update_url(action)))
    for name in ("status", "rag", "help_needed", "reason", "completed_on_0", "progress", "next_steps", "evidence"):
        assert f'name="{name}"' in html, name
    assert "For a Red rating" in html
    assert "For an action on hold, cancelled or superseded" in html
    assert "For a complete action" in html
    assert "For an action not started, in progress or on hold" in html
    # Hidden only where JavaScript runs, and nothing chosen yet: every reveal starts hidden.
    assert html.count("app-reveal--hidden") == 4
    assert 'src="/static/js/update-form.js"' in html
    assert "aria-expanded" not in html


def test_a_reveal_is_open_from_the_start_for_the_status_and_rating_chosen(client, manager, action, period):
    factories.ProgressUpdateFactory(
        action=action, period=period, status=Status.ON_HOLD, rag="red", help_needed="Funding", reason="Waiting"
    )
    client.force_login(manager)
    html = html_of(client.get(update_url(action)))
    hidden = re.findall(r'class="[^"]*app-reveal--hidden[^"]*"[^>]*data-reveal-values="([^"]+)"', html)
    assert hidden == ["complete"]  # only the completion date


def test_every_fieldset_has_a_legend(client, manager, action, period):
    client.force_login(manager)
    for response in (client.get(update_url(action)), client.post(update_url(action), {"version": 0})):
        html = html_of(response)
        with_legend = re.findall(r'<fieldset\b[^>]*>\s*<legend class="govuk-fieldset__legend[^"]*">\s*\w', html)
        assert html.count("<fieldset") == len(with_legend) == 3  # status, completion date, RAG


def test_the_first_radio_is_the_error_summarys_target(client, manager, action, period):
    client.force_login(manager)
    html = html_of(client.post(update_url(action), {"version": 0}))
    assert '<a href="#id_status_1">Select the action&#x27;s status</a>' in html
    assert re.search(r'id="id_status_1"\s+value="not_started"', html)


def test_form_layout_is_never_built_from_posted_text():
    form = ProgressUpdateForm({"status": "{{ 7|add:1 }}", "version": 0})
    assert not form.is_valid()
    assert "status" in form.errors


# One page for the form, with the earlier updates in view -------------------------------------------


@pytest.fixture
def last_quarter(action, period, manager):
    """Q2 2016/17, closed, with an update whose next steps run over two lines."""
    q2 = factories.ReportingPeriodFactory(
        strategy=action.strategy, year=2016, number=2, state=ReportingPeriod.State.CLOSED
    )
    return factories.ProgressUpdateFactory(
        action=action,
        period=q2,
        rag="amber",
        progress="Slipped <b>a month</b>.",
        next_steps="Run two workshops.\nWrite up the findings.",
        author=manager,
    )


def test_the_update_page_shows_last_quarter_before_and_after_an_error(client, manager, action, period, last_quarter):
    client.force_login(manager)
    for response in (client.get(update_url(action)), client.post(update_url(action), update_data(rag="red"))):
        html = html_of(response)
        aside = re.search(r'<aside class="app-earlier-updates".*?</aside>', html, re.S).group(0)
        assert "Q2 2016/17" in aside
        assert "Slipped &lt;b&gt;a month&lt;/b&gt;." in aside
        assert "Run two workshops.<br>Write up the findings." in aside
        # Last quarter's next steps as text, and the button JavaScript shows to copy them.
        assert '<p class="govuk-body" id="last-next-steps">Run two workshops.<br>Write up the findings.</p>' in html
        assert 'data-copy-text="Run two workshops.\nWrite up the findings." hidden>' in html
    assert response.context["form"].errors  # the second was refused, and still shows them


def test_no_copy_button_without_last_quarters_next_steps(client, manager, action, period):
    client.force_login(manager)
    html = html_of(client.get(update_url(action)))
    assert "app-copy-next-steps" not in html
    assert "No earlier updates" in html


def test_the_action_page_shows_the_saved_update_once_with_a_link_to_change_it(client, manager, action, period):
    client.force_login(manager)
    client.post(update_url(action), update_data(progress="Plan drafted."))
    html = html_of(client.get(detail_url(action)))
    assert html.count("Plan drafted.") == 1
    assert "<textarea" not in html and "<fieldset" not in html
    assert f'<a class="govuk-link app-update-link" href="{update_url(action)}">Change this quarter\'s update' in html


def test_a_closed_quarter_offers_no_update(client, manager, action, period):
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.CLOSED)
    client.force_login(manager)
    html = html_of(client.get(detail_url(action)))
    assert update_url(action) not in html


# The section the manager came from ---------------------------------------------------------------


def test_the_header_highlights_the_section_the_manager_came_from(client, manager, action, period):
    client.force_login(manager)
    assert active_section(client.get(home_url())) == "Your actions"
    assert active_section(client.get(list_url())) == "All actions"
    for url in (detail_url(action), update_url(action)):
        assert active_section(client.get(url, {"from": "yours"})) == "Your actions"
        assert active_section(client.get(url)) == "All actions"
        assert active_section(client.get(url, {"from": "<script>"})) == "All actions"
    # "Your actions" links carry it; the update page and the save keep it.
    assert f'href="{detail_url(action)}?from=yours"' in html_of(client.get(home_url()))
    assert f'href="{update_url(action)}?from=yours"' in html_of(client.get(home_url()))
    assert f'href="{detail_url(action)}?from=yours"' not in html_of(client.get(list_url()))
    assert f'href="{update_url(action)}?from=yours"' in html_of(client.get(detail_url(action), {"from": "yours"}))
    response = client.post(f"{update_url(action)}?from=yours", update_data())
    assert response["Location"] == f"{detail_url(action)}?from=yours"
    response = client.post(f"{update_url(action)}?from=elsewhere", update_data(version=1))
    assert response["Location"] == detail_url(action)


# Words and names -------------------------------------------------------------------------------


def test_people_are_named_in_full_in_the_history_and_the_conflict(client, manager, planner, action, period):
    manager.first_name, manager.last_name = "Priya", "Shah"
    manager.save()
    client.force_login(manager)
    client.post(update_url(action), update_data())
    html = html_of(client.get(detail_url(action)))
    history = re.search(r"What changed.*?</table>", html, re.S).group(0)
    assert "Priya Shah" in history
    assert ">manager<" not in history

    client.force_login(planner)
    response = client.post(update_url(action), update_data(progress="Mine"))
    assert "Priya Shah saved this update while you were editing it" in html_of(response)
    assert "What Priya Shah saved" in html_of(response)


def test_multi_line_document_texts_keep_their_line_breaks(client, manager, action, period):
    action.description = "Write the plan.\nConsult on it."
    action.save()
    factories.SuccessMeasureFactory(
        recommendation=action.recommendation,
        measure="Staff know the vision.\nManagers talk about it.",
        indicator="Staff survey.\nTeam meeting notes.",
    )
    factories.ProgressUpdateFactory(action=action, period=period, progress="One.\nTwo <i>three</i>.")
    client.force_login(manager)
    html = html_of(client.get(detail_url(action)))
    assert "Write the plan.<br>Consult on it." in html
    assert "Staff know the vision.<br>Managers talk about it." in html
    assert "Staff survey.<br>Team meeting notes." in html
    assert "One.<br>Two &lt;i&gt;three&lt;/i&gt;." in html


# Lists that read quickly ---------------------------------------------------------------------------


def row_of(html: str, text: str) -> str:
    rows = [row for row in re.findall(r'<tr class="govuk-table__row">.*?</tr>', html, re.S) if text in row]
    assert len(rows) == 1, text
    return rows[0]


def test_a_row_with_no_update_says_so_once(client, manager, action, period):
    client.force_login(manager)
    for url in (home_url(), list_url()):
        row = row_of(html_of(client.get(url)), action.description[:40])
        assert row.count("Needs an update") + row.count("No update") == 1, url
    ReportingPeriod.objects.filter(pk=period.pk).update(state=ReportingPeriod.State.CLOSED)
    row = row_of(html_of(client.get(list_url())), action.description[:40])
    assert row.count("No update") == 1
    assert "Needs an update" not in row


def test_an_ongoing_action_says_ongoing_rather_than_a_past_date(client, manager, action, period):
    action.timescale, action.is_ongoing = "December 2015 (and then ongoing)", True
    action.start_date, action.due_date = None, datetime.date(2015, 12, 31)
    action.save()
    client.force_login(manager)
    row = row_of(html_of(client.get(list_url())), action.description[:40])
    assert "Ongoing" in row
    assert "31 Dec 2015" not in row
    assert "Ongoing, first due 31 December 2015." in html_of(client.get(detail_url(action)))


def test_the_update_link_on_your_actions(client, manager, action, period):
    client.force_login(manager)
    row = row_of(html_of(client.get(home_url())), action.description[:40])
    assert f'href="{update_url(action)}?from=yours">Update<span class="govuk-visually-hidden"> for action' in row
    client.post(update_url(action), update_data())
    row = row_of(html_of(client.get(home_url())), action.description[:40])
    assert ">Change update<" in row
    # Not on "All actions", where most rows are other teams'.
    assert update_url(action) not in html_of(client.get(list_url()))


def test_filters_offer_only_the_strategies_outcomes_and_teams_in_the_list(client, manager, team, action, period):
    elsewhere = factories.TeamFactory(name="Leicester University")
    unused = factories.StrategyFactory(slug="unused", title="A strategy with no actions")
    other = factories.ActionFactory(lead_teams=[elsewhere], description="Another team's action")
    client.force_login(manager)

    def choices(response, name):
        return {label for _, label in response.context["filter"].form.fields[name].choices if label != "All"}

    response = client.get(home_url())
    assert choices(response, "lead_team") == {team.name}
    assert choices(response, "strategy") == {action.strategy.title}
    assert choices(response, "outcome") == {str(action.outcome)}
    response = client.get(list_url())
    assert choices(response, "lead_team") == {team.name, elsewhere.name}
    assert unused.title not in choices(response, "strategy")
    assert str(other.outcome) in choices(response, "outcome")
    # A link naming an outcome with no actions lists none, rather than ignoring the filter.
    empty = factories.OutcomeFactory(strategy=action.strategy, number=9)
    response = client.get(list_url(), {"outcome": empty.pk})
    assert list(response.context["actions"]) == []


def test_the_form_as_shown_posts_back_unchanged(client, manager, action, period):
    factories.ProgressUpdateFactory(action=action, period=period, rag="amber", progress="Stored", version=2)
    client.force_login(manager)
    shown = form_as_shown(client.get(update_url(action)))
    assert client.post(update_url(action), shown).status_code == 302
    assert ProgressUpdate.objects.get().version == 3
