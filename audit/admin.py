from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils.translation import gettext_lazy as _

from .history import LIMIT, record_history
from .models import AuditEntry, Audited
from .readable import SOURCES, Reader, model_title, source_label


class SourceFilter(admin.SimpleListFilter):
    """The doors by their labels (the values are the known doors: no query)."""

    title = _("through")
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return [(code, label) for code, label in SOURCES.items()]

    def queryset(self, request, queryset):
        return queryset.filter(source=self.value()) if self.value() else queryset


class RecordTypeFilter(admin.SimpleListFilter):
    """The audited models by their verbose names (from the model registry: no query)."""

    title = _("record type")
    parameter_name = "model"

    def lookups(self, request, model_admin):
        from django.apps import apps

        audited = [m._meta.label for m in apps.get_models() if issubclass(m, Audited)]
        return sorted(((label, model_title(label)) for label in audited), key=lambda pair: str(pair[1]))

    def queryset(self, request, queryset):
        return queryset.filter(model=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail, readable by staff with the view permission and changeable by no one."""

    list_display = ["at", "user", "through", "action", "record_type", "object_repr"]
    list_filter = ["action", SourceFilter, RecordTypeFilter]
    search_fields = ["object_repr", "object_id", "user__username"]
    list_select_related = ["user"]
    readonly_fields = ["at", "user", "through", "action", "record_type", "object_id", "object_repr", "changes_table"]
    fields = readonly_fields

    @admin.display(description=_("through"), ordering="source")
    def through(self, entry):
        return source_label(entry.source)

    @admin.display(description=_("record type"), ordering="model")
    def record_type(self, entry):
        return model_title(entry.model)

    @admin.display(description=_("old and new values"))
    def changes_table(self, entry):
        return Reader([(entry.model, entry.changes)]).table(entry.model, entry.changes, entry.action)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditHistoryMixin:
    """A record's "History" page shows its audit entries (every path, not only the admin),
    in words; with `history_children` ([(model label, attname of the reference to this
    record)]) also those of its child records, each named."""

    object_history_template = "admin/audit/object_history.html"
    history_children = []

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            return super().history_view(request, object_id, extra_context)
        rows = record_history(obj, self.history_children)
        reader = Reader((row.entry.model, row.changes) for row in rows)
        audit_rows = [
            (
                row, source_label(row.entry.source), AuditEntry.Action(row.action).label,
                reader.table(row.entry.model, row.changes, row.action),
            )
            for row in rows
        ]
        context = {"audit_rows": audit_rows, "audit_limit": LIMIT, "history_has_children": bool(self.history_children)}
        return super().history_view(request, object_id, {**(extra_context or {}), **context})

    def delete_queryset(self, request, queryset):
        # One by one, so that each deletion reaches the audit trail.
        for obj in queryset:
            obj.delete()
