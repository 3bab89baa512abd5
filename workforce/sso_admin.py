"""Admin for single sign-on: which council groups and app roles give which role and lead
teams, and which accounts link at their next council sign-in or are break-glass. Every save
goes through workforce.sign_in, which checks who is acting."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from strategy_tracker.search import BoundedSearchAdmin
from workforce import sign_in
from workforce.models import ProviderGroup, SignInAccount


@admin.register(ProviderGroup)
class ProviderGroupAdmin(BoundedSearchAdmin, SimpleHistoryAdmin):
    list_display = ["value", "description", "role", "team_names"]
    list_filter = ["role"]
    search_fields = ["value", "description"]
    filter_horizontal = ["teams"]
    fields = ["value", "description", "role", "teams"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("teams")

    @admin.display(description="lead teams")
    def team_names(self, obj):
        return ", ".join(team.name for team in obj.teams.all()) or "–"

    def save_model(self, request, obj, form, change):
        # The teams are saved by the service with the group (save_related skips them).
        sign_in.provider_group_save(user=request.user, group=obj, teams=form.cleaned_data["teams"])

    def save_related(self, request, form, formsets, change):
        form.save_m2m = lambda: None
        super().save_related(request, form, formsets, change)

    def delete_model(self, request, obj):
        sign_in.provider_group_delete(user=request.user, group=obj)

    def delete_queryset(self, request, queryset):
        for group in queryset:
            sign_in.provider_group_delete(user=request.user, group=group)


@admin.register(SignInAccount)
class SignInAccountAdmin(BoundedSearchAdmin, SimpleHistoryAdmin):
    list_display = ["user", "subject", "link_at_next_sign_in", "break_glass"]
    list_filter = ["link_at_next_sign_in", "break_glass"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "subject"]
    autocomplete_fields = ["user"]
    fields = ["user", "subject", "link_at_next_sign_in", "break_glass"]
    readonly_fields = ["subject"]

    def get_queryset(self, request):
        # A planner does not manage superusers' accounts.
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(user__is_superuser=False)

    def get_readonly_fields(self, request, obj=None):
        fields = ["subject"] if obj is None else ["user", "subject"]
        return fields if request.user.is_superuser else [*fields, "break_glass"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        by = request.user

        class CheckedForm(form):
            def clean(self):
                cleaned = super().clean()
                person = cleaned.get("user") or getattr(self.instance, "user", None)
                if person is not None and cleaned.get("break_glass") and not person.is_superuser:
                    raise ValidationError({"break_glass": "Only a superuser's account can be break-glass."})
                if person is not None and not by.is_superuser and person.is_superuser:
                    raise ValidationError("Only a superuser may mark a superuser's account.")
                return cleaned

        return CheckedForm

    def save_model(self, request, obj, form, change):
        saved = sign_in.sign_in_account_set(
            user=request.user,
            person=obj.user,
            link_at_next_sign_in=obj.link_at_next_sign_in,
            break_glass=obj.break_glass,
        )
        obj.pk = saved.pk
