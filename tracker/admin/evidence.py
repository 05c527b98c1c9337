from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tracker.models import Evidence, StatusChange
from tracker.spreadsheets.admin import SpreadsheetAdmin
from tracker.spreadsheets.resources import EvidenceResource, StatusChangeResource
from tracker.status import history

from .forms import EvidenceForm, StatusChangeForm
from .locks import LockedCycleAdminMixin


@admin.register(Evidence)
class EvidenceAdmin(LockedCycleAdminMixin, SpreadsheetAdmin):
    resource_classes = [EvidenceResource]
    form = EvidenceForm
    list_display = ["project", "cycle", "date_display", "kind", "source"]
    list_filter = ["kind", "cycle", "source__kind"]
    list_select_related = ["project", "cycle", "source"]
    search_fields = ["summary", "summary_ru", "reference", "project__reference", "project__title_ru", "project__title_en"]
    autocomplete_fields = ["project", "source"]
    readonly_fields = ["recorded_by", "recorded_at"]

    @admin.display(description=_("date"), ordering="occurred_on")
    def date_display(self, evidence):
        return evidence.date_display

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(StatusChange)
class StatusChangeAdmin(SpreadsheetAdmin):
    """Status changes are appended here or on the project page, never edited."""

    resource_classes = [StatusChangeResource]
    form = StatusChangeForm
    list_display = ["project", "cycle", "status", "basis", "effective_on", "is_initial", "recorded_by", "recorded_at"]
    list_filter = ["status", "basis", "cycle", "is_initial"]
    list_select_related = ["project", "cycle", "recorded_by"]
    search_fields = ["project__reference", "project__title_ru", "project__title_en", "note", "public_note_ru", "public_note_en"]
    autocomplete_fields = ["project", "evidence"]
    fields = ["project", "cycle", "status", "effective_on", "evidence", "basis", "public_note_ru", "public_note_en", "note"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Only a superuser: a mistaken record, or a whole project deleted with its history.
        return request.user.is_superuser and obj is not None

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        appended = history.append_status_change(
            obj.project,
            obj.status,
            obj.cycle,
            effective_on=obj.effective_on,
            evidence=obj.evidence,
            basis=obj.basis,
            note=obj.note,
            public_note_ru=obj.public_note_ru,
            public_note_en=obj.public_note_en,
            by=request.user,
        )
        obj.pk = appended.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        history.delete_status_change(obj)
