from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tracker.models import Organization, Source
from tracker.models.countries import used_country_choices
from tracker.spreadsheets.admin import SpreadsheetAdmin
from tracker.spreadsheets.resources import OrganizationResource, SourceResource


class CountryFilter(admin.SimpleListFilter):
    """Countries by name, only those some organisation has (not all 250 of the list)."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        return used_country_choices(Organization.objects.values_list("country", flat=True).order_by().distinct())

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset


@admin.register(Organization)
class OrganizationAdmin(SpreadsheetAdmin):
    resource_classes = [OrganizationResource]
    list_display = ["name", "name_en", "country", "kind"]
    list_filter = ["kind", CountryFilter]
    search_fields = ["name", "name_en"]


@admin.register(Source)
class SourceAdmin(SpreadsheetAdmin):
    resource_classes = [SourceResource]
    list_display = ["title", "kind", "publisher", "published_on", "language"]
    list_filter = ["kind", "language"]
    search_fields = ["title", "publisher", "url"]
