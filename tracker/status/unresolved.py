"""The core computation: which earlier unfinished announcements remained unresolved.

Definitions (docs/domain.md "Unresolved"), for a cycle C ordered by number:

- status at the end of C: the status of the project's latest status change whose cycle is
  C or earlier — latest by cycle number, then later effective date (a change without a date
  counts from the start of its cycle), then later record.
- earlier news: projects first reported in a cycle before C.
- unfinished at the start of C: earlier news whose status at the end of C−1 is announced or
  stalled.
- remained unresolved in C: unfinished at the start of C and still unfinished at the end of C.
- resolved in C: unfinished at the start of C, launched or dropped at the end of C.

Statuses at the end of a cycle are read from `Project.status_path` (tracker/status/letters.py): one
letter per cycle, derived from the history and rewritten whenever it changes. Every method
adds expressions to one SQL statement, so a report costs one query whatever the number of
projects, reads no other table, and gives the same answer on SQLite and PostgreSQL.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, F, Max, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Substr

from ratings.models import Cycle
from tracker.models import Evidence, Project, StatusChange
from tracker.models.projects import ProjectQuerySet

from . import letters as paths
from .silence import cutoff_for, suggested_status, suggested_status_expression


def _changes_up_to(number, *, inclusive):
    changes = StatusChange.objects.filter(project=OuterRef("pk"))
    if inclusive:
        changes = changes.filter(cycle__number__lte=number)
    else:
        changes = changes.filter(cycle__number__lt=number)
    return changes.order_by(*StatusChange.latest_first())


def history_status_at_end_of(cycle):
    """Expression: the status at the end of `cycle` read from the status history itself
    (a correlated subquery per project). The definition that `status_path` stores; used
    to check the stored paths (`manage.py sync_status_paths --check`), not by pages."""
    return Subquery(_changes_up_to(cycle.number, inclusive=True).values("status")[:1])


def letter_at(number):
    """Expression: the letter of `status_path` for the end of cycle `number` ('' if none)."""
    if number < 1:
        return Value("")
    return Substr("status_path", number, 1)


class LettersMatch(models.Func):
    """True when `status_path` has one of `starts` for the end of the cycle before cycle
    `number` and one of `ends` for the end of cycle `number`: a GLOB on SQLite and a
    regular expression on PostgreSQL, each cheaper than cutting the string apart."""

    output_field = models.BooleanField()

    def __init__(self, number, starts, ends):
        self.number, self.starts, self.ends = number, "".join(starts), "".join(ends)
        super().__init__(F("status_path"))

    def as_sql(self, compiler, connection, **extra_context):
        lhs, params = compiler.compile(self.source_expressions[0])
        pairs = [a + b for a in self.starts for b in self.ends]
        marks = ", ".join(["%s"] * len(pairs))
        return f"(SUBSTRING({lhs}, %s, 2) IN ({marks}))", [*params, self.number - 1, *pairs]

    def as_sqlite(self, compiler, connection, **extra_context):
        lhs, params = compiler.compile(self.source_expressions[0])
        pattern = "?" * (self.number - 2) + f"[{self.starts}][{self.ends}]*"
        return f"({lhs} GLOB %s)", [*params, pattern]

    def as_postgresql(self, compiler, connection, **extra_context):
        lhs, params = compiler.compile(self.source_expressions[0])
        return f"({lhs} ~ %s)", [*params, f"^.{{{self.number - 2}}}[{self.starts}][{self.ends}]"]


def status_from_letter(letter):
    return Case(
        *[When(**{letter: code}, then=Value(status)) for code, status in paths.STATUSES.items()],
        default=Value(None),
        output_field=models.CharField(),
    )


class StatusQuerySet(ProjectQuerySet):
    """Projects read by their statuses at the end of cycles: the core computation."""

    def _with_letters(self, *numbers):
        """Alias `_end_<n>`: the path letter for the end of cycle n (not selected)."""
        qs = self
        for number in numbers:
            name = f"_end_{number}"
            if name not in qs.query.annotations:
                qs = qs.alias(**{name: letter_at(number)})
        return qs

    def with_status_at_end(self, cycle):
        """Annotate `status_at_end`: the status at the end of `cycle`."""
        if "status_at_end" in self.query.annotations:
            return self
        qs = self._with_letters(cycle.number)
        return qs.annotate(status_at_end=status_from_letter(f"_end_{cycle.number}"))

    def with_cycle_statuses(self, cycle):
        """Annotate `status_at_start` (end of the cycle before) and `status_at_end` for `cycle`."""
        qs = self.with_status_at_end(cycle)
        if "status_at_start" not in qs.query.annotations:
            qs = qs._with_letters(cycle.number - 1)
            qs = qs.annotate(status_at_start=status_from_letter(f"_end_{cycle.number - 1}"))
        return qs

    def _moved(self, cycle, ends):
        """Earlier news unfinished at the start of `cycle` whose status at its end is one of
        `ends` (path letters). The letter of a cycle before the first is `-`, so the letters
        alone also say "first reported before `cycle`"; one two-letter test per project."""
        if cycle.number < 2:
            return self.none()
        return self.with_cycle_statuses(cycle).filter(LettersMatch(cycle.number, paths.UNFINISHED_CODES, ends))

    def unfinished_at_start_of(self, cycle):
        """Earlier news announced or stalled at the end of the cycle before `cycle`."""
        return self._moved(cycle, list(paths.CODES.values()))

    def unresolved_in(self, cycle):
        """Earlier news unfinished at the start of `cycle` and still unfinished at its end."""
        return self._moved(cycle, paths.UNFINISHED_CODES)

    def resolved_in(self, cycle):
        """Earlier news unfinished at the start of `cycle`, launched or dropped by its end."""
        return self._moved(cycle, paths.RESOLVED_CODES)

    def with_follow_up(self, cycle, *, stall_after=None, drop_after_years=None):
        """Annotate what an editor needs to follow a project up in `cycle`.

        - `age`: cycles since the project was first reported (C − first cycle).
        - `last_evidence_on`: date of its latest dated evidence recorded in C or earlier.
        - `silent`: C brought no evidence at all.
        - `silent_cycles`: cycles up to C without evidence since its latest evidence (or
          since its first cycle when it has none).
        - `last_progress_on`: date of the latest `result` evidence, else the announcement
          date, else the earliest evidence date.
        - `suggested_status`: the silence policy — dropped when `last_progress_on` is more
          than TRACKER_DROP_AFTER_YEARS before the end of C; stalled after
          TRACKER_STALL_AFTER_SILENT_CYCLES silent cycles; otherwise the status at the end
          of C. A suggestion; it never changes data.
        """
        stall_after = stall_after or settings.TRACKER_STALL_AFTER_SILENT_CYCLES
        cutoff = cutoff_for(cycle, drop_after_years)
        # Cycles by id, so that the subqueries below read evidence_project_cycle_idx alone.
        numbers = dict(Cycle.objects.filter(number__lte=cycle.number).values_list("pk", "number"))
        evidence = Evidence.objects.filter(project=OuterRef("pk"), cycle_id__in=list(numbers))
        dated = evidence.filter(occurred_on__isnull=False)
        evidence_cycle_number = Case(
            *[When(cycle_id=pk, then=Value(number)) for pk, number in numbers.items()],
            default=Value(0),
            output_field=models.IntegerField(),
        )
        qs = self.with_status_at_end(cycle)
        qs = qs.annotate(
            age=Value(cycle.number) - F("first_number"),
            last_evidence_on=Subquery(dated.order_by("-occurred_on").values("occurred_on")[:1]),
            silent=~Exists(Evidence.objects.filter(project=OuterRef("pk"), cycle=cycle)),
            silent_cycles=Value(cycle.number)
            - Coalesce(
                Subquery(evidence.annotate(n=evidence_cycle_number).order_by("-n").values("n")[:1]),
                F("first_number"),
                output_field=models.IntegerField(),
            ),
            last_progress_on=Coalesce(
                Subquery(
                    dated.filter(kind=Evidence.Kind.RESULT)
                    .order_by("-occurred_on")
                    .values("occurred_on")[:1]
                ),
                F("announced_on"),
                Subquery(dated.order_by("occurred_on").values("occurred_on")[:1]),
            ),
        )
        return qs.annotate(suggested_status=suggested_status_expression(cutoff, stall_after))

    # Oldest first (the lowest first cycle), then largest, then by reference; served by
    # project_report_order_idx.
    REPORT_ORDER = ("first_number", F("amount").desc(nulls_last=True), "reference")

    def unresolved_ordered(self, cycle):
        """The unresolved projects of `cycle` in report order (oldest, then largest first),
        without the follow-up figures: what a page needs to pick its rows."""
        qs = self.unresolved_in(cycle).annotate(age=Value(cycle.number) - F("first_number"))
        return qs.order_by(*self.REPORT_ORDER)

    def unresolved_report(self, cycle):
        """The unresolved list for `cycle`, with follow-up figures, oldest and largest first."""
        qs = self.unresolved_in(cycle).with_follow_up(cycle)
        qs = qs.select_related("region", "first_cycle")
        return qs.order_by(*self.REPORT_ORDER)


def status_projects(queryset=None):
    """`queryset` (default: every project) as a StatusQuerySet, whose methods chain:
    `status_projects().first_reported_before(cycle).unresolved_in(cycle)`."""
    queryset = Project.objects.all() if queryset is None else queryset
    return StatusQuerySet(model=Project, query=queryset.query.chain(), using=queryset.db)


def attach_follow_up(projects, cycle):
    """Set on each of `projects` (a short list, such as one page, annotated with
    `status_at_end`) the figures `with_follow_up` annotates, from one grouped query over
    their evidence. Building `with_follow_up`'s SQL costs more than running it for a
    page, so pages use this."""
    stall_after = settings.TRACKER_STALL_AFTER_SILENT_CYCLES
    cutoff = cutoff_for(cycle)
    numbers = dict(Cycle.objects.filter(number__lte=cycle.number).values_list("pk", "number"))
    rows = (
        Evidence.objects.filter(project_id__in=[p.pk for p in projects], cycle_id__in=list(numbers))
        .order_by()
        .values("project_id", "cycle_id")
        .annotate(
            last_on=Max("occurred_on"),
            first_on=Min("occurred_on"),
            last_result_on=Max("occurred_on", filter=Q(kind=Evidence.Kind.RESULT)),
        )
    )
    figures = {}
    for row in rows:
        found = figures.setdefault(row["project_id"], _no_figures())
        found["cycles"].add(numbers[row["cycle_id"]])
        for key, pick in (("last_on", max), ("first_on", min), ("last_result_on", max)):
            if row[key] is not None:
                found[key] = row[key] if found[key] is None else pick(found[key], row[key])
    for project in projects:
        found = figures.get(project.pk) or _no_figures()
        project.age = cycle.number - project.first_number
        project.last_evidence_on = found["last_on"]
        project.silent = cycle.number not in found["cycles"]
        project.silent_cycles = cycle.number - max(found["cycles"], default=project.first_number)
        project.last_progress_on = found["last_result_on"] or project.announced_on or found["first_on"]
        project.suggested_status = suggested_status(
            project.status_at_end, project.last_progress_on, project.silent_cycles, cutoff, stall_after
        )
    return projects


def _no_figures():
    return {"last_on": None, "first_on": None, "last_result_on": None, "cycles": set()}
