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


def contradicted():
    """Expression: the project's record holds contradiction evidence."""
    return Exists(Evidence.objects.filter(project=OuterRef("pk"), kind=Evidence.Kind.CONTRADICTION))


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


def attach_marks(projects, cycle=None):
    """Set on each of `projects` (a page of rows): `basis_now` — the basis of its status at
    the end of `cycle` (None: now); `news_since` — for a status inferred from silence, the
    date (or, undated, the cycle numeral) of the latest news that was not itself a
    follow-up; `disputed` — its record holds contradiction evidence. One query."""
    projects = list(projects)
    ids = [p.pk for p in projects]
    if not ids:
        return projects
    numbers = None if cycle is None else cycle.number
    # News up to the cycle shown; a contradiction anywhere in the record (as the filter
    # and the exports read it).
    news = ~Q(kind=Evidence.Kind.FOLLOW_UP) & (Q(cycle__number__lte=numbers) if numbers else Q())
    rows = (
        Evidence.objects.filter(project_id__in=ids)
        .order_by()
        .values("project_id")
        .annotate(
            last_news_on=Max("occurred_on", filter=news),
            last_news_cycle=Max("cycle__number", filter=news),
            contradictions=models.Count("pk", filter=Q(kind=Evidence.Kind.CONTRADICTION)),
        )
    )
    found = {row["project_id"]: row for row in rows}
    for project in projects:
        row = found.get(project.pk, {})
        project.basis_now = basis_from_path(project.basis_path, numbers)
        project.disputed = bool(row.get("contradictions"))
        project.news_since = None
        if project.basis_now == StatusChange.Basis.INFERRED:
            project.news_since = row.get("last_news_on") or _numeral(row.get("last_news_cycle"))
    return projects


def _numeral(number):
    return to_roman(number) if number else None
