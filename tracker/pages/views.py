"""The researchers' pages: read-only, open to anonymous visitors unless
TRACKER_REQUIRE_LOGIN is on."""

import datetime
import functools

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ratings.models import Cycle, Rating, Region

from tracker.models import Evidence, Organization, Participation, Project, StatusChange
from tracker.spreadsheets.formats import BY_EXTENSION
from tracker.spreadsheets.reports import public_projects_dataset, unresolved_dataset
from tracker.status.marks import attach_marks
from tracker.status.unresolved import attach_follow_up, status_projects

from . import charts, stats
from .cache import cached_page
from .filters import ProjectFilter

PAGE_SIZE = 50
#: Projects listed per status (and unresolved) on a region's page; the rest are a link away.
REGION_LIST = 25
EXPORT_FORMATS = ("csv", "xlsx", "json")


def public_page(view):
    cached = cached_page(view)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if settings.TRACKER_REQUIRE_LOGIN and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return cached(request, *args, **kwargs)

    return wrapper


def language(request, code):
    """Switch the interface language with a plain link (pages are cached whole, so they
    carry no per-visitor form token) and go back where the visitor was."""
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


def chosen_cycle(request):
    numeral = request.GET.get("cycle")
    if numeral:
        try:
            return Cycle.objects.by_numeral(numeral)
        except Cycle.DoesNotExist:
            raise Http404(_("There is no cycle “%(cycle)s”.") % {"cycle": numeral}) from None
    cycle = stats.latest_cycle()
    if cycle is None:
        raise Http404(_("No cycle has been recorded yet."))
    return cycle


def export_response(dataset, extension, name):
    file_format = BY_EXTENSION[extension]()
    response = HttpResponse(file_format.export_data(dataset), content_type=file_format.content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


def page_of(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def report_page(request, projects, cycle, size=PAGE_SIZE):
    """A page of the unresolved report: its ids are picked in report order first (an
    index walk that stops after the page), then the follow-up figures are worked out for
    those rows only (`attach_follow_up`), so a page costs the same with ten or a hundred
    thousand unresolved projects."""
    page = Paginator(projects.unresolved_ordered(cycle).values_list("pk", flat=True), size).get_page(
        request.GET.get("page") if request else 1
    )
    ids = list(page.object_list)
    found = status_projects().filter(pk__in=ids).with_cycle_statuses(cycle).select_related("region", "first_cycle")
    by_id = {p.pk: p for p in found} if ids else {}
    return page, attach_marks(attach_follow_up([by_id[pk] for pk in ids], cycle), cycle)


def list_projects(queryset):
    return queryset.select_related("region", "first_cycle")


def health(request):
    """For load balancers and uptime checks: answers without touching the database."""
    return HttpResponse("ok\n", content_type="text/plain")


@public_page
def overview(request):
    cycle = chosen_cycle(request)
    cycles = list(Cycle.objects.order_by("number"))
    ratings = list(stats.rating_table(cycle))
    for r in ratings:
        r.change = None if r.previous_score is None else r.score - r.previous_score
    order = request.GET.get("sort", "-score")
    keys = {
        "region": lambda r: r.region.name,
        "score": lambda r: (r.score, r.region.name),
        "previous": lambda r: (r.previous_score or 0, r.region.name),
        "change": lambda r: (r.change or 0, r.region.name),
        "tier": lambda r: (r.score, r.region.name),
    }
    key = keys.get(order.lstrip("-"), keys["score"])
    ratings.sort(key=key, reverse=order.startswith("-"))
    counted = stats.path_counts()  # every status figure below is read from these
    per_cycle = stats.status_counts_per_cycle(cycles, counted=counted)
    follow = stats.follow_through_by_region(cycle)
    scatter = [
        (
            follow[r.region_id][0] / follow[r.region_id][1] if follow.get(r.region_id, (0, 0))[1] else None,
            r.score,
            r.region.name,
            r.region.get_absolute_url(),
        )
        for r in ratings
    ]
    context = {
        "cycle": cycle,
        "cycles": cycles,
        "counts": stats.status_counts(cycle, counted=counted),
        "summary": stats.resolution_summary(cycle, counted=counted),
        "ratings": ratings,
        "sort": order,
        "status_chart": charts.status_bars([(c.numeral, n) for c, n in per_cycle], _("Projects by status at the end of each cycle")),
        "transitions": stats.transitions(cycle, counted=counted),
        "statuses": Project.Status,
        "scatter": charts.score_scatter(scatter, _("Score against follow-through rate, by region")),
    }
    return render(request, "tracker/overview.html", context)


@public_page
def project_list(request):
    queryset = status_projects()
    filters = ProjectFilter(request.GET, queryset=queryset)
    projects = list_projects(filters.qs)
    extension = request.GET.get("export")
    if extension in EXPORT_FORMATS:
        return export_response(public_projects_dataset(projects.order_by("reference")), extension, "projects")
    page = page_of(request, projects.order_by(*(projects.query.order_by or ["reference"])))
    page.object_list = attach_marks(page.object_list)
    context = {"filters": filters, "page": page, "count": page.paginator.count, "export_formats": EXPORT_FORMATS}
    return render(request, "tracker/project_list.html", context)


@public_page
def unresolved(request):
    cycle = chosen_cycle(request)
    filters = ProjectFilter(request.GET, queryset=status_projects())
    extension = request.GET.get("export")
    if extension in EXPORT_FORMATS:
        return export_response(unresolved_dataset(cycle, filters.qs), extension, f"unresolved-{cycle.numeral}")
    page, rows = report_page(request, filters.qs, cycle)
    context = {
        "cycle": cycle,
        "cycles": Cycle.objects.order_by("number"),
        "filters": filters,
        "page": page,
        "rows": rows,
        "count": page.paginator.count,
        "export_formats": EXPORT_FORMATS,
    }
    return render(request, "tracker/unresolved.html", context)


def timeline(project):
    """Evidence and status changes merged by cycle and date, undated entries last in their
    cycle; a change that cites evidence comes right after it."""

    def place(cycle, day):
        return (cycle.number, day is None, day or datetime.date.min)

    evidence = {e.pk: e for e in project.evidence.all()}
    entries = [(place(e.cycle, e.occurred_on) + (0, e.pk), "evidence", e) for e in evidence.values()]
    for change in project.status_changes.all():
        cited = evidence.get(change.evidence_id)
        if change.is_initial:
            key = (change.cycle.number, False, datetime.date.min, -1, change.pk)
        elif cited and cited.cycle_id == change.cycle_id and change.effective_on is None:
            key = place(cited.cycle, cited.occurred_on) + (1, cited.pk, change.pk)
        else:
            key = place(change.cycle, change.effective_on) + (1, change.pk)
        entries.append((key, "status", change))
    entries.sort(key=lambda entry: entry[0])
    return [(kind, item) for _key, kind, item in entries]


@public_page
def project_detail(request, reference):
    evidence = Evidence.objects.select_related("cycle", "source")
    changes = StatusChange.objects.select_related("cycle", "evidence")
    queryset = Project.objects.select_related("region", "first_cycle").prefetch_related(
        Prefetch("evidence", queryset=evidence),
        Prefetch("status_changes", queryset=changes),
        Prefetch("participations", queryset=Participation.objects.select_related("organization")),
    )
    project = get_object_or_404(queryset, reference=reference)
    attach_marks([project])
    context = {"project": project, "timeline": timeline(project), "dispute": dispute(project)}
    return render(request, "tracker/project_detail.html", context)


def dispute(project):
    """The claims and the denials of a disputed project, side by side: (claims,
    contradictions), each evidence with its source and attribution."""
    evidence = list(project.evidence.all())
    contradictions = [e for e in evidence if e.kind == Evidence.Kind.CONTRADICTION]
    if not contradictions:
        return None
    claims = [e for e in evidence if e.kind != Evidence.Kind.CONTRADICTION]
    return claims, contradictions


@public_page
def region_detail(request, slug):
    region = get_object_or_404(Region, slug=slug)
    cycle = chosen_cycle(request)
    cycles = list(Cycle.objects.order_by("number"))
    ratings = {r.cycle_id: r for r in Rating.objects.filter(region=region)}
    scores = [(c.numeral, ratings[c.pk].score if c.pk in ratings else None) for c in cycles]
    counted = stats.path_counts(region.projects.all())
    launched, earlier = stats.follow_through(cycle, counted=counted)
    now = dict(region.projects.order_by().values_list("status").annotate(n=Count("id")))
    grouped = {
        status: (now.get(status, 0), list(region.projects.filter(status=status).order_by("reference")[:REGION_LIST]))
        for status in Project.Status
    }
    attach_marks([p for _total, projects in grouped.values() for p in projects])
    unresolved_page, unresolved_rows = report_page(None, status_projects().filter(region=region), cycle, REGION_LIST)
    context = {
        "region": region,
        "cycle": cycle,
        "cycles": cycles,
        "rating": ratings.get(cycle.pk),
        "scores": scores,
        "score_chart": charts.score_line(scores, _("Score per cycle")),
        "counts": stats.status_counts(cycle, counted=counted),
        "follow_through": (launched, earlier),
        "rate": round(100 * launched / earlier) if earlier else None,
        "grouped": grouped,
        "unresolved": unresolved_rows,
        "unresolved_count": unresolved_page.paginator.count,
        "shown": REGION_LIST,
    }
    return render(request, "tracker/region_detail.html", context)


@public_page
def organization_detail(request, pk):
    organization = get_object_or_404(Organization, pk=pk)
    participations = (
        organization.participations.select_related("project__region").order_by("project__reference")
    )
    page = page_of(request, participations)
    attach_marks([p.project for p in page.object_list])
    return render(request, "tracker/organization_detail.html", {"organization": organization, "page": page})


@public_page
def region_list(request):
    cycle = chosen_cycle(request)
    regions = Region.objects.annotate(project_count=Count("projects")).order_by("name_ru")
    scores = {r.region_id: r.score for r in Rating.objects.filter(cycle=cycle)}
    rows = [(region, scores.get(region.pk)) for region in regions]
    return render(request, "tracker/region_list.html", {"rows": rows, "cycle": cycle})
