"""Import and export in the admin, built on django-import-export's views.

What this adds: the file's format follows its extension; a file that cannot be read gets
the reader's own message; the size cap is checked before reading; the confirmation step is
all-or-nothing as well; the uploaded file is deleted as soon as the preview is confirmed,
cancelled or refused (tracker/spreadsheets/uploads.py); and each dataset offers a blank
template with an example row.
"""

import contextlib

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin

from audit.admin import AuditHistoryMixin
from audit.context import acting
from import_export.forms import ImportForm

from .formats import BY_EXTENSION, FORMATS, SpreadsheetError, check_size, uploaded_name
from .importer import plain_message
from .uploads import PreviewStorage


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


def number_rows_as_spreadsheets_do(result):
    """Row numbers as the spreadsheet shows them (the header is row 1), as on the
    command line, instead of counting data rows from 1."""
    for invalid in result.invalid_rows:
        invalid.number += 1
    for error in [*result.base_errors, *(e for row in result.rows for e in row.errors)]:
        error.error = plain_message(error.error)  # a constraint's own words, not SQL
    counted = result.row_errors
    result.row_errors = lambda: [(number + 1, errors) for number, errors in counted()]


def writing(request):
    """A posted import runs in one transaction from the upload on: on SQLite it waits for
    the write lock at the start, so a database busy past the timeout fails there, whole,
    instead of losing the preview's file (the database cache drops a write it cannot
    make)."""
    return transaction.atomic() if request.method == "POST" else contextlib.nullcontext()


class SpreadsheetAdmin(AuditHistoryMixin, ImportExportModelAdmin):
    """ModelAdmin with spreadsheet import (editors) and export (anyone who may view)."""

    formats = FORMATS
    import_form_class = SpreadsheetImportForm
    import_export_change_list_template = "admin/tracker/change_list_spreadsheets.html"
    import_template_name = "admin/tracker/import.html"

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

    def process_import(self, request, **kwargs):
        """Confirm (or cancel) a preview; its file is deleted whatever happens."""
        name = request.POST.get("original_file_name", "")
        preview = PreviewStorage.named(request.POST.get("import_file_name"))
        if not self.has_import_permission(request):
            raise PermissionDenied
        token = uploaded_name.set(name)
        try:
            if "cancel" in request.POST:
                messages.info(request, _("The import of “%(filename)s” was cancelled.") % {"filename": name})
                return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
            with acting(request.user, "import"), writing(request):
                return super().process_import(request, **kwargs)
        except SpreadsheetError as error:  # the preview expired: the file is gone
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import"))
        finally:
            uploaded_name.reset(token)
            if preview is not None:
                preview.remove()

    def import_action(self, request, **kwargs):
        upload = request.FILES.get("import_file")
        token = uploaded_name.set(upload.name if upload else "")
        response = None
        try:
            with acting(request.user, "import"), writing(request):
                response = super().import_action(request, **kwargs)
        finally:
            uploaded_name.reset(token)
            if not (getattr(response, "context_data", None) or {}).get("confirm_form"):
                self.remove_preview(upload)  # nothing to confirm: the file goes now
        result = getattr(response, "context_data", {}).get("result")
        if result is not None:
            number_rows_as_spreadsheets_do(result)
        return response

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
