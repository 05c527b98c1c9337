"""The tracker's resource: what every dataset shares (README "Spreadsheets"): a blank cell
never erases an existing value; the cell text ``(clear)`` empties a field on purpose;
errors name the column, not the model field."""

import collections

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources

from ..bulk import BulkImportMixin
from ..widgets import CLEAR, ChoiceWidget, TextWidget, is_blank
from .export import FastExportMixin


def column(attribute, widget=None, column_name=None, **kwargs):
    return fields.Field(
        attribute=attribute, column_name=column_name or attribute, widget=widget, **kwargs
    )


def text(attribute, column_name=None):
    return column(attribute, TextWidget(), column_name)


def choice(attribute, choices, column_name=None):
    return column(attribute, ChoiceWidget(choices), column_name)


class TrackerResource(FastExportMixin, BulkImportMixin, resources.ModelResource):
    #: One example row for the blank template ({column: value}).
    example = {}

    class Meta:
        abstract = True

    def __init__(self, user=None, **kwargs):
        self.user = user
        super().__init__(**kwargs)

    progress = None  # called with the number of rows done, when set

    def after_import_row(self, row, row_result, **kwargs):
        if self.progress is not None:
            self.progress(kwargs.get("row_number", 0))

    def header_problems(self, dataset):
        """[(columns, message)] for a header row this dataset cannot be read with: key
        columns missing, or a column given twice (which of the two would count?)."""
        columns = {f.column_name for f in self.get_import_fields()}
        key_columns = [self.fields[name].column_name for name in self.get_import_id_fields()]
        headers = list(dataset.headers or [])
        problems = []
        missing = [c for c in key_columns if c not in headers]
        if missing:
            problems.append((", ".join(missing), _("required column is missing")))
        duplicated = sorted(h for h, count in collections.Counter(headers).items() if h and count > 1)
        if duplicated:
            problems.append((", ".join(duplicated), _("column appears more than once")))
        if not problems and not columns.intersection(headers):
            problems.append(
                ("", _("none of the columns is one of: %(columns)s") % {"columns": ", ".join(sorted(columns))})
            )
        return problems

    def before_import(self, dataset, **kwargs):
        problems = self.header_problems(dataset)
        if problems:
            raise ValueError(
                "; ".join(
                    _("column “%(column)s”: %(message)s") % {"column": c, "message": m} if c else m
                    for c, m in problems
                )
            )
        super().before_import(dataset, **kwargs)

    def acting_user(self, import_kwargs):
        """The signed-in user behind this import (admin or command line), if any."""
        user = import_kwargs.get("user") or self.user
        return user if getattr(user, "pk", None) else None

    def template_dataset(self):
        """The columns of this dataset and one example row, for a blank spreadsheet."""
        headers = self.get_export_headers()
        dataset = tablib.Dataset(headers=headers, title=self._meta.name)
        dataset.append([self.example.get(h, "") for h in headers])
        return dataset

    def _columns_by_attribute(self):
        return {f.attribute: f.column_name for f in self.get_import_fields() if f.attribute}

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if not field.attribute or field.readonly or field.column_name not in row:
            return
        raw = row[field.column_name]
        if is_blank(raw) and not instance._state.adding:
            return  # a blank cell never erases what is there
        if isinstance(raw, str) and raw.strip().lower() == CLEAR:
            model_field = instance._meta.get_field(field.attribute)
            setattr(instance, model_field.attname, None if model_field.null else "")
            return
        field.save(instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        for field in self.get_import_fields():
            try:
                self.import_field(field, instance, row, **kwargs)
            except ValueError as error:
                errors[field.column_name] = ValidationError(str(error), code="invalid")
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        columns = self._columns_by_attribute()
        # A cell that did not read has its message already. Related rows were looked up by
        # the widgets (a key left empty is still checked: that sends no query), and check
        # constraints are enforced by the database (its messages are translated in
        # importer.py): validating them again here would cost several queries per row.
        # The bulk path runs the same checks (bulk_checks.py).
        unread = [name for name, column in columns.items() if column in errors]
        related = [
            f.name for f in instance._meta.concrete_fields
            if f.is_relation and getattr(instance, f.attname) is not None
        ]
        try:
            instance.full_clean(
                exclude=[*errors, *unread, *related],
                validate_unique=validate_unique,
                validate_constraints=False,
            )
        except ValidationError as error:
            for name, messages in error.update_error_dict({}).items():
                errors.setdefault(columns.get(name, name), []).extend(messages)
        if errors:
            raise ValidationError(errors)
