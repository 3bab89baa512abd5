"""The words for a status, a RAG rating, when an action is due and when a quarter closed: one
place for the lists, the dashboard, the admin, the PDF and the spreadsheet."""

from django.utils import dateformat, timezone

from reporting.models import RAG, Status

RAG_WORDS: dict[str | None, str] = {RAG.RED: "Red", RAG.AMBER: "Amber", RAG.GREEN: "Green"}
NO_UPDATE = "No update"


def status_words(status: str | None) -> str:
    """The status in words; None (no update in the quarter) is "No update"."""
    return Status(status).label if status in Status.values else NO_UPDATE


def rag_words(status: str | None, rag: str | None) -> str:
    """The RAG rating in words as the report shows it: a complete action is "Complete",
    one with no update "No update", and a closed or unrated one "No rating"."""
    if not status:
        return NO_UPDATE
    if status == Status.COMPLETE:
        return "Complete"
    return RAG_WORDS.get(rag, "No rating")


def rag_css(status: str | None, rag: str | None) -> str:
    """The colour class of `rag_words`."""
    if not status:
        return "none"
    if status == Status.COMPLETE:
        return "complete"
    return rag if rag is not None and rag in RAG_WORDS else "none"


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
    were recorded then (reporting.models.RecordedState), and that its figures no longer change."""
    if period.states_recorded_at is None:
        return f"{period} is closed: these figures no longer change."
    closed = dateformat.format(timezone.localtime(period.states_recorded_at), "j F Y")
    return f"{period} closed on {closed}: these figures are as they stood then, and no longer change."
