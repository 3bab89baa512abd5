"""Admin for the department's structure, its teams and their members, workforce figures, and people."""

from functools import partial
from typing import cast

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from strategy_tracker.search import BoundedSearchAdmin
from workforce import people
from workforce.forms import PersonForm, stored_person_ids, with_person_checks
from workforce.models import Directorate, ServiceArea, Team, TeamMembership, WorkforceFigure, WorkforceIndicator
from workforce.roles import ROLES


class ServiceAreaInline(admin.TabularInline):
    model = ServiceArea
    extra = 0


@admin.register(Directorate)
class DirectorateAdmin(BoundedSearchAdmin, admin.ModelAdmin):
    search_fields = ["name"]
    inlines = [ServiceAreaInline]


@admin.register(ServiceArea)
class ServiceAreaAdmin(BoundedSearchAdmin, admin.ModelAdmin):
    list_display = ["name", "directorate"]
    list_filter = ["directorate"]
    list_select_related = ["directorate"]
    search_fields = ["name"]


class PersonRecordsAdmin(admin.ModelAdmin):
    """An admin whose records name people (`person_fields`, foreign keys to a user): a change
    to who is named, and with `person_whole_record` any change to or deletion of a record
    (a team membership is its person's record), is refused unless the person making it may
    manage each person named before and after (`people.person_records_check`, the Users
    page's rule), so that a planner cannot reach a superuser around that page. The form
    shows the refusal beside the field, and every admin path that saves (add, change, a
    history revert) validates it first; `save_model` and deletion check again, unless a
    subclass replaces them (the actions' admin saves through its service)."""

    person_fields: tuple[str, ...] = ()
    person_whole_record = False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return with_person_checks(
            form, by=request.user, fields=self.person_fields, whole_record=self.person_whole_record
        )

    def save_model(self, request, obj, form, change):
        if self.person_whole_record or form.changed_data:
            people.person_records_check(user=request.user, person_ids=self._people(obj))
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        if self.person_whole_record:
            people.person_records_check(user=request.user, person_ids=self._people(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        if self.person_whole_record:
            attnames = [self._attname(field) for field in self.person_fields]
            ids = [pk for row in queryset.values_list(*attnames) for pk in row]
            people.person_records_check(user=request.user, person_ids=ids)
        super().delete_queryset(request, queryset)

    def _attname(self, field: str) -> str:
        """The column of a person field (a foreign key to a user): "lead_officer_user_id"."""
        return cast(models.ForeignKey, self.opts.get_field(field)).attname

    def _people(self, obj) -> list[int | None]:
        """Who `obj` names as stored, and as about to be saved."""
        after = [getattr(obj, self._attname(field)) for field in self.person_fields]
        return [*stored_person_ids(obj, self.person_fields), *after]


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 1
    autocomplete_fields = ["user"]

    def get_formset(self, request, obj=None, **kwargs):
        # A team's page adds and removes memberships: each is its person's record.
        kwargs["form"] = with_person_checks(self.form, by=request.user, fields=["user"], whole_record=True)
        formset = super().get_formset(request, obj, **kwargs)
        by = request.user

        class MembershipFormSet(formset):
            def clean(self):
                super().clean()
                removed = [form.instance for form in self.deleted_forms if form.instance.pk is not None]
                ids = [pk for membership in removed for pk in stored_person_ids(membership, ["user"])]
                try:
                    people.person_records_check(user=by, person_ids=ids)
                except PermissionDenied as refusal:
                    raise ValidationError(str(refusal), code="superuser") from refusal

        return MembershipFormSet


@admin.register(Team)
class TeamAdmin(BoundedSearchAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "service_area"]
    list_filter = ["kind", "service_area__directorate"]
    list_select_related = ["service_area"]
    search_fields = ["name"]
    inlines = [TeamMembershipInline]

    # Deleting a team deletes its memberships, each its person's record.
    def delete_model(self, request, obj):
        self._check_members(request, [obj.pk])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._check_members(request, queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)

    @staticmethod
    def _check_members(request, team_ids) -> None:
        members = TeamMembership.objects.filter(team_id__in=list(team_ids)).values_list("user_id", flat=True)
        people.person_records_check(user=request.user, person_ids=members)


@admin.register(TeamMembership)
class TeamMembershipAdmin(BoundedSearchAdmin, PersonRecordsAdmin):
    list_display = ["user", "team"]
    list_select_related = ["user", "team"]
    list_filter = ["team"]
    search_fields = ["user__username", "team__name"]
    autocomplete_fields = ["user", "team"]
    person_fields = ("user",)
    person_whole_record = True


class WorkforceFigureInline(admin.TabularInline):
    model = WorkforceFigure
    extra = 0
    fields = ["year", "quarter", "scope", "value"]


@admin.register(WorkforceIndicator)
class WorkforceIndicatorAdmin(BoundedSearchAdmin, admin.ModelAdmin):
    list_display = ["name", "unit", "higher_is_better", "target", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    filter_horizontal = ["strategies"]
    inlines = [WorkforceFigureInline]


@admin.register(WorkforceFigure)
class WorkforceFigureAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "quarter", "scope", "value"]
    list_filter = ["indicator", "year", "quarter"]
    list_select_related = ["indicator"]
    autocomplete_fields = ["indicator"]


# People: superusers keep Django's whole user admin; Organisational Planning manages
# everyone else through workforce.people, with a role, teams and a set-password email.

User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(BoundedSearchAdmin, GroupAdmin):
    """The roles (Django groups), as Django's own admin shows them, with the search bounded."""


class RoleFilter(admin.SimpleListFilter):
    title = "role"
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [(role, role) for role in ROLES]

    def queryset(self, request, queryset):
        return queryset.filter(groups__name=self.value()) if self.value() in ROLES else queryset


@admin.register(User)
class PersonAdmin(BoundedSearchAdmin, UserAdmin):
    search_fields = ["username", "first_name", "last_name", "email"]
    actions = ["send_set_password_email", "deactivate"]
    planner_fieldsets = [
        (None, {"fields": ["username", "first_name", "last_name", "email"]}),
        ("Role and teams", {"fields": ["role", "teams"]}),
    ]

    @staticmethod
    def _by_planner(request) -> bool:
        """True when a planner, not a superuser, is managing people: the narrow admin."""
        return not request.user.is_superuser

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("groups", queryset=Group.objects.only("id", "name")),
                Prefetch("teams", queryset=Team.objects.only("id", "name")),
            )
        )
        # A planner does not manage superusers, so never lists or links one as lead officer.
        return queryset.filter(is_superuser=False) if self._by_planner(request) else queryset

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            queryset = queryset.filter(is_active=True)  # link lead officers to people who can sign in
        return queryset, may_have_duplicates

    def get_object(self, request, object_id, from_field=None):
        person = super().get_object(request, object_id, from_field)
        if person is None and self._by_planner(request):
            try:
                superuser = User.objects.filter(pk=object_id, is_superuser=True).exists()
            except (ValueError, ValidationError):
                superuser = False
            if superuser:
                raise PermissionDenied("Only a superuser may see or change a superuser's account.")
        return person

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may_manage(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_manage(request, obj)

    @staticmethod
    def _may_manage(request, obj) -> bool:
        return obj is None or people.can_manage_person(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        # Deactivate people instead: their updates and history name them.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_list_display(self, request):
        columns = ["username", "full_name", "email", "role", "team_names", "is_active"]
        return columns if self._by_planner(request) else [*columns, "is_staff", "is_superuser"]

    def get_list_filter(self, request):
        return [RoleFilter, "is_active", "teams"] if self._by_planner(request) else [RoleFilter, *super().list_filter]

    def get_fieldsets(self, request, obj=None):
        if not self._by_planner(request):
            return super().get_fieldsets(request, obj)
        if obj is None:
            return self.planner_fieldsets
        account = ("Account", {"fields": ["is_active", "sign_in", "last_login", "date_joined"]})
        return [*self.planner_fieldsets, account]

    def get_readonly_fields(self, request, obj=None):
        if self._by_planner(request) and obj is not None:
            return ["sign_in", "last_login", "date_joined"]
        return super().get_readonly_fields(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if not self._by_planner(request):
            return super().get_form(request, obj, **kwargs)
        form = super().get_form(request, obj, form=PersonForm, **kwargs)
        form.by = request.user
        return form

    def save_model(self, request, obj, form, change):
        if not self._by_planner(request):
            return super().save_model(request, obj, form, change)
        role, teams = form.cleaned_data["role"], form.cleaned_data["teams"]
        if change:
            people.person_update(user=request.user, person=obj, role=role, teams=teams)
        else:
            people.person_create(user=request.user, person=obj, role=role, teams=teams)
            # Sent once the account is committed, so the link never names a row rolled back.
            transaction.on_commit(partial(self._send_set_password_email, request, obj))

    def user_change_password(self, request, id, form_url=""):
        # A planner never sets or sees a password: they send the set-password email.
        if self._by_planner(request):
            raise PermissionDenied("Send a set-password email instead: only the person chooses their password.")
        return super().user_change_password(request, id, form_url)

    def get_urls(self):
        return [
            path(
                "<id>/set-password-email/",
                self.admin_site.admin_view(self.set_password_email_view),
                name="auth_user_set_password_email",
            ),
            *super().get_urls(),
        ]

    def set_password_email_view(self, request, id):
        """Ask, then send the person the email with a link to choose their password."""
        person = self.get_object(request, unquote(id))
        if person is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, id)
        if not self.has_change_permission(request, person):
            raise PermissionDenied
        change_url = reverse("admin:auth_user_change", args=[person.pk])
        if request.method == "POST":
            self._send_set_password_email(request, person)
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Send a set-password email",
            "person": person,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/auth/user/set_password_email.html", context)

    def _send_set_password_email(self, request, person) -> None:
        try:
            people.set_password_email_send(
                user=request.user, person=person, domain=request.get_host(), use_https=request.is_secure()
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.log_change(request, person, "Sent a set-password email.")
        self.message_user(request, f"{person} was emailed a link to set their password ({person.email}).")

    @admin.action(description="Send the selected people a set-password email", permissions=["change"])
    def send_set_password_email(self, request, queryset):
        for person in queryset:
            self._send_set_password_email(request, person)

    @admin.action(description="Deactivate the selected people", permissions=["change"])
    def deactivate(self, request, queryset):
        for person in queryset.filter(is_active=True):
            try:
                people.person_deactivate(user=request.user, person=person)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.log_change(request, person, "Deactivated.")
                self.message_user(request, f"{person.get_username()} was deactivated: they can no longer sign in.")

    @admin.display(description="name", ordering="last_name")
    def full_name(self, obj):
        return obj.get_full_name()

    @admin.display(description="role")
    def role(self, obj):
        return people.person_role(obj) or "–"

    @admin.display(description="teams")
    def team_names(self, obj):
        return ", ".join(team.name for team in obj.teams.all()) or "–"

    @admin.display(description="password")
    def sign_in(self, obj):
        state = "Set by them." if obj.has_usable_password() else "Not set yet."
        if not obj.is_active:
            return state
        url = reverse("admin:auth_user_set_password_email", args=[obj.pk])
        return format_html('{} <a href="{}">Send a set-password email</a>', state, url)


from workforce import sso_admin  # noqa: E402, F401  (single sign-on: registers its admin pages)
