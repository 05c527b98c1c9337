from django import forms
from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ratings.models import Cycle, Rating, Region
from tracker.models import Evidence, Project
from tracker.pages.stats import region_cycle_facts
from tracker.spreadsheets.admin import SpreadsheetAdmin
from tracker.spreadsheets.resources import CycleResource, RatingResource, RegionResource
from tracker.status import history

from .forms import CycleNumberField
from .locks import LockedCycleAdminMixin, LockedCycleFormMixin
from tracker.ops.releases import open_cycle

from .edition import edition_view
from .publishing import publish_view


@admin.register(Region)
class RegionAdmin(SpreadsheetAdmin):
    resource_classes = [RegionResource]
    list_display = ["name_ru", "name_en", "iso_code", "federal_district", "borders_china", "follow_up_link"]
    list_filter = ["federal_district", "borders_china"]
    search_fields = ["name_ru", "name_en", "iso_code", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    readonly_fields = ["follow_up_link"]

    @admin.display(description=_("follow-up"))
    def follow_up_link(self, region):
        """The open cycle's follow-up list filtered to this region."""
        if not region or not region.pk:
            return "—"
        url = f"{reverse('admin:tracker_followup_changelist')}?region__id__exact={region.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Follow-up of this region"))


class CycleForm(forms.ModelForm):
    class Meta:
        model = Cycle
        fields = "__all__"
        field_classes = {"number": CycleNumberField}


@admin.register(Cycle)
class CycleAdmin(LockedCycleAdminMixin, SpreadsheetAdmin):
    """A published cycle is locked like its records; it is published by "Publish…" only."""

    resource_classes = [CycleResource]
    form = CycleForm
    list_display = ["numeral", "title", "title_en", "period_start", "period_end", "published_on", "locked", "publish_link"]
    list_display_links = ["numeral", "title"]
    ordering = ["number"]
    search_fields = ["title", "title_en"]
    readonly_fields = ["is_published"]  # set by "Publish…" only, which writes the release

    def cycle_of(self, obj):
        return obj

    @admin.display(description=_("number"), ordering="number")
    def numeral(self, cycle):
        return cycle.numeral

    @admin.display(description=_("published (locked)"), boolean=True, ordering="is_published")
    def locked(self, cycle):
        return cycle.is_published

    @admin.display(description=_("publication"))
    def publish_link(self, cycle):
        if cycle.is_published:
            return format_html('<a href="{}">{}</a>', reverse("tracker:release_detail", args=[cycle.numeral]), _("release"))
        if cycle.pk != self._open_pk:
            return "—"  # only the open cycle can be published
        return format_html('<a href="{}">{}</a>', reverse("admin:ratings_cycle_publish", args=[cycle.pk]), _("Publish…"))

    _open_pk = None

    def changelist_view(self, request, extra_context=None):
        self._open_pk = getattr(open_cycle(), "pk", None)  # read once for the whole list
        return super().changelist_view(request, extra_context)

    change_form_template = "admin/ratings/cycle_change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view(lambda request, object_id: publish_view(self, request, object_id))
        edition = self.admin_site.admin_view(lambda request, object_id: edition_view(self, request, object_id))
        return [
            path("<int:object_id>/publish/", view, name="ratings_cycle_publish"),
            path("<int:object_id>/edition/", edition, name="ratings_cycle_edition"),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        history.save_cycle(obj)

    def delete_model(self, request, obj):
        history.delete_cycle(obj)

    def delete_queryset(self, request, queryset):
        for cycle in queryset:
            history.delete_cycle(cycle)


class TierFilter(admin.SimpleListFilter):
    """The tier by its label (the generated column has no choices of its own)."""

    title = _("tier")
    parameter_name = "tier"

    def lookups(self, request, model_admin):
        return Rating.Tier.choices

    def queryset(self, request, queryset):
        return queryset.filter(tier=self.value()) if self.value() else queryset


class RatingForm(LockedCycleFormMixin, forms.ModelForm):
    class Meta:
        model = Rating
        fields = "__all__"


@admin.register(Rating)
class RatingAdmin(LockedCycleAdminMixin, SpreadsheetAdmin):
    resource_classes = [RatingResource]
    form = RatingForm
    list_display = ["region", "cycle", "score", "tier_display"]
    list_filter = ["cycle", TierFilter, "region__federal_district"]
    list_select_related = ["region", "cycle"]
    search_fields = ["region__name_ru", "region__name_en", "region__iso_code"]
    autocomplete_fields = ["region"]
    ordering = ["cycle__number", "-score", "region__name_ru"]
    readonly_fields = ["tier_display", "cycle_facts"]
    fields = [
        "region", "cycle", "score", "tier_display", "public_note_ru", "public_note_en", "commentary_ru", "commentary_en",
        "note", "cycle_facts",
    ]

    @admin.display(description=_("tier"), ordering="tier")
    def tier_display(self, rating):
        return rating.tier_label if rating and rating.pk else "—"

    @admin.display(description=_("Facts of the cycle"))
    def cycle_facts(self, rating):
        """The scoring helper: the region's facts in this cycle, next to the score."""
        if not rating or not rating.pk:
            return _("Save the rating once to see the region's facts for its cycle.")
        facts = region_cycle_facts(rating.region, rating.cycle)
        kinds = ", ".join(
            f"{label}: {facts['evidence'][value]}" for value, label in Evidence.Kind.choices
        )
        return format_html(
            "<p><strong>{}</strong> {}</p><p>{}: {} · {}: {} · {}: {} · {}: {} · {}: {}</p>",
            _("Evidence recorded in this cycle —"), kinds,
            _("new projects"), facts["first_reported"],
            Project.Status.LAUNCHED.label, facts["launched"], Project.Status.STALLED.label, facts["stalled"],
            Project.Status.DROPPED.label, facts["dropped"], _("remained unresolved"), facts["unresolved"],
        )
