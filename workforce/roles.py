"""The three roles (Django groups), what a person's groups and teams are, and the one rule of
who may run the plan and its cycle: every service asks `planner_required` before it writes."""

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.core.exceptions import PermissionDenied

ORGANISATIONAL_PLANNING = "Organisational Planning"
MANAGER = "Manager"
DMT = "DMT"
ROLES = [ORGANISATIONAL_PLANNING, MANAGER, DMT]


class ScheduledJob:
    """The server acting on its own, from a management command on a schedule (the reminders):
    whoever can run one already holds the database. `planner_required(..., scheduled=True)`
    accepts it; records name nobody for it (a blank "sent by")."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    pk = None
    email = ""

    def __str__(self) -> str:
        return "the scheduled job"


SCHEDULED_JOB = ScheduledJob()


def recorded_user(user):
    """Who a record says acted: the user, or None for the scheduled job."""
    return None if user is SCHEDULED_JOB else user


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


def is_planner(user: AbstractUser | AnonymousUser | ScheduledJob | None) -> bool:
    """Organisational Planning (or a superuser), signed in and active."""
    if user is None or isinstance(user, ScheduledJob) or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or ORGANISATIONAL_PLANNING in user_group_names(user)


def planner_required(user, doing: str, *, scheduled: bool = False) -> None:
    """Refuses (PermissionDenied) anyone but Organisational Planning, and the scheduled job
    too unless `scheduled`; `doing` says what was refused: "close a quarter" gives "Only
    Organisational Planning may close a quarter."."""
    if scheduled and user is SCHEDULED_JOB:
        return
    if not is_planner(user):
        raise PermissionDenied(f"Only Organisational Planning may {doing}.")
