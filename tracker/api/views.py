"""The API's views: read-only, each list a fixed number of queries whatever its length,
all of them of the published record only (base.py `PublicRecord`)."""

from django.db.models import Count, Prefetch, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, routers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.reverse import reverse

from ratings.models import Cycle, Rating, Region
from ratings.numerals import from_roman
from tracker.models import Evidence, Organization, Participation, Project, Release, StatusChange
from tracker.pages.search import RELEVANCE
from tracker.status.marks import attach_marks
from tracker.status.unresolved import attach_follow_up, letter_at, status_from_letter, status_projects

from . import filters, serializers, texts
from .base import PublicRecord


def described(*names, **parameters):
    """extend_schema_view for `names` (list, retrieve…): each operation's summary and
    description from texts.OPERATIONS, under `prefix`."""
    prefix = parameters.pop("prefix")
    views = {}
    for name in names:
        summary, description = texts.OPERATIONS[f"{prefix}_{name}"]
        views[name] = extend_schema(summary=summary, description=description, **parameters.get(name, {}))
    return extend_schema_view(**views)


def numeral_parameter(name="numeral"):
    return {"parameters": [OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.PATH, description=texts.NUMERAL)]}


def published_projects(audience):
    """The projects the public knows of, as StatusQuerySet, with `status_now` (the status at
    the end of the published cycle) to order by."""
    projects = audience.projects(status_projects()).alias(_letter_now=letter_at(audience.up_to))
    return projects.alias(status_now=status_from_letter("_letter_now"))


def stably_ordered(queryset, key="reference"):
    """`queryset` in its order — as the projects page orders it: the `ordering` asked for,
    else the most relevant first for a search —, ties broken by `key`, so pages never overlap."""
    order = list(queryset.query.order_by)
    if not order and "search_rank" in queryset.query.annotations:
        order = list(RELEVANCE)  # equally relevant ones by id, as on the page
    if not {key, "pk"} & {str(field).lstrip("-") for field in order}:
        order.append(key)
    return queryset.order_by(*order)


class Root(PublicRecord, routers.APIRootView):
    """The list of the API's addresses, the schema and the docs with them."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data["schema"] = reverse("api:schema", request=request)
        response.data["docs"] = reverse("api:docs", request=request)
        return response


class Router(routers.DefaultRouter):
    APIRootView = Root
    include_format_suffixes = False


@described("list", "retrieve", prefix="cycles", retrieve=numeral_parameter())
class CycleViewSet(PublicRecord, viewsets.ReadOnlyModelViewSet):
    queryset = Cycle.objects.all()
    serializer_class = serializers.CycleSerializer
    lookup_field = "numeral"
    lookup_value_regex = "[^/]{1,20}"

    def get_queryset(self):
        return self.audience.cycles()

    def get_object(self):
        field = filters.CycleField(queryset=self.get_queryset())
        return field.clean(self.kwargs["numeral"])


@described("list", "retrieve", prefix="regions")
class RegionViewSet(PublicRecord, viewsets.ReadOnlyModelViewSet):
    queryset = Region.objects.all()
    serializer_class = serializers.RegionSerializer
    filterset_class = filters.RegionFilter
    lookup_field = "slug"
    missing = texts.NO_REGION

    def get_queryset(self):
        up_to = self.audience.up_to
        ratings = Rating.objects.filter(cycle__number__lte=up_to).select_related("cycle").order_by("cycle__number")
        return (
            Region.objects.annotate(project_count=Count("projects", filter=Q(projects__first_number__lte=up_to)))
            .prefetch_related(Prefetch("ratings", queryset=ratings))
            .order_by("name_ru", "slug")
        )


@described("list", "retrieve", prefix="organizations")
class OrganizationViewSet(PublicRecord, viewsets.ReadOnlyModelViewSet):
    """Partners with at least one project in the published record (as the organisations index)."""

    queryset = Organization.objects.all()
    serializer_class = serializers.OrganizationSerializer
    filterset_class = filters.OrganizationFilter
    lookup_value_regex = "[0-9]{1,18}"
    missing = texts.NO_ORGANIZATION

    def get_queryset(self):
        visible = Q(participations__project__first_number__lte=self.audience.up_to)
        counted = Organization.objects.annotate(project_count=Count("participations__project", filter=visible, distinct=True))
        return counted.filter(project_count__gt=0).order_by("name", "pk")


@described("list", "retrieve", prefix="projects")
class ProjectViewSet(PublicRecord, viewsets.ReadOnlyModelViewSet):
    queryset = Project.objects.all()
    serializer_class = serializers.ProjectSerializer
    filterset_class = filters.APIProjectFilter
    lookup_field = "reference"
    missing = texts.NO_PROJECT

    def get_queryset(self):
        projects = published_projects(self.audience).select_related("region", "first_cycle")
        if self.action != "retrieve":
            return projects
        evidence = self.audience.evidence(Evidence.objects.select_related("cycle", "source"))
        changes = self.audience.evidence(StatusChange.objects.select_related("cycle"))
        return projects.prefetch_related(
            Prefetch("evidence", queryset=evidence),
            Prefetch("status_changes", queryset=changes),
            Prefetch("participations", queryset=Participation.objects.select_related("organization").order_by("pk")),
        )

    def get_serializer_class(self):
        return serializers.ProjectDetailSerializer if self.action == "retrieve" else serializers.ProjectSerializer

    def filter_queryset(self, queryset):
        return stably_ordered(super().filter_queryset(queryset))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        up_to = self.audience.up_to
        return attach_marks(page, up_to, up_to)

    def get_object(self):
        project = super().get_object()
        attach_marks([project], self.audience.up_to, self.audience.up_to)
        return project


@described("list", prefix="evidence")
class EvidenceViewSet(PublicRecord, mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Evidence.objects.all()
    serializer_class = serializers.EvidenceSerializer
    filterset_class = filters.EvidenceFilter

    def get_queryset(self):
        evidence = self.audience.evidence(Evidence.objects.filter(project__first_number__lte=self.audience.up_to))
        return evidence.select_related("project", "cycle", "source").order_by("project__reference", "cycle__number", "pk")


@described("list", prefix="status_changes")
class StatusChangeViewSet(PublicRecord, mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = StatusChange.objects.all()
    serializer_class = serializers.StatusChangeSerializer
    filterset_class = filters.StatusChangeFilter

    def get_queryset(self):
        changes = self.audience.evidence(StatusChange.objects.filter(project__first_number__lte=self.audience.up_to))
        return changes.select_related("project", "cycle").order_by("project__reference", "cycle__number", "pk")


@described(
    "list", prefix="unresolved",
    list={"parameters": [OpenApiParameter("cycle", OpenApiTypes.STR, description=texts.UNRESOLVED_CYCLE)]},
)
class UnresolvedViewSet(PublicRecord, viewsets.GenericViewSet):
    """The unresolved report (tracker/pages/views.py `report_page`): a page's ids in report
    order first, then the follow-up figures of those rows only."""

    queryset = Project.objects.all()
    serializer_class = serializers.UnresolvedSerializer
    filterset_class = filters.UnresolvedFilter

    def get_queryset(self):
        return published_projects(self.audience)

    def chosen_cycle(self):
        cycles = self.audience.cycles()
        numeral = self.request.query_params.get("cycle")
        if numeral:
            return filters.CycleField(queryset=cycles).clean(numeral)
        cycle = cycles.last()
        if cycle is None:
            raise NotFound(texts.NONE_PUBLISHED)
        return cycle

    def list(self, request):
        cycle = self.chosen_cycle()
        projects = self.filter_queryset(self.get_queryset())
        ids = self.paginate_queryset(status_projects(projects).unresolved_ordered(cycle).values_list("pk", flat=True))
        found = status_projects().filter(pk__in=ids).with_cycle_statuses(cycle).select_related("region", "first_cycle")
        by_id = {project.pk: project for project in found} if ids else {}
        rows = attach_marks(attach_follow_up([by_id[pk] for pk in ids], cycle), cycle.number, self.audience.up_to)
        for row in rows:
            row.report_cycle = cycle
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


@described("list", "retrieve", prefix="releases", retrieve=numeral_parameter())
class ReleaseViewSet(PublicRecord, viewsets.ReadOnlyModelViewSet):
    queryset = Release.objects.all()
    serializer_class = serializers.ReleaseSerializer
    lookup_field = "numeral"
    lookup_value_regex = "[^/]{1,20}"
    missing = texts.NO_RELEASE

    def get_queryset(self):
        releases = Release.objects.filter(cycle__is_published=True, cycle__number__lte=self.audience.up_to)
        return releases.select_related("cycle").order_by("cycle__number")

    def get_serializer_class(self):
        return serializers.ReleaseDetailSerializer if self.action == "retrieve" else serializers.ReleaseSerializer

    def get_object(self):
        key = self.kwargs["numeral"]
        try:
            number = from_roman(key)
        except ValueError:
            raise self.not_found(key) from None
        release = self.get_queryset().filter(cycle__number=number).first() if number < 2**15 else None
        if release is None:
            raise self.not_found(key)
        return release


def list_views():
    """The router's lists, by prefix (their URL names are `<basename>-list`)."""
    return [
        ("projects", ProjectViewSet, "project"),
        ("regions", RegionViewSet, "region"),
        ("organizations", OrganizationViewSet, "organization"),
        ("evidence", EvidenceViewSet, "evidence"),
        ("status-changes", StatusChangeViewSet, "status-change"),
        ("unresolved", UnresolvedViewSet, "unresolved"),
        ("releases", ReleaseViewSet, "release"),
        ("cycles", CycleViewSet, "cycle"),
    ]

