"""Spreadsheets of measures of success, and the rules every spreadsheet import keeps.

An import is all or nothing: the admin previews every row with its errors, offers to
confirm only when no row has an error, and a row that fails at the confirm step (the data
changed in between) rolls the whole import back. Records are named the way the document
names them (a strategy by its short name, an outcome and a recommendation by their
numbers), and a name that matches nothing is a row error, never a new record.
"""

import logging
import os
import re
from typing import ClassVar, cast

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm
from import_export.tmp_storages import CacheStorage

from outcomes.models import Outcome, Recommendation, Strategy, SuccessMeasure
from outcomes.spreadsheets import SPREADSHEET_FORMATS, UNREADABLE, SpreadsheetRefused, check_upload_size
from strategy_tracker import data_version, pace

logger = logging.getLogger(__name__)


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


class LookupWidget(widgets.ForeignKeyWidget):
    """A record named in a cell, looked up once per import however many rows name it.

    A resource copies its fields, widgets included, for each import (ModelResource's
    __init__), so what is remembered here lasts one import: a spreadsheet of 500 rows in
    one recommendation costs one query for it, not 500. A name that matches nothing is
    remembered too, and each row naming it gets the error.
    """

    def lookup(self, key, **filters):
        found = self.__dict__.setdefault("_found", {})
        if key not in found:
            found[key] = self.model.objects.filter(**filters).first()
        return found[key]


class StrategyWidget(LookupWidget):
    """A strategy by its short name (slug)."""

    def __init__(self):
        super().__init__(Strategy, "slug")

    def clean(self, value, row=None, **kwargs):
        slug = "" if value is None else str(value).strip()
        if not slug:
            return None
        strategy = self.lookup(slug, slug=slug)
        if strategy is None:
            raise ValueError(f'There is no strategy with the short name "{slug}".')
        return strategy


class OutcomeWidget(LookupWidget):
    """An outcome by its number within the row's strategy."""

    def __init__(self):
        super().__init__(Outcome, "number")

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        number, slug = as_number(value, "The outcome"), cell(row, "strategy")
        outcome = self.lookup((slug, number), strategy__slug=slug, number=number)
        if outcome is None:
            raise ValueError(f'Strategy "{slug}" has no outcome {number}.')
        return outcome


class RecommendationWidget(LookupWidget):
    """A recommendation by its number within the row's outcome."""

    def __init__(self):
        super().__init__(Recommendation, "number")

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        number, slug = as_number(value, "The recommendation"), cell(row, "strategy")
        outcome = as_number(cell(row, "outcome"), "The outcome")
        key = (slug, outcome, number)
        found = self.lookup(key, outcome__strategy__slug=slug, outcome__number=outcome, number=number)
        if found is None:
            raise ValueError(f'Outcome {outcome} of strategy "{slug}" has no recommendation {number}.')
        return found


class AllOrNothingResource(resources.ModelResource):
    """A resource that saves every row or none, and reports each row's errors in full.

    Subclasses name the columns that identify a row in `duplicate_key` so that one file
    cannot hold the same record twice (the second row would silently overwrite the first).
    """

    #: The model fields that identify a record within a file, and the column to blame.
    duplicate_key: tuple[str, ...] = ()
    #: What a column's cells hold, by heading, where the field's own help does not say it.
    column_help: ClassVar[dict[str, str]] = {
        "strategy": "The strategy's short name, e.g. workforce-2016-17.",
        "outcome": "The outcome's number within the strategy, e.g. 1.",
        "recommendation": "The recommendation's number within the outcome, e.g. 2 for 1.2.",
    }

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

    def after_import(self, dataset, result, **kwargs):
        data_version.changed()  # in the import's transaction: nothing if it is rolled back (a preview)

    def before_import(self, dataset, **kwargs):
        missing = self.missing_columns(dataset.headers or [])
        if missing:
            # No row is read without the columns that identify it; the admin shows this
            # refusal on the form (SpreadsheetAdminMixin.import_action), never the error's trace.
            for index in reversed(range(len(dataset))):
                del dataset[index]
            names = " and ".join([", ".join(missing[:-1]), missing[-1]] if len(missing) > 1 else missing)
            raise SpreadsheetRefused(
                f"The file has no {names} column{'s' if len(missing) > 1 else ''}. Add it as the heading of a "
                "column in the first row (an export of the records has every heading), and try again."
            )
        # Spreadsheets often end in formatted but empty rows: they are not records.
        for index in reversed(range(len(dataset))):
            if all(value in (None, "") for value in dataset[index]):
                del dataset[index]
        self._rows_by_key = {}

    def save_instance(self, instance, is_create, row, **kwargs):
        if self._is_dry_run(kwargs):
            # A preview saves in a transaction that is rolled back: a history record of
            # each row (two, with the lead teams) would be written only to be thrown away.
            instance.skip_history_when_saving = True
        super().save_instance(instance, is_create, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        try:
            super().save_m2m(instance, row, **kwargs)
        finally:
            instance.__dict__.pop("skip_history_when_saving", None)

    def missing_columns(self, headers) -> list[str]:
        """The columns that identify a row (import_id_fields) that the file's headings lack."""
        given = {str(header).strip() for header in headers if header is not None}
        needed = [str(self.fields[name].column_name) for name in self.get_import_id_fields()]
        return [column for column in needed if column not in given]

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
            name = instance._meta.verbose_name
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


class PreviewStorage(CacheStorage):
    """An upload kept between its preview and the confirm step, in the shared cache.

    The confirm step may reach another application server than the preview did, so the
    file is kept in settings.CACHES (the database), not in a server's temporary folder. It
    is removed after the confirm step and after a preview that cannot be confirmed; a
    preview nobody confirms expires after an hour.
    """

    CACHE_LIFETIME = 60 * 60
    CACHE_PREFIX = "spreadsheet-import-"

    def _named(self) -> bool:
        # The name comes back from the browser: only a name this class gave out is looked up.
        return bool(re.fullmatch(r"[0-9a-f]{32}", self.name or ""))

    def exists(self) -> bool:
        return self._named() and cache.has_key(f"{self.CACHE_PREFIX}{self.name}")

    def read(self):
        return super().read() if self._named() else None

    def remove(self):
        if self._named():
            super().remove()


class SpreadsheetImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_upload_size(upload)
        except SpreadsheetRefused as refusal:
            raise ValidationError(str(refusal), code="too_large") from None
        return upload


class SpreadsheetAdminMixin(ImportExportMixin):
    """Import and export spreadsheets (XLSX or CSV) in the admin, all rows or none.

    Uploads are refused within the limits of outcomes.spreadsheets, with a sentence a
    planner understands, and never stay behind in the preview storage once they cannot be,
    or have been, confirmed.
    """

    formats = SPREADSHEET_FORMATS
    import_form_class = SpreadsheetImportForm
    tmp_storage_class = PreviewStorage

    def has_import_permission(self, request):
        # An import adds and changes records: it needs both permissions, not only admin access.
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def import_url(self) -> str:
        app_label, model_name = self.get_model_info()
        return reverse(f"admin:{app_label}_{model_name}_import")

    def import_action(self, request, **kwargs):
        if request.method != "POST":  # the form: no work to pace
            return self._import_action(request, **kwargs)
        try:
            with pace.paced(request.user, pace.IMPORT):  # a preview: paced per planner
                response = self._import_action(request, **kwargs)
                if hasattr(response, "render"):
                    response.render()  # the preview's rows, while the pace's lock is held
                return response
        except pace.PaceExceeded as refusal:
            return pace.refusal_page(request, refusal, links=((self.import_url(), "Back to the import"),))

    def _import_action(self, request, **kwargs):
        response = None
        try:
            response = super().import_action(request, **kwargs)
            context = getattr(response, "context_data", None) or {}
            refusal = _refusal(context.get("result"))
            if refusal is not None:  # the file as a whole is refused: said on the form, no preview
                del context["result"]
                context.pop("confirm_form", None)
                context["form"].add_error("import_file", str(refusal))
            if "fields_list" in context:
                context["import_columns"] = self.import_columns(request)
            return response
        finally:
            # Kept only for a preview that offers the confirm step; removed on every other outcome.
            name = getattr(request.FILES.get("import_file"), "tmp_storage_name", None)
            if name and "confirm_form" not in (getattr(response, "context_data", None) or {}):
                self.get_tmp_storage_class()(name=name).remove()

    def import_columns(self, request) -> list[dict]:
        """The columns an import reads, for its page: each heading exactly as the spreadsheet
        (an export of the records) heads it, what the column holds in the admin's words, and
        whether a row needs it to be matched."""
        columns = []
        for resource_class in self.get_import_resource_classes(request):
            resource = cast(AllOrNothingResource, resource_class())
            needed = {str(resource.fields[name].column_name) for name in resource.get_import_id_fields()}
            visible = cast(list[fields.Field], resource.get_user_visible_fields())
            model = cast(type[models.Model], resource._meta.model)
            for field in visible:
                name = str(field.attribute or field.column_name).split("__")[0]
                try:
                    model_field = model._meta.get_field(name)
                except FieldDoesNotExist:
                    meaning, help_text = name.replace("_", " "), ""
                else:
                    meaning = str(getattr(model_field, "verbose_name", name))
                    help_text = str(getattr(model_field, "help_text", ""))
                help_text = resource.column_help.get(str(field.column_name), help_text)
                columns.append(
                    {
                        "heading": str(field.column_name),
                        "meaning": meaning[:1].upper() + meaning[1:],
                        "help": help_text,
                        "needed": str(field.column_name) in needed,
                    }
                )
        return columns

    def add_data_read_fail_error_to_form(self, form, e):
        if not isinstance(e, SpreadsheetRefused):
            logger.warning("An uploaded spreadsheet could not be read", exc_info=e)
        form.add_error("import_file", str(e) if isinstance(e, SpreadsheetRefused) else UNREADABLE)

    def process_import(self, request, **kwargs):
        if request.method != "POST":
            return super().process_import(request, **kwargs)  # refuses it
        if not self.has_import_permission(request):
            raise PermissionDenied
        try:
            # One confirm at a time per planner; not counted towards the minute, so a preview
            # that was allowed can always be confirmed.
            with pace.paced(request.user, pace.IMPORT, count=False):
                return self._confirm(request, **kwargs)
        except pace.PaceExceeded as refusal:  # the kept file stays for a confirm after the wait
            return pace.refusal_page(request, refusal)

    def _confirm(self, request, **kwargs):
        storage = self.get_tmp_storage_class()(name=os.path.basename(request.POST.get("import_file_name", "")))
        try:
            if not storage.exists():
                messages.error(
                    request,
                    "Nothing was imported: the uploaded file is no longer kept (it is kept for an hour after "
                    "its preview, until it is imported). Upload the file again.",
                )
                return HttpResponseRedirect(self.import_url())
            return super().process_import(request, **kwargs)
        except SpreadsheetRefused as refusal:
            messages.error(request, f"Nothing was imported. {refusal}")
            return HttpResponseRedirect(self.import_url())
        finally:
            storage.remove()

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # As import-export's, but a workbook gets numbers and dates as such for every binary format.
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(request, queryset, force_native_type=file_format.is_binary(), **kwargs)
        export_data = file_format.export_data(data)
        encoding = kwargs.get("encoding")
        if not file_format.is_binary() and encoding:
            export_data = export_data.encode(encoding)
        return export_data

    def process_result(self, result, request):
        # Only reached when the data changed between the preview and the confirm step.
        if result.has_errors() or result.has_validation_errors():
            refusal = _refusal(result)
            if refusal is not None:
                messages.error(request, f"Nothing was imported. {refusal}")
                return HttpResponseRedirect(self.import_url())
            rows = [f"row {row.number}: {'; '.join(row.error.messages)}" for row in result.invalid_rows]
            rows += [f"row {number}: {errors[0].error}" for number, errors in result.row_errors()]
            messages.error(request, "Nothing was imported. " + " ".join(rows or ["The import failed."]))
            return HttpResponseRedirect(self.import_url())
        return super().process_result(result, request)


def _refusal(result) -> SpreadsheetRefused | None:
    """The refusal of the whole file among an import result's errors, if there is one."""
    for error in getattr(result, "base_errors", None) or []:
        if isinstance(error.error, SpreadsheetRefused):
            return error.error
    return None
