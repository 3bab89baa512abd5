"""Who may do what with an action: one place, used by views, services and templates."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

ORGANISATIONAL_PLANNING = "Organisational Planning"
MANAGER = "Manager"
DMT = "DMT"


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


def is_planner(user: AbstractBaseUser | AnonymousUser) -> bool:
    return user.is_authenticated and (user.is_superuser or ORGANISATIONAL_PLANNING in user_group_names(user))


def can_edit_action(user: AbstractBaseUser | AnonymousUser, action) -> bool:
    """Members of the action's lead teams and the Organisational Planning team may edit.

    Reads the action's lead teams through `lead_teams.all()`, so a prefetch saves the query.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if is_planner(user):
        return True
    return bool(user_team_ids(user) & {team.pk for team in action.lead_teams.all()})
