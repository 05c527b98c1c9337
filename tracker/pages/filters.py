"""The researchers' filters: one FilterSet for the projects list and the unresolved page."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from ratings.models import Cycle, Region

from tracker.models import Evidence, Organization, Participation, Project, StatusChange
from tracker.models.search import matching
from tracker.models.countries import used_country_choices
from tracker.status.marks import contradicted, with_basis

from . import limits
from .audience import audience_of
from .forms_html import QuickRenderer



DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def partner_countries():
    """The partners' countries, by name in the reader's language."""
    return used_country_choices(Organization.objects.values_list("country", flat=True).order_by().distinct())


class FilterForm(forms.Form):
    default_renderer = QuickRenderer()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.iterator = ListedChoices
                field.queryset = field.queryset  # the widget's choices, read anew through it


class ListedChoices(forms.models.ModelChoiceIterator):
    """A select's few rows (regions, cycles) in one plain query: Django's own iterator
    reads them through `iterator()`, which on PostgreSQL opens a server-side cursor —
    three round trips to the database for each select of the form."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:  # the form's own copy of the queryset: cached for this request
            yield self.choice(obj)


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=limits.SEARCH_MAX_LENGTH,
        validators=[limits.check_search_words],
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), queryset=Region.objects.order_by("name_ru"), to_field_name="slug"
    )
    federal_district = django_filters.ChoiceFilter(
        label=_("Federal district"), field_name="region__federal_district", choices=Region.FederalDistrict.choices
    )
    sector = django_filters.ChoiceFilter(label=_("Sector"), choices=Project.Sector.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Project.Status.choices, method="filter_status")
    as_of = django_filters.ModelChoiceFilter(
        label=_("Status at the end of cycle"),
        queryset=Cycle.objects.order_by("number"),
        to_field_name="number",
        method="filter_nothing",
        empty_label=_("now"),
    )
    basis = django_filters.ChoiceFilter(
        label=_("How the status is known"), choices=StatusChange.Basis.choices, method="filter_basis"
    )
    disputed = django_filters.ChoiceFilter(
        label=_("Disputed"),
        choices=[("yes", _("disputed only")), ("no", _("not disputed"))],
        method="filter_disputed",
    )
    first_cycle = django_filters.ModelChoiceFilter(
        label=_("First reported in"), queryset=Cycle.objects.order_by("number"), to_field_name="number"
    )
    # A text box, not a list: trackers hold thousands of organisations.
    partner = django_filters.CharFilter(
        label=_("Partner"),
        method="filter_partner",
        max_length=limits.SEARCH_MAX_LENGTH,
        help_text=_("Part of an organisation's name, in Russian or English."),
    )
    partner_country = django_filters.ChoiceFilter(
        label=_("Partner country"), choices=partner_countries, method="filter_partner_country"
    )
    amount_min = django_filters.NumberFilter(label=_("Amount from"), field_name="amount", lookup_expr="gte")
    amount_max = django_filters.NumberFilter(label=_("Amount to"), field_name="amount", lookup_expr="lte")
    announced_from = django_filters.DateFilter(
        label=_("Announced from"), field_name="announced_on", lookup_expr="gte", widget=DATE_INPUT
    )
    announced_to = django_filters.DateFilter(
        label=_("Announced to"), field_name="announced_on", lookup_expr="lte", widget=DATE_INPUT
    )
    evidence_in = django_filters.ModelChoiceFilter(
        label=_("Has evidence in cycle"),
        queryset=Cycle.objects.order_by("number"),
        to_field_name="number",
        method="filter_evidence_in",
    )
    ordering = django_filters.OrderingFilter(
        label=_("Order by"),
        fields=[
            ("reference", "reference"),
            ("title_ru", "title"),
            ("region__name_ru", "region"),
            ("amount", "amount"),
            ("announced_on", "announced"),
            ("status", "status"),
        ],
        field_labels={
            "reference": _("reference"),
            "title_ru": _("title"),
            "region__name_ru": _("region"),
            "amount": _("amount"),
            "announced_on": _("announcement date"),
            "status": _("status"),
        },
    )

    class Meta:
        model = Project
        fields = []
        form = FilterForm

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.audience = audience_of(request) if request is not None else None
        if self.audience is not None:  # the cycles the reader sees, nothing later
            for name in ("as_of", "first_cycle", "evidence_in"):
                self.filters[name].queryset = self.audience.cycles()

    @property
    def selected(self):
        """The filtered projects; none while a filter's value is refused (its message shows
        next to the field), so a refused search never reads as "everything"."""
        if self.is_bound and not self.form.is_valid():
            return self.queryset.none()
        return self.qs

    @property
    def search_text(self):
        """The search's words when there is a valid search, else ""."""
        if not self.is_bound or not self.form.is_valid():
            return ""
        return (self.form.cleaned_data.get("q") or "").strip()

    @property
    def up_to(self):
        return self.audience.up_to if self.audience is not None else None

    def filter_search(self, queryset, name, value):
        return matching(queryset, value, up_to=self.up_to)

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by filter_status

    def filter_status(self, queryset, name, value):
        cycle = self.form.cleaned_data.get("as_of")
        if cycle:
            return queryset.with_status_at_end(cycle).filter(status_at_end=value)
        if self.audience is not None:
            return self.audience.with_status(queryset, value)
        return queryset.filter(status=value)

    def filter_basis(self, queryset, name, value):
        cycle = self.form.cleaned_data.get("as_of")
        return with_basis(queryset, value, cycle.number if cycle else self.up_to)

    def filter_disputed(self, queryset, name, value):
        disputed = contradicted(self.up_to)
        return queryset.filter(disputed if value == "yes" else ~disputed)

    def filter_partner(self, queryset, name, value):
        """Projects with a participant named like `value` (or the organisation with that id,
        as linked from an organisation's page)."""
        value = value.strip()
        if not value:
            return queryset
        if value.isascii() and value.isdigit() and len(value) < 19:  # an id, as linked from a page
            organizations = Organization.objects.filter(pk=int(value))
        else:
            organizations = Organization.objects.filter(Q(name__icontains=value) | Q(name_en__icontains=value))
        # Driven from the few matching organisations (participation_org_idx), not per project.
        return queryset.filter(pk__in=Participation.objects.filter(organization__in=organizations).values("project_id"))

    def filter_partner_country(self, queryset, name, value):
        return queryset.filter(
            Exists(Organization.objects.filter(country=value, participations__project=OuterRef("pk")))
        )

    def filter_evidence_in(self, queryset, name, value):
        return queryset.filter(Exists(Evidence.objects.filter(project=OuterRef("pk"), cycle=value)))
