"""A bulk path for django-import-export resources: the same columns, widgets and rules,
at tens of thousands of rows a second.

django-import-export handles a row at a time: it looks the row's instance up, validates
it with `full_clean` (several queries for related rows and constraints) and saves it.
For large files `BulkImportMixin.import_data` instead:

1. reads every key column once and fetches the related rows they name, a thousand keys
   a query (the widgets' lookup cache is filled in bulk);
2. fetches the file's existing records, a thousand keys a query;
3. reads each column once (`bulk_cells`), then fills and validates each row in memory
   with the checks of the row path's `full_clean` — each model field's own `clean`
   (`bulk_checks`: choices, required fields, lengths, URLs, slugs, digits, bounds) and
   the model's `clean` — and the cycle lock, collecting every problem with its row and
   column;
4. writes new and changed rows and their audit entries (`bulk_write`), inside the
   caller's transaction — or nothing at all when any row failed.

A database error during the bulk write (a constraint the checks above do not know) makes
it start again on the row-by-row path, so that the message names the row.
"""

import gc
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from import_export.resources import Diff
from import_export.results import Result, RowResult

from audit.context import current_user
from audit.models import audited_fields, snapshot
from ratings.locks import lock_message
from ratings.models import Cycle
from tracker.models.data_version import bump

from .bulk_cells import (
    CLEARED,
    Batch,
    Plan,
    Problem,
    Setter,
    assign,
    attribute_columns,
    model_field_of,
    read_columns,
)
from .bulk_checks import check_columns, check_instance, field_checks
from .bulk_write import BATCH, chunks, describe_written, insert_rows, pks_with, write_audit
from .widgets import KeyWidget, TextWidget, is_blank


class BulkImportMixin:
    #: Files with at least this many rows take the bulk path.
    bulk_min_rows = 200

    #: Whether new rows need their primary keys back (for `after_bulk_create`). The bulk
    #: write now always gives them; kept for the resources that say so.
    needs_new_pks = False

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

    def bulk_capable(self):
        return True

    def get_diff_class(self):
        return PreviewDiff

    def bulk_import(self, dataset, **kwargs):
        # The rows are let go (on return) before the collector is back on.
        with collector_paused():
            return self._bulk_import(dataset, kwargs)

    def _bulk_import(self, dataset, kwargs):
        table = list(dataset)
        rows = [dict(zip(dataset.headers, values)) for values in table]
        raw_columns = dict(zip(dataset.headers, zip(*table))) if table else {}
        plan = self._plan(dataset, raw_columns)
        keys = self._read_keys(raw_columns, rows, plan)
        existing = self._existing(keys, plan.id_fields)
        result = Result()
        result.diff_headers = list(dataset.headers)
        result.total_rows = len(dataset)
        batch = self._fill_and_validate(plan, rows, raw_columns, keys, existing, result, kwargs)
        if not result.has_validation_errors():
            self._write(plan.model, batch)
            if kwargs.get("retain_instance_in_row_result"):
                describe_written(plan.model, result.rows)
        return result

    # -- the file's plan ------------------------------------------------------------------

    def _plan(self, dataset, raw_columns):
        model = self._meta.model
        fields = [f for f in self.get_import_fields() if f.attribute and not f.readonly]
        setters = []
        for resource_field in fields:
            if resource_field.column_name not in dataset.headers:
                continue
            setter = Setter(resource_field, resource_field.column_name, resource_field.widget.clean)
            model_field = model_field_of(model, resource_field.attribute)
            if model_field is not None:
                setter.attname = model_field.attname
                setter.relation = model_field.name if model_field.is_relation else None
            setters.append(setter)
        self._prefetch_keys(raw_columns, fields)
        self._column_of_attname = {s.attname: s.column for s in setters if s.attname}
        return Plan(
            model=model,
            setters=setters,
            checks=self._checks(),
            columns=self._columns_by_attribute(),
            id_fields=[self.fields[name] for name in self.get_import_id_fields()],
            # Worked out once per file ("recorded at" is the moment of the import).
            defaults={
                f.attname: f.get_default() for f in model._meta.concrete_fields
                if not f.primary_key and not getattr(f, "generated", False)
            },
            attnames=[f.attname for f in model._meta.concrete_fields if not f.primary_key],
            audited=audited_fields(model),
            locked=self._locked_cycles(model),
        )

    def _checks(self):
        return field_checks(self._meta.model, self._columns_by_attribute())

    def _locked_cycles(self, model):
        """{id: cycle} of the cycles the acting user may not change (the cycle lock)."""
        if not any(f.name == "cycle" for f in model._meta.concrete_fields):
            return {}
        return Cycle.objects.locked_for(current_user())

    # -- reading keys -------------------------------------------------------------------

    def _prefetch_keys(self, raw_columns, fields):
        """Fill each KeyWidget's cache with one query per thousand keys of its column."""
        for field in fields:
            widget = field.widget
            if not isinstance(widget, KeyWidget) or field.column_name not in raw_columns:
                continue
            wanted = {str(v).strip() for v in set(raw_columns[field.column_name]) if not is_blank(v)}
            wanted -= set(widget.found)
            key = widget.fields[0]
            for chunk in chunks(sorted(wanted)):
                for obj in widget.model.objects.filter(**{f"{key}__in": chunk}).order_by():
                    widget.found[str(getattr(obj, key))] = obj

    def _read_keys(self, raw_columns, rows, plan):
        """Each row's key (a tuple), or None when it has none (or cannot be read)."""
        id_fields = plan.id_fields
        if len(id_fields) == 1 and isinstance(id_fields[0].widget, TextWidget):
            # The common case (references, names): no widget needed.
            column = raw_columns[id_fields[0].column_name]
            return [None if is_blank(value) else (str(value).strip(),) for value in column]
        keys = []
        for row in rows:
            try:
                keys.append(self._row_key(row, id_fields))
            except ValueError:
                keys.append(None)
        return keys

    def _row_key(self, row, id_fields):
        parts = []
        for field in id_fields:
            value = field.clean(row)
            if value is None or (isinstance(value, str) and not value.strip()):
                return None
            parts.append(_key_part(value))
        return tuple(parts)

    def _existing(self, keys, id_fields):
        """Existing instances by key: for a text key, the ids of the rows that have the
        file's keys first (`pks_with`), then those rows; one query per thousand of each."""
        model = self._meta.model
        first = id_fields[0]
        values = {key[0] for key in keys if key is not None}
        values = sorted((v[1] if isinstance(v, tuple) else v for v in values), key=str)
        column = _text_column(model, first.attribute)
        if column is not None and all(isinstance(v, str) for v in values):
            lookup, values = "pk__in", pks_with(model, column, values)
        else:
            lookup = f"{first.attribute}__in"
        found = {}
        for chunk in chunks(values):
            for obj in model.objects.order_by().filter(**{lookup: chunk}):
                found[tuple(_key_part(getattr(obj, f.attribute)) for f in id_fields)] = obj
        return found

    # -- filling and validating rows ------------------------------------------------------

    def _fill_and_validate(self, plan, rows, raw_columns, keys, existing, result, kwargs):
        cells, irregular = read_columns(plan, rows, raw_columns)
        attributes = attribute_columns(plan, cells)
        checked = check_columns(
            plan.checks, {s.attname: values for s, values in attributes}, plan.defaults, len(rows)
        )
        attnames = [setter.attname for setter, _values in attributes]
        relations = [setter.relation for setter in plan.setters if setter.relation]
        by_row = zip(*[values for _setter, values in attributes]) if attributes else [()] * len(rows)
        related_columns = [c for s, c in zip(plan.setters, cells) if s.relation]
        related = zip(*related_columns) if relations else [()] * len(rows)
        unrelated = {i for column in related_columns for i, obj in enumerate(column) if obj is None}
        batch, model, defaults, locked = Batch(), plan.model, plan.defaults, plan.locked
        for index, (row, key, values, objects) in enumerate(zip(rows, keys, by_row, related)):
            instance = existing.get(key)  # None for no key
            if instance is None and index not in irregular:
                # A new row whose cells all read: its values, checked a column at a time.
                before, instance, errors = None, model(**defaults), checked.get(index, {})
                instance.__dict__.update(zip(attnames, values))
                if index in unrelated:  # a foreign key left empty is not cached
                    objects = [(n, o) for n, o in zip(relations, objects) if o is not None]
                    instance._state.fields_cache.update(objects)
                else:
                    instance._state.fields_cache.update(zip(relations, objects))
                self._validate_model(instance, errors, plan.columns)
            else:
                instance, before, errors = self._fill_row(plan, instance, row, index, cells, batch, kwargs)
            if locked and not errors:
                self._lock_check(plan, instance, before, errors)
            self._record(result, index + 1, row, key, instance, before, errors, plan, existing, batch, kwargs)
        return batch

    def _fill_row(self, plan, instance, row, index, cells, batch, kwargs):
        """One row cell by cell: an existing instance (a blank cell keeps its value), or a
        new one with a cell that is cleared or cannot be read."""
        is_new = instance is None
        if is_new:
            instance = plan.model(**plan.defaults)
            before = None
        else:
            before = {a: getattr(instance, a) for a in plan.attnames}
            if id(instance) not in batch.snapshots:
                batch.snapshots[id(instance)] = snapshot(instance, plan.audited)
        errors, covered = {}, set()
        data = instance.__dict__
        for setter, column in zip(plan.setters, cells):
            if not is_new and is_blank(row[setter.column]):
                continue
            value = column[index]
            if value is CLEARED:
                self.import_field(setter.resource_field, instance, row, **kwargs)
            elif value.__class__ is Problem:
                errors[setter.column] = [value.message]
                covered.update(value.covers)
            elif setter.attname is not None and setter.relation is None:
                data[setter.attname] = value
            else:
                assign(instance, setter, value)
        self._validate(instance, errors, plan.checks, plan.columns, covered)
        return instance, before, errors

    def _validate(self, instance, errors, checks, columns, covered=()):
        check_instance(instance, checks, errors)
        self._validate_model(instance, errors, columns, covered)
        return errors

    def _validate_model(self, instance, errors, columns, covered=()):
        """The model's `clean`, called whatever the fields' checks found, as `full_clean`
        calls it; but not on the columns a cell's own message speaks for (`covered`)."""
        try:
            instance.clean()
        except ValidationError as error:
            for name, messages in error.update_error_dict({}).items():
                if columns.get(name, name) not in covered:
                    errors.setdefault(columns.get(name, name), []).extend(messages)

    def _lock_check(self, plan, instance, before, errors):
        """A row that would change a record in a locked cycle (the one it is in, or the one
        it was in) fails with the lock's message."""
        locked = plan.locked
        touched = {instance.__dict__.get("cycle_id"), before.get("cycle_id") if before else None}
        changed = before is None or any(getattr(instance, a) != before[a] for a in plan.attnames)
        if changed and touched & locked.keys():
            cycle = locked[min(touched & locked.keys())]
            errors[plan.columns.get("cycle", "cycle")] = [lock_message(cycle)]

    def _record(self, result, number, row, key, instance, before, errors, plan, existing, batch, kwargs):
        """The row's result; a valid row joins the batch to insert or to update."""
        row_result = RowResult()
        row_result.row_values = row  # the cells as the file has them, for the preview
        if errors:
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = ValidationError(errors)
            result.append_invalid_row(number, row, row_result.validation_error)
        elif before is None:
            row_result.import_type = RowResult.IMPORT_TYPE_NEW
            self.before_save_instance(instance, row, **kwargs)
            batch.created.append(instance)
            if key is not None:
                existing[key] = instance  # a later row with the same key updates it
            row_result.instance = instance
        else:
            changes = {a for a in plan.attnames if getattr(instance, a) != before[a]}
            # A row repeating the key of a new row of the file changes that new row, as
            # the row path's save then update would.
            if changes:
                row_result.import_type = RowResult.IMPORT_TYPE_UPDATE
                row_result.changed_columns = {self._column_of_attname.get(a, a) for a in changes}
                if instance.pk is not None:
                    batch.updated.append(instance)
                    batch.changed |= changes
                row_result.instance = instance
            else:
                row_result.import_type = RowResult.IMPORT_TYPE_SKIP
        result.increment_row_result_total(row_result)
        result.append_row_result(row_result)
        if self.progress is not None:
            self.progress(number)

    # -- writing ------------------------------------------------------------------------

    def _write(self, model, batch):
        created = batch.created
        self.bulk_prepare_new(created)
        insert_rows(model, created)
        if created:
            self.after_bulk_create(created)
        updated = list({id(i): i for i in batch.updated if i.pk is not None}.values())
        if updated:
            names = [model._meta.get_field(a).name for a in batch.changed if a != "id"]
            model.objects.bulk_update(updated, names, batch_size=BATCH)
            self.after_bulk_update(updated, batch.changed)
        id_fields = self.get_import_id_fields()
        write_audit(model, created, updated, batch.snapshots, id_fields[0] if len(id_fields) == 1 else None)
        if created or updated:
            bump()  # the bulk write sent no model signals

    def bulk_prepare_new(self, instances):
        """Hook for what the row path does to new instances before inserting them."""

    def after_bulk_create(self, instances):
        """Hook for what the row path does after inserting new instances (they have their
        primary keys by then)."""

    def after_bulk_update(self, instances, changed):
        """Hook for what `save()` would have done for changed instances (`changed`: the
        attribute names that changed in any of them)."""


class PreviewDiff(Diff):
    """The row path's preview cells: an empty value is an empty cell, not "None"."""

    def __init__(self, resource, instance, new):
        super().__init__(resource, instance, new)
        self.left = _shown(self.left)

    def compare_with(self, resource, instance):
        super().compare_with(resource, instance)
        self.right = _shown(self.right)


def _shown(values):
    return ["" if value is None else value for value in values]


@contextmanager
def collector_paused():
    """The cyclic garbage collector off while a file is in memory. Its rows make hundreds
    of thousands of objects that all live to the end, which the collector would otherwise
    walk again and again (a sixth of the time of a large file); cycles made meanwhile are
    collected once it is back on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _text_column(model, attribute):
    field = model_field_of(model, attribute)
    if field is not None and field.concrete and field.get_internal_type() in ("CharField", "TextField", "SlugField"):
        return field.column
    return None


def _key_part(value):
    if isinstance(value, models.Model):
        return ("pk", value.pk)
    if isinstance(value, str):
        return value.strip()
    return value
