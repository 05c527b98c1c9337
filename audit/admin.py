from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, audited_fields, snapshot


def render_changes(changes):
    return format_html(
        "<table class='audit-changes'>{}</table>",
        format_html_join("", "<tr><th>{}</th><td>{}</td><td>→ {}</td></tr>", ((k, v[0], v[1]) for k, v in changes.items())),
    )


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail, readable by staff with the view permission and changeable by no one."""

    list_display = ["at", "user", "source", "action", "model", "object_repr"]
    list_filter = ["action", "source", "model"]
    search_fields = ["object_repr", "object_id", "user__username"]
    list_select_related = ["user"]
    readonly_fields = ["at", "user", "source", "action", "model", "object_id", "object_repr", "changes_table"]
    exclude = ["changes"]

    @admin.display(description=_("old and new values"))
    def changes_table(self, entry):
        return render_changes(entry.changes)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditHistoryMixin:
    """A record's "History" page shows its audit entries (every path, not only the admin)."""

    object_history_template = "admin/audit/object_history.html"

    def history_view(self, request, object_id, extra_context=None):
        entries = list(
            AuditEntry.objects.filter(model=self.opts.label, object_id=str(object_id)).select_related("user")[:500]
        )
        rows = [(e, render_changes(e.changes)) for e in entries]
        if not any(e.action == AuditEntry.Action.CREATE for e in entries):
            created = self._created_in_batch(object_id, entries)
            if created:
                rows.append(created)
        return super().history_view(request, object_id, {**(extra_context or {}), "audit_rows": rows})

    def _created_in_batch(self, object_id, updates):
        """A record created by a bulk import has no entry of its own: find its batch and
        rebuild the values it was created with (its values now, later changes undone)."""
        try:
            pk = int(object_id)
        except ValueError:
            return None
        batches = AuditEntry.objects.filter(model=self.opts.label, object_id="", action=AuditEntry.Action.CREATE)
        for batch in batches.select_related("user"):
            first, last = batch.changes.get("first_id", [None, None])[1], batch.changes.get("last_id", [None, None])[1]
            if first is not None and first <= pk <= last:
                obj = self.model._base_manager.filter(pk=pk).first()
                if obj is None:
                    return None
                values = snapshot(obj, audited_fields(self.model))
                for update in updates:  # newest first
                    for name, (old, _new) in update.changes.items():
                        values[name] = old
                changes = {k: [None, v] for k, v in values.items() if v not in (None, "")}
                return batch, render_changes(changes)
        return None

    def delete_queryset(self, request, queryset):
        # One by one, so that each deletion reaches the audit trail.
        for obj in queryset:
            obj.delete()
