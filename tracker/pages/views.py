"""The researchers' pages: read-only, open to anonymous visitors unless
TRACKER_REQUIRE_LOGIN is on."""

import datetime
import functools

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ratings.models import Cycle, Rating, Region

from tracker.models import Evidence, Organization, Participation, Project, StatusChange
from tracker.spreadsheets.formats import BY_EXTENSION
from tracker.spreadsheets.streaming import csv_chunks
from tracker.spreadsheets.reports import public_projects_dataset, unresolved_dataset
from tracker.status.marks import attach_marks
from tracker.status.unresolved import attach_follow_up, status_projects

from . import charts, downloads, limits, stats, tilemap
from .audience import PUBLIC_VIEW, audience_of
from .cache import cached_page
from .filters import ProjectFilter
from .search import RELEVANCE, SearchPaginator, attach_snippets

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
        refused = limits.too_large(request)
        if refused is not None:
            return refused
        try:
            with limits.query_budget():
                return cached(request, *args, **kwargs)
        except limits.OutOfTime:
            return limits.out_of_time(request)

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


def view_mode(request):
    """An editor switches between the drafts and the public view (kept in the session)."""
    if request.method != "POST":
        return HttpResponse(status=405)
    if audience_of(request).editor:
        request.session[PUBLIC_VIEW] = request.POST.get("mode") == "public"
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    return HttpResponseRedirect(target)


def chosen_cycle(request):
    """The cycle of `?cycle=`, else the latest the reader sees; 404 for one they do not."""
    audience = audience_of(request)
    numeral = request.GET.get("cycle")
    if numeral:
        try:
            cycle = Cycle.objects.by_numeral(numeral)
        except Cycle.DoesNotExist:
            cycle = None
        if not audience.sees(cycle):
            raise Http404(_("There is no cycle “%(cycle)s”.") % {"cycle": numeral})
        return cycle
    cycle = audience.cycles().last()
    if cycle is None:
        raise Http404(_("No cycle has been published yet."))
    return cycle


def export_response(request, rows, build, extension, name):
    """The download of `rows` (a queryset) as built by `build()` (a Dataset): refused with
    a message above TRACKER_PUBLIC_EXPORT_MAX_ROWS rows (the whole record is in the
    releases' files); CSV is streamed, the other formats are written whole."""
    count = rows.count()
    if count > settings.TRACKER_PUBLIC_EXPORT_MAX_ROWS:
        return limits.too_many_rows(request, count)
    dataset = build()
    if downloads.wants_labels(request):
        dataset = downloads.in_words(dataset)
    file_format = BY_EXTENSION[extension]()
    if extension == "csv":
        response = StreamingHttpResponse(csv_chunks(dataset.headers, dataset), content_type=file_format.content_type)
    else:
        response = HttpResponse(file_format.export_data(dataset), content_type=file_format.content_type)
    response["Content-Disposition"] = downloads.content_disposition(downloads.file_name(request, name, extension))
    return response


def page_of(request, queryset):
    return SearchPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def report_page(request, projects, cycle, size=PAGE_SIZE, visible=None):
    """A page of the unresolved report: its ids are picked in report order first (an
    index walk that stops after the page), then the follow-up figures are worked out for
    those rows only (`attach_follow_up`), so a page costs the same with ten or a hundred
    thousand unresolved projects."""
    page = Paginator(projects.unresolved_ordered(cycle).values_list("pk", flat=True), size).get_page(
        request.GET.get("page") if request else 1
    )
    found = status_projects().with_cycle_statuses(cycle).select_related("region", "first_cycle")
    return page, attach_marks(attach_follow_up(in_order(list(page.object_list), found), cycle), cycle.number, visible)


def in_order(ids, queryset):
    """The rows of `queryset` whose ids are `ids`, in that order (one query; none for no ids)."""
    by_id = {row.pk: row for row in queryset.filter(pk__in=ids)} if ids else {}
    return [by_id[pk] for pk in ids]


def list_projects(queryset):
    return queryset.select_related("region", "first_cycle")


def health(request):
    """For load balancers and uptime checks: answers without touching the database."""
    return HttpResponse("ok\n", content_type="text/plain")


@public_page
def overview(request):
    cycle = chosen_cycle(request)
    audience = audience_of(request)
    cycles = list(audience.cycles())
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
    counted = stats.path_counts(audience.projects(Project.objects.all()))  # every status figure below is read from these
    per_cycle = stats.status_counts_per_cycle([c for c in cycles if c.number <= cycle.number], counted=counted)
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
        "status_chart": charts.status_bars(
            [(c.numeral, n) for c, n in per_cycle], _("Projects by status at the end of each cycle"), cycle.numeral
        ),
        "transitions": stats.transitions(cycle, counted=counted),
        "statuses": Project.Status,
        "scatter": charts.score_scatter(scatter, _("Score against follow-through rate, by region"), cycle.numeral),
        "tile_map": tilemap.tile_map(cycle, tilemap.DEFAULT_MEASURE, audience),
    }
    return render(request, "tracker/overview.html", context)


@public_page
def project_list(request):
    audience = audience_of(request)
    filters = ProjectFilter(request.GET, queryset=audience.projects(status_projects()), request=request)
    projects = list_projects(filters.selected)
    extension = request.GET.get("export")
    if extension in EXPORT_FORMATS:
        rows = projects.order_by("reference")
        return export_response(
            request, rows, lambda: public_projects_dataset(rows, audience.up_to), extension, "projects"
        )
    query = filters.search_text
    ranked = "search_rank" in projects.query.annotations
    # Equally relevant projects in the index's own order (their ids): the database then
    # sorts the matches alone and reads only the page's projects (README, "Search").
    order = projects.query.order_by or (RELEVANCE if ranked else ["reference"])
    page = page_of(request, projects.order_by(*order))
    if ranked:  # the page's ids first, sorted alone, then their rows (thousands of matches)
        page.object_list = in_order(list(page.object_list.values_list("pk", flat=True)), list_projects(Project.objects))
    page.object_list = attach_marks(page.object_list, audience.up_to, audience.up_to)
    if query:
        attach_snippets(page.object_list, query, audience.up_to)
    context = {
        "filters": filters, "page": page, "count": page.paginator.count, "export_formats": EXPORT_FORMATS, "query": query,
    }
    return render(request, "tracker/project_list.html", context)


@public_page
def unresolved(request):
    cycle = chosen_cycle(request)
    audience = audience_of(request)
    filters = ProjectFilter(request.GET, queryset=audience.projects(status_projects()), request=request)
    extension = request.GET.get("export")
    if extension in EXPORT_FORMATS:
        rows = status_projects(filters.selected).unresolved_in(cycle)
        build = lambda: unresolved_dataset(cycle, filters.selected, visible=audience.up_to)  # noqa: E731
        return export_response(request, rows, build, extension, f"unresolved-{cycle.numeral}")
    page, rows = report_page(request, filters.selected, cycle, visible=audience.up_to)
    context = {
        "cycle": cycle,
        "cycles": audience.cycles(),
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
    audience = audience_of(request)
    evidence = audience.evidence(Evidence.objects.select_related("cycle", "source"))
    changes = audience.evidence(StatusChange.objects.select_related("cycle", "evidence"))
    queryset = audience.projects(Project.objects.select_related("region", "first_cycle")).prefetch_related(
        Prefetch("evidence", queryset=evidence),
        Prefetch("status_changes", queryset=changes),
        Prefetch("participations", queryset=Participation.objects.select_related("organization")),
    )
    project = get_object_or_404(queryset, reference=reference)
    attach_marks([project], audience.up_to, audience.up_to)
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
    audience = audience_of(request)
    cycles = list(audience.cycles())
    ratings = {r.cycle_id: r for r in Rating.objects.filter(region=region, cycle__number__lte=audience.up_to)}
    shown = [c for c in cycles if c.number <= cycle.number]  # none after the chosen cycle
    scores = [(c.numeral, ratings[c.pk].score if c.pk in ratings else None) for c in shown]
    projects = audience.projects(region.projects.all())
    counted = stats.path_counts(projects)
    launched, earlier = stats.follow_through(cycle, counted=counted)
    now = stats.status_counts(cycles[-1], counted=counted) if cycles else {}
    grouped = {
        status: (now.get(status, 0), list(audience.with_status(projects, status).order_by("reference")[:REGION_LIST]))
        for status in Project.Status
    }
    attach_marks([p for _total, shown in grouped.values() for p in shown], audience.up_to, audience.up_to)
    unresolved_page, unresolved_rows = report_page(
        None, audience.projects(status_projects()).filter(region=region), cycle, REGION_LIST, audience.up_to
    )
    context = {
        "region": region,
        "cycle": cycle,
        "cycles": cycles,
        "rating": ratings.get(cycle.pk),
        "scores": scores,
        "score_chart": charts.score_line(scores, _("Score per cycle"), cycle.numeral),
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
    audience = audience_of(request)
    participations = (
        organization.participations.filter(project__first_number__lte=audience.up_to)
        .select_related("project__region").order_by("project__reference")
    )
    if not participations.exists() and organization.participations.exists():
        raise Http404(_("There is no such organisation."))  # known only from drafts
    page = page_of(request, participations)
    attach_marks([p.project for p in page.object_list], audience.up_to, audience.up_to)
    return render(request, "tracker/organization_detail.html", {"organization": organization, "page": page})


@public_page
def region_list(request):
    cycle = chosen_cycle(request)
    up_to = audience_of(request).up_to
    regions = Region.objects.annotate(
        project_count=Count("projects", filter=Q(projects__first_number__lte=up_to))
    ).order_by("name_ru")
    scores = {r.region_id: r.score for r in Rating.objects.filter(cycle=cycle)}
    rows = [(region, scores.get(region.pk)) for region in regions]
    order = request.GET.get("sort", "region")
    keys = {
        "region": lambda row: row[0].name,
        "iso": lambda row: row[0].iso_code,
        "score": lambda row: (row[1] or 0, row[0].name),
        "projects": lambda row: (row[0].project_count, row[0].name),
    }
    if order.lstrip("-") not in keys:
        order = "region"
    rows.sort(key=keys[order.lstrip("-")], reverse=order.startswith("-"))
    if order.lstrip("-") == "score":  # regions without a score last, whichever the direction
        rows.sort(key=lambda row: row[1] is None)
    return render(request, "tracker/region_list.html", {"rows": rows, "cycle": cycle, "sort": order})
