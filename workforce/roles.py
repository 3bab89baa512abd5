"""The three roles (Django groups) and what a person's groups and teams are."""

from django.contrib.auth.models import AbstractUser, AnonymousUser

ORGANISATIONAL_PLANNING = "Organisational Planning"
MANAGER = "Manager"
DMT = "DMT"
ROLES = [ORGANISATIONAL_PLANNING, MANAGER, DMT]


def user_group_names(user) -> set[str]:
    """The names of the user's groups, cached on the user for the request."""
    if not hasattr(user, "_group_names_cache"):
        user._group_names_cache = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return user._group_names_cache


def user_team_ids(user) -> set[int]:
    """The ids of the teams the user belongs to, cached on the user for the request."""
    if not hasattr(user, "_team_ids_cache"):
        user._team_ids_cache = (
            set(user.team_memberships.values_list("team_id", flat=True)) if user.is_authenticated else set()
        )
    return user._team_ids_cache


def is_planner(user: AbstractUser | AnonymousUser) -> bool:
    return user.is_authenticated and (user.is_superuser or ORGANISATIONAL_PLANNING in user_group_names(user))
