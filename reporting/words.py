"""The words for a status and a RAG rating: one place for the lists, the dashboard, the
admin, the PDF and the spreadsheet."""

from reporting.models import RAG, Status

RAG_WORDS = {RAG.RED: "Red", RAG.AMBER: "Amber", RAG.GREEN: "Green"}
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
    return rag if rag in RAG_WORDS else "none"
