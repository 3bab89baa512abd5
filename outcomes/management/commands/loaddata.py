"""loaddata that refuses a bad fixture. It replaces Django's: an app's command overrides core's.

Django saves fixture records raw (no choices, field rules or clean()), and two records with one
natural key in a file load as one. Inside loaddata's transaction this refuses a reference to
nothing, an unreadable value, a record twice in a file and a record failing full_clean(), with
a CommandError naming the file and the record; nothing the command loaded is kept.
"""

import json
import os

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.core.management.base import CommandError
from django.core.management.commands import loaddata
from django.db import transaction

from strategy_tracker import data_version


def missing_references(references, using) -> list[str]:
    """Messages for the natural-key references ({field: value}) that name no record."""
    found = []
    for field, value in references.items():
        model = field.remote_field.model
        for key in value if field.many_to_many else [value]:
            try:
                model._default_manager.db_manager(using).get_by_natural_key(*key)
            except ObjectDoesNotExist:
                shown = f'"{key[0]}"' if len(key) == 1 else str(tuple(key))
                found.append(f"{field.verbose_name}: {model._meta.verbose_name} {shown} does not exist")
            except Exception:  # not a natural key: Django's own message says what is wrong
                pass
    return found


def unreadable_record(path, index, using) -> tuple[str, list[str]]:
    """The model and unknown references of a JSON fixture's record that could not be read."""
    try:
        with open(path, encoding="utf-8") as file:
            record = json.load(file)[index - 1]
        model = apps.get_model(record["model"])
        fields = {model._meta.get_field(name): value for name, value in record["fields"].items()}
        references = {field: value for field, value in fields.items() if field.is_relation and value}
        return f", {record['model']}", missing_references(references, using)
    except Exception:  # not JSON, or not readable: the error message is all there is
        return "", []


class Record:  # one record of a fixture file: where it is, and the object it loaded as
    def __init__(self, command, obj):
        self.file, self.index, self.obj = command.fixture_file, command.index, obj

    def __str__(self):
        instance = self.obj.object
        try:
            key = repr(instance.natural_key())
        except Exception:  # no natural key, or one that needs a reference not yet set
            key = f"(pk={instance.pk})"
        return f"{self.file}: record {self.index}, {instance._meta.label_lower} {key}"

    def fail(self, message, error=None):
        raise CommandError(f"{self}: {message}") from error

    def save_deferred_fields(self, using=None):  # references to later records, set at the end
        try:
            with transaction.atomic(using=using):
                self.obj.save_deferred_fields(using=using)
        except Exception as error:
            self.fail("; ".join(missing_references(self.obj.deferred_fields, using)) or str(error), error)


class Command(loaddata.Command):
    help = loaddata.Command.help + " Refuses them all, naming the file and record, if one record is bad."

    def loaddata(self, fixture_labels):
        self.records = []
        super().loaddata(fixture_labels)

    def load_label(self, fixture_label):
        # One file at a time, so that every record can be traced to its file.
        for fixture_file, _, _ in self.find_fixtures(fixture_label):
            self.fixture_file, self.index, self.seen = fixture_file, 0, {}
            path = fixture_file if fixture_file == loaddata.READ_STDIN else os.path.abspath(fixture_file)
            try:
                super().load_label(path)
            except CommandError:
                raise
            except Exception as error:  # the record after the last one saved could not be read
                model, missing = unreadable_record(path, self.index + 1, self.using)
                message = "; ".join(missing) or str(error).removeprefix(f"Problem installing fixture '{path}': ")
                raise CommandError(f"{fixture_file}: record {self.index + 1}{model}: {message}") from error

    def save_obj(self, obj):
        self.index += 1
        record = Record(self, obj)
        # A model may complete a record from what the document says, e.g. an action's dates
        # from its timescale where the fixture leaves them out. Values given are kept.
        prepare = getattr(obj.object, "before_loaddata", None)
        if callable(prepare):
            try:
                prepare()
            except Exception as error:  # such as a strategy that does not exist
                record.fail(str(error), error)
        try:  # in a savepoint, so that the error can be described after a database error
            with transaction.atomic(using=self.using):
                saved = super().save_obj(obj)
        except Exception as error:  # such as a required reference to a record that does not exist
            references = {field: value for field, value in (obj.deferred_fields or {}).items() if field.many_to_one}
            record.fail("; ".join(missing_references(references, self.using)) or str(error), error)
        if saved:
            key = (type(obj.object), obj.object.pk)
            if key in self.seen:
                record.fail(f"the same {obj.object._meta.verbose_name} as record {self.seen[key]}")
            self.seen[key] = self.index
            self.records.append(record)
        if obj.deferred_fields:
            self.objs_with_deferred_fields[-1] = record
        return saved

    def reset_sequences(self, connection, models):
        # Called once every record and reference is saved, before success is reported: check them.
        for record in self.records:
            try:
                # Unique and check constraints are the database's to enforce as each record is
                # saved; asking again here would double the queries of a load.
                record.obj.object.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                errors = [f"{f}: {m}".removeprefix(f"{NON_FIELD_ERRORS}: ") for f, ms in error for m in ms]
                record.fail("; ".join(errors), error)
        super().reset_sequences(connection, models)
        data_version.changed()  # something was loaded: in loaddata's transaction
