""""About the data" (what the figures mean, where they come from, as of when, how to cite)
and the organisations index — both of the published record only."""

from django.conf import settings
from django.db.models import Count, Q
from django.shortcuts import render

from ratings.models import Cycle
from tracker.models import Organization, Release
from tracker.models.countries import used_country_choices

from .audience import audience_of
from .views import page_of, public_page

#: A search asks for at most this many words (as the projects list does).
MAX_WORDS = 8


@public_page
def about(request):
    release = Release.objects.filter(cycle__is_published=True).select_related("cycle").order_by("-cycle__number").first()
    context = {
        "release": release,
        "cite": release.citation() if release else None,
        "cycles": Cycle.objects.filter(is_published=True).order_by("number"),
        "drop_after": settings.TRACKER_DROP_AFTER_YEARS,
        "stall_after": settings.TRACKER_STALL_AFTER_SILENT_CYCLES,
    }
    return render(request, "tracker/about.html", context)


@public_page
def organization_list(request):
    """Partners with at least one public project: searched by name (Russian or Latin),
    filtered by country, with their number of projects; most projects first."""
    up_to = audience_of(request).up_to
    visible = Q(participations__project__first_number__lte=up_to)
    organizations = Organization.objects.annotate(
        project_count=Count("participations__project", filter=visible, distinct=True)
    ).filter(project_count__gt=0)
    countries = used_country_choices(organizations.values_list("country", flat=True).order_by().distinct())
    text = (request.GET.get("q") or "").strip()[:200]
    for word in text.split()[:MAX_WORDS]:
        organizations = organizations.filter(Q(name__icontains=word) | Q(name_en__icontains=word))
    country = request.GET.get("country") or ""
    if country:
        organizations = organizations.filter(country=country)
    order = request.GET.get("sort", "-projects")
    fields = {"name": ["name"], "projects": ["project_count", "name"], "country": ["country", "name"]}
    key = order.lstrip("-") if order.lstrip("-") in fields else "projects"
    descending = order.startswith("-") if key == order.lstrip("-") else True
    first, *ties = fields[key]
    page = page_of(request, organizations.order_by(f"-{first}" if descending else first, *ties))
    context = {
        "page": page, "q": text, "country": country, "countries": countries,
        "sort": f"-{key}" if descending else key,
    }
    return render(request, "tracker/organization_list.html", context)
