"""The Organisational Planning team's admin for actions, quarters and progress updates."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from actions.admin import ActionAdmin
from actions.models import Action
from reporting import selectors, services
from reporting.models import RAG, ProgressUpdate, ReportingPeriod
from reporting.words import STATUS_FILTER_CHOICES, YES_NO_CHOICES, rag_words, state_words
from strategy_tracker.search import BoundedSearchAdmin
from workforce.roles import is_planner


class QuarterStateFilter(admin.SimpleListFilter):
    """A filter on the action's state in the quarter being reported: the same meaning as the
    managers' lists and the dashboard's links (selectors.filter_state)."""

    def queryset(self, request, queryset):
        if self.value() is None or "status_as_at" not in queryset.query.annotations:
            return queryset
        return selectors.filter_state(queryset, self.parameter_name, self.value())


class StatusFilter(QuarterStateFilter):
    title = "status this quarter"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return STATUS_FILTER_CHOICES


class RagFilter(QuarterStateFilter):
    title = "RAG this quarter"
    parameter_name = "rag"

    def lookups(self, request, model_admin):
        return RAG.choices


class YesNoFilter(QuarterStateFilter):
    def lookups(self, request, model_admin):
        return YES_NO_CHOICES


class OverdueFilter(YesNoFilter):
    title = "overdue"
    parameter_name = "overdue"


class NeedsUpdateFilter(YesNoFilter):
    title = "no update this quarter"
    parameter_name = "needs_update"


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
class ActionProgressAdmin(ActionAdmin):
    """The plan's admin (`actions.admin.ActionAdmin`, registered here only, once), with each
    action's state in the quarter being reported, which the actions app cannot read."""

    list_display = [*ActionAdmin.list_display, "status_this_quarter", "rag_this_quarter", "overdue"]
    list_filter = [*ActionAdmin.list_filter, StatusFilter, RagFilter, OverdueFilter, NeedsUpdateFilter]
    inlines = [ProgressUpdateInline]

    def get_queryset(self, request):
        # The same quarters the managers' lists report: each strategy's open one, else its latest.
        # action_list selects and prefetches the leads itself: start from the plain queryset.
        plain = super(ActionAdmin, self).get_queryset(request)
        periods = selectors.periods_to_report()
        if not periods:  # no quarter yet: no state to show or filter on
            return super().get_queryset(request)
        return selectors.action_list(periods=periods, queryset=plain)

    @admin.display(description="status this quarter")
    def status_this_quarter(self, obj):
        return state_words(obj)

    @admin.display(description="RAG")
    def rag_this_quarter(self, obj):
        return rag_words(getattr(obj, "status_as_at", None), getattr(obj, "rag_as_at", None))

    @admin.display(description="overdue")
    def overdue(self, obj):
        # Words, not Django's green tick and red cross: a red cross for "not overdue" alarms.
        return "Overdue" if getattr(obj, "is_overdue", None) else None  # None: the list's "-"


class ReportingPeriodAdminForm(forms.ModelForm):
    """Adding a quarter opens it, through the same rules as the planners' pages."""

    confirm_outside_period = forms.BooleanField(
        required=False,
        label="Open it although it falls outside the strategy's period",
        help_text="Actions often run on past the strategy's year. Give the reason below.",
    )

    class Meta:
        model = ReportingPeriod
        fields = ["strategy", "year", "number", "update_deadline", "outside_period_reason"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not self.errors:
            services.period_open_check(
                strategy=cleaned["strategy"],
                year=cleaned["year"],
                number=cleaned["number"],
                confirm_outside=cleaned.get("confirm_outside_period", False),
                reason=cleaned.get("outside_period_reason", ""),
            )
        return cleaned


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(BoundedSearchAdmin, admin.ModelAdmin):
    """Quarters, strategy by strategy. Adding one opens it; closing and reopening are done on
    the returns page, through a confirmation that shows what is missing."""

    form = ReportingPeriodAdminForm
    list_display = ["label", "strategy", "update_deadline", "state", "update_count"]
    list_filter = ["strategy", "state", "year"]
    list_select_related = ["strategy"]
    search_fields = ["year", "strategy__title"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(update_total=Count("updates"))

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["strategy", "year", "number", "update_deadline", "confirm_outside_period", "outside_period_reason"]
        return [
            "strategy",
            "year",
            "number",
            "start",
            "end",
            "state",
            "states_recorded_at",
            "update_deadline",
            "outside_period_reason",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # A closed quarter's report never changes, so neither does the quarter.
        editable = ["update_deadline"] if obj.is_open else []
        return [name for name in self.get_fields(request, obj) if name not in editable]

    @admin.display(description="updates")
    def update_count(self, obj):
        return obj.update_total

    def save_model(self, request, obj, form, change):
        if change:
            services.period_deadline_set(
                period=obj, user=request.user, update_deadline=form.cleaned_data["update_deadline"]
            )
            return
        opened = services.period_open(
            strategy=obj.strategy,
            year=obj.year,
            number=obj.number,
            user=request.user,
            update_deadline=obj.update_deadline,
            confirm_outside=form.cleaned_data.get("confirm_outside_period", False),
            reason=obj.outside_period_reason,
        )
        obj.pk = opened.pk

    def has_change_permission(self, request, obj=None):
        # A closed quarter's report never changes, so neither does the quarter.
        return super().has_change_permission(request, obj) and not (obj and not obj.is_open)

    def has_delete_permission(self, request, obj=None):
        return False  # a quarter holds its strategy's updates and its place in the cycle


class ProgressUpdateAdminForm(forms.ModelForm):
    """The managers' rules, through the same service: permission, closed quarter, version."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    class Meta:
        model = ProgressUpdate
        fields = ["action", "period", *ProgressUpdate.REPORTED_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version if self.instance.pk else 0

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action") or (self.instance.action if self.instance.pk else None)
        period = cleaned.get("period") or (self.instance.period if self.instance.pk else None)
        if action is None or period is None:
            return cleaned
        try:
            services.progress_update_check(
                action=action,
                period=period,
                expected_version=cleaned.get("expected_version"),
                update=ProgressUpdate(**{name: cleaned.get(name) for name in ProgressUpdate.REPORTED_FIELDS}),
            )
        except services.UpdateConflict as error:
            raise ValidationError(str(error), code="conflict") from error
        return cleaned


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(BoundedSearchAdmin, SimpleHistoryAdmin):
    """Organisational Planning only: a manager writes updates on the managers' pages."""

    form = ProgressUpdateAdminForm
    list_display = ["action", "period", "status", "rag", "author", "changed"]
    list_filter = ["period__strategy", "status", "rag"]
    search_fields = ["action__reference", "action__description", "progress", "next_steps"]
    list_select_related = ["action", "period__strategy", "author"]
    autocomplete_fields = ["action", "period"]

    def get_fields(self, request, obj=None):
        fields = ["action", "period", *ProgressUpdate.REPORTED_FIELDS, "expected_version"]
        return fields if obj is None else [*fields, "author", "created", "changed", "version"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        readonly = ["action", "period", "author", "created", "changed", "version"]
        return readonly if obj.period.is_open else [*readonly, *ProgressUpdate.REPORTED_FIELDS]

    def has_module_permission(self, request):
        return is_planner(request.user)

    def has_view_permission(self, request, obj=None):
        return is_planner(request.user)

    def has_add_permission(self, request):
        return is_planner(request.user)

    def has_change_permission(self, request, obj=None):
        return is_planner(request.user) and not (obj and not obj.period.is_open)

    def has_delete_permission(self, request, obj=None):
        return False  # an update is part of a quarter's record

    def save_model(self, request, obj, form, change):
        saved = services.progress_update_record(
            action=form.cleaned_data.get("action") or obj.action,
            period=form.cleaned_data.get("period") or obj.period,
            user=request.user,
            expected_version=form.cleaned_data.get("expected_version"),
            **{name: form.cleaned_data.get(name) for name in ProgressUpdate.REPORTED_FIELDS},
        )
        obj.pk, obj.version = saved.pk, saved.version

    def save_related(self, request, form, formsets, change):
        pass  # no related records: everything was written by the service
