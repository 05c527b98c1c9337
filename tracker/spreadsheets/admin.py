"""Import and export in the admin, built on django-import-export's views.

What this adds: the file's format follows its extension; a file that cannot be read gets
the reader's own message; the size cap is checked before reading; the confirmation step is
all-or-nothing as well; the uploaded file is deleted as soon as the preview is confirmed,
cancelled or refused (tracker/spreadsheets/uploads.py); each dataset offers a blank
template with an example row; the preview shows the rows as the spreadsheet numbers them,
under the columns' labels, with each row's problems in words beside it (`Preview`); and an
import that fails for a reason no check foresaw is rolled back and said so, never an error
page.
"""

import contextlib
import datetime
import logging

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma

from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, SuspiciousOperation
from django.db import IntegrityError, OperationalError, transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from import_export.admin import ImportExportModelAdmin
from import_export.results import RowResult

from audit.admin import AuditHistoryMixin
from audit.context import acting
from import_export.forms import ImportForm, SelectableFieldsExportForm

from .formats import BY_EXTENSION, FORMATS, SpreadsheetError, check_size, uploaded_name, wanted_dataset
from .importer import plain_message
from .uploads import PreviewStorage

logger = logging.getLogger(__name__)


class SpreadsheetImportForm(ImportForm):
    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload is None and getattr(self, "upload_too_big", False):
            self.add_error("import_file", _("The file is larger than the import limit."))
            return cleaned
        if upload is not None:
            extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            if extension not in BY_EXTENSION:
                self.add_error(
                    "import_file",
                    _("“%(name)s” is not a file the tracker reads: use .xlsx, .ods, .csv or .json.")
                    % {"name": upload.name},
                )
                return cleaned
            chosen = BY_EXTENSION[extension]
            cleaned["format"] = str(next(i for i, f in enumerate(FORMATS) if f is chosen))
            try:
                check_size(upload.size or 0, upload.name)
            except SpreadsheetError as error:
                self.add_error("import_file", str(error))
        return cleaned


def number_rows_as_spreadsheets_do(result, request=None):
    """Row numbers as the spreadsheet shows them (the header is row 1, blank rows count),
    as on the command line, instead of counting data rows from 1; the result's notes
    (columns not used, the sheet read, example rows left out) as messages on the page."""
    numbers = getattr(result, "row_numbers", None) or []

    def row(number):
        return numbers[number - 1] if 0 < number <= len(numbers) else number + 1

    explain = getattr(result, "explain", lambda message, code="": str(message))
    for invalid in result.invalid_rows:
        invalid.number = row(invalid.number)
        for column, texts in invalid.error_dict.items():
            texts[:] = [explain(text, column) for text in texts]
    for error in [*result.base_errors, *(e for row_result in result.rows for e in row_result.errors)]:
        error.error = explain(plain_message(error.error))  # a constraint's own words, not SQL
    counted = result.row_errors
    result.row_errors = lambda: [(row(number), errors) for number, errors in counted()]
    if request is not None:
        for note in getattr(result, "notes", []):
            messages.warning(request, note)


def cell_text(value):
    """A cell of the preview as the spreadsheet showed it: empty for an empty cell, a date
    without a midnight time, yes or no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
    return str(value)


class Preview:
    """The preview's table: the file's rows with their numbers as the spreadsheet shows
    them, the columns headed by their labels in the reader's language (the key column
    first), and each row's problems in words beside it. At most `limit` rows are shown;
    all of them are imported."""

    def __init__(self, result, resource_class, limit):
        codes = list(result.diff_headers or [])
        known = set(resource_class.column_codes()) if hasattr(resource_class, "column_codes") else set(codes)
        label = getattr(resource_class, "column_label", None)
        keys = [resource_class.fields[n].column_name for n in resource_class._meta.import_id_fields if n in resource_class.fields]
        first = [c for c in keys if c in codes]
        self.order = [codes.index(c) for c in first] + [i for i, c in enumerate(codes) if c not in first]
        self.codes = [codes[i] for i in self.order]
        self.headers = [label(c) if label is not None and c in known else str(c) for c in self.codes]
        self.key_count = len(first)
        self.numbers = list(getattr(result, "row_numbers", None) or [])
        self.limit = limit
        self.result = result
        self.label = lambda code: label(code) if label is not None and code in known else str(code)

    def number(self, index):
        return self.numbers[index] if index < len(self.numbers) else index + 2

    def cells(self, values, marked=()):
        values = list(values)
        cells = []
        for position in self.order:
            value = values[position] if position < len(values) else ""
            if value == "---":  # a column the file does not have
                value = ""
            code = self.codes[len(cells)]
            cells.append({"text": value if hasattr(value, "__html__") else cell_text(value), "marked": code in marked})
        return cells

    @property
    def rows(self):
        """The valid rows: (number, import type, cells)."""
        shown = []
        types = dict(self.type_labels())
        for index, row in enumerate(self.result.rows):
            if row.import_type not in RowResult.valid_import_types:
                continue
            if len(shown) == self.limit:
                break
            if row.diff is not None:
                values = row.diff
            else:
                values = [(row.row_values or {}).get(c) for c in self.result.diff_headers]
            changed = getattr(row, "changed_columns", ())
            shown.append({
                "number": self.number(index), "type": row.import_type, "type_label": types.get(row.import_type, ""),
                "cells": self.cells(values, changed),
            })
        return shown

    @property
    def valid_count(self):
        return sum(1 for row in self.result.rows if row.import_type in RowResult.valid_import_types)

    @property
    def invalid_rows(self):
        """The rows that failed: (number, problems in words, cells, the failing cells marked)."""
        shown = []
        for invalid in self.result.invalid_rows[: self.limit]:
            problems = []
            for code, messages_ in invalid.error_dict.items():
                for message in messages_:
                    if code == NON_FIELD_ERRORS or not code or self.label(code) in str(message):
                        problems.append(str(message))  # the message names its column
                    else:
                        problems.append(_("%(column)s: %(message)s") % {"column": self.label(code), "message": message})
            shown.append({
                "number": invalid.number, "problems": problems,
                "cells": self.cells(invalid.values, set(invalid.error_dict)),
            })
        return shown

    @property
    def invalid_count(self):
        return len(self.result.invalid_rows)

    @staticmethod
    def type_labels():
        return [
            (RowResult.IMPORT_TYPE_NEW, pgettext("import row", "New")),
            (RowResult.IMPORT_TYPE_UPDATE, pgettext("import row", "Update")),
            (RowResult.IMPORT_TYPE_SKIP, pgettext("import row", "Unchanged")),
            (RowResult.IMPORT_TYPE_DELETE, pgettext("import row", "Delete")),
        ]


def writing(request):
    """A posted import runs in one transaction from the upload on: on SQLite it waits for
    the write lock at the start, so a database busy past the timeout fails there, whole,
    instead of losing the preview's file (the database cache drops a write it cannot
    make)."""
    return transaction.atomic() if request.method == "POST" else contextlib.nullcontext()


class SpreadsheetExportForm(SelectableFieldsExportForm):
    """The columns to export by their labels in the interface's language."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        return resource.column_label(field.column_name if field else field_name)


class SpreadsheetAdmin(AuditHistoryMixin, ImportExportModelAdmin):
    """ModelAdmin with spreadsheet import (editors) and export (anyone who may view)."""

    formats = FORMATS
    import_form_class = SpreadsheetImportForm
    export_form_class = SpreadsheetExportForm
    import_export_change_list_template = "admin/tracker/change_list_spreadsheets.html"
    import_template_name = "admin/tracker/import.html"
    #: The preview shows at most this many rows (all are imported on confirm).
    preview_rows = 1000

    def get_import_formats(self):
        return FORMATS

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        """Refuse, with a message on the export form, more rows than
        TRACKER_ADMIN_EXPORT_MAX_ROWS: a file is written whole while the editor waits
        (`manage.py exportdata` writes any number)."""
        count = queryset.count()
        limit = settings.TRACKER_ADMIN_EXPORT_MAX_ROWS
        if count > limit:
            raise ValueError(
                ngettext(
                    "These filters select %(count)s row; an export from the admin holds at most %(limit)s. "
                    "Narrow the filters, or export with “manage.py exportdata”.",
                    "These filters select %(count)s rows; an export from the admin holds at most %(limit)s. "
                    "Narrow the filters, or export with “manage.py exportdata”.",
                    count,
                ) % {"count": intcomma(count), "limit": intcomma(limit)}
            )
        return super()._do_file_export(file_format, request, queryset, export_form=export_form)

    def get_export_formats(self):
        return FORMATS

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def create_import_form(self, request):
        form = super().create_import_form(request)
        form.upload_too_big = getattr(request, "upload_too_big", False)
        return form

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def dataset_name(self, request):
        """The dataset this list imports: a workbook is read from the sheet named after it."""
        return self.get_import_resource_classes(request)[0]._meta.name

    def get_export_resource_classes(self, request):
        """Each dataset exports headed by codes or, in the interface's language, in words."""
        return [
            variant
            for resource_class in super().get_export_resource_classes(request)
            for variant in resource_class.export_variants()
        ]

    def process_import(self, request, **kwargs):
        """Confirm (or cancel) a preview; its file is deleted whatever happens."""
        name = request.POST.get("original_file_name", "")
        preview = PreviewStorage.named(request.POST.get("import_file_name"))
        if not self.has_import_permission(request):
            raise PermissionDenied
        token = uploaded_name.set(name)
        wanted = wanted_dataset.set(self.dataset_name(request))
        try:
            if "cancel" in request.POST:
                messages.info(request, _("The import of “%(filename)s” was cancelled.") % {"filename": name})
                return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
            with acting(request.user, "import"), writing(request):
                return super().process_import(request, **kwargs)
        except SpreadsheetError as error:  # the preview expired: the file is gone
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import"))
        except Exception as error:
            return self.import_failed(request, name, error)
        finally:
            uploaded_name.reset(token)
            wanted_dataset.reset(wanted)
            if preview is not None:
                preview.remove()

    def import_action(self, request, **kwargs):
        upload = request.FILES.get("import_file")
        token = uploaded_name.set(upload.name if upload else "")
        wanted = wanted_dataset.set(self.dataset_name(request))
        response = None
        try:
            with acting(request.user, "import"), writing(request):
                response = super().import_action(request, **kwargs)
        except Exception as error:
            return self.import_failed(request, upload.name if upload else "", error)
        finally:
            uploaded_name.reset(token)
            wanted_dataset.reset(wanted)
            if not (getattr(response, "context_data", None) or {}).get("confirm_form"):
                self.remove_preview(upload)  # nothing to confirm: the file goes now
        context = getattr(response, "context_data", None) or {}
        resource_class = self.get_import_resource_classes(request)[0]
        label = getattr(resource_class, "column_label", None)
        if label is not None and context.get("fields_list"):
            # The columns a file may have, by label and code: either heads a column.
            context["fields_list"] = [
                (name, [{"label": label(c), "code": c} for c in codes]) for name, codes in context["fields_list"]
            ]
        result = context.get("result")
        if result is not None:
            number_rows_as_spreadsheets_do(result, request)
            response.context_data["preview"] = Preview(result, resource_class, self.preview_rows)
            response.context_data["file_name"] = upload.name if upload else ""
        return response

    def import_failed(self, request, name, error):
        """An import that failed for a reason no check foresaw: rolled back whole
        (`writing`), the editor told so on the import page, the traceback logged. A busy
        database or a write conflict goes on to the error handler, which answers a busy
        one with its own message (tracker.ops.errors)."""
        if isinstance(error, (PermissionDenied, Http404, SuspiciousOperation, OperationalError, IntegrityError)):
            raise error
        logger.exception("The import of %r failed", name)
        messages.error(request, _("The import failed and nothing was written. Check the file and try again."))
        return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import"))

    @staticmethod
    def remove_preview(upload):
        preview = PreviewStorage.named(getattr(upload, "tmp_storage_name", None))
        if preview is not None:
            preview.remove()

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs.pop("request", None)
        kwargs["rollback_on_validation_errors"] = True
        kwargs["use_transactions"] = True
        return kwargs

    def _create_log_entry(self, user_pk, rows, import_type, action_flag):
        """The admin's log of the imported records, one entry each (Recent actions), in
        words naming the file."""
        if rows:
            values = {"filename": uploaded_name.get() or ""}
            if import_type == RowResult.IMPORT_TYPE_NEW:
                message = _("Added by importing “%(filename)s”.") % values
            elif import_type == RowResult.IMPORT_TYPE_UPDATE:
                message = _("Changed by importing “%(filename)s”.") % values
            else:
                message = _("Deleted by importing “%(filename)s”.") % values
            LogEntry.objects.log_actions(user_pk, rows, action_flag, change_message=message, single_object=len(rows) == 1)

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(request, _("“%(filename)s” imported: %(new)s new, %(update)s changed, %(skip)s unchanged.") % {
            "filename": uploaded_name.get() or "", "new": intcomma(totals[RowResult.IMPORT_TYPE_NEW]),
            "update": intcomma(totals[RowResult.IMPORT_TYPE_UPDATE]), "skip": intcomma(totals[RowResult.IMPORT_TYPE_SKIP]),
        })

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(request, _("The import failed and nothing was written. Check the file and try again."))
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import"))
        return super().process_result(result, request)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        urls = [
            path(
                "template.<str:extension>",
                self.admin_site.admin_view(self.template_view),
                name="%s_%s_template" % info,
            )
        ]
        return urls + super().get_urls()

    def template_view(self, request, extension):
        """A blank spreadsheet for this dataset: its columns and one example row."""
        if not self.has_import_permission(request) and not self.has_view_permission(request):
            raise PermissionDenied
        file_format = BY_EXTENSION.get(extension)
        if file_format is None:
            raise PermissionDenied
        resource = self.get_import_resource_classes(request)[0]()
        content = file_format().export_data(resource.template_dataset())
        response = HttpResponse(content, content_type=file_format.content_type)
        name = f"{resource._meta.name}-template.{file_format.extension}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["template_extensions"] = [f.extension for f in FORMATS]
        return super().changelist_view(request, extra_context)
