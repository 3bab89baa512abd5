"""Writes for the people who use Strategy Tracker: their accounts, roles and teams.

Organisational Planning manages people without a superuser; the user admin calls these.
A person's role is exactly one of the three groups, and only Organisational Planning
brings staff status (the admin) with it. Nobody written here becomes a superuser or gets
permissions of their own, and a planner cannot touch a superuser's account. How a person
is named everywhere (`person_name`) is here too.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from strategy_tracker import data_version
from workforce.models import Team, TeamMembership
from workforce.roles import ORGANISATIONAL_PLANNING, ROLES, is_planner

SET_PASSWORD_SUBJECT = "registration/set_password_subject.txt"
SET_PASSWORD_EMAIL = "registration/set_password_email.txt"


def person_name(user) -> str:
    """A person as every page, list and email names them: their full name, else their
    username; nothing for nobody (a record whose person was deleted)."""
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def can_manage_person(user, person: AbstractUser | None = None) -> bool:
    """Superusers manage everyone; Organisational Planning everyone but superusers.

    Reads `person.is_superuser` as loaded: the writes below check it again on the stored row.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return is_planner(user) and not (person is not None and person.is_superuser)


def person_records_check(*, user, person_ids: Iterable[int | None]) -> None:
    """Refuse (PermissionDenied) a write to a record of any of these people that `user` may
    not manage: a team membership, or naming someone an action's lead officer (or no longer).

    The Users page's rule (`can_manage_person`), for every other page that writes a person's
    records, so that a planner cannot reach a superuser around it. Reads the stored rows.
    """
    ids = {pk for pk in person_ids if pk is not None}
    if not ids or user.is_superuser:
        return
    for person in get_user_model().objects.filter(pk__in=ids, is_superuser=True):
        if not can_manage_person(user, person):
            raise PermissionDenied(
                "Only a superuser may add a superuser to a team, take one off, or make one an action's lead officer."
            )


def person_role(person: AbstractUser) -> str | None:
    """The person's role: the first of their groups that is one. Reads `groups.all()`, so a
    prefetch saves the query."""
    return next((group.name for group in person.groups.all() if group.name in ROLES), None)


def person_validate(*, user, person: AbstractUser, role: str | None) -> None:
    """The rules for a person's account beyond the model's own; raises ValidationError
    naming each field at fault. Forms call it to show every error at once."""
    errors: dict[str, ValidationError] = {}
    if role not in ROLES:
        errors["role"] = ValidationError(
            "Choose the person's role: Organisational Planning, Manager or DMT.", code="role"
        )
    email = (person.email or "").strip()
    if not email:
        errors["email"] = ValidationError(
            "Enter the person's email address: the link to set their password is sent there.", code="required"
        )
    elif get_user_model().objects.filter(email__iexact=email).exclude(pk=person.pk).exists():
        errors["email"] = ValidationError(
            "Another person already has this email address: each person needs their own.", code="unique_email"
        )
    if person.pk is not None and person.pk == user.pk and not user.is_superuser:
        if role in ROLES and role != ORGANISATIONAL_PLANNING:
            errors["role"] = ValidationError(
                "You cannot take away your own Organisational Planning role: ask another planner.", code="own_role"
            )
        if not person.is_active:
            errors["is_active"] = ValidationError(
                "You cannot deactivate your own account: ask another planner.", code="own_account"
            )
    if errors:
        raise ValidationError(errors)


def _check_may_manage(user, person: AbstractUser | None) -> None:
    if not can_manage_person(user, person):
        raise PermissionDenied(
            "Only a superuser may change a superuser's account."
            if person is not None and person.is_superuser
            else "Only Organisational Planning may manage people's accounts."
        )


def _role_and_teams_set(person: AbstractUser, role: str, teams: Iterable[Team]) -> None:
    """Exactly one role among the person's groups (any other group is kept), and these teams."""
    person.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(name=role))
    person.groups.add(Group.objects.get(name=role))
    team_ids = {team.pk for team in teams}
    TeamMembership.objects.filter(user_id=person.pk).exclude(team_id__in=team_ids).delete()
    kept = set(TeamMembership.objects.filter(user_id=person.pk).values_list("team_id", flat=True))
    TeamMembership.objects.bulk_create(TeamMembership(user_id=person.pk, team_id=pk) for pk in sorted(team_ids - kept))


def person_create(*, user, person: AbstractUser, role: str, teams: Iterable[Team] = ()) -> AbstractUser:
    """Save a new person (built with username, names and email) with a role and teams.

    They get an unusable password: `set_password_email_send` lets them choose one.
    Refuses (PermissionDenied) anyone but a planner or superuser.
    """
    _check_may_manage(user, None)
    person.is_superuser = False
    person.is_staff = role == ORGANISATIONAL_PLANNING
    person.is_active = True
    person.set_unusable_password()
    person_validate(user=user, person=person, role=role)
    person.full_clean()
    with transaction.atomic():
        person.save()
        _role_and_teams_set(person, role, teams)
        data_version.changed()
    return person


def person_update(*, user, person: AbstractUser, role: str, teams: Iterable[Team]) -> AbstractUser:
    """Save the person's changed names, email and active flag, with their role and teams.

    Their staff status follows the role; their password, superuser flag and permissions
    stay as stored. Refuses (PermissionDenied) a planner changing a superuser.
    """
    with transaction.atomic():
        stored = get_user_model().objects.select_for_update().get(pk=person.pk)
        _check_may_manage(user, stored)
        person.is_superuser, person.password = stored.is_superuser, stored.password
        if not stored.is_superuser:
            person.is_staff = role == ORGANISATIONAL_PLANNING
        person_validate(user=user, person=person, role=role)
        person.full_clean()
        person.save()
        _role_and_teams_set(person, role, teams)
        data_version.changed()
    return person


def person_deactivate(*, user, person: AbstractUser) -> AbstractUser:
    """Stop the person signing in; their account, teams and history are kept.

    Django refuses an inactive account at sign-in and on its next request, so they are
    signed out too. Refuses a planner deactivating a superuser, or anyone themselves.
    """
    with transaction.atomic():
        stored = get_user_model().objects.select_for_update().get(pk=person.pk)
        _check_may_manage(user, stored)
        if stored.pk == user.pk:
            raise ValidationError("You cannot deactivate your own account: ask another planner.", code="own_account")
        person.is_active = False
        person.save(update_fields=["is_active"])
        data_version.changed()
    return person


class _OnePersonForm(PasswordResetForm):
    """Django's reset email, sent to one person only, whether or not they have a password yet.

    Django's own form finds every active account with the address and skips any without a
    usable password, which is just the new person who most needs the link.
    """

    def __init__(self, person: AbstractUser):
        super().__init__({"email": person.email})
        self.person = person

    def get_users(self, email):
        return [self.person]


def set_password_email_send(*, user, person: AbstractUser, domain: str, use_https: bool) -> None:
    """Email the person a link (Django's password reset link) to choose their password.

    `domain` is the site's address as the link should show it. Refuses (ValidationError)
    a deactivated person or one with no email address.
    """
    _check_may_manage(user, person)
    if settings.SSO_ENABLED:  # workforce.sso: the reset pages are gone, passwords are the council's
        raise ValidationError(
            "People sign in with their council account: there is no password here to set.", code="sso"
        )
    if not person.is_active:
        raise ValidationError(
            f"{person.get_username()} is deactivated: make their account active before sending the email.",
            code="inactive",
        )
    form = _OnePersonForm(person)
    if not form.is_valid():
        raise ValidationError(f"{person.get_username()} has no valid email address to send it to.", code="no_email")
    form.save(
        domain_override=domain,
        use_https=use_https,
        subject_template_name=SET_PASSWORD_SUBJECT,
        email_template_name=SET_PASSWORD_EMAIL,
        extra_email_context={
            "new_account": not person.has_usable_password(),  # type: ignore[dict-item]  # the stub says str; any value goes to the template
            "sent_by": person_name(user),
            "valid_days": max(settings.PASSWORD_RESET_TIMEOUT // 86400, 1),  # type: ignore[dict-item]  # as above
        },
    )
