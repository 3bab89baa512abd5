"""The limits on a search: each word adds a condition on several columns, and a search of
thousands of words took seconds to build before the database refused it. The action lists'
filter and every admin list's search (of every app, the organisation's included) refuse a
search past the limits, before any query is built, with the same sentence (docs/limits.md).
"""

from django.contrib import messages

SEARCH_MAX_CHARACTERS = 200
SEARCH_MAX_WORDS = 10


def search_words(value: str) -> list[str]:
    """The distinct words of a search, in the order given (a word twice narrows nothing more)."""
    return list(dict.fromkeys(value.split()))


def search_refusal(value: str) -> str | None:
    """Why a search is refused (past SEARCH_MAX_CHARACTERS or SEARCH_MAX_WORDS), or None."""
    if len(value) > SEARCH_MAX_CHARACTERS:
        return f"Search for {SEARCH_MAX_CHARACTERS} characters or fewer (you entered {len(value):,})."
    words = len(search_words(value))
    if words > SEARCH_MAX_WORDS:
        return f"Search for {SEARCH_MAX_WORDS} words or fewer (you entered {words:,})."
    return None


class BoundedSearchAdmin:
    """A ModelAdmin mixin: a search past the limits lists nothing and says why."""

    def get_search_results(self, request, queryset, search_term):
        refusal = search_refusal(search_term or "")
        if refusal is not None:
            messages.error(request, refusal)
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)
