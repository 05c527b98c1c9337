from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tracker.resources import CycleResource, RatingResource, RegionResource
from tracker.spreadsheet_admin import SpreadsheetAdmin

from .models import Cycle, Rating, Region


@admin.register(Region)
class RegionAdmin(SpreadsheetAdmin):
    resource_classes = [RegionResource]
    list_display = ["name_ru", "name_en", "iso_code", "federal_district", "borders_china"]
    list_filter = ["federal_district", "borders_china"]
    search_fields = ["name_ru", "name_en", "iso_code", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Cycle)
class CycleAdmin(SpreadsheetAdmin):
    resource_classes = [CycleResource]
    list_display = ["numeral", "title", "period_start", "period_end", "published_on", "is_published"]
    list_display_links = ["numeral", "title"]
    ordering = ["number"]
    search_fields = ["title"]

    @admin.display(description=_("number"), ordering="number")
    def numeral(self, cycle):
        return cycle.numeral


@admin.register(Rating)
class RatingAdmin(SpreadsheetAdmin):
    resource_classes = [RatingResource]
    list_display = ["region", "cycle", "score", "tier"]
    list_filter = ["cycle", "tier", "region__federal_district"]
    list_select_related = ["region", "cycle"]
    search_fields = ["region__name_ru", "region__name_en", "region__iso_code"]
    autocomplete_fields = ["region"]
    ordering = ["cycle__number", "-score", "region__name_ru"]
    readonly_fields = ["tier"]
