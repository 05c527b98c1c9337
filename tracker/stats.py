"""Figures for the researchers' pages: each a fixed number of queries."""

from django.db.models import Count, OuterRef, Q, Subquery

from ratings.models import Cycle, Rating

from .models import Project

STATUSES = [s.value for s in Project.Status]


def status_counts(cycle, projects=None):
    """{status: count} at the end of `cycle`, of projects first reported up to it."""
    projects = Project.objects.all() if projects is None else projects
    qs = projects.filter(first_cycle__number__lte=cycle.number).with_status_at_end(cycle)
    counted = dict(qs.order_by().values_list("status_at_end").annotate(n=Count("id")))
    return {status: counted.get(status, 0) for status in STATUSES}


def status_counts_per_cycle(cycles, projects=None):
    return [(cycle, status_counts(cycle, projects)) for cycle in cycles]


def transitions(cycle, projects=None):
    """Matrix {status at the start: {status at the end: count}} for projects reported
    before `cycle` (the flow of statuses from the previous cycle into this one)."""
    projects = Project.objects.all() if projects is None else projects
    qs = projects.first_reported_before(cycle).with_cycle_statuses(cycle)
    rows = qs.order_by().values_list("status_at_start", "status_at_end").annotate(n=Count("id"))
    matrix = {a: {b: 0 for b in STATUSES} for a in STATUSES}
    for start, end, n in rows:
        matrix[start][end] = n
    return matrix


def follow_through(cycle, projects=None):
    """(launched, earlier news) of projects first reported before `cycle`, by the end of it."""
    projects = Project.objects.all() if projects is None else projects
    qs = projects.first_reported_before(cycle).with_status_at_end(cycle)
    totals = qs.aggregate(
        earlier=Count("id"), launched=Count("id", filter=Q(status_at_end=Project.Status.LAUNCHED))
    )
    return totals["launched"], totals["earlier"]


def follow_through_by_region(cycle):
    """{region id: (launched, earlier news)} in one query."""
    qs = Project.objects.first_reported_before(cycle).with_status_at_end(cycle)
    rows = qs.order_by().values("region").annotate(
        earlier=Count("id"), launched=Count("id", filter=Q(status_at_end=Project.Status.LAUNCHED))
    )
    return {row["region"]: (row["launched"], row["earlier"]) for row in rows}


def rating_table(cycle):
    """Ratings of `cycle` with the previous cycle's score (None where there is none)."""
    previous = Rating.objects.filter(region=OuterRef("region"), cycle__number=cycle.number - 1)
    qs = Rating.objects.filter(cycle=cycle).select_related("region")
    return qs.annotate(previous_score=Subquery(previous.values("score")[:1]))


def resolution_summary(cycle):
    """Earlier unfinished announcements at the start of `cycle`: resolved vs carried over."""
    unfinished = Project.objects.unfinished_at_start_of(cycle)
    totals = unfinished.aggregate(
        unfinished=Count("id"),
        resolved=Count("id", filter=Q(status_at_end__in=Project.RESOLVED)),
    )
    totals["carried_over"] = totals["unfinished"] - totals["resolved"]
    return totals


def latest_cycle():
    return Cycle.objects.latest_published() or Cycle.objects.order_by("-number").first()


def region_cycle_facts(region, cycle):
    """What a region's projects showed in one cycle, for setting its score: evidence by
    kind (results against efforts), projects launched/stalled/dropped in the cycle, and
    how many earlier announcements remained unresolved."""
    from .models import Evidence, StatusChange

    evidence = dict(
        Evidence.objects.filter(project__region=region, cycle=cycle)
        .order_by().values_list("kind").annotate(n=Count("id"))
    )
    changes = dict(
        StatusChange.objects.filter(project__region=region, cycle=cycle, is_initial=False)
        .order_by().values_list("status").annotate(n=Count("project", distinct=True))
    )
    return {
        "evidence": {kind.value: evidence.get(kind.value, 0) for kind in Evidence.Kind},
        "launched": changes.get(Project.Status.LAUNCHED, 0),
        "stalled": changes.get(Project.Status.STALLED, 0),
        "dropped": changes.get(Project.Status.DROPPED, 0),
        "unresolved": Project.objects.filter(region=region).unresolved_in(cycle).count(),
        "first_reported": Project.objects.filter(region=region, first_cycle=cycle).count(),
    }
