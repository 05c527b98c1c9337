from django.contrib import admin

from tracker.models import Organization, Source
from tracker.spreadsheets.admin import SpreadsheetAdmin
from tracker.spreadsheets.resources import OrganizationResource, SourceResource


@admin.register(Organization)
class OrganizationAdmin(SpreadsheetAdmin):
    resource_classes = [OrganizationResource]
    list_display = ["name", "name_en", "country", "kind"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "name_en"]


@admin.register(Source)
class SourceAdmin(SpreadsheetAdmin):
    resource_classes = [SourceResource]
    list_display = ["title", "kind", "publisher", "published_on", "language"]
    list_filter = ["kind", "language"]
    search_fields = ["title", "publisher", "url"]
