"""The cost's note an import kept in an action's notes, for the action's page."""

from django import template

from actions.costs import cost_note as _cost_note

register = template.Library()


@register.filter
def cost_note(notes: str) -> str:
    """The resources cell as the plan wrote it ("Materials (£1000) plus running costs"), or ""."""
    return _cost_note(notes)
