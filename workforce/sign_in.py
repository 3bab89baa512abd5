"""Who someone is, and what they may do, when they sign in with their council account.

The council's identity provider vouches for the person (workforce/sso.py checks its token);
here their claims become an account: created at the first sign-in, linked once to a local
account a planner marked to link, refreshed at every sign-in, and given the role and lead
teams the provider's groups or app roles map to (`ProviderGroup`, kept by Organisational
Planning through the services below). Every change is written to the person's history.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from strategy_tracker import data_version
from workforce.models import ProviderGroup, SignInAccount, Team, TeamMembership
from workforce.people import _role_and_teams_set, can_manage_person, person_role
from workforce.roles import ORGANISATIONAL_PLANNING, ROLES, planner_required


class SignInRefused(Exception):
    """A sign-in with the council account refused: `reason` names the page to show (the
    codes are in workforce.sso_views.REFUSALS) and `detail` is for the log only."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass
class ProviderClaims:
    """What the provider says of a person, as sign-in reads it."""

    subject: str
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    values: set[str] = field(default_factory=set)  # their groups and app roles


def mapped_role_and_teams(values: Iterable[str]) -> tuple[str | None, list[Team]]:
    """The role and lead teams these groups and app roles give: the first role in ROLES's
    order (Organisational Planning, Manager, DMT) among them, and every team of any."""
    groups = list(ProviderGroup.objects.filter(value__in=set(values)).prefetch_related("teams"))
    roles = {group.role for group in groups if group.role}
    role = next((name for name in ROLES if name in roles), None)
    teams = {team.pk: team for group in groups for team in group.teams.all()}
    return role, sorted(teams.values(), key=lambda team: team.name)


def person_sign_in(*, claims: ProviderClaims) -> AbstractUser:
    """The person these claims name, created or refreshed, with the role and teams their
    groups give; raises SignInRefused, having created nothing, when they map to no role, when
    their account here is deactivated, or when a local account holds their email address and
    was not marked to link.

    No user to check: the provider vouched for the person (the token was checked first), and
    Organisational Planning decided, through the mapping, what each group gives.
    """
    role, teams = mapped_role_and_teams(claims.values)
    User = get_user_model()
    with transaction.atomic():
        link = SignInAccount.objects.select_for_update().select_related("user").filter(subject=claims.subject).first()
        person: AbstractUser | None = link.user if link is not None else None
        if role is None and person is not None:
            # A leaver or mover: what they had here goes, and stays gone (committed, then refused).
            _apply(person, None, [], "No mapped group or app role at council sign-in: role and teams taken off.")
    if role is None:
        raise SignInRefused("no_role", f"subject {claims.subject}: no mapped group or app role")
    with transaction.atomic():
        if person is None:
            person = _linked_local_account(claims)
        if person is not None and not person.is_active:
            raise SignInRefused("deactivated", f"{person.get_username()} is deactivated here")
        if person is None:
            if User.objects.filter(username=claims.subject[:150]).exists():
                raise SignInRefused("username_taken", f"a local account is named {claims.subject[:150]}")
            person = User(username=claims.subject[:150], email=claims.email)
            person.first_name, person.last_name = claims.first_name[:150], claims.last_name[:150]
            person.set_unusable_password()
            person.is_staff = role == ORGANISATIONAL_PLANNING
            person.save()
            SignInAccount.objects.create(user=person, subject=claims.subject)
            _role_and_teams_set(person, role, teams)
            _log(person, ADDITION, f"Created at the first council sign-in: {_describe(role, teams)}.")
            data_version.changed()
            return person
        _refresh_names(person, claims)
        _apply(person, role, teams, "At council sign-in")
    return person


def _linked_local_account(claims: ProviderClaims) -> AbstractUser | None:
    """The local account marked to link that holds the claims' email address, linked now;
    None if no account holds it; refuses if one holds it unmarked (never a second account)."""
    if not claims.email:
        return None
    holders = list(get_user_model().objects.filter(email__iexact=claims.email).select_related("sign_in_account"))
    if not holders:
        return None
    marked = [
        person
        for person in holders
        if getattr(person, "sign_in_account", None) is not None
        and person.sign_in_account.link_at_next_sign_in
        and not person.sign_in_account.subject
    ]
    if len(holders) != 1 or len(marked) != 1:
        raise SignInRefused("email_taken", f"{len(holders)} local account(s) hold {claims.email}, {len(marked)} marked")
    person = marked[0]
    account = person.sign_in_account
    account.subject, account.link_at_next_sign_in = claims.subject, False
    account.save(update_fields=["subject", "link_at_next_sign_in"])
    _log(person, CHANGE, "Linked to the council account at sign-in, as marked.")
    return person


def _refresh_names(person: AbstractUser, claims: ProviderClaims) -> None:
    changed = []
    first, last = claims.first_name[:150], claims.last_name[:150]
    if (first or last) and (person.first_name, person.last_name) != (first, last):
        person.first_name, person.last_name = first, last
        changed += ["first_name", "last_name"]
    email = claims.email
    if (
        email
        and email.lower() != (person.email or "").lower()
        and not get_user_model().objects.filter(email__iexact=email).exclude(pk=person.pk).exists()
    ):
        person.email = email
        changed.append("email")
    if changed:
        person.save(update_fields=changed)
        what = " and ".join(sorted({"email" if name == "email" else "name" for name in changed}))
        _log(person, CHANGE, f"At council sign-in: {what} updated from the council account.")


def _apply(person: AbstractUser, role: str | None, teams: list[Team], heading: str) -> None:
    """Set the person's role (None: no role) and teams, logging what changed."""
    before_role = person_role(person)
    before_teams = set(Team.objects.filter(memberships__user_id=person.pk).values_list("name", flat=True))
    after_teams = {team.name for team in teams}
    if before_role == role and before_teams == after_teams:
        return
    if role is None:
        person.groups.remove(*person.groups.filter(name__in=ROLES))
        TeamMembership.objects.filter(user_id=person.pk).delete()
        if not person.is_superuser and person.is_staff:
            person.is_staff = False
            person.save(update_fields=["is_staff"])
        _log(person, CHANGE, heading)
    else:
        _role_and_teams_set(person, role, teams)
        if not person.is_superuser and person.is_staff != (role == ORGANISATIONAL_PLANNING):
            person.is_staff = role == ORGANISATIONAL_PLANNING
            person.save(update_fields=["is_staff"])
        parts = []
        if before_role != role:
            parts.append(f"role {before_role or 'none'} → {role}")
        if after_teams - before_teams:
            parts.append("teams joined: " + ", ".join(sorted(after_teams - before_teams)))
        if before_teams - after_teams:
            parts.append("teams left: " + ", ".join(sorted(before_teams - after_teams)))
        _log(person, CHANGE, f"{heading}: {'; '.join(parts)}.")
    data_version.changed()


def _describe(role: str, teams: list[Team]) -> str:
    return f"role {role}" + (f"; teams: {', '.join(team.name for team in teams)}" if teams else "")


def _log(person: AbstractUser, flag: int, message: str) -> None:
    """A line in the person's history (the admin's History page), as done by themselves."""
    LogEntry.objects.log_actions(user_id=person.pk, queryset=[person], action_flag=flag, change_message=message)


# Organisational Planning's writes: the mapping, and the marks on accounts.


def provider_group_save(*, user, group: ProviderGroup, teams: Iterable[Team]) -> ProviderGroup:
    """Save a group or app role's mapping to a role and lead teams (recorded in its history).
    Refuses (PermissionDenied) anyone but Organisational Planning."""
    planner_required(user, "map the council's groups and app roles to roles and teams")
    group.full_clean()
    with transaction.atomic():
        group.save()
        group.teams.set(list(teams))
    return group


def provider_group_delete(*, user, group: ProviderGroup) -> None:
    """Delete a mapping: its members get nothing from it at their next sign-in."""
    planner_required(user, "map the council's groups and app roles to roles and teams")
    group.delete()


def sign_in_account_set(*, user, person: AbstractUser, link_at_next_sign_in: bool, break_glass: bool) -> SignInAccount:
    """Mark a local account to be linked at its owner's next council sign-in, and (a
    superuser's account, by a superuser) as break-glass. Refuses (PermissionDenied) anyone
    who may not manage the person, and a break-glass mark by or for anyone not a superuser;
    ValidationError for a link on an account already linked."""
    if not can_manage_person(user, person):
        raise PermissionDenied("Only Organisational Planning may mark accounts, and only a superuser a superuser's.")
    with transaction.atomic():
        account, _ = SignInAccount.objects.select_for_update().get_or_create(user_id=person.pk)
        if break_glass != account.break_glass and not user.is_superuser:
            raise PermissionDenied("Only a superuser may mark or unmark a break-glass account.")
        if break_glass and not person.is_superuser:
            raise ValidationError(
                "Only a superuser's account can be break-glass: it signs in with a password when the council's "
                "sign-in is down.",
                code="break_glass",
            )
        if link_at_next_sign_in and account.subject:
            raise ValidationError("This account is already linked to a council account.", code="linked")
        account.link_at_next_sign_in, account.break_glass = link_at_next_sign_in, break_glass
        account.full_clean()
        account.save()
    return account
