"""The unresolved report as a table, the one set of columns it leaves the tracker with:
the unresolved page's exports (CSV, XLSX, ODS, JSON) and the `unresolved` command (csv,
json, a table) all write the Dataset built here, so a column added or renamed reaches
every output at once and a file from the page matches one from the command line.

Column codes are stable (scripts read them); cells keep their types — dates, booleans,
amounts — and each format writes them its own way (tracker/spreadsheets/formats.py).
"""

import tablib

from ratings.numerals import to_roman
from tracker.status import letters
from tracker.status.marks import basis_from_path, contradicted
from tracker.status.unresolved import status_projects

UNRESOLVED_COLUMNS = [
    "reference",
    "region",
    "title",
    "status_at_start",
    "status_at_end",
    "age_cycles",
    "last_evidence_on",
    "silent",
    "suggested_status",
    "amount",
    "currency",
    "basis",
    "disputed",
]


def unresolved_row(project, cycle):
    """The cells of one project of `StatusQuerySet.unresolved_report`, in column order."""
    return [
        project.reference,
        project.region.iso_code,  # stable across languages, unlike the region's name
        project.title,
        project.status_at_start,
        project.status_at_end,
        project.age,
        project.last_evidence_on,
        project.silent,
        project.suggested_status,
        project.amount,
        project.currency,
        basis_from_path(project.basis_path, cycle.number),
        project.disputed,
    ]


def unresolved_dataset(cycle, projects=None, visible=None):
    """The projects among `projects` (a queryset, default every project) that remained
    unresolved in `cycle`, in report order, with their follow-up figures; `disputed` reads
    the record up to cycle `visible` (None: all of it)."""
    dataset = tablib.Dataset(headers=UNRESOLVED_COLUMNS, title="unresolved")
    for project in status_projects(projects).unresolved_report(cycle).annotate(disputed=contradicted(visible)):
        dataset.append(unresolved_row(project, cycle))
    return dataset


#: The public projects export: what the projects page shows, never the editors' notes.
PUBLIC_PROJECT_COLUMNS = [
    "reference", "region", "title_ru", "title_en", "location", "sector", "announced_on",
    "announced_precision", "amount", "currency", "first_cycle", "status", "basis", "disputed",
    "public_note_ru", "public_note_en",
]


def public_projects_dataset(projects, number=None):
    """The projects of `projects` (a queryset, in its order) as the public export, with
    their status at the end of cycle `number` (None: now), how it is known (`basis`) and
    the disputed mark read from the record up to that cycle. One query."""
    dataset = tablib.Dataset(headers=PUBLIC_PROJECT_COLUMNS, title="projects")
    rows = projects.annotate(disputed=contradicted(number)).values_list(
        "reference", "region__iso_code", "title_ru", "title_en", "location", "sector", "announced_on",
        "announced_precision", "amount", "currency", "first_number", "status_path", "basis_path", "disputed",
        "public_note_ru", "public_note_en",
    )
    for row in rows.iterator(chunk_size=2000):
        row = list(row)
        row[10] = to_roman(row[10]) if row[10] else ""
        letter = row[11][number - 1:number] if number else row[11][-1:]
        row[11] = letters.STATUSES.get(letter, "")
        row[12] = basis_from_path(row[12], number) or ""
        dataset.append(row)
    return dataset
