import csv
import json

from django.core.management.base import BaseCommand, CommandError

from ratings.models import Cycle
from tracker.status.unresolved import status_projects

COLUMNS = [
    "reference",
    "region",
    "title",
    "status_at_start",
    "status_at_end",
    "age_cycles",
    "last_evidence_on",
    "silent",
    "suggested_status",
]


def report_rows(cycle):
    for project in status_projects().unresolved_report(cycle):
        yield {
            "reference": project.reference,
            "region": project.region.name,
            "title": project.title,
            "status_at_start": project.status_at_start,
            "status_at_end": project.status_at_end,
            "age_cycles": project.age,
            "last_evidence_on": project.last_evidence_on.isoformat() if project.last_evidence_on else "",
            "silent": project.silent,
            "suggested_status": project.suggested_status,
        }


class Command(BaseCommand):
    help = "List the earlier unfinished announcements that remained unresolved in a cycle."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", required=True, help="Cycle numeral, e.g. III.")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")

    def handle(self, *args, cycle, format, **options):
        try:
            found = Cycle.objects.by_numeral(cycle)
        except Cycle.DoesNotExist:
            known = ", ".join(c.numeral for c in Cycle.objects.all()) or "none yet"
            raise CommandError(f"Unknown cycle {cycle!r}. Known cycles: {known}.") from None
        rows = list(report_rows(found))
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        elif format == "csv":
            writer = csv.DictWriter(self.stdout, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows({**row, "silent": "yes" if row["silent"] else "no"} for row in rows)
        else:
            self._write_table(rows)
            self.stderr.write(f"{len(rows)} unresolved in cycle {found.numeral}.")

    def _write_table(self, rows):
        shown = [
            {**row, "silent": "yes" if row["silent"] else "no", "title": row["title"][:60]}
            for row in rows
        ]
        widths = {c: max([len(c), *(len(str(r[c])) for r in shown)]) for c in COLUMNS}
        self.stdout.write("  ".join(c.ljust(widths[c]) for c in COLUMNS))
        self.stdout.write("  ".join("-" * widths[c] for c in COLUMNS))
        for row in shown:
            self.stdout.write("  ".join(str(row[c]).ljust(widths[c]) for c in COLUMNS))
