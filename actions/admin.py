"""The Organisational Planning team's admin for actions, quarters and progress updates."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.html import format_html_join
from simple_history.admin import SimpleHistoryAdmin

from actions import selectors, services
from actions.models import RAG, Action, ProgressUpdate, ReportingPeriod, Status
from actions.resources import ActionResource
from outcomes.resources import SpreadsheetAdminMixin


class QuarterStateFilter(admin.SimpleListFilter):
    """A filter on the action's state in the quarter being reported (see ActionAdmin.get_queryset)."""

    def queryset(self, request, queryset):
        if self.value() is None or "status_as_at" not in queryset.query.annotations:
            return queryset  # no quarter exists yet: there is no state to filter on
        return self.narrow(queryset, self.value())

    def narrow(self, queryset, value):
        raise NotImplementedError


class StatusFilter(QuarterStateFilter):
    title = "status this quarter"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*Status.choices, ("none", "No update")]

    def narrow(self, queryset, value):
        return selectors.filter_status(queryset, value)


class RagFilter(QuarterStateFilter):
    title = "RAG this quarter"
    parameter_name = "rag"

    def lookups(self, request, model_admin):
        return RAG.choices

    def narrow(self, queryset, value):
        return queryset.filter(period_rag=value)


class YesNoFilter(QuarterStateFilter):
    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]


class OverdueFilter(YesNoFilter):
    title = "overdue"
    parameter_name = "overdue"

    def narrow(self, queryset, value):
        return queryset.filter(is_overdue=value == "yes")


class NeedsUpdateFilter(YesNoFilter):
    title = "no update this quarter"
    parameter_name = "needs_update"

    def narrow(self, queryset, value):
        return selectors.filter_needs_update(queryset, value == "yes")


class ProgressUpdateInline(admin.StackedInline):
    """The action's updates, to read; they are changed on their own page, where the rules apply."""

    model = ProgressUpdate
    extra = 0
    can_delete = False
    show_change_link = True
    fields = [
        "period",
        ("status", "rag"),
        "progress",
        "next_steps",
        "evidence",
        "help_needed",
        "reason",
        "completed_on",
        ("author", "changed", "version"),
    ]
    readonly_fields = ["period", *ProgressUpdate.REPORTED_FIELDS, "author", "changed", "version"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("period", "author")


@admin.register(Action)
class ActionAdmin(SpreadsheetAdminMixin, SimpleHistoryAdmin):
    resource_classes = [ActionResource]
    list_display = [
        "reference",
        "short_description",
        "lead_team_names",
        "timescale",
        "due_date",
        "status_this_quarter",
        "rag_this_quarter",
        "overdue",
    ]
    list_display_links = ["reference", "short_description"]
    list_filter = [
        "strategy",
        "outcome",
        ("lead_teams", admin.RelatedOnlyFieldListFilter),
        StatusFilter,
        RagFilter,
        OverdueFilter,
        NeedsUpdateFilter,
    ]
    search_fields = ["reference", "description", "timescale", "lead_teams__name", "lead_officer", "notes"]
    autocomplete_fields = ["lead_teams"]
    list_per_page = 50
    inlines = [ProgressUpdateInline]
    readonly_fields = ["start_date", "due_date", "is_ongoing"]
    fieldsets = [
        (None, {"fields": ["strategy", "outcome", "recommendation", "reference", "order", "description"]}),
        ("Who leads it", {"fields": ["lead_teams", "lead_officer"]}),
        (
            "When",
            {
                "fields": ["timescale", ("start_date", "due_date", "is_ongoing")],
                "description": "The dates are read from the timescale as written when the action is saved.",
            },
        ),
        ("Other details", {"fields": ["estimated_cost", "framework_link", "notes"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        # The same quarter the managers' lists report: the open one, else the latest.
        return selectors.action_list(period=selectors.period_latest(), queryset=super().get_queryset(request))

    def save_model(self, request, obj, form, change):
        services.action_save(action=obj)

    @admin.display(description="action")
    def short_description(self, obj):
        return obj.description if len(obj.description) <= 90 else obj.description[:87] + "…"

    @admin.display(description="lead teams")
    def lead_team_names(self, obj):
        return format_html_join(", ", "{}", ((team.name,) for team in obj.lead_teams.all()))

    @admin.display(description="status this quarter")
    def status_this_quarter(self, obj):
        value = getattr(obj, "status_as_at", None)
        return Status(value).label if value else "No update"

    @admin.display(description="RAG")
    def rag_this_quarter(self, obj):
        value = getattr(obj, "period_rag", None)
        return RAG(value).label if value else "–"

    @admin.display(description="overdue", boolean=True)
    def overdue(self, obj):
        return getattr(obj, "is_overdue", None)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "start", "end", "update_deadline", "state", "update_count"]
    list_filter = ["state", "year"]
    search_fields = ["year"]
    readonly_fields = ["start", "end"]
    fields = ["year", "number", "start", "end", "update_deadline", "state"]
    actions = ["close_periods"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(update_total=Count("updates"))

    @admin.display(description="updates")
    def update_count(self, obj):
        return obj.update_total

    @admin.action(description="Close the selected quarters (after the report has gone to DMT)")
    def close_periods(self, request, queryset):
        for period in queryset:
            services.period_close(period=period)
        self.message_user(request, f"Closed {queryset.count()} quarter(s).", messages.SUCCESS)

    def get_readonly_fields(self, request, obj=None):
        # A closed quarter's report never changes, so neither does the quarter.
        if obj and not obj.is_open:
            return self.fields
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and not obj.is_open)


class ProgressUpdateAdminForm(forms.ModelForm):
    """Applies the same rules as the managers' form, and keeps closed quarters closed."""

    class Meta:
        model = ProgressUpdate
        fields = ["action", "period", *ProgressUpdate.REPORTED_FIELDS]

    def clean(self):
        cleaned = super().clean()
        period = cleaned.get("period")
        if period is not None and not period.is_open:
            raise ValidationError(f"{period} is closed: its updates can no longer be changed.", code="closed")
        if self.instance.pk and not self.instance.period.is_open:
            raise ValidationError(f"{self.instance.period} is closed: its updates can no longer be changed.")
        update = self.instance
        for name, value in cleaned.items():
            setattr(update, name, value)
        services.progress_update_validate(update)
        return cleaned


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    form = ProgressUpdateAdminForm
    list_display = ["action", "period", "status", "rag", "author", "changed"]
    list_filter = ["period", "status", "rag", "action__strategy"]
    search_fields = ["action__reference", "action__description", "progress", "next_steps"]
    list_select_related = ["action", "period", "author"]
    autocomplete_fields = ["action", "period"]
    readonly_fields = ["author", "created", "changed", "version"]

    def save_model(self, request, obj, form, change):
        obj.author = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        # An update in a closed quarter is part of a report that has gone to DMT.
        return super().has_delete_permission(request, obj) and not (obj and not obj.period.is_open)
