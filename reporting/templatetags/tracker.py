"""Template helpers that show status and RAG in words as well as colour (reporting/words.py)."""

from django import template
from django.utils.html import format_html

from reporting import returns, words
from workforce.people import person_name

register = template.Library()


@register.simple_tag
def rag_tag(status: str | None, rag: str | None):
    """A tag naming the RAG rating; a complete action shows "Complete", none shows "No update"."""
    return format_html(
        '<strong class="govuk-tag app-rag--{}">{}</strong>', words.rag_css(status, rag), words.rag_words(status, rag)
    )


@register.simple_tag
def rag_words(status: str | None, rag: str | None) -> str:
    """The words of `rag_tag`, without the markup: for print."""
    return words.rag_words(status, rag)


@register.filter
def status_label(status: str | None) -> str:
    return words.status_words(status)


@register.filter
def added_after(period) -> str:
    return words.added_after_words(period)


@register.filter
def rag_label(rag: str | None) -> str:
    return words.RAG_WORDS.get(rag, "–")


@register.filter
def thousands(value):
    """A whole number with commas between the thousands, as GOV.UK writes numbers over 999
    ("10,000 actions"); anything else unchanged."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return value


# When an action is due, in a column and in running text.
register.filter("due_words", words.due_words)
register.filter("due_sentence", words.due_sentence)
register.filter("closed_words", words.closed_words)
register.filter("approval_words", words.period_approval_words)
register.filter("finished_words", words.finished_words)
register.filter("person_name", person_name)


@register.filter
def fixes_to_make(nobody):
    """The things to fix in the admin for the actions nobody can be emailed about, each once."""
    return returns.fixes_to_make(nobody)
