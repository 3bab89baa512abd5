"""The words for a status, a RAG rating, when an action is due and when a quarter closed, and
the colours of the states: one place for the lists, the dashboard, the admin, the filters,
the PDF and the spreadsheet. The statuses' and ratings' own words are their choices' labels
(reporting.models); everything here is made from them."""

from django.utils import dateformat, timezone

from reporting.models import RAG, Status
from workforce.people import person_name

RAG_WORDS: dict[str | None, str] = {rag: rag.word for rag in RAG}
NO_UPDATE = "No update"
NO_RATING = "No rating"
# The filter value for "no update in the quarter" (reporting.selectors.filter_status).
NO_UPDATE_VALUE = "none"
# The status filter's choices: each status, and no update.
STATUS_FILTER_CHOICES = [*Status.choices, (NO_UPDATE_VALUE, NO_UPDATE)]
# The choices of the yes-or-no filters (overdue, needs an update).
YES_NO_CHOICES = [("yes", "Yes"), ("no", "No")]


def rag_count_words(rag: RAG) -> str:
    """A count of actions with the rating, as the report heads it: "Off track (Red)"."""
    return f"{rag.meaning.capitalize()} ({rag.word})"


# The report's counts in words, by key (reporting.origins.COUNTS, the charts' segments).
COUNT_WORDS = {
    "total": "Actions",
    "complete": Status.COMPLETE.label,
    "on_track": rag_count_words(RAG.GREEN),
    "at_risk": rag_count_words(RAG.AMBER),
    "off_track": rag_count_words(RAG.RED),
    "not_started": Status.NOT_STARTED.label,
    "on_hold": Status.ON_HOLD.label,
    "cancelled": Status.CANCELLED.label,
    "overdue": "Overdue",
    "no_update": f"{NO_UPDATE} this quarter",
    "unrated": f"{Status.ON_HOLD.label} or {NO_RATING.lower()}",
}

# The colour class of an action with no rating: no update, or on hold, cancelled or unrated.
UNRATED = "none"
# The colour of each state `rag_css` names (GOV.UK tag colours, for dark text): the
# spreadsheet's cells. The pages' and the PDF's are the same, in their stylesheets
# (.app-rag--red and so on).
RAG_COLOURS = {
    RAG.RED: "F4CDC6",
    RAG.AMBER: "FCD6C3",
    RAG.GREEN: "CCE2D8",
    Status.COMPLETE: "BBD4EA",
    UNRATED: "E5E6E7",
}


def status_words(status: str | None) -> str:
    """The status in words; None (no update in the quarter) is "No update"."""
    return Status(status).label if status in Status.values else NO_UPDATE


def finished_words(update) -> str:
    """When an action was finished, from the update that finished it (with its quarter):
    "Completed on 1 December 2016, as reported for Q3 2016/17"."""
    if update.status == Status.COMPLETE and update.completed_on:
        return f"Completed on {dateformat.format(update.completed_on, 'j F Y')}, as reported for {update.period}"
    return f"{Status(update.status).label} in {update.period}"


def finished_refusal(action, period, update) -> str:
    """Why `action` is offered no update for `period`: it was finished in an earlier quarter."""
    when = finished_words(update)
    return f"Action {action.reference} needs no update for {period}: {when[0].lower()}{when[1:]}."


def rag_words(status: str | None, rag: str | None) -> str:
    """The RAG rating in words as the report shows it: a complete action is "Complete",
    one with no update "No update", and a closed or unrated one "No rating"."""
    if not status:
        return NO_UPDATE
    if status == Status.COMPLETE:
        return Status.COMPLETE.label
    return RAG_WORDS.get(rag, NO_RATING)


def rag_css(status: str | None, rag: str | None) -> str:
    """The colour of `rag_words`, a key of `RAG_COLOURS`: the rating, "complete" or "none"."""
    if not status:
        return UNRATED
    if status == Status.COMPLETE:
        return Status.COMPLETE.value
    return rag if rag is not None and rag in RAG_WORDS else UNRATED


def rag_colour(status: str | None, rag: str | None) -> str:
    """The colour (hex RGB) of `rag_words`, for a spreadsheet cell."""
    return RAG_COLOURS[rag_css(status, rag)]


def added_after_words(period) -> str:
    """What a list or an action's page says, for a closed quarter, of an action that is not in
    its report because it was added to the plan after the quarter closed."""
    return f"Added after {period or 'its quarter'} closed"


def state_words(action, period=None) -> str:
    """An action's status in words as read by `actions_as_at`: "Added after Q3 2016/17
    closed" for one not in that closed quarter's report, else `status_words`."""
    if getattr(action, "added_after_close", False):
        return added_after_words(period)
    return status_words(getattr(action, "status_as_at", None))


def due_words(action) -> str:
    """When an action is due, as the lists and the report write it: "31 Mar 2017"; "Ongoing"
    for an ongoing action, which is never overdue, rather than a first due date that may be
    long past (its page gives that date); else the words of its timescale, or "–"."""
    if action.is_ongoing:
        return "Ongoing"
    if action.due_date:
        return dateformat.format(action.due_date, "j M Y")
    return action.timescale or "–"


def due_sentence(action) -> str:
    """The same in running text: "Due 31 Mar 2017" or "Ongoing"; nothing for an action with
    neither a date nor "ongoing"."""
    if action.is_ongoing:
        return "Ongoing"
    return f"Due {due_words(action)}" if action.due_date else ""


def closed_words(period) -> str:
    """What a closed quarter's report says of itself: when it closed, when its actions' states
    were recorded then (reporting.models.RecordedState), that its figures no longer change,
    and who signed it off and when, once it is (`signed_off_words`)."""
    if period.states_recorded_at is None:
        closed = f"{period} is closed: these figures no longer change."
    else:
        when = dateformat.format(timezone.localtime(period.states_recorded_at), "j F Y")
        closed = f"{period} closed on {when}: these figures are as they stood then, and no longer change."
    signed_off = signed_off_words(period)
    return f"{closed} {signed_off}" if signed_off else closed


def approval_words(approver, approved_on) -> str:
    """Who approved a quarter's report and when, as the cycle's pages, messages and history
    say it: "approved by Margaret Ellis on 25 January 2017". (The public pages name no one.)"""
    return f"approved by {person_name(approver)} on {dateformat.format(approved_on, 'j F Y')}"


def period_approval_words(period) -> str:
    """`approval_words` of a signed-off quarter; nothing before it is signed off."""
    if period.signed_off_by_id is None or period.signed_off_on is None:
        return ""
    return approval_words(period.signed_off_by, period.signed_off_on)


def signed_off_words(period) -> str:
    """The same in the DMT report: "Signed off by Margaret Ellis on 25 January 2017."; nothing
    before it is signed off."""
    if period.signed_off_by_id is None or period.signed_off_on is None:
        return ""
    on = dateformat.format(period.signed_off_on, "j F Y")
    return f"Signed off by {person_name(period.signed_off_by)} on {on}."
