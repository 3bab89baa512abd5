"""Template helpers of the planners' cycle pages."""

from django import template

from workforce import roles

register = template.Library()


@register.filter
def is_planner(user) -> bool:
    """Whether the user is in Organisational Planning: one query for their groups, cached on
    the user for the request (the same check the cycle pages make)."""
    return roles.is_planner(user)
