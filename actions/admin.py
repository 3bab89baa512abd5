"""The plan in the admin: a strategy's actions, and the strategy page with its actions in
document order and the strategy check. Progress columns are added by reporting's admin."""

from typing import TYPE_CHECKING, ClassVar

from django import forms
from django.contrib import admin
from django.template.loader import render_to_string
from django.urls import path
from django.utils.html import format_html_join
from simple_history.admin import SimpleHistoryAdmin

from actions import selectors, services
from actions.resources import ActionResource
from actions.word_import_admin import word_import_view
from outcomes.admin import StrategyAdmin
from outcomes.models import Outcome, Recommendation, Strategy
from outcomes.resources import SpreadsheetAdminMixin
from strategy_tracker.search import BoundedSearchAdmin
from workforce.admin import PersonRecordsAdmin

if TYPE_CHECKING:
    from django.contrib.admin.options import _ListFilterT

admin.site.unregister(Strategy)


@admin.register(Strategy)
class StrategyPlanAdmin(StrategyAdmin):
    """The strategy page: the check, the costs and the links first; the document folded away."""

    readonly_fields = ["strategy_check", "cost_totals", "links", "document"]
    fieldsets = [
        ("At a glance", {"fields": ["strategy_check", "cost_totals", "links"]}),
        *StrategyAdmin.fieldsets,
        ("The strategy in document order", {"fields": ["document"], "classes": ["collapse"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        # A strategy being added has nothing to check, total or link to yet.
        return self.fieldsets if obj is not None else StrategyAdmin.fieldsets

    @admin.display(description="Outcomes, recommendations and measures")
    def document(self, obj):
        return render_to_string("admin/outcomes/strategy_document.html", {"outcomes": selectors.strategy_document(obj)})

    @admin.display(description="Are the objectives SMART?")
    def strategy_check(self, obj):
        return render_to_string("admin/outcomes/strategy_check.html", {"check": selectors.strategy_check(obj)})

    @admin.display(description="Estimated costs")
    def cost_totals(self, obj):
        return render_to_string("admin/outcomes/strategy_costs.html", {"costs": selectors.strategy_costs(obj)})

    @admin.display(description="Its records")
    def links(self, obj):
        return render_to_string("admin/outcomes/strategy_links.html", {"strategy": obj})


OPTION_WORDS = 90  # an outcome's or recommendation's words in a list: its select fits the page


def shortened(text: str, limit: int) -> str:
    """`text` cut to `limit` characters at a word, with "…" where it was cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


class PlanChoiceField(forms.ModelChoiceField):
    """An outcome or recommendation chosen from a list that names each with its strategy
    (strategies of different years share their outcomes' names) and cuts its words short
    (a recommendation's title runs to 2,000 characters, which made the list 4,349 px wide)."""

    def label_from_instance(self, obj) -> str:
        strategy = obj.strategy if isinstance(obj, Outcome) else obj.outcome.strategy
        return f"{shortened(str(obj), OPTION_WORDS)} ({shortened(strategy.title, 50)})"


class ActionAdminForm(forms.ModelForm):
    """The action's outcome and recommendation chosen from its strategy's only, once its
    strategy is known (the one chosen on the form, else the one it has)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        strategy = self.data.get(self.add_prefix("strategy")) if self.is_bound else None
        if not (strategy and str(strategy).isdigit()):
            strategy = self.instance.strategy_id
        if not strategy:
            return
        for name, lookup in (("outcome", "strategy_id"), ("recommendation", "outcome__strategy_id")):
            field = self.fields.get(name)
            if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
                field.queryset = field.queryset.filter(**{lookup: strategy})


# Registered once, by reporting/admin.py with each action's state this quarter: the layers
# keep actions from importing reporting, so the plan's admin cannot register it here.
# import-export's mixin types `model` and the list template more narrowly than ModelAdmin does;
# they are the same attributes at run time, hence the one ignore.
class ActionAdmin(BoundedSearchAdmin, SpreadsheetAdminMixin, PersonRecordsAdmin, SimpleHistoryAdmin):  # type: ignore[misc]
    resource_classes = [ActionResource]
    form = ActionAdminForm
    person_fields = ("lead_officer_user",)  # a planner cannot name a superuser, or un-name one
    list_display = ["reference", "short_description", "lead_names", "timescale", "due_date"]
    list_display_links = ["reference", "short_description"]
    list_filter: ClassVar[list["_ListFilterT"]] = [
        "strategy",
        "outcome",
        ("lead_teams", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["reference", "description", "timescale", "lead_teams__name", "lead_officer", "notes"]
    autocomplete_fields = ["lead_teams", "lead_officer_user", "predecessor"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["strategy", "outcome", "recommendation", "reference", "order", "description"]}),
        ("Who leads it", {"fields": ["lead_teams", "lead_officer", "lead_officer_user"]}),
        (
            "When",
            {
                "fields": ["timescale", ("start_date", "due_date", "is_ongoing")],
                "description": (
                    "Leave the dates blank to have them read from the timescale as written; "
                    "they are read again when the timescale changes. Dates you enter are kept."
                ),
            },
        ),
        (
            "Other details",
            {"fields": ["estimated_cost", "framework_link", "notes", "predecessor"], "classes": ["collapse"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("lead_officer_user").prefetch_related("lead_teams")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Each named with its strategy, read with it: one query for the list, not one an option.
        if db_field.name == "outcome":
            kwargs.update(queryset=Outcome.objects.select_related("strategy"), form_class=PlanChoiceField)
        elif db_field.name == "recommendation":
            queryset = Recommendation.objects.select_related("outcome__strategy")
            kwargs.update(queryset=queryset, form_class=PlanChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_urls(self):
        view = self.admin_site.admin_view(lambda request: word_import_view(self, request))
        return [path("word-import/", view, name="actions_action_word_import"), *super().get_urls()]

    def save_model(self, request, obj, form, change):
        services.action_save(action=obj, user=request.user, changed=form.changed_data if change else None)

    @admin.display(description="action")
    def short_description(self, obj):
        return obj.description if len(obj.description) <= 90 else obj.description[:87] + "…"

    @admin.display(description="lead")
    def lead_names(self, obj):
        return format_html_join(", ", "{}", ((name,) for name in obj.lead_names))
