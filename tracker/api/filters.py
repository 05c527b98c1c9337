"""The API's filters. Projects (and the unresolved report) take the researchers' own
ProjectFilter (tracker/pages/filters.py) — the same parameters with the same meaning —,
with its cycles named as everywhere in the API (a Roman numeral or a number) and its
status order read at the end of the published cycle; the other lists have small filter
sets of their own. A cycle the reader does not see — unknown, malformed or a draft —
answers 404 wherever it is named, as `?cycle=` does on the researchers' pages."""

import copy

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import NotFound

from ratings.models import Cycle, Region
from ratings.numerals import from_roman
from tracker.models import Evidence, Organization, Project, StatusChange
from tracker.models.countries import country_choices
from tracker.pages import limits
from tracker.pages.audience import audience_of
from tracker.pages.filters import ProjectFilter

from . import texts

COUNTRY_CODES = sorted(code for code, _name in countries)


def no_cycle(value):
    return NotFound(_("There is no cycle “%(cycle)s”.") % {"cycle": str(value)[:20]})


class CycleField(forms.ModelChoiceField):
    """A cycle of the field's queryset (the published ones) named by a Roman numeral (III)
    or a number (3); anything else is a 404."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            number = from_roman(value)
        except ValueError:
            raise no_cycle(value) from None
        cycle = self.queryset.filter(number=number).first() if number < 2**15 else None
        if cycle is None:
            raise no_cycle(value)
        return cycle


class CycleFilter(django_filters.ModelChoiceFilter):
    field_class = CycleField


def cycle_filter(description, **kwargs):
    """A cycle parameter, documented as a numeral with `description`."""
    schema = {"type": "string", "pattern": r"^([IVXLCDMivxlcdm]+|[0-9]+)$", "example": "III", "description": description}
    return extend_schema_field(schema)(CycleFilter(queryset=Cycle.objects.none(), **kwargs))


def country_filter(description, **kwargs):
    schema = {"type": "string", "enum": COUNTRY_CODES, "description": description}
    return extend_schema_field(schema)(django_filters.ChoiceFilter(choices=country_choices, **kwargs))


class Described:
    """Filter sets whose parameters carry the API's descriptions (`descriptions`, by name)
    in place of the researchers' form labels; the filters are copied, so the pages' own
    filters keep their labels."""

    descriptions = {}

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for name, text in cls.descriptions.items():
            described = copy.deepcopy(filters[name])
            described.extra["help_text"] = text
            filters[name] = described
        return filters


class PublishedCycles:
    """Cycle filters (`cycle_names`) that offer the published cycles only."""

    cycle_names = ("cycle",)

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        for name in self.cycle_names:
            self.filters[name].queryset = audience_of(request).cycles()


class APIProjectFilter(Described, ProjectFilter):
    as_of = cycle_filter(texts.AS_OF, method="filter_nothing")
    first_cycle = cycle_filter(texts.FIRST_CYCLE, field_name="first_cycle")
    evidence_in = cycle_filter(texts.EVIDENCE_IN, method="filter_evidence_in")
    partner_country = country_filter(texts.PARTNER_COUNTRY, method="filter_partner_country")
    ordering = django_filters.OrderingFilter(
        fields=[
            ("reference", "reference"),
            ("title_ru", "title"),
            ("region__name_ru", "region"),
            ("amount", "amount"),
            ("announced_on", "announced"),
            ("status_now", "status"),  # the status at the end of the published cycle (views.py)
        ],
        help_text=texts.ORDERING,
    )
    descriptions = texts.PROJECT_FILTERS


class UnresolvedFilter(APIProjectFilter):
    """The projects' filters for the unresolved report, which has an order of its own."""

    ordering = None


class EvidenceFilter(Described, PublishedCycles, django_filters.FilterSet):
    cycle = cycle_filter(texts.EVIDENCE_CYCLE, field_name="cycle")
    region = django_filters.ModelChoiceFilter(
        field_name="project__region", queryset=Region.objects.all(), to_field_name="slug"
    )
    kind = django_filters.ChoiceFilter(choices=Evidence.Kind.choices)
    project = django_filters.CharFilter(field_name="project__reference", max_length=20)
    descriptions = texts.EVIDENCE_FILTERS

    class Meta:
        model = Evidence
        fields = []


class StatusChangeFilter(Described, PublishedCycles, django_filters.FilterSet):
    cycle = cycle_filter(texts.STATUS_CHANGE_CYCLE, field_name="cycle")
    status = django_filters.ChoiceFilter(choices=Project.Status.choices)
    basis = django_filters.ChoiceFilter(choices=StatusChange.Basis.choices)
    project = django_filters.CharFilter(field_name="project__reference", max_length=20)
    descriptions = texts.STATUS_CHANGE_FILTERS

    class Meta:
        model = StatusChange
        fields = []


class RegionFilter(Described, django_filters.FilterSet):
    federal_district = django_filters.ChoiceFilter(choices=Region.FederalDistrict.choices)
    borders_china = extend_schema_field({"type": "boolean", "description": texts.BORDERS_CHINA})(
        django_filters.TypedChoiceFilter(
            choices=[("true", "true"), ("false", "false")], coerce=lambda value: value == "true"
        )
    )
    descriptions = texts.REGION_FILTERS

    class Meta:
        model = Region
        fields = []


class OrganizationFilter(Described, django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search", max_length=limits.SEARCH_MAX_LENGTH, validators=[limits.check_search_words]
    )
    country = country_filter(texts.ORGANIZATION_COUNTRY)
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices)
    descriptions = texts.ORGANIZATION_FILTERS

    class Meta:
        model = Organization
        fields = []

    def filter_search(self, queryset, name, value):
        """Every word in the name, Russian or Latin (as the organisations index searches)."""
        for word in value.split():
            queryset = queryset.filter(Q(name__icontains=word) | Q(name_en__icontains=word))
        return queryset

