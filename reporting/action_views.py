"""The action pages: a manager's actions ("Your actions"), all actions, an action, and its
quarterly update. Their templates are in templates/reporting/actions/, their reads in
`reporting.action_selectors`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat
from django.views.decorators.http import require_GET, require_http_methods

from actions.models import Action
from actions.permissions import can_edit_action
from reporting import action_selectors, origins, selectors, services
from reporting.filters import ActionFilter, govuk_widgets
from reporting.forms import ProgressUpdateForm
from reporting.models import ReportingPeriod
from reporting.words import NO_UPDATE_VALUE
from workforce.people import person_name
from workforce.quarters import quarter_from_slug

PAGE_SIZE = 25

# The header sections an action's page can be reached from (`?from=`): the one named is
# highlighted, and links and the save keep it.
SECTIONS = {"yours": "reporting:home", "all": "reporting:list"}


def _section(request: HttpRequest) -> str:
    """The section the user came from, from a fixed set: anything else means "All actions"."""
    section = request.GET.get("from", "")
    return section if section in SECTIONS else "all"


def _with_section(url: str, section: str) -> str:
    return f"{url}?from={section}" if section != "all" else url


def _get_action(request: HttpRequest, pk: int, *, for_edit: bool = False) -> Action:
    """The action with its place in the strategy; PermissionDenied if the user may not edit it."""
    action = get_object_or_404(action_selectors.action_for_page(), pk=pk)
    if for_edit and not can_edit_action(request.user, action):
        raise PermissionDenied(
            "Only the action's lead officer, members of its lead teams and Organisational Planning may update it."
        )
    return action


def _periods_asked(request: HttpRequest) -> list[ReportingPeriod]:
    """The quarters the list reads each action's state in: one a strategy.

    A dashboard count links here with its strategy and quarter; with a quarter alone, each
    strategy's quarter of that name; with neither, each strategy's open quarter, else its latest.
    """
    slug = request.GET.get("quarter")
    if not slug:
        return selectors.periods_to_report()
    try:
        quarter = quarter_from_slug(slug)
    except ValueError as error:
        raise Http404(f"No such quarter: {slug}") from error
    periods = action_selectors.periods_named(quarter, request.GET.get("strategy"))
    if not periods:
        raise Http404(f"No strategy has the quarter {quarter.label}")
    return periods


def _action_list_page(request: HttpRequest, queryset, *, template: str, section: str, extra: dict) -> HttpResponse:
    periods = _periods_asked(request)
    # Those still needing an update in their quarter come first.
    actions = action_selectors.action_list_page(
        periods=periods,
        queryset=queryset,
        # Asked for a quarter, as a count on its report links: the actions as reported in it.
        as_reported=bool(request.GET.get("quarter")),
    )
    filterset = ActionFilter(request.GET, queryset=actions, listed=queryset)
    if not periods:  # no quarter yet: there is no state to filter on
        for name in selectors.STATE_FILTERS:
            filterset.filters.pop(name)
    govuk_widgets(filterset.form)
    paginator = Paginator(filterset.qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    by_id = {period.pk: period for period in periods}
    for action in page.object_list:
        action.as_at_period = by_id.get(action.as_at_period_id)
        action.update_offered = action_selectors.update_offered(action)
    query = request.GET.copy()
    query.pop("page", None)
    # Filtered to one strategy: the list reads its quarter, if it has one.
    one_strategy = filterset.form.is_valid() and filterset.form.cleaned_data.get("strategy")
    if one_strategy:
        period = next((p for p in periods if p.strategy_id == one_strategy.pk), None)
    else:
        period = periods[0] if len(periods) == 1 else None
    all_need_update = _all_need_update(filterset)
    # No quarter to read a state in: the list says so once, not "no quarter" on each row.
    no_quarter = period is None and (bool(one_strategy) or not periods)
    return render(
        request,
        template,
        {
            "periods": periods,
            "period": period,
            "filter": filterset,
            "page_obj": page,
            "actions": page.object_list,
            "querystring_without_page": query.urlencode(),
            "filtered": any(value for key, value in request.GET.items() if key != "page"),
            "section": section,
            # Filtered to those with no update: the list says so once, not on each row.
            "all_need_update": all_need_update,
            "no_quarter": no_quarter,
            "show_state": not (all_need_update or no_quarter),
            # Filtered to one strategy: its name is said once, not on each row.
            "one_strategy": one_strategy,
            # A list reached from a count on the DMT report names that count and links back.
            "origin": origins.list_origin(request.GET, periods),
            **extra,
        },
    )


def _all_need_update(filterset: ActionFilter) -> bool:
    """Whether the list is filtered to the actions with no update in their quarter (as the
    report's "No update this quarter" links to it): every row would say the same."""
    if not filterset.form.is_valid():
        return False
    chosen = filterset.form.cleaned_data
    return chosen.get("status") == NO_UPDATE_VALUE or chosen.get("needs_update") == "yes"


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """ "Your actions": the actions the user's teams lead, those needing an update first."""
    return _action_list_page(
        request,
        action_selectors.actions_led_by(request.user),
        template="reporting/actions/home.html",
        section="yours",
        extra={"teams": action_selectors.teams_of(request.user)},
    )


@login_required
@require_GET
def action_list(request: HttpRequest) -> HttpResponse:
    """ "All actions", with the same filters, for everyone signed in."""
    return _action_list_page(
        request, Action.objects.all(), template="reporting/actions/list.html", section="all", extra={}
    )


def _detail_context(request: HttpRequest, action: Action) -> dict:
    # The strategy's open quarter, else its latest: a closed quarter says it is closed.
    period = selectors.period_to_report(list(selectors.periods_for_strategy(action.strategy)))
    current, earlier = action_selectors.updates(action, period)
    can_edit = can_edit_action(request.user, action)
    section = _section(request)
    line, line_updates = action_selectors.line(action)
    # An action finished in an earlier quarter has nothing to report in an open one.
    finished = None
    if period is not None and period.is_open and current is None:
        finished = selectors.finished_before(period, earlier)
    return {
        "line": line,
        "line_updates": line_updates,
        "successors": action_selectors.successors(action),
        "action": action,
        "period": period,
        "current": current,
        "added_after_close": current is None and selectors.added_after_close(action, period),
        "earlier": earlier,
        "can_edit": can_edit,
        "finished_before": finished,
        "can_update": can_edit and period is not None and period.is_open and finished is None,
        "section": section,
        "update_url": _with_section(reverse("reporting:update", args=[action.pk]), section),
        "measures": action_selectors.measures(action),
        "changes": _changes(*action_selectors.history(action)),
        "timescale_unreadable": action.timescale_unreadable,
        "timescale_reading": _timescale_reading(action),
    }


def _timescale_reading(action: Action) -> str:
    """The dates the product read from the action's timescale, in words ("Starts 1 April 2017.
    Due 31 March 2018."), or "" when that says no more than the timescale as written (an
    "Ongoing" read as ongoing): the page then shows the timescale once."""
    parts = []
    if action.start_date:
        parts.append(f"Starts {dateformat.format(action.start_date, 'j F Y')}.")
    if action.is_ongoing:
        first = f", first due {dateformat.format(action.due_date, 'j F Y')}" if action.due_date else ""
        parts.append(f"Ongoing{first}.")
    elif action.due_date:
        parts.append(f"Due {dateformat.format(action.due_date, 'j F Y')}.")
    reading = " ".join(parts)

    def plain(text: str) -> str:
        return " ".join(text.lower().replace(".", " ").replace(",", " ").split())

    return "" if plain(reading) == plain(action.timescale or "") else reading


def _changes(action_history, update_history) -> list[dict]:
    """Every recorded change, newest first: who, when, which field, from what, to what.

    Each record is compared with the one before it for the same object, from the lists
    already fetched, so the history costs two queries however long it is.
    """
    changes = []
    for records, is_update in ((action_history, False), (update_history, True)):
        previous_by_object: dict[int, object] = {}  # a historical record by its object's id
        for record in sorted(records, key=lambda r: r.history_date):
            label = f"Update for {record.period}" if is_update else "Action"
            previous = previous_by_object.get(record.id)
            who = person_name(record.history_user)
            previous_by_object[record.id] = record
            if previous is None:
                changes.append({"when": record.history_date, "who": who, "what": label, "diffs": []})
                continue
            delta = record.diff_against(previous, excluded_fields=["changed", "version", "created", "lead_teams"])
            diffs = [
                {
                    "field": record._meta.get_field(change.field).verbose_name,
                    "old": _display(record, change.field, change.old),
                    "new": _display(record, change.field, change.new),
                }
                for change in delta.changes
            ]
            if diffs:
                changes.append({"when": record.history_date, "who": who, "what": label, "diffs": diffs})
    return sorted(changes, key=lambda change: change["when"], reverse=True)


def _display(record, field_name: str, value) -> str:
    field = record._meta.get_field(field_name)
    if getattr(field, "choices", None):
        return dict(field.flatchoices).get(value, value) or "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return "–" if value in (None, "") else str(value)


@login_required
@require_GET
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An action: this quarter's update as saved (with a link to change it), the earlier
    updates and every change; the form itself is on the update page."""
    action = _get_action(request, pk)
    return render(request, "reporting/actions/detail.html", _detail_context(request, action))


@login_required
@require_http_methods(["GET", "POST"])
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    """This quarter's update: the form (GET) and its save (POST), for those who may edit,
    beside the action's earlier updates, before and after an error."""
    action = _get_action(request, pk, for_edit=True)
    section = _section(request)
    detail_url = _with_section(reverse("reporting:detail", args=[action.pk]), section)
    # Always the open quarter of the action's own strategy.
    period = selectors.period_open(action.strategy)
    if period is None:
        messages.info(request, f"No quarter of {action.strategy} is open for updates.")
        return redirect(detail_url)
    current, earlier = action_selectors.updates(action, period)
    finished = selectors.finished_before(period, earlier) if current is None else None
    if finished is not None:  # the service refuses it too; this page says when it was finished
        return render(
            request,
            "reporting/actions/finished.html",
            {"action": action, "period": period, "finished": finished, "detail_url": detail_url, "section": section},
            status=409,
        )
    conflict = None
    if request.method == "POST":
        form = ProgressUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.progress_update_record(
                    action=action,
                    period=period,
                    user=request.user,
                    expected_version=form.cleaned_data["version"],
                    **form.reported(),
                )
            except services.UpdateConflict as error:
                # Keep what this person typed; show what the other person saved.
                conflict = error.current
                post = request.POST.copy()
                post["version"] = str(conflict.version if conflict else 0)
                form = ProgressUpdateForm(post)
                form.is_valid()
                who = person_name(conflict.author if conflict else None) or "Someone else"
                form.add_error(
                    None,
                    f"{who} saved this update while you were editing "
                    "it. Their update is shown below; your text is still in the form. Save again to replace theirs.",
                )
            else:
                messages.success(request, f"Your update for {period} was saved.")
                return redirect(detail_url)
    else:
        form = ProgressUpdateForm(initial=ProgressUpdateForm.initial_for(current))
    return render(
        request,
        "reporting/actions/update.html",
        {
            "action": action,
            "period": period,
            "form": form,
            "current": current,
            "conflict": conflict,
            # Earlier quarters only: a later one exists when an earlier quarter was reopened;
            # then, for an action carried forward, its updates in the strategies before.
            "earlier": [u for u in earlier if u.period.start < period.start] + action_selectors.line(action)[1],
            "section": section,
            "detail_url": detail_url,
            "back_url": reverse(SECTIONS["yours"]) if section == "yours" else detail_url,
        },
    )
