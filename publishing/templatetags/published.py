"""Filters of the published pages, which read a snapshot: plain JSON values."""

from datetime import date

from django import template

from publishing.public_data import YES
from reporting.models import Status

register = template.Library()


@register.filter
def iso_date(value: str) -> date | str:
    """A snapshot's ISO date ("2016-12-31") as a date, for the date filter; "" stays ""."""
    return date.fromisoformat(value) if value else ""


@register.filter
def yes(value: str) -> bool:
    """Whether a snapshot's yes-or-no field says yes."""
    return value == YES


@register.filter
def status_class(status: str) -> str:
    """The colour of a published status's tag: complete's blue, else grey."""
    return "app-rag--complete" if status == Status.COMPLETE.label else "app-rag--none"
