"""Figures for the researchers' pages: each a fixed number of queries.

Status figures count projects by their status path (tracker/status/letters.py): one grouped query
over an index gives the statuses of every cycle."""

from django.db.models import Count, OuterRef, Q, Subquery

from ratings.models import Cycle, Rating

from tracker.models import Evidence, Project, StatusChange
from tracker.status import letters as paths
from tracker.status.unresolved import letter_at, status_projects

STATUSES = [s.value for s in Project.Status]


def path_counts(projects=None):
    """[(status_path, number of projects)]: every per-cycle figure below is read from
    these in Python, so the figures of all cycles together cost one grouped query."""
    projects = Project.objects.all() if projects is None else projects
    return list(projects.order_by().values_list("status_path").annotate(n=Count("id")))


def _letters(counted, number):
    for path, n in counted:
        yield paths.letter_at(path, number - 1), paths.letter_at(path, number), n


def status_counts(cycle, projects=None, counted=None):
    """{status: count} at the end of `cycle`, of projects first reported up to it."""
    counted = path_counts(projects) if counted is None else counted
    result = dict.fromkeys(STATUSES, 0)
    for _start, end, n in _letters(counted, cycle.number):
        if end in paths.STATUSES:
            result[paths.STATUSES[end]] += n
    return result


def status_counts_per_cycle(cycles, projects=None, counted=None):
    counted = path_counts(projects) if counted is None else counted
    return [(cycle, status_counts(cycle, counted=counted)) for cycle in cycles]


def transitions(cycle, projects=None, counted=None):
    """Matrix {status at the start: {status at the end: count}} for projects reported
    before `cycle` (the flow of statuses from the previous cycle into this one)."""
    counted = path_counts(projects) if counted is None else counted
    matrix = {a: dict.fromkeys(STATUSES, 0) for a in STATUSES}
    for start, end, n in _letters(counted, cycle.number):
        if start in paths.STATUSES and end in paths.STATUSES:
            matrix[paths.STATUSES[start]][paths.STATUSES[end]] += n
    return matrix


def follow_through(cycle, projects=None, counted=None):
    """(launched, earlier news) of projects first reported before `cycle`, by the end of it."""
    counted = path_counts(projects) if counted is None else counted
    launched = earlier = 0
    for start, end, n in _letters(counted, cycle.number):
        if start in paths.STATUSES:
            earlier += n
            launched += n if end == paths.CODES[Project.Status.LAUNCHED] else 0
    return launched, earlier


def follow_through_by_region(cycle):
    """{region id: (launched, earlier news)} in one query (counted in SQL: regions times
    paths would be too many groups to bring back)."""
    earlier = Q(_start__in=list(paths.STATUSES))
    qs = (
        Project.objects.order_by()
        .alias(_start=letter_at(cycle.number - 1), _end=letter_at(cycle.number))
        .values("region")
        .annotate(
            earlier=Count("id", filter=earlier),
            launched=Count("id", filter=earlier & Q(_end=paths.CODES[Project.Status.LAUNCHED])),
        )
    )
    return {row["region"]: (row["launched"], row["earlier"]) for row in qs if row["earlier"]}


def rating_table(cycle):
    """Ratings of `cycle` with the previous cycle's score (None where there is none)."""
    previous = Rating.objects.filter(region=OuterRef("region"), cycle__number=cycle.number - 1)
    qs = Rating.objects.filter(cycle=cycle).select_related("region")
    return qs.annotate(previous_score=Subquery(previous.values("score")[:1]))


def resolution_summary(cycle, counted=None):
    """Earlier unfinished announcements at the start of `cycle`: resolved vs carried over."""
    counted = path_counts() if counted is None else counted
    totals = {"unfinished": 0, "resolved": 0}
    for start, end, n in _letters(counted, cycle.number):
        if start in paths.UNFINISHED_CODES:
            totals["unfinished"] += n
            totals["resolved"] += n if end in paths.RESOLVED_CODES else 0
    totals["carried_over"] = totals["unfinished"] - totals["resolved"]
    return totals


def latest_cycle():
    return Cycle.objects.latest_published() or Cycle.objects.order_by("-number").first()


def region_cycle_facts(region, cycle):
    """What a region's projects showed in one cycle, for setting its score: evidence by
    kind (results against efforts), projects launched/stalled/dropped in the cycle, and
    how many earlier announcements remained unresolved."""

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
        "unresolved": status_projects().filter(region=region).unresolved_in(cycle).count(),
        "first_reported": Project.objects.filter(region=region, first_cycle=cycle).count(),
    }
