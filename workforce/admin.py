"""Admin for the department's structure, its teams and their members, and workforce figures."""

from django.contrib import admin

from workforce.models import Directorate, ServiceArea, Team, TeamMembership, WorkforceFigure, WorkforceIndicator


class ServiceAreaInline(admin.TabularInline):
    model = ServiceArea
    extra = 0


@admin.register(Directorate)
class DirectorateAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    inlines = [ServiceAreaInline]


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "directorate"]
    list_filter = ["directorate"]
    list_select_related = ["directorate"]
    search_fields = ["name"]


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "service_area"]
    list_filter = ["kind", "service_area__directorate"]
    list_select_related = ["service_area"]
    search_fields = ["name"]
    inlines = [TeamMembershipInline]


@admin.register(TeamMembership)
class TeamMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "team"]
    list_select_related = ["user", "team"]
    list_filter = ["team"]
    search_fields = ["user__username", "team__name"]
    autocomplete_fields = ["user", "team"]


class WorkforceFigureInline(admin.TabularInline):
    model = WorkforceFigure
    extra = 0
    fields = ["year", "quarter", "scope", "value"]


@admin.register(WorkforceIndicator)
class WorkforceIndicatorAdmin(admin.ModelAdmin):
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
