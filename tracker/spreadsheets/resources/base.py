"""The tracker's resource: what every dataset shares (README "Spreadsheets"): a blank cell
never erases an existing value; the cell text ``(clear)`` empties a field on purpose;
columns are headed by their code or their label in Russian or English; the template's
example rows are never imported; the same key on two rows is refused; errors name the
column as the file heads it, not the model field."""

import collections

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export import fields, resources
from import_export.results import Result

from ..bulk import BulkImportMixin
from ..rows import spreadsheet_row
from ..widgets import CLEAR, ChoiceWidget, TextWidget, is_blank, trim
from .export import FastExportMixin
from .headers import HeaderMixin, is_example

def column(attribute, widget=None, column_name=None, **kwargs):
    return fields.Field(
        attribute=attribute, column_name=column_name or attribute, widget=widget, **kwargs
    )


def text(attribute, column_name=None):
    return column(attribute, TextWidget(), column_name)


def choice(attribute, choices, column_name=None):
    return column(attribute, ChoiceWidget(choices), column_name)


class TrackerResource(HeaderMixin, FastExportMixin, BulkImportMixin, resources.ModelResource):
    #: One example row for the blank template ({column: value}); its first key cell
    #: starts with EXAMPLE_MARK, so that it is recognised and never imported.
    example = {}

    #: Labels of columns whose model field's name does not say it ({column: lazy text}).
    labels = {}

    #: Other headers editors write for a column ({column: [text, …]}).
    aliases = {"note": ["Заметка", "Примечание", "Note"]}

    #: Whether a file of the key columns alone says something (each row is a link).
    key_only_ok = False

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
        columns missing (a file of another dataset is named as such), a column given
        twice (which of the two would count?), or no column but the keys."""
        self.normalise_headers(dataset)
        columns = set(self.column_codes())
        key_columns = self._key_codes()
        headers = list(dataset.headers or [])
        problems = []
        missing = [c for c in key_columns if c not in headers]
        read = self._read_codes()
        only_keys = read.intersection(headers) <= set(key_columns) and not self.key_only_ok
        if missing or only_keys:
            other = self.other_dataset(dataset)
            if other is not None:
                return [("", _("this looks like a file of %(other)s, not of %(this)s: import it there.")
                         % {"other": self.dataset_name(other), "this": self.dataset_name()})]
        if missing:
            problems.append((
                ", ".join(self.missing_name(dataset, c) for c in missing),
                ngettext("required column is missing", "required columns are missing", len(missing)),
            ))
        for code, texts in sorted(getattr(dataset, "repeated_headers", {}).items()):
            if len(set(texts)) == 1:
                problems.append((texts[0], _("column appears more than once")))
            else:
                problems.append((", ".join(texts), _("these headers name the same column “%(column)s”, which may appear only once; keep one.")
                                 % {"column": self.column_label(code)}))
        duplicated = sorted(h for h, count in collections.Counter(headers).items()
                            if h and count > 1 and h not in columns)
        if duplicated:
            problems.append((", ".join(duplicated), _("column appears more than once")))
        if not problems and not columns.intersection(headers):
            problems.append(
                ("", _("none of the columns is one of: %(columns)s")
                 % {"columns": ", ".join(self.column_label(c) for c in self.get_export_order() if c in self.fields)})
            )
        if not problems and only_keys and read - set(key_columns):
            problems.append((
                ", ".join(self.written_header(dataset, c) for c in key_columns),
                _("the file has no column to import besides the key; columns this dataset reads: %(columns)s.")
                % {"columns": ", ".join(self.column_label(c) for c in self.get_export_order()
                                        if c in read and c not in key_columns)},
            ))
        return problems

    # -- importing ----------------------------------------------------------------------

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        """Headers renamed to codes, the template's example rows left out and the same
        key on two rows refused, before either import path reads a row. The result
        carries `notes` (columns not used, the sheet read, example rows left out) and
        `row_numbers` (each row's number in the spreadsheet)."""
        problems = self.header_problems(dataset)
        notes = []
        duplicates = []
        if not problems:
            notes += self.header_notes(dataset)
            notes += self.leave_out_examples(dataset)
            duplicates = self.duplicate_keys(dataset)
        if duplicates:
            result = Result()
            result.diff_headers = list(dataset.headers)
            result.total_rows = len(dataset)
            for index, column, message in duplicates:
                row = dict(zip(dataset.headers, dataset[index]))
                result.append_invalid_row(index + 1, row, ValidationError({column: [message]}))
        else:
            result = super().import_data(
                dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=use_transactions, **kwargs
            )
        result.notes = notes
        result.explain = self.plain
        result.row_numbers = [spreadsheet_row(dataset, i) for i in range(len(dataset))]
        result.written_headers = dict(getattr(dataset, "written_headers", {}))
        return result

    def header_notes(self, dataset):
        """What a reader should know about the file that is no error: columns not used,
        and which sheet of a workbook of several was read."""
        notes = self.unused_columns(dataset)
        count = getattr(dataset, "sheet_count", 1)
        if count > 1:
            notes.append(
                ngettext(
                    "sheet “%(sheet)s” was read (the workbook has %(count)s sheet)",
                    "sheet “%(sheet)s” was read (the workbook has %(count)s sheets)",
                    count,
                ) % {"sheet": dataset.title, "count": count}
            )
        return notes

    def leave_out_examples(self, dataset):
        """Take the rows whose first key cell marks the template's example out of the
        dataset (their numbers leave `row_numbers` with them); a note for each."""
        key = self._key_codes()[0]
        if key not in (dataset.headers or []):
            return []
        position = dataset.headers.index(key)
        examples = [i for i, row in enumerate(dataset._data) if is_example(row[position])]
        if not examples:
            return []
        numbers = [spreadsheet_row(dataset, i) for i in range(len(dataset))]
        dropped = set(examples)
        dataset._data = [row for i, row in enumerate(dataset._data) if i not in dropped]
        dataset.row_numbers = [n for i, n in enumerate(numbers) if i not in dropped]
        return [_("row %(row)s is the template's example and was not imported") % {"row": numbers[i]} for i in examples]

    def duplicate_key_columns(self):
        """The columns that tell one row of this dataset from another."""
        return self._key_codes()

    def duplicate_keys(self, dataset):
        """[(row index, column, message)] for each row whose key an earlier row has."""
        columns = [c for c in self.duplicate_key_columns() if c in dataset.headers]
        if not columns:
            return []
        positions = [dataset.headers.index(c) for c in columns]
        seen = collections.defaultdict(list)
        for index, row in enumerate(dataset._data):
            parts = tuple(trim(str(row[p])) if not is_blank(row[p]) else "" for p in positions)
            if any(parts[i] == "" for i, c in enumerate(columns) if c in self._key_codes()):
                continue
            seen[parts].append(index)
        problems = []
        for parts, indexes in seen.items():
            if len(indexes) < 2 or all(list(dataset._data[i]) == list(dataset._data[indexes[0]]) for i in indexes):
                continue  # the same row twice says nothing new
            rows = ", ".join(str(spreadsheet_row(dataset, i)) for i in indexes)
            what = "; ".join(
                "%s “%s”" % (self.written_header(dataset, c), v) for c, v in zip(columns, parts) if v
            )
            for index in indexes[1:]:
                problems.append((
                    index, columns[0],
                    _("%(key)s is on rows %(rows)s: a row may appear only once in a file.") % {"key": what, "rows": rows},
                ))
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
        errors, self.covered = {}, set()
        for field in self.get_import_fields():
            try:
                self.import_field(field, instance, row, **kwargs)
            except ValueError as error:
                errors[field.column_name] = ValidationError(str(error), code="invalid")
                self.covered.update(getattr(error, "covers", ()))  # widgets.CellError
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
            covered = getattr(self, "covered", ())  # what a cell's own message says already
            for name, messages in error.update_error_dict({}).items():
                if columns.get(name, name) not in covered:
                    errors.setdefault(columns.get(name, name), []).extend(messages)
        if errors:
            raise ValidationError(errors)
