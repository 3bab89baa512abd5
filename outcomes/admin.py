"""Admin where the Organisational Planning team keeps a strategy right, in document order."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from outcomes.models import Outcome, Recommendation, Risk, Strategy, SuccessMeasure
from outcomes.resources import SpreadsheetAdminMixin, SuccessMeasureResource
from strategy_tracker.search import BoundedSearchAdmin


class OutcomeInline(admin.StackedInline):
    model = Outcome
    extra = 0
    fields = ["number", "title", "narrative"]
    show_change_link = True
    classes = ["collapse"]  # folded: the page opens on the check and the totals


class RiskInline(admin.StackedInline):  # stacked: every input has its own label
    model = Risk
    extra = 0
    fields = ["number", "risk", "control", ("likelihood", "impact")]
    classes = ["collapse"]


@admin.register(Strategy)
class StrategyAdmin(BoundedSearchAdmin, SimpleHistoryAdmin):
    list_display = ["title", "organisation", "period_label", "version"]
    search_fields = ["title", "organisation", "department"]
    prepopulated_fields = {"slug": ["title"]}

    fieldsets = [
        ("Strategy", {"fields": ["title", "slug", "organisation", "department", "version"]}),
        ("Period", {"fields": ["period_label", ("period_start", "period_end")]}),
        ("Purpose", {"fields": ["vision", "mission", "governance"]}),
        ("Source", {"fields": ["source_document", "source_notes"], "classes": ["collapse"]}),
    ]
    inlines = [OutcomeInline, RiskInline]


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    extra = 0
    fields = ["number", "title", "rationale"]
    show_change_link = True


@admin.register(Outcome)
class OutcomeAdmin(BoundedSearchAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "strategy"]
    list_filter = ["strategy"]
    list_select_related = ["strategy"]
    search_fields = ["title", "narrative"]
    inlines = [RecommendationInline]


class SuccessMeasureInline(admin.StackedInline):
    model = SuccessMeasure
    extra = 0
    fields = ["number", "measure", "indicator", "workforce_indicator", ("target_value", "target_unit"), "baseline"]


@admin.register(Recommendation)
class RecommendationAdmin(BoundedSearchAdmin, SimpleHistoryAdmin):
    list_display = ["reference", "title", "outcome"]
    list_filter = ["outcome__strategy", "outcome"]
    list_select_related = ["outcome", "outcome__strategy"]
    search_fields = ["title", "rationale"]
    inlines = [SuccessMeasureInline]


@admin.register(SuccessMeasure)
class SuccessMeasureAdmin(BoundedSearchAdmin, SpreadsheetAdminMixin, SimpleHistoryAdmin):
    resource_classes = [SuccessMeasureResource]
    list_display = ["measure", "indicator", "target_display", "recommendation"]
    list_filter = ["recommendation__outcome__strategy"]
    list_select_related = ["recommendation", "recommendation__outcome"]
    search_fields = ["measure", "indicator"]


@admin.register(Risk)
class RiskAdmin(BoundedSearchAdmin, SimpleHistoryAdmin):
    list_display = ["number", "risk", "control", "strategy"]
    list_filter = ["strategy"]
    list_select_related = ["strategy"]
    search_fields = ["risk", "control"]
