from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tracker.models import Evidence, StatusChange
from tracker.models.evidence import InEdition
from tracker.spreadsheets.admin import SpreadsheetAdmin
from tracker.spreadsheets.resources import EvidenceResource, StatusChangeResource
from tracker.status import history

from .forms import EvidenceForm, StatusChangeForm
from .from_news import EvidenceFromNews
from .locks import LockedCycleAdminMixin


@admin.register(Evidence)
class EvidenceAdmin(EvidenceFromNews, LockedCycleAdminMixin, SpreadsheetAdmin):
    resource_classes = [EvidenceResource]
    form = EvidenceForm
    list_display = ["project", "cycle", "date_display", "kind", "source", "in_edition"]
    list_filter = ["kind", "cycle", "source__kind", "in_edition"]
    actions = ["put_in_edition", "leave_out_of_edition", "edition_by_rule"]
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

    # -- what goes into the cycle's edition (README "The edition") ----------------------

    def _choose(self, request, queryset, choice):
        """Set the edition choice of the selected rows, one save each (the cycle lock and
        the audit trail see every one); all or none."""
        try:
            with transaction.atomic():
                for evidence in queryset:
                    evidence.in_edition = choice
                    evidence.save()
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        count = queryset.count()
        self.message_user(request, ngettext(
            "The edition choice of %(count)s evidence row was saved.", "The edition choice of %(count)s evidence rows was saved.", count,
        ) % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Put in the edition"), permissions=["change"])
    def put_in_edition(self, request, queryset):
        self._choose(request, queryset, InEdition.YES)

    @admin.action(description=_("Leave out of the edition"), permissions=["change"])
    def leave_out_of_edition(self, request, queryset):
        self._choose(request, queryset, InEdition.NO)

    @admin.action(description=_("Edition by the rule"), permissions=["change"])
    def edition_by_rule(self, request, queryset):
        self._choose(request, queryset, InEdition.RULE)


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
