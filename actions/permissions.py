"""Who may update an action: one place, used by views, services, the admin and templates."""

from django.contrib.auth.models import AbstractUser, AnonymousUser

from workforce.roles import is_planner, user_team_ids


def can_edit_action(user: AbstractUser | AnonymousUser, action) -> bool:
    """The action's lead officer (when linked to an account), members of its lead teams, and
    Organisational Planning may update it.

    Reads the action's lead teams through `lead_teams.all()`, so a prefetch saves the query.
    """
    if not user.is_authenticated or not user.is_active or user.pk is None:  # pk None: the scheduled job
        return False
    if is_planner(user):
        return True
    if action.lead_officer_user_id is not None and action.lead_officer_user_id == user.pk:
        return True
    return bool(user_team_ids(user) & {team.pk for team in action.lead_teams.all()})
