"""The status history operations: the one place where a project's statuses change.

Every door — admin forms and inlines, the worklist, spreadsheet imports (row by row and
the bulk path), commands, synthetic data — goes through these functions, so that:

- a new project always has its initial `announced` change in its first-reported cycle;
- status changes are appended, never edited, and each append reaches the audit trail;
- `Project.status`, `status_path` and `first_number` stay in step with the history
  (docs/domain.md "Status history"), in the same transaction as the change;
- a published cycle stays locked (ratings/locks.py): a project whose first cycle is set
  or corrected puts its initial change into that cycle and takes it out of the old one.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Concat, Length, Right

from audit.context import current_source, current_user
from audit.models import AuditEntry
from ratings.locks import lock_message
from ratings.models import Cycle
from tracker.models import Project, StatusChange
from tracker.models.data_version import bump

from . import letters

FIRST_REPORTED_NOTE = "First reported."
FIRST_REPORTED_NOTE_RU = "Впервые упомянут."


def path_length():
    """How long status paths are: the highest cycle number."""
    return Cycle.objects.order_by("-number").values_list("number", flat=True).first() or 1


# -- new projects ------------------------------------------------------------------------


def prepare_new(project, length):
    """Set the derived fields of a project about to be inserted: announced from its
    first-reported cycle on (`length`: `path_length()`, read once per batch)."""
    number = project.first_cycle.number
    project.status = Project.Status.ANNOUNCED
    project.status_path = letters.initial_path(number, length)
    project.basis_path = letters.initial_basis_path(number, length)
    project.first_number = number


def initial_change(project):
    """The initial `announced` change of a new project (not saved)."""
    return StatusChange(
        project=project,
        cycle_id=project.first_cycle_id,
        status=Project.Status.ANNOUNCED,
        basis=StatusChange.Basis.STATED,
        public_note_ru=FIRST_REPORTED_NOTE_RU,
        public_note_en=FIRST_REPORTED_NOTE,
        is_initial=True,
    )


def first_cycle_lock(first_cycle_id, stored_first_cycle_id, locked):
    """The cycle of `locked` ({id: cycle}, `Cycle.objects.locked_for`) that giving a
    project the first cycle `first_cycle_id` would change, or None. A new project
    (`stored_first_cycle_id` None) records its initial change in its first cycle; a
    corrected first cycle moves that change from the old cycle to the new one."""
    if first_cycle_id == stored_first_cycle_id:
        return None
    touched = sorted({first_cycle_id, stored_first_cycle_id} & locked.keys())
    return locked[touched[0]] if touched else None


def ensure_first_cycle_unlocked(first_cycle_id, stored_first_cycle_id=None):
    """Refuse (ValidationError on `first_cycle`, the lock's message) a first cycle that
    would change a cycle locked for the acting user — every door asks this."""
    cycle = first_cycle_lock(first_cycle_id, stored_first_cycle_id, Cycle.objects.locked_for(current_user()))
    if cycle is not None:
        raise ValidationError({"first_cycle": lock_message(cycle)})


@transaction.atomic
def create_project(project):
    """Insert a new project with its initial `announced` change."""
    ensure_first_cycle_unlocked(project.first_cycle_id)
    prepare_new(project, path_length())
    project.save()
    initial_change(project).save()
    return project


def created_in_bulk(projects):
    """What `create_project` does after the insert, for projects inserted in bulk (each
    was passed through `prepare_new` before). Their initial changes reach the audit trail
    as one batch entry, as the bulk import records the projects themselves."""
    changes = StatusChange.objects.bulk_create([initial_change(p) for p in projects], batch_size=1000)
    pks = [c.pk for c in changes if c.pk is not None]
    if pks:
        summary = {"rows": [None, len(pks)], "first_id": [None, min(pks)], "last_id": [None, max(pks)]}
        label = f"{len(pks)} {StatusChange._meta.verbose_name_plural} imported"
        AuditEntry.objects.create(
            user=current_user(), source=current_source(), action=AuditEntry.Action.CREATE,
            model=StatusChange._meta.label, object_id="", object_repr=label, changes=summary,
        )


# -- existing projects -------------------------------------------------------------------


@transaction.atomic
def save_project(project):
    """Save an existing project (edit-conflict check included); a corrected first-reported
    cycle moves the initial change with it and rewrites the status path."""
    stored_first = Project.objects.filter(pk=project.pk).values_list("first_cycle_id", flat=True).first()
    ensure_first_cycle_unlocked(project.first_cycle_id, stored_first)
    project.save()
    if stored_first != project.first_cycle_id:
        first_cycles_corrected([project])
    return project


def first_cycles_corrected(projects):
    """Give each of `projects` (saved instances whose first-reported cycle was corrected)
    its initial change in that cycle — the old one is deleted and a new one recorded, both
    in the audit trail — and bring their status paths in step."""
    by_pk = {p.pk: p for p in projects}
    moved = StatusChange.objects.filter(project_id__in=list(by_pk), is_initial=True).select_related("project")
    for change in moved:
        project = by_pk[change.project_id]
        if change.cycle_id != project.first_cycle_id:
            change.delete()
            initial_change(project).save()
    synced = sync_status_paths(Project.objects.filter(pk__in=list(by_pk)))
    for project in projects:
        _refresh(project, synced)


@transaction.atomic
def append_status_change(
    project, status, cycle, *, effective_on=None, evidence=None, basis=None, note="",
    public_note_ru="", public_note_en="", by=None,
):
    """Append a status change and keep the project's status in step — the only way to
    change a status. The project row is locked while its new status is worked out, so
    concurrent appends cannot leave it stale. Raises ValidationError when the change is
    inconsistent (outside its cycle, before the first cycle, in a locked cycle…).

    Without a `basis`, a change citing evidence is *stated*, else the editors' *judgement*
    (docs/domain.md "Basis")."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    change = StatusChange(
        project=locked,
        cycle=cycle,
        status=status,
        effective_on=effective_on,
        evidence=evidence,
        basis=basis or default_basis(evidence),
        note=note,
        public_note_ru=public_note_ru,
        public_note_en=public_note_en,
        recorded_by=by,
    )
    change.full_clean()
    change.save()
    _refresh(project, sync_status_paths(Project.objects.filter(pk=project.pk)))
    return change


def default_basis(evidence):
    return StatusChange.Basis.STATED if evidence is not None else StatusChange.Basis.JUDGEMENT


@transaction.atomic
def delete_status_change(change):
    """Remove a mistaken change (superusers only, in the admin); the project's status
    follows what remains."""
    project_id = change.project_id
    change.delete()
    sync_status_paths(Project.objects.filter(pk=project_id))


def _refresh(project, synced):
    stored = (project.status_path, project.status, project.first_number, project.basis_path)
    project.status_path, project.status, project.first_number, project.basis_path = synced.get(project.pk, stored)


# -- cycles ------------------------------------------------------------------------------


def cycles_changed(*, renumbered=False):
    """Call after adding cycles (status paths are lengthened to the highest number, each
    repeating its last letter: a new cycle starts with the statuses the previous one
    ended with) or renumbering one (`renumbered=True`: every path is rebuilt)."""
    if renumbered:
        sync_status_paths(Project.objects.all())
        return
    length = path_length()
    shorter = Project.objects.filter(status_path__gt="").annotate(n=Length("status_path")).filter(n__lt=length)
    while shorter.update(
        status_path=Concat(F("status_path"), Right("status_path", 1)),
        basis_path=Concat(F("basis_path"), Right("basis_path", 1)),
    ):
        bump()


@transaction.atomic
def save_cycle(cycle):
    """Save a cycle (admin, row-by-row import) and keep the status paths in step."""
    stored = None if cycle._state.adding else Cycle.objects.filter(pk=cycle.pk).values_list("number", flat=True).first()
    cycle.save()
    if stored is None:
        cycles_changed()
    elif stored != cycle.number:
        cycles_changed(renumbered=True)
    return cycle


@transaction.atomic
def delete_cycle(cycle):
    """Delete a cycle nothing refers to any more; paths shrink to the new highest number."""
    cycle.delete()
    cycles_changed(renumbered=True)


# -- rebuilding paths from the history ---------------------------------------------------


def recomputed_status_paths(projects):
    """For each of `projects` (a queryset): (pk, reference, stored, computed), where both
    are (status_path, status, first_number, basis_path) — as stored on the row, and as its
    status history and first cycle give them. Two queries per thousand projects."""
    length = path_length()
    columns = ("pk", "reference", "first_cycle__number", "status_path", "status", "first_number", "basis_path")
    for chunk in _chunks(projects.order_by("pk").values_list(*columns)):
        history = {row[0]: [] for row in chunk}
        rows = StatusChange.objects.filter(project_id__in=list(history)).values_list(
            "project_id", "cycle__number", "effective_on", "pk", "status", "basis", "is_initial"
        )
        for project_id, *change in rows:
            history[project_id].append(change)
        for pk, reference, first_number, old_path, old_status, old_first, old_basis in chunk:
            path, basis_path = letters.paths(first_number, history[pk], length)
            computed = (path, letters.current_status(path) or old_status, first_number, basis_path)
            yield pk, reference, (old_path, old_status, old_first, old_basis), computed


def sync_status_paths(projects):
    """Recompute `status_path`, `status`, `first_number` and `basis_path` of `projects`
    (a queryset) and store those that differ; returns {pk: (path, status, first_number,
    basis_path)}."""
    computed, stale = {}, []
    for pk, _reference, stored, now in recomputed_status_paths(projects):
        computed[pk] = now
        if stored != now:
            path, status, first_number, basis_path = now
            stale.append(Project(pk=pk, status_path=path, status=status, first_number=first_number, basis_path=basis_path))
    if stale:
        Project.objects.bulk_update(stale, ["status_path", "status", "first_number", "basis_path"], batch_size=1000)
        bump()
    return computed


def _chunks(rows, size=1000):
    rows = list(rows)  # read before writing: SQLite cursors do not survive writes to their table
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


