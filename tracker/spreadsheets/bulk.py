"""A bulk path for django-import-export resources: the same columns, widgets and rules,
at tens of thousands of rows a second.

django-import-export handles a row at a time: it looks the row's instance up, validates
it with `full_clean` (several queries for related rows and constraints) and saves it.
For large files `BulkImportMixin.import_data` instead:

1. reads every key column once and fetches the related rows they name in one query per
   column (the widgets' lookup cache is filled in bulk);
2. fetches the existing instances of the file in one query per thousand keys;
3. fills and validates each row in memory (choices, lengths, required fields and the
   model's own `clean`), collecting every problem with its row and column;
4. writes new rows with `bulk_create` and changed rows with `bulk_update`, inside the
   caller's transaction — or nothing at all when any row failed.

A database error during the bulk write (a constraint the checks above do not know) makes
it start again on the row-by-row path, so that the message names the row.
"""

import json

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.results import Result, RowResult

from audit.context import current_source, current_user
from audit.models import AuditEntry, audited_fields, plain, snapshot
from ratings.locks import lock_message
from ratings.models import Cycle
from tracker.models.data_version import bump

from .widgets import CLEAR, ChoiceWidget, KeyWidget, TextWidget, is_blank

BATCH = 1000


class BulkImportMixin:
    #: Files with at least this many rows take the bulk path.
    bulk_min_rows = 200

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        if len(dataset) < self.bulk_min_rows or not self.bulk_capable() or self.header_problems(dataset):
            return super().import_data(
                dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=use_transactions, **kwargs
            )
        try:
            with transaction.atomic():
                result = self.bulk_import(dataset, **kwargs)
                if dry_run or result.has_errors() or result.has_validation_errors():
                    transaction.set_rollback(True)
            return result
        except DatabaseError:
            return super().import_data(
                dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=use_transactions, **kwargs
            )

    #: Whether new rows need their primary keys back (for `after_bulk_create`).
    needs_new_pks = False

    def bulk_capable(self):
        return True

    # -- reading -----------------------------------------------------------------------

    def _prefetch_keys(self, dataset, fields):
        """Fill each KeyWidget's cache with one query per column."""
        for field in fields:
            widget = field.widget
            if not isinstance(widget, KeyWidget) or field.column_name not in dataset.headers:
                continue
            wanted = {str(v).strip() for v in dataset[field.column_name] if not is_blank(v)}
            wanted -= set(widget.found)
            key = widget.fields[0]
            for chunk in _chunks(sorted(wanted)):
                for obj in widget.model.objects.filter(**{f"{key}__in": chunk}):
                    widget.found[str(getattr(obj, key))] = obj

    def _existing(self, keyed_rows, id_fields):
        """Existing instances by key, one query per thousand keys."""
        model = self._meta.model
        found = {}
        first = id_fields[0]
        values = {key[0] for key in keyed_rows if key is not None}
        values = sorted((v[1] if isinstance(v, tuple) else v for v in values), key=str)
        for chunk in _chunks(values):
            for obj in model.objects.filter(**{f"{first.attribute}__in": chunk}):
                found[tuple(_key_part(getattr(obj, f.attribute)) for f in id_fields)] = obj
        return found

    def _row_key(self, row, id_fields):
        parts = []
        for field in id_fields:
            value = field.clean(row)
            if value is None or (isinstance(value, str) and not value.strip()):
                return None
            parts.append(_key_part(value))
        return tuple(parts)

    # -- validating ---------------------------------------------------------------------

    def _locked_cycles(self, model):
        """{id: cycle} of the cycles the acting user may not change (the cycle lock)."""
        if not any(f.name == "cycle" for f in model._meta.concrete_fields):
            return {}
        return Cycle.objects.locked_for(current_user())

    def _checks(self):
        """(model field, column, allowed choices) for every field a row can set.

        Choices read by a ChoiceWidget are valid already and are not checked again."""
        columns = self._columns_by_attribute()
        chosen = {f.attribute for f in self.get_import_fields() if isinstance(f.widget, ChoiceWidget)}
        checks = []
        for field in self._meta.model._meta.concrete_fields:
            if field.primary_key or not field.editable:
                continue
            choices = None
            if field.choices and field.name not in chosen:
                choices = {value for value, _label in field.flatchoices}
            if field.blank and choices is None and not (field.max_length and not field.is_relation):
                continue  # nothing a row could get wrong here
            checks.append((field, columns.get(field.name, field.name), choices))
        return checks

    def _validate(self, instance, errors, checks, columns):
        for field, column, choices in checks:
            if column in errors:
                continue
            value = getattr(instance, field.attname)
            message = None
            if value is None or value == "":
                if not field.blank:
                    message = _("This field is required.")
            elif choices is not None and value not in choices:
                message = _("“%(value)s” is not one of: %(allowed)s.") % {
                    "value": value,
                    "allowed": ", ".join(sorted(map(str, choices))),
                }
            elif field.max_length and isinstance(value, str) and len(value) > field.max_length:
                message = _("At most %(limit)d characters (it has %(length)d).") % {
                    "limit": field.max_length,
                    "length": len(value),
                }
            if message:
                errors.setdefault(column, []).append(message)
        if not errors:
            try:
                instance.clean()
            except ValidationError as error:
                for name, messages in error.update_error_dict({}).items():
                    errors.setdefault(columns.get(name, name), []).extend(messages)
        return errors

    # -- the import -----------------------------------------------------------------------

    def bulk_import(self, dataset, **kwargs):
        model = self._meta.model
        result = Result()
        result.diff_headers = list(dataset.headers)
        result.total_rows = len(dataset)
        fields = [f for f in self.get_import_fields() if f.attribute and not f.readonly]
        checks = self._checks()
        columns = self._columns_by_attribute()
        id_fields = [self.fields[name] for name in self.get_import_id_fields()]
        self._prefetch_keys(dataset, fields)
        headers = dataset.headers
        rows = [dict(zip(headers, values)) for values in dataset]
        keys = []
        single_text = len(id_fields) == 1 and isinstance(id_fields[0].widget, TextWidget)
        for row in rows:
            if single_text:  # the common case (references, names): no widget needed
                value = row.get(id_fields[0].column_name)
                keys.append(None if is_blank(value) else (str(value).strip(),))
                continue
            try:
                keys.append(self._row_key(row, id_fields))
            except ValueError:
                keys.append(None)
        existing = self._existing(keys, id_fields)
        attnames = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        # Defaults are worked out once per file ("recorded at" is the moment of the import).
        defaults = {
            f.attname: f.get_default() for f in model._meta.concrete_fields
            if not f.primary_key and not getattr(f, "generated", False)
        }
        setters = [
            (field, field.column_name, field.widget.clean, _model_field(model, field.attribute))
            for field in fields
            if field.column_name in headers
        ]
        created, updated, changed_fields = [], [], set()
        audit_names, snapshots = audited_fields(model), {}
        locked = self._locked_cycles(model)
        for number, (row, key) in enumerate(zip(rows, keys), 1):
            instance = existing.get(key) if key is not None else None
            is_new = instance is None
            if is_new:
                instance = model(**defaults)
            before = None if is_new else {a: getattr(instance, a) for a in attnames}
            if not is_new and id(instance) not in snapshots:
                snapshots[id(instance)] = snapshot(instance, audit_names)
            errors = {}
            data = instance.__dict__
            for field, column, clean, model_field in setters:
                raw = row[column]
                if not is_new and is_blank(raw):
                    continue
                try:
                    if raw.__class__ is str and raw[:1] == "(" and raw.strip().lower() == CLEAR:
                        self.import_field(field, instance, row, **kwargs)
                    elif model_field is not None and not model_field.is_relation:
                        data[model_field.attname] = clean(raw, row=row)
                    else:
                        _assign(instance, model_field, field, clean(raw, row=row))
                except ValueError as error:
                    errors[column] = [str(error)]
            self._validate(instance, errors, checks, columns)
            if locked and not errors:
                touched = {instance.__dict__.get("cycle_id"), before.get("cycle_id") if before else None}
                changed = is_new or any(getattr(instance, a) != before[a] for a in attnames)
                if changed and touched & locked.keys():
                    cycle = locked[min(touched & locked.keys())]
                    errors[columns.get("cycle", "cycle")] = [lock_message(cycle)]
            row_result = RowResult()
            if errors:
                row_result.import_type = RowResult.IMPORT_TYPE_INVALID
                row_result.validation_error = ValidationError(errors)
                result.append_invalid_row(number, row, row_result.validation_error)
            elif is_new:
                row_result.import_type = RowResult.IMPORT_TYPE_NEW
                self.before_save_instance(instance, row, **kwargs)
                created.append(instance)
                if key is not None:
                    existing[key] = instance  # a later row with the same key updates it
            else:
                changes = {a for a in attnames if getattr(instance, a) != before[a]}
                if changes and instance.pk is not None:
                    row_result.import_type = RowResult.IMPORT_TYPE_UPDATE
                    updated.append(instance)
                    changed_fields |= changes
                else:
                    row_result.import_type = RowResult.IMPORT_TYPE_NEW if instance.pk is None else RowResult.IMPORT_TYPE_SKIP
            result.increment_row_result_total(row_result)
            result.append_row_result(row_result)
            if self.progress is not None:
                self.progress(number)
        if result.has_validation_errors():
            return result
        self.bulk_prepare_new(created)
        id_range = None
        if self.needs_new_pks or transaction.get_connection().vendor != "sqlite":
            for chunk in _chunks(created, BATCH):
                model.objects.bulk_create(chunk)
            self.after_bulk_create(created)
        else:
            # SQLite: this transaction is the only writer (IMMEDIATE), so the new rows
            # take the ids after the current last one.
            last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            insert_rows(model, created)
            id_range = (last + 1, last + len(created))
        unique_updated = list({id(i): i for i in updated if i.pk is not None}.values())
        if unique_updated:
            names = [model._meta.get_field(a).name for a in changed_fields if a != "id"]
            model.objects.bulk_update(unique_updated, names, batch_size=BATCH)
            self.after_bulk_update(unique_updated, changed_fields)
        self._audit(model, created, unique_updated, snapshots, id_range)
        if created or unique_updated:
            bump()  # the bulk write sent no model signals
        return result

    def bulk_prepare_new(self, instances):
        """Hook for what the row path does to new instances before inserting them."""

    def after_bulk_create(self, instances):
        """Hook for what the row path does after inserting new instances."""

    def after_bulk_update(self, instances, changed):
        """Hook for what `save()` would have done for changed instances (`changed`: the
        attribute names that changed in any of them)."""

    def _audit(self, model, created, updated, snapshots, id_range=None):
        """Audit entries for what the bulk write did: one per changed record with its old
        and new values, and one for the batch of new records, written in chunks with one
        prepared INSERT."""
        names = audited_fields(model)
        label, now = model._meta.label, timezone.now()
        user = current_user()
        user_id, source = (user.pk if user else None), current_source()
        key = self.get_import_id_fields()[0] if len(self.get_import_id_fields()) == 1 else None

        def describe(obj):
            value = getattr(obj, key, None) if key else None
            return str(value if isinstance(value, str) and value else obj)[:300]

        def rows():
            # New rows: one entry for the whole batch (who, when, how many, which ids);
            # their values are the rows themselves until a later change, which is recorded.
            if created:
                first, last = id_range or (min(o.pk for o in created), max(o.pk for o in created))
                summary = {"rows": [None, len(created)], "first_id": [None, first], "last_id": [None, last]}
                yield ("create", "", f"{len(created)} {model._meta.verbose_name_plural} imported", summary)
            for obj in updated:
                before, data = snapshots[id(obj)], obj.__dict__
                changes = {n: [before[n], plain(data[n])] for n in names if before[n] != plain(data[n])}
                if changes:
                    yield ("update", obj.pk, describe(obj), changes)

        connection = transaction.get_connection()
        table = connection.ops.quote_name(AuditEntry._meta.db_table)
        sql = (
            f"INSERT INTO {table} (at, user_id, source, action, model, object_id, object_repr, changes) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
        )
        at = connection.ops.adapt_datetimefield_value(now)
        with connection.cursor() as cursor:
            batch = []
            for action, pk, text, changes in rows():
                batch.append((at, user_id, source, action, label, str(pk), text, json.dumps(changes, ensure_ascii=False)))
                if len(batch) == 5000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)


def _model_field(model, attribute):
    try:
        return model._meta.get_field(attribute)
    except Exception:
        return None


def _assign(instance, model_field, resource_field, value):
    """Set a cleaned value the way the model's descriptors would, without their cost."""
    if model_field is None:
        setattr(instance, resource_field.attribute, value)
    elif model_field.is_relation:
        instance.__dict__[model_field.attname] = None if value is None else value.pk
        if value is None:
            instance._state.fields_cache.pop(model_field.name, None)
        else:
            instance._state.fields_cache[model_field.name] = value
    else:
        instance.__dict__[model_field.attname] = value


def insert_rows(model, instances):
    """INSERT many rows with one prepared statement (executemany), without the ORM's
    per-batch SQL compilation; values are prepared by each field as `save()` would."""
    if not instances:
        return
    connection = transaction.get_connection()
    fields = [
        f for f in model._meta.concrete_fields
        if not f.primary_key and not getattr(f, "generated", False)
    ]
    for instance in instances:
        for field in fields:
            if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
                field.pre_save(instance, add=True)
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    attnames = [f.attname for f in fields]
    # Values of plain types pass as they are; the others are prepared by their field, once
    # per distinct value (a whole file shares one "recorded at", few distinct dates…).
    prepared = [
        (index, field.get_db_prep_save, {})
        for index, field in enumerate(fields)
        if field.get_internal_type() not in PLAIN_TYPES or field.null
    ]

    def values(obj):
        data = obj.__dict__
        row = [data[a] for a in attnames]
        for index, prepare, memo in prepared:
            value = row[index]
            try:
                row[index] = memo[value]
            except KeyError:
                row[index] = memo[value] = prepare(value, connection)
            except TypeError:  # unhashable
                row[index] = prepare(value, connection)
        return row

    with connection.cursor() as cursor:
        for chunk in _chunks(instances, 5000):
            cursor.executemany(sql, [values(obj) for obj in chunk])


PLAIN_TYPES = {
    "CharField", "TextField", "SlugField", "URLField", "ForeignKey", "IntegerField",
    "PositiveSmallIntegerField", "PositiveIntegerField", "SmallIntegerField", "BigIntegerField",
}


def _chunks(items, size=BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _key_part(value):
    if isinstance(value, models.Model):
        return ("pk", value.pk)
    if isinstance(value, str):
        return value.strip()
    return value

