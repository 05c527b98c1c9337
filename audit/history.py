"""A record's history: its audit entries and those of its child records, newest first.

A record's own entries are found by model label and id (index `audit_record_idx`).
Child records (a project's status changes, evidence, participations: declared by the
ModelAdmin as `history_children`) are found by the rows they have now (one query per
child model) and, for children since deleted, by their deletion entry, which holds the
parent's id among the old values (`changes[<attname>][0]`; one query per child model).
Then one query reads all the entries, newest first, at most `LIMIT`.

A record created by a bulk import has no entry of its own, only its batch's (object id
"", changes first_id/last_id). Its creation is rebuilt from the values it has now (or had
when deleted), each later change undone — the later changes are all in the trail, since
they are newer than the batch. Values the code keeps in step by itself (fields no form
edits, such as a project's current status) change without entries of their own, so a
rebuilt creation lists only the editable fields and the automatic creation date.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from .models import AuditEntry, audited_fields, snapshot
from .readable import is_reference, model_of, model_title

LIMIT = 500


@dataclass
class Row:
    """One line of a history: `entry` gives who, when and through which door (for a
    bulk-created record: its batch); `record` names a child record ("" for the record
    itself); `changes` {attname: [old, new]}."""

    entry: AuditEntry
    record: str
    changes: dict
    action: str


def record_history(obj, children=(), limit=LIMIT):
    """The rows of the history of record `obj` and of its `children` ([(model label,
    attname of the reference to the parent)]), newest first. A child that still exists
    is named as it reads now (in the current language), a deleted one as its entry
    recorded it."""
    label = obj._meta.label
    wanted = {label: {str(obj.pk)}}
    current = {label: {obj.pk: obj}}
    for child_label, attname in children:
        child = model_of(child_label)
        joined = [f.name for f in child._meta.concrete_fields if is_reference(f)]
        current[child_label] = {c.pk: c for c in child._base_manager.filter(**{attname: obj.pk}).select_related(*joined)}
        deleted = AuditEntry.objects.filter(
            model=child_label, action=AuditEntry.Action.DELETE, **{f"changes__{attname}__0": obj.pk}
        ).values_list("object_id", flat=True)
        wanted[child_label] = {str(pk) for pk in current[child_label]} | set(deleted)
    query = Q()
    for entry_model, ids in wanted.items():
        if ids:
            query |= Q(model=entry_model, object_id__in=sorted(ids))
    entries = list(AuditEntry.objects.filter(query).select_related("user").order_by("-at", "-id")[:limit])
    names = {(e.model, e.object_id): e.object_repr for e in entries if e.action == AuditEntry.Action.DELETE}
    names.update(((m, str(pk)), str(child)) for m, now in current.items() if m != label for pk, child in now.items())
    rows = [
        Row(e, "" if e.model == label else f"{model_title(e.model)}: {names.get((e.model, e.object_id), e.object_repr)}",
            e.changes, e.action)
        for e in entries
    ]
    rows += created_in_batches(wanted, current, entries, own=label)
    rows.sort(key=lambda row: (row.entry.at, row.entry.pk), reverse=True)
    return rows[:limit]


def created_in_batches(wanted, current, entries, own):
    """Creation rows of the `wanted` records ({model label: ids}; those that still exist
    in `current`, {model label: {pk: instance}}) that have no creation entry among
    `entries` but fall in a bulk import's batch: one query for the batches per model
    that has such records."""
    history = defaultdict(list)  # newest first, as `entries`
    for entry in entries:
        history[(entry.model, entry.object_id)].append(entry)
    rows = []
    for label, ids in wanted.items():
        missing = sorted(
            int(i) for i in ids
            if i.isdigit() and not any(e.action == AuditEntry.Action.CREATE for e in history[(label, i)])
        )
        model = model_of(label)
        if not missing or model is None:
            continue
        batches = list(
            AuditEntry.objects.filter(
                model=label, object_id="", action=AuditEntry.Action.CREATE,
                changes__first_id__1__lte=missing[-1], changes__last_id__1__gte=missing[0],
            ).select_related("user").order_by("-at", "-id")
        )
        names = audited_fields(model)
        for pk in missing:
            later = history[(label, str(pk))]
            batch = batch_of(batches, pk, later)
            now = current.get(label, {}).get(pk)
            start = (str(now), snapshot(now, names)) if now is not None else deleted_values(later)
            if batch is None or start is None:
                continue
            name, values = start
            record = "" if label == own else f"{model_title(label)}: {name}"
            rows.append(Row(batch, record, creation_values(model, values, later), AuditEntry.Action.CREATE))
    return rows


def batch_of(batches, pk, later):
    """The newest batch (of `batches`, newest first) whose ids hold `pk` and that is not
    newer than the record's first later entry."""
    first_seen = later[-1].at if later else None
    for batch in batches:
        first, last = batch.changes.get("first_id", [None, None])[1], batch.changes.get("last_id", [None, None])[1]
        if first is not None and last is not None and first <= pk <= last and (first_seen is None or batch.at <= first_seen):
            return batch
    return None


def deleted_values(later):
    """(name, values) of a deleted record from its deletion entry, if it has one."""
    for entry in later:
        if entry.action == AuditEntry.Action.DELETE:
            return entry.object_repr, {k: old for k, (old, _new) in entry.changes.items()}
    return None


def creation_values(model, values, later):
    """{attname: [None, value]} the record was created with: `values` (now, or at its
    deletion) with each later update undone, newest first."""
    values = dict(values)
    for entry in later:
        if entry.action == AuditEntry.Action.UPDATE:
            for name, (old, _new) in entry.changes.items():
                values[name] = old
    shown = [
        f.attname for f in model._meta.concrete_fields
        if f.attname in values and (f.editable or getattr(f, "auto_now_add", False))
    ]
    return {name: [None, values[name]] for name in shown if values[name] not in (None, "")}
