"""Publishing a cycle (docs/domain.md "Publication"): one transaction locks the cycle, sets
its publication date and writes its release — every dataset as CSV and XLSX in the
import format (without the editors' notes), a data dictionary, a README with how to cite
it, SHA-256 checksums and a ZIP of them all — through Django's storage API."""

import hashlib
import io
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ratings.models import Cycle, Rating
from tracker.models import Evidence, Organization, Participation, Project, Release, Source, StatusChange
from tracker.spreadsheets.formats import BY_EXTENSION
from tracker.spreadsheets.resources import DATASETS
from tracker.status import letters
from tracker.status.unresolved import status_projects

from .release_texts import data_dictionary, readme

FORMATS = ("csv", "xlsx")


def open_cycle():
    """The cycle being prepared: the lowest-numbered cycle not yet published."""
    return Cycle.objects.filter(is_published=False).order_by("number").first()


def problems(cycle):
    """Why `cycle` cannot be published now ([] when it can), in the reader's language."""
    if cycle.is_published:
        return [_("Cycle %(cycle)s is already published.") % {"cycle": cycle.numeral}]
    current = open_cycle()
    if current is not None and current.pk != cycle.pk:
        return [
            _("Only the open cycle, %(open)s, can be published; cycle %(cycle)s comes after it.")
            % {"open": current.numeral, "cycle": cycle.numeral}
        ]
    if not Rating.objects.filter(cycle=cycle).exists():
        return [_("Cycle %(cycle)s has no ratings yet; record the regions' scores first.") % {"cycle": cycle.numeral}]
    return []


def preview(cycle):
    """What publishing `cycle` makes public."""
    projects = status_projects()
    return {
        "new_projects": Project.objects.filter(first_cycle=cycle).count(),
        "evidence": Evidence.objects.filter(cycle=cycle).count(),
        "status_changes": StatusChange.objects.filter(cycle=cycle, is_initial=False).count(),
        "resolved": projects.resolved_in(cycle).count(),
        "unresolved": projects.unresolved_in(cycle).count(),
        "regions_rated": Rating.objects.filter(cycle=cycle).count(),
    }


@transaction.atomic
def publish(cycle, user=None, on=None):
    """Publish `cycle`: raises ValidationError (changing nothing) when it cannot be."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    found = problems(cycle)
    if found:
        raise ValidationError(found)
    cycle.is_published = True
    if cycle.published_on is None:
        cycle.published_on = on or timezone.localdate()
    cycle.save()
    return make_release(cycle, user)


def release_published():
    """Releases for published cycles that have none (a seed or an older database loaded
    as the system), in cycle order; returns them."""
    made = []
    for cycle in Cycle.objects.filter(is_published=True, release__isnull=True).order_by("number"):
        with transaction.atomic():
            made.append(make_release(cycle))
    return made


def make_release(cycle, user=None):
    """Write the release of the published `cycle` (inside the caller's transaction)."""
    previous = Release.objects.filter(cycle__number__lt=cycle.number).order_by("-cycle__number").first()
    snapshot = record_snapshot(cycle)
    changes = changes_between(previous, snapshot, cycle)
    changes["corrections"] = [
        [entry.at.date().isoformat(), entry.action, entry.object_repr] for entry in previous.errata()
    ] if previous else []
    release = Release(
        cycle=cycle,
        created_by=user if getattr(user, "pk", None) else None,
        counts={**preview(cycle), **totals(cycle)},
        changes=changes,
        snapshot=snapshot,
    )
    release.files = write_files(release)
    try:
        release.save()
    except Exception:
        remove_files(release.files)  # files are not part of the transaction
        raise
    return release


def totals(cycle):
    n = cycle.number
    statuses = {}
    for path in Project.objects.filter(first_number__lte=n).values_list("status_path", flat=True).iterator():
        status = letters.STATUSES.get(letters.letter_at(path, n))
        statuses[status] = statuses.get(status, 0) + 1
    return {
        "projects": sum(statuses.values()),
        "statuses": {s.value: statuses.get(s.value, 0) for s in Project.Status},
        "evidence_total": Evidence.objects.filter(cycle__number__lte=n).count(),
        "status_changes_total": StatusChange.objects.filter(cycle__number__lte=n).count(),
    }


def record_snapshot(cycle):
    n = cycle.number
    statuses = {
        reference: letters.STATUSES.get(letters.letter_at(path, n))
        for reference, path in Project.objects.filter(first_number__lte=n).values_list("reference", "status_path")
    }
    scores = dict(Rating.objects.filter(cycle=cycle).values_list("region__iso_code", "score"))
    return {"statuses": statuses, "scores": scores}


def changes_between(previous, snapshot, cycle):
    """New projects, status moves from → to, projects resolved and regions whose score
    changed, since `previous` (a Release, or None for the first)."""
    before = previous.snapshot if previous else {"statuses": {}, "scores": {}}
    old, new = before.get("statuses", {}), snapshot["statuses"]
    moves = {}
    resolved = []
    for reference, status in sorted(new.items()):
        was = old.get(reference)
        if was is None or was == status:
            continue
        moves[(was, status)] = moves.get((was, status), 0) + 1
        if was in Project.UNFINISHED and status in Project.RESOLVED:
            resolved.append(reference)
    previous_scores = dict(Rating.objects.filter(cycle__number=cycle.number - 1).values_list("region__iso_code", "score"))
    scores = [
        [iso, previous_scores.get(iso), score]
        for iso, score in sorted(snapshot["scores"].items())
        if previous_scores.get(iso) is not None and previous_scores.get(iso) != score
    ]
    return {
        "since": previous.cycle.numeral if previous else None,
        "new_projects": sorted(set(new) - set(old)),
        "moves": [[was, now, n] for (was, now), n in sorted(moves.items())],
        "resolved": resolved,
        "scores": scores,
    }


def datasets(cycle):
    """{name: tablib.Dataset}: the record up to `cycle`, in the import format, without
    the editors' notes; project statuses are those at the end of `cycle`."""
    n = cycle.number
    querysets = {
        "cycles": Cycle.objects.filter(number__lte=n),
        "ratings": Rating.objects.filter(cycle__number__lte=n),
        "projects": Project.objects.filter(first_number__lte=n),
        "participants": Participation.objects.filter(project__first_number__lte=n),
        "evidence": Evidence.objects.filter(cycle__number__lte=n),
        "status_changes": StatusChange.objects.filter(cycle__number__lte=n),
        # Only what the released record uses: a partner or source of drafts alone stays out.
        "organizations": Organization.objects.filter(
            pk__in=Participation.objects.filter(project__first_number__lte=n).values("organization_id")
        ),
        "sources": Source.objects.filter(pk__in=Evidence.objects.filter(cycle__number__lte=n).values("source_id")),
    }
    result = {}
    for name, resource_class in DATASETS.items():
        resource = resource_class()
        fields = [key for key, field in resource.fields.items() if field.column_name != "note"]
        queryset = querysets.get(name, resource.get_queryset())
        dataset = resource.export(queryset.order_by("pk"), export_fields=fields)
        if name == "projects" and "status" in dataset.headers:
            at = {ref: letters.STATUSES.get(letters.letter_at(path, n), "") for ref, path in querysets["projects"].values_list("reference", "status_path")}
            column = dataset.headers.index("status")
            reference = dataset.headers.index("reference")
            rows = [list(row) for row in dataset]
            for row in rows:
                row[column] = at.get(row[reference], row[column])
            dataset = type(dataset)(*rows, headers=dataset.headers)
        dataset.title = name
        result[name] = dataset
    return result


def write_files(release):
    """Write the release's files; returns their manifest, the ZIP of all of them last."""
    cycle = release.cycle
    contents = {}
    tables = datasets(cycle)
    for name, dataset in tables.items():
        for extension in FORMATS:
            contents[f"{name}.{extension}"] = _as_bytes(BY_EXTENSION[extension]().export_data(dataset))
    contents["DATA_DICTIONARY.md"] = data_dictionary(tables).encode()
    contents["README.md"] = readme(release).encode()
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in contents.items())
    contents["SHA256SUMS"] = sums.encode()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data in contents.items():
            bundle.writestr(f"release-{cycle.numeral}/{name}", data)
    contents[f"release-{cycle.numeral}.zip"] = archive.getvalue()
    manifest = []
    for name, data in contents.items():
        path = default_storage.save(f"releases/{cycle.numeral}/{name}", ContentFile(data))
        manifest.append({"name": name, "path": path, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})
    return manifest


def remove_files(manifest):
    for item in manifest:
        default_storage.delete(item["path"])


def _as_bytes(data):
    if not isinstance(data, str):
        return data
    return data.encode("utf-8") if data.startswith("\ufeff") else data.encode("utf-8-sig")
