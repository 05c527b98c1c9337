"""The unresolved report as a table, the one set of columns it leaves the tracker with:
the unresolved page's exports (CSV, XLSX, ODS, JSON) and the `unresolved` command (csv,
json, a table) all write the Dataset built here, so a column added or renamed reaches
every output at once and a file from the page matches one from the command line.

Column codes are stable (scripts read them); cells keep their types — dates, booleans,
amounts — and each format writes them its own way (tracker/spreadsheets/formats.py).
"""

import tablib

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
]


def unresolved_row(project):
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
    ]


def unresolved_dataset(cycle, projects=None):
    """The projects among `projects` (a queryset, default every project) that remained
    unresolved in `cycle`, in report order, with their follow-up figures."""
    dataset = tablib.Dataset(headers=UNRESOLVED_COLUMNS, title="unresolved")
    for project in status_projects(projects).unresolved_report(cycle):
        dataset.append(unresolved_row(project))
    return dataset
