"""The limit on what a person types in a free-text field (a search's: strategy_tracker.search).

Free text: a TextField's ``max_length`` is only a form's (Django does not check it in
``full_clean()`` or the database): ``limited_text`` adds a validator, so the admin, the
spreadsheet and Word imports and the services, which all call ``full_clean()``, refuse text
over the limit. The limits are far above the longest text of the three strategies'
documents (docs/limits.md): they are there so that no record can make a page or the DMT's
PDF too large to build.
"""

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
