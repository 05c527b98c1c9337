"""How the API writes each record: stable snake_case English names; a choice as its code
and, beside it, its label in the reader's language (`status`, `status_label`); a cycle as
its Roman numeral and its number; dates in ISO 8601, each with its precision where the
record keeps one; texts in both languages (`title_ru`, `title_en`)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ratings.models import Cycle, Rating, Region
from tracker.models import DatePrecision, Evidence, Organization, Participation, Project, Release, Source, StatusChange
from tracker.pages.views import timeline

from . import texts


class SourceMayBeItsName:
    """A field whose `source` may be its own name (the helpers below name the source of
    both fields of a pair)."""

    def bind(self, field_name, parent):
        if self.source == field_name:
            self.source = None
        super().bind(field_name, parent)


class Code(SourceMayBeItsName, serializers.ChoiceField):
    """A choice's code; null where the record has none (a date's precision without a date)."""

    def __init__(self, choices, **kwargs):
        kwargs.setdefault("allow_null", True)
        super().__init__(choices, read_only=True, **kwargs)

    def to_representation(self, value):
        return value or None


@extend_schema_field(OpenApiTypes.STR)
class Label(SourceMayBeItsName, serializers.Field):
    """The label of a choice's code in the reader's language; null without a code."""

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices)
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return str(self.labels[value]) if value in self.labels else None


class Key(SourceMayBeItsName, serializers.CharField):
    """A text that identifies something (a code, a reference); null where the record has none."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return str(value) if value else None


def coded(choices, source, **kwargs):
    """The pair of fields for a choice: its code, and its label."""
    return Code(choices, source=source, **kwargs), Label(choices, source=source)


def numeral(source):
    return serializers.CharField(source=f"{source}.numeral", read_only=True)


def number(source):
    return serializers.IntegerField(source=f"{source}.number", read_only=True)


class CycleSerializer(serializers.ModelSerializer):
    numeral = serializers.CharField(read_only=True)
    title_ru = serializers.CharField(source="title", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Cycle
        fields = [
            "numeral", "number", "title_ru", "title_en", "period_start", "period_end", "published_on",
            "public_note_ru", "public_note_en", "url",
        ]

    def get_url(self, cycle) -> str:
        return self.context["request"].build_absolute_uri(reverse("api:cycle-detail", args=[cycle.numeral]))


class RatingSerializer(serializers.ModelSerializer):
    cycle, cycle_number = numeral("cycle"), number("cycle")
    tier, tier_label = coded(Rating.Tier.choices, "tier")

    class Meta:
        model = Rating
        fields = ["cycle", "cycle_number", "score", "tier", "tier_label", "public_note_ru", "public_note_en"]


class RegionSerializer(serializers.ModelSerializer):
    federal_district, federal_district_label = coded(Region.FederalDistrict.choices, "federal_district")
    project_count = serializers.IntegerField(read_only=True, help_text=_("Projects of the published record in the region."))
    ratings = RatingSerializer(many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:region-detail", lookup_field="slug")

    class Meta:
        model = Region
        fields = [
            "slug", "iso_code", "name_ru", "name_en", "federal_district", "federal_district_label",
            "borders_china", "project_count", "ratings", "url",
        ]


class OrganizationSerializer(serializers.ModelSerializer):
    country = Key(source="country", help_text=_("ISO 3166-1 alpha-2 code, such as CN."))
    country_name = serializers.CharField(read_only=True)
    kind, kind_label = coded(Organization.Kind.choices, "kind")
    project_count = serializers.IntegerField(read_only=True, help_text=_("Its projects in the published record."))
    url = serializers.HyperlinkedIdentityField(view_name="api:organization-detail")

    class Meta:
        model = Organization
        fields = ["id", "name", "name_en", "country", "country_name", "kind", "kind_label", "project_count", "url"]


class ProjectSerializer(serializers.ModelSerializer):
    """A project as of the end of the latest published cycle (`status`, `basis`, `disputed`)."""

    region = serializers.CharField(source="region.slug", read_only=True)
    region_name_ru = serializers.CharField(source="region.name_ru", read_only=True)
    region_name_en = serializers.CharField(source="region.name_en", read_only=True)
    sector, sector_label = coded(Project.Sector.choices, "sector")
    announced_precision = Code(DatePrecision.choices, source="announced_precision")
    amount = serializers.DecimalField(max_digits=20, decimal_places=2, coerce_to_string=False, read_only=True, allow_null=True)
    currency = Code(Project.Currency.choices, source="currency")
    first_cycle, first_cycle_number = numeral("first_cycle"), number("first_cycle")
    status, status_label = coded(Project.Status.choices, "status", help_text=texts.STATUS_NOW)
    basis, basis_label = coded(StatusChange.Basis.choices, "basis_now", help_text=texts.BASIS_NOW)
    disputed = serializers.BooleanField(read_only=True, help_text=texts.DISPUTED)
    url = serializers.HyperlinkedIdentityField(view_name="api:project-detail", lookup_field="reference")
    page_url = serializers.SerializerMethodField(help_text=_("The project's page on the site."))

    class Meta:
        model = Project
        fields = [
            "reference", "title_ru", "title_en", "region", "region_name_ru", "region_name_en", "location",
            "sector", "sector_label", "announced_on", "announced_precision", "amount", "currency",
            "first_cycle", "first_cycle_number", "status", "status_label", "basis", "basis_label", "disputed",
            "public_note_ru", "public_note_en", "url", "page_url",
        ]

    def get_page_url(self, project) -> str:
        return self.context["request"].build_absolute_uri(project.get_absolute_url())


class SourceSerializer(serializers.ModelSerializer):
    kind, kind_label = coded(Source.Kind.choices, "kind")
    published_precision = Code(DatePrecision.choices, source="published_precision")
    language, language_label = coded(Source.Language.choices, "language")

    class Meta:
        model = Source
        fields = [
            "title", "publisher", "url", "kind", "kind_label", "published_on", "published_precision",
            "language", "language_label",
        ]


class EvidenceSerializer(serializers.ModelSerializer):
    reference = Key(source="reference")
    project = serializers.CharField(source="project.reference", read_only=True)
    cycle, cycle_number = numeral("cycle"), number("cycle")
    precision = Code(DatePrecision.choices, source="precision")
    kind, kind_label = coded(Evidence.Kind.choices, "kind")
    summary_en = serializers.CharField(source="summary", read_only=True)
    attribution_en = serializers.CharField(source="attribution", read_only=True)
    source = SourceSerializer(read_only=True)

    class Meta:
        model = Evidence
        fields = [
            "id", "reference", "project", "cycle", "cycle_number", "occurred_on", "precision", "kind", "kind_label",
            "summary_ru", "summary_en", "source", "locator", "attribution_ru", "attribution_en",
        ]


class StatusChangeSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.reference", read_only=True)
    cycle, cycle_number = numeral("cycle"), number("cycle")
    status, status_label = coded(Project.Status.choices, "status")
    basis, basis_label = coded(StatusChange.Basis.choices, "basis")
    evidence = serializers.IntegerField(source="evidence_id", read_only=True, allow_null=True)

    class Meta:
        model = StatusChange
        fields = [
            "id", "project", "cycle", "cycle_number", "status", "status_label", "effective_on", "basis",
            "basis_label", "is_initial", "evidence", "public_note_ru", "public_note_en",
        ]


class ParticipantSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="organization_id", read_only=True)
    name = serializers.CharField(source="organization.name", read_only=True)
    name_en = serializers.CharField(source="organization.name_en", read_only=True)
    country = Key(source="organization.country")
    role, role_label = coded(Participation.Role.choices, "role")

    class Meta:
        model = Participation
        fields = ["organization", "name", "name_en", "country", "role", "role_label"]


class TimelineEntrySerializer(serializers.Serializer):
    """One entry of a project's timeline: evidence, or a status change (the other is null)."""

    entry = serializers.ChoiceField(choices=["evidence", "status_change"], read_only=True)
    cycle = serializers.CharField(read_only=True)
    cycle_number = serializers.IntegerField(read_only=True)
    evidence = EvidenceSerializer(read_only=True, allow_null=True)
    status_change = StatusChangeSerializer(read_only=True, allow_null=True)


class ProjectDetailSerializer(ProjectSerializer):
    participants = ParticipantSerializer(source="participations", many=True, read_only=True)
    timeline = serializers.SerializerMethodField()

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "participants", "timeline"]

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, project):
        entries = [
            {
                "entry": "evidence" if kind == "evidence" else "status_change",
                "cycle": item.cycle.numeral,
                "cycle_number": item.cycle.number,
                "evidence": item if kind == "evidence" else None,
                "status_change": None if kind == "evidence" else item,
            }
            for kind, item in timeline(project)
        ]
        return TimelineEntrySerializer(entries, many=True, context=self.context).data


class UnresolvedSerializer(ProjectSerializer):
    """A row of the unresolved report of a cycle: its follow-up figures at the end of it."""

    cycle, cycle_number = numeral("report_cycle"), number("report_cycle")
    age = serializers.IntegerField(read_only=True, help_text=texts.AGE)
    status_at_start, status_at_start_label = coded(Project.Status.choices, "status_at_start", help_text=texts.AT_START)
    status_at_end, status_at_end_label = coded(Project.Status.choices, "status_at_end", help_text=texts.AT_END)
    basis, basis_label = coded(StatusChange.Basis.choices, "basis_now", help_text=texts.BASIS_AT_END)
    last_evidence_on = serializers.DateField(read_only=True, allow_null=True, help_text=texts.LAST_EVIDENCE)
    silent = serializers.BooleanField(read_only=True, help_text=texts.SILENT)
    silent_cycles = serializers.IntegerField(read_only=True, help_text=texts.SILENT_CYCLES)
    last_progress_on = serializers.DateField(read_only=True, allow_null=True, help_text=texts.LAST_PROGRESS)
    suggested_status, suggested_status_label = coded(Project.Status.choices, "suggested_status", help_text=texts.SUGGESTED)

    class Meta(ProjectSerializer.Meta):
        fields = [
            "cycle", "cycle_number", "reference", "title_ru", "title_en", "region", "region_name_ru", "region_name_en",
            "sector", "sector_label", "amount", "currency", "first_cycle", "first_cycle_number", "age",
            "status_at_start", "status_at_start_label", "status_at_end", "status_at_end_label", "basis", "basis_label",
            "disputed", "last_evidence_on", "silent", "silent_cycles", "last_progress_on", "suggested_status",
            "suggested_status_label", "url",
        ]


class CitationSerializer(serializers.Serializer):
    ru = serializers.CharField(read_only=True)
    en = serializers.CharField(read_only=True)
    bibtex = serializers.CharField(read_only=True)


class ReleaseFileSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True, help_text=_("Bytes."))
    sha256 = serializers.CharField(read_only=True, help_text=_("The file's SHA-256 checksum, as published."))
    url = serializers.URLField(read_only=True)


class ReleaseSerializer(serializers.ModelSerializer):
    cycle, cycle_number = numeral("cycle"), number("cycle")
    published_on = serializers.DateField(source="cycle.published_on", read_only=True, allow_null=True)
    files_written_at = serializers.DateTimeField(source="created_at", read_only=True)
    counts = serializers.JSONField(read_only=True, help_text=texts.COUNTS)
    citation = CitationSerializer(read_only=True)
    files = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Release
        fields = ["cycle", "cycle_number", "published_on", "files_written_at", "counts", "citation", "files", "url"]

    @extend_schema_field(ReleaseFileSerializer(many=True))
    def get_files(self, release):
        request, numeral = self.context["request"], release.cycle.numeral
        files = [
            {
                "name": item["name"], "size": item.get("size"), "sha256": item.get("sha256"),
                "url": request.build_absolute_uri(reverse("tracker:release_file", args=[numeral, item["name"]])),
            }
            for item in release.files
        ]
        return ReleaseFileSerializer(files, many=True).data

    def get_url(self, release) -> str:
        return self.context["request"].build_absolute_uri(reverse("api:release-detail", args=[release.cycle.numeral]))


class ReleaseDetailSerializer(ReleaseSerializer):
    changes = serializers.JSONField(read_only=True, help_text=texts.CHANGES)

    class Meta(ReleaseSerializer.Meta):
        fields = [*ReleaseSerializer.Meta.fields, "changes"]
