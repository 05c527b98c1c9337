"""What stands next to a status on every public page (docs/domain.md "Basis", "Disputed"):
how it is known, since when nothing was heard when it is inferred from silence, and
whether the record holds a contradiction.

Lists attach the marks to the rows they show, from one grouped query over those rows'
evidence (`attach_marks`); filters use the SQL expressions below.
"""

from django.db import models
from django.db.models import Exists, Max, OuterRef, Q, Value
from django.db.models.functions import Right, Substr

from ratings.numerals import to_roman
from tracker.models import Evidence, StatusChange
from tracker.models.projects import BASIS_LETTERS

from . import letters


def contradicted(up_to=None):
    """Expression: the project's record (up to cycle `up_to`, None: all) holds
    contradiction evidence."""
    evidence = Evidence.objects.filter(project=OuterRef("pk"), kind=Evidence.Kind.CONTRADICTION)
    if up_to is not None:
        evidence = evidence.filter(cycle__number__lte=up_to)
    return Exists(evidence)


def basis_letter(number=None):
    """Expression: the basis letter for the end of cycle `number` (None: now)."""
    if number is None:
        return Right("basis_path", 1)
    if number < 1:
        return Value("")
    return Substr("basis_path", number, 1)


def with_basis(queryset, basis, number=None):
    """`queryset` narrowed to projects whose status at the end of cycle `number` (None:
    now) has `basis`."""
    return queryset.alias(_basis_letter=basis_letter(number)).filter(_basis_letter=BASIS_LETTERS[basis])


def basis_from_path(path, number=None):
    letter = path[-1:] if number is None else (path[number - 1:number] if number >= 1 else "")
    return {code: basis for basis, code in BASIS_LETTERS.items()}.get(letter)


def attach_marks(projects, number=None, visible=None):
    """Set on each of `projects` (a page of rows), for the end of cycle `number` (None:
    now): `status` and `basis_now` — its status there and how it is known; `news_since` —
    for a status inferred from silence, the date (or, undated, the cycle numeral) of the
    latest news that was not itself a follow-up; `disputed` — the record up to cycle
    `visible` (None: all of it) holds contradiction evidence. One query."""
    projects = list(projects)
    ids = [p.pk for p in projects]
    if not ids:
        return projects
    news = ~Q(kind=Evidence.Kind.FOLLOW_UP) & (Q(cycle__number__lte=number) if number else Q())
    seen = Q(cycle__number__lte=visible) if visible is not None else Q()
    rows = (
        Evidence.objects.filter(project_id__in=ids)
        .order_by()
        .values("project_id")
        .annotate(
            last_news_on=Max("occurred_on", filter=news),
            last_news_cycle=Max("cycle__number", filter=news),
            contradictions=models.Count("pk", filter=Q(kind=Evidence.Kind.CONTRADICTION) & seen),
        )
    )
    found = {row["project_id"]: row for row in rows}
    for project in projects:
        row = found.get(project.pk, {})
        if number is not None:
            project.status = letters.STATUSES.get(letters.letter_at(project.status_path, number), project.status)
        project.basis_now = basis_from_path(project.basis_path, number)
        project.disputed = bool(row.get("contradictions"))
        project.news_since = None
        if project.basis_now == StatusChange.Basis.INFERRED:
            project.news_since = row.get("last_news_on") or _numeral(row.get("last_news_cycle"))
    return projects


def _numeral(number):
    return to_roman(number) if number else None
