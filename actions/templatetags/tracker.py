"""Template helpers that show status and RAG in words as well as colour."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from actions.models import RAG, Status

register = template.Library()

RAG_WORDS = {RAG.RED: "Red", RAG.AMBER: "Amber", RAG.GREEN: "Green"}


@register.simple_tag
def rag_tag(status: str | None, rag: str | None):
    """A tag naming the RAG rating; a complete action shows "Complete", none shows "No update"."""
    if not status:
        return mark_safe('<strong class="govuk-tag app-rag--none">No update</strong>')
    if status == Status.COMPLETE:
        return mark_safe('<strong class="govuk-tag app-rag--complete">Complete</strong>')
    if rag in RAG_WORDS:
        return format_html('<strong class="govuk-tag app-rag--{}">{}</strong>', rag, RAG_WORDS[rag])
    return format_html('<strong class="govuk-tag app-rag--none">{}</strong>', "No rating")


@register.simple_tag
def rag_words(status: str | None, rag: str | None) -> str:
    """The words of `rag_tag`, without the markup: for print."""
    if not status:
        return "No update"
    if status == Status.COMPLETE:
        return "Complete"
    return RAG_WORDS.get(rag, "No rating")


@register.filter
def status_label(status: str | None) -> str:
    return Status(status).label if status in Status.values else "No update"


@register.filter
def rag_label(rag: str | None) -> str:
    return RAG_WORDS.get(rag, "–")
