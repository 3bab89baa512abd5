"""The limits on what a person types: a free-text field's length, and a search's.

Free text: a TextField's ``max_length`` is only a form's (Django does not check it in
``full_clean()`` or the database): ``limited_text`` adds a validator, so the admin, the
spreadsheet and Word imports and the services, which all call ``full_clean()``, refuse text
over the limit. The limits are far above the longest text of the three strategies'
documents (docs/limits.md): they are there so that no record can make a page or the DMT's
PDF too large to build.

Search: each word of a search adds a condition on several columns, and a search of
thousands of words took seconds to build before the database refused it. The action lists'
filter and the admin's searches both refuse a search past the limits, before any query is
built, with the same sentence.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.deconstruct import deconstructible


@deconstructible
class TextLimit(MaxLengthValidator):
    """Refuses text longer than the limit, with both lengths written with commas."""

    message = "Enter %(limit_value)s characters or fewer (this has %(show_value)s)."

    def __init__(self, limit_value, message=None):
        super().__init__(limit_value, message)

    def __call__(self, value):
        # Counted as written: commas make the numbers readable in the message.
        cleaned = self.clean(value)
        if self.compare(cleaned, self.limit_value):
            raise ValidationError(
                self.message,
                code=self.code,
                params={"limit_value": f"{self.limit_value:,}", "show_value": f"{cleaned:,}", "value": value},
            )


def limited_text(verbose_name: str, limit: int, **kwargs) -> models.TextField:
    """A TextField of at most `limit` characters, checked by forms and by ``full_clean()``."""
    return models.TextField(verbose_name, max_length=limit, validators=[TextLimit(limit)], **kwargs)


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
