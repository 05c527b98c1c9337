import functools
import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from tracker.models import Evidence, Organization, Participation, Project, StatusChange
from tracker.models.common import EditConflict, is_stale
from tracker.models.countries import used_country_choices
from tracker.ops.errors import is_write_conflict
from tracker.spreadsheets.admin import SpreadsheetAdmin
from tracker.spreadsheets.resources import ParticipationResource, ProjectResource
from tracker.status import history

from .forms import AmountField, EvidenceForm, StatusChangeForm
from .from_news import ProjectFromNews, partner_ids
from .locks import LockedCycleFormSet
from .search import ProjectSearch


class PartnerCountryFilter(admin.SimpleListFilter):
    """The partners' countries by name, only those some partner has."""

    title = _("partner country")
    parameter_name = "partner_country"

    def lookups(self, request, model_admin):
        return used_country_choices(Organization.objects.values_list("country", flat=True).order_by().distinct())

    lookup = "participants__country"

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.lookup: self.value()}).distinct()
        return queryset


class ParticipantCountryFilter(PartnerCountryFilter):
    title = _("country")
    lookup = "organization__country"


@admin.register(Participation)
class ParticipationAdmin(SpreadsheetAdmin):
    resource_classes = [ParticipationResource]
    list_display = ["project", "organization", "role"]
    list_filter = ["role", ParticipantCountryFilter]
    list_select_related = ["project", "organization"]
    search_fields = ["project__reference", "organization__name", "organization__name_en"]
    autocomplete_fields = ["project", "organization"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    add_another = _("Add another participant")
    extra = 0
    autocomplete_fields = ["organization"]
    #: A new project opened from a news item lists the partners it names.
    from_news_partners = True

    def get_extra(self, request, obj=None, **kwargs):
        return len(partner_ids(request)) if (obj is None or obj.pk is None) and request.method == "GET" else self.extra


class EvidenceInline(admin.StackedInline):
    model = Evidence
    add_another = _("Add another evidence")
    form = EvidenceForm
    formset = LockedCycleFormSet
    extra = 0
    autocomplete_fields = ["source"]
    fields = [
        ("cycle", "kind"),
        ("occurred_on", "precision"),
        ("summary_ru", "summary"),
        ("source", "locator"),
        ("attribution_ru", "attribution"),
        ("reference", "in_edition"),
        ("recorded_by", "recorded_at"),
    ]
    readonly_fields = ["recorded_by", "recorded_at"]


class StatusChangeInline(admin.TabularInline):
    """Existing changes are shown read-only; new rows are appended through history.append_status_change."""

    model = StatusChange
    add_another = _("Add another status change")
    form = StatusChangeForm
    extra = 0
    can_delete = False
    fields = [
        "cycle", "status", "effective_on", "evidence", "basis", "public_note_ru", "public_note_en", "note",
        "recorded_by", "recorded_at",
    ]
    readonly_fields = ["recorded_by", "recorded_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        # Existing rows cannot be edited; Django still shows "add another" when add is allowed.
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "evidence":
            project_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Evidence.objects.filter(project_id=project_id).select_related("cycle")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProjectForm(forms.ModelForm):
    """Carries the version the editor opened, so a save over someone else's is refused."""

    class Meta:
        model = Project
        fields = "__all__"
        field_classes = {"amount": AmountField}
        widgets = {"version": forms.HiddenInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "version" in self.fields:
            self.fields["version"].required = False

    def clean_first_cycle(self):
        """A project's first cycle holds its initial change: the cycle lock covers it."""
        first_cycle = self.cleaned_data.get("first_cycle")
        if first_cycle is not None:
            stored = self.instance.first_cycle_id if self.instance.pk else None
            try:
                history.ensure_first_cycle_unlocked(first_cycle.pk, stored)
            except ValidationError as error:
                raise ValidationError(error.message_dict["first_cycle"]) from None
        return first_cycle

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Inside the admin's transaction the row stays locked until the save commits,
            # so of two saves at the same moment the second sees the first's version.
            locking = not transaction.get_autocommit()
            if is_stale(Project, self.instance.pk, cleaned.get("version"), lock=locking):
                raise EditConflict()
        return cleaned


@admin.register(Project)
class ProjectAdmin(ProjectFromNews, ProjectSearch, SpreadsheetAdmin):
    form = ProjectForm
    resource_classes = [ProjectResource]
    import_export_change_list_template = "admin/tracker/project/change_list_worklist.html"
    list_display = ["reference", "title_ru", "title_en", "region", "sector", "status", "first_cycle"]
    list_display_links = ["reference", "title_ru"]
    list_filter = [
        ("region", admin.RelatedOnlyFieldListFilter),
        "region__federal_district",
        "sector",
        "status",
        "first_cycle",
        PartnerCountryFilter,
    ]
    list_select_related = ["region", "first_cycle"]
    autocomplete_fields = ["region"]
    readonly_fields = ["status", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["reference", ("title_ru", "title_en"), ("region", "location"), "sector"]}),
        (
            _("Announcement"),
            {
                "fields": [
                    ("announced_on", "announced_precision"),
                    ("amount", "currency"),
                    "first_cycle",
                    "status",
                ]
            },
        ),
        (_("Public note"), {"fields": [("public_note_ru", "public_note_en")]}),
        (_("Editors"), {"fields": ["note", ("created_at", "updated_at"), "version"]}),
    ]
    inlines = [ParticipationInline, EvidenceInline, StatusChangeInline]
    #: The project's History also lists the changes to these records of it.
    history_children = [
        ("tracker.StatusChange", "project_id"), ("tracker.Evidence", "project_id"), ("tracker.Participation", "project_id"),
    ]

    def get_urls(self):
        """The worklist's first addresses lead to the follow-up list and its queue."""
        def to_worklist(request):
            return redirect("admin:tracker_followup_changelist")

        def to_review(request, object_id):
            return redirect("admin:tracker_followup_review", object_id)

        wrap = self.admin_site.admin_view
        return [
            path("worklist/", wrap(to_worklist), name="tracker_project_worklist"),
            path("<int:object_id>/review/", wrap(to_review), name="tracker_project_review"),
        ] + super().get_urls()

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        """Each inline's own "Add another…" phrase, so Russian agrees in gender and case
        («Добавить ещё одно свидетельство»), where Django's reads "Add another %(name)s"."""
        inline_admin_formsets = super().get_inline_formsets(request, formsets, inline_instances, obj)
        for inline_admin_formset in inline_admin_formsets:
            phrase = getattr(inline_admin_formset.opts, "add_another", None)
            if phrase:
                data = json.loads(inline_admin_formset.inline_formset_data())
                data["options"]["addText"] = str(phrase)
                inline_admin_formset.inline_formset_data = functools.partial(json.dumps, data, ensure_ascii=False)
        return inline_admin_formsets

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A save that loses a race the form could not see (a deadlock, a serialization
        failure, a row another editor added at the same moment) is rolled back and
        answered with the edit-conflict message on the project as it now is."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (EditConflict, IntegrityError, OperationalError) as error:
            if object_id is None or not (isinstance(error, EditConflict) or is_write_conflict(error)):
                raise
            messages.error(request, EditConflict().messages[0])
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        if change:
            history.save_project(obj)
        else:
            history.create_project(obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is StatusChange:
            self._append_status_changes(request, formset)
            return
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Evidence) and instance._state.adding:
                instance.recorded_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    def _append_status_changes(self, request, formset):
        project = formset.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not inline_form.has_changed() or inline_form.instance.pk:
                continue
            data = inline_form.cleaned_data
            appended = history.append_status_change(
                project,
                data["status"],
                data["cycle"],
                effective_on=data.get("effective_on"),
                evidence=data.get("evidence"),
                basis=data.get("basis"),
                note=data.get("note", ""),
                public_note_ru=data.get("public_note_ru", ""),
                public_note_en=data.get("public_note_en", ""),
                by=request.user,
            )
            formset.new_objects.append(appended)


