"""Spreadsheets of measures of success, and the rules every spreadsheet import keeps.

An import is all or nothing: the admin previews every row with its errors, offers to
confirm only when no row has an error, and a row that fails at the confirm step (the data
changed in between) rolls the whole import back. Records are named the way the document
names them (a strategy by its short name, an outcome and a recommendation by their
numbers), and a name that matches nothing is a row error, never a new record.
"""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from outcomes.models import Outcome, Recommendation, Strategy, SuccessMeasure

SPREADSHEET_FORMATS = [XLSX, CSV]


def as_number(value, what: str) -> int:
    """A document number from a cell: 2, 2.0 (as spreadsheets store it) or "2"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "" if value is None else str(value).strip()
    if not text.isdigit():
        raise ValueError(f'{what} must be a whole number, not "{text}".')
    return int(text)


def cell(row, column: str) -> str:
    value = row.get(column) if row else None
    return "" if value is None else str(value).strip()


class StrategyWidget(widgets.ForeignKeyWidget):
    """A strategy by its short name (slug)."""

    def __init__(self):
        super().__init__(Strategy, "slug")

    def clean(self, value, row=None, **kwargs):
        slug = "" if value is None else str(value).strip()
        if not slug:
            return None
        try:
            return Strategy.objects.get(slug=slug)
        except Strategy.DoesNotExist:
            raise ValueError(f'There is no strategy with the short name "{slug}".') from None


class OutcomeWidget(widgets.ForeignKeyWidget):
    """An outcome by its number within the row's strategy."""

    def __init__(self):
        super().__init__(Outcome, "number")

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        number, slug = as_number(value, "The outcome"), cell(row, "strategy")
        try:
            return Outcome.objects.get(strategy__slug=slug, number=number)
        except Outcome.DoesNotExist:
            raise ValueError(f'Strategy "{slug}" has no outcome {number}.') from None


class RecommendationWidget(widgets.ForeignKeyWidget):
    """A recommendation by its number within the row's outcome."""

    def __init__(self):
        super().__init__(Recommendation, "number")

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        number, slug = as_number(value, "The recommendation"), cell(row, "strategy")
        outcome = as_number(cell(row, "outcome"), "The outcome")
        try:
            return Recommendation.objects.get(outcome__strategy__slug=slug, outcome__number=outcome, number=number)
        except Recommendation.DoesNotExist:
            raise ValueError(f'Outcome {outcome} of strategy "{slug}" has no recommendation {number}.') from None


class AllOrNothingResource(resources.ModelResource):
    """A resource that saves every row or none, and reports each row's errors in full.

    Subclasses name the columns that identify a row in `duplicate_key` so that one file
    cannot hold the same record twice (the second row would silently overwrite the first).
    """

    #: The model fields that identify a record within a file, and the column to blame.
    duplicate_key: tuple[str, ...] = ()

    class Meta:
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = False

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        return widgets.CharWidget if isinstance(f, models.TextField) else super().widget_from_django_field(f, default)

    @classmethod
    def widget_kwargs_for_field(cls, field_name, django_field):
        # An empty cell in a text column is "", never None (which NOT NULL columns refuse).
        kwargs = super().widget_kwargs_for_field(field_name, django_field)
        if isinstance(django_field, models.CharField | models.TextField) and not django_field.null:
            kwargs.update(coerce_to_string=True, allow_blank=True)
        return kwargs

    def import_data(self, dataset, *args, **kwargs):
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, *args, **kwargs)

    def before_import(self, dataset, **kwargs):
        # Spreadsheets often end in formatted but empty rows: they are not records.
        for index in reversed(range(len(dataset))):
            if all(value in (None, "") for value in dataset[index]):
                del dataset[index]
        self._rows_by_key = {}

    def get_instance(self, instance_loader, row):
        # A row naming nothing that exists is a new record whose errors import_instance reports.
        try:
            return super().get_instance(instance_loader, row)
        except (ValueError, ObjectDoesNotExist):
            return None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # Many-to-many columns are otherwise read only after the save: check them now.
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = [ValidationError(str(error), code="invalid")]
        self.prepare_instance(instance, row, errors)
        self.check_duplicate(instance, kwargs.get("row_number"), errors)
        if errors:
            raise ValidationError(errors)

    def prepare_instance(self, instance, row, errors) -> None:
        """Compute derived values and add errors of the row's own, before full_clean()."""

    def check_duplicate(self, instance, row_number, errors) -> None:
        key = tuple(getattr(instance, instance._meta.get_field(name).attname) for name in self.duplicate_key)
        if not key or None in key or "" in key:
            return
        first = self._rows_by_key.setdefault(key, row_number)
        if first != row_number:
            name = self._meta.model._meta.verbose_name
            errors.setdefault(self.duplicate_key[-1], []).append(
                ValidationError(f"Row {first} is the same {name}: each {name} may appear once in a file.")
            )


class SuccessMeasureResource(AllOrNothingResource):
    strategy = fields.Field(attribute="recommendation__outcome__strategy__slug", column_name="strategy", readonly=True)
    outcome = fields.Field(attribute="recommendation__outcome__number", column_name="outcome", readonly=True)
    recommendation = fields.Field(
        attribute="recommendation", column_name="recommendation", widget=RecommendationWidget()
    )
    duplicate_key = ("recommendation", "number")

    class Meta:
        model = SuccessMeasure
        name = "Measures of success"
        fields = [
            "strategy",
            "outcome",
            "recommendation",
            "number",
            "measure",
            "indicator",
            "target_value",
            "target_unit",
            "baseline",
        ]
        import_id_fields = ["recommendation", "number"]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("recommendation__outcome__strategy")


class SpreadsheetAdminMixin(ImportExportMixin):
    """Import and export spreadsheets (XLSX or CSV) in the admin, all rows or none."""

    formats = SPREADSHEET_FORMATS

    def has_import_permission(self, request):
        # An import adds and changes records: it needs both permissions, not only admin access.
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def process_result(self, result, request):
        # Only reached when the data changed between the preview and the confirm step.
        if result.has_errors() or result.has_validation_errors():
            rows = [f"row {row.number}: {'; '.join(row.error.messages)}" for row in result.invalid_rows]
            rows += [f"row {number}: {errors[0].error}" for number, errors in result.row_errors()]
            messages.error(request, "Nothing was imported. " + " ".join(rows or ["The import failed."]))
            app_label, model_name = self.get_model_info()
            return HttpResponseRedirect(reverse(f"admin:{app_label}_{model_name}_import"))
        return super().process_result(result, request)
