import csv
import io

from django.core.management.base import BaseCommand, CommandError

from ratings.models import Cycle
from tracker.spreadsheets.formats import CSV, JSON
from tracker.spreadsheets.reports import unresolved_dataset

#: Titles are cut to this many characters in the table, which is read on a terminal.
TABLE_TITLE_WIDTH = 60


def csv_text(dataset):
    """The page's CSV export without its byte-order mark, which only spreadsheet programs
    need and which would end up in the first column name of whatever reads the output."""
    return CSV().export_data(dataset).removeprefix("\ufeff")


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
        dataset = unresolved_dataset(found)
        if format == "json":
            self.stdout.write(JSON().export_data(dataset))
        elif format == "csv":
            self.stdout.write(csv_text(dataset), ending="")
        else:
            self._write_table(dataset)
            self.stderr.write(f"{len(dataset)} unresolved in cycle {found.numeral}.")

    def _write_table(self, dataset):
        # The cells as the CSV writes them, so that the table and the files agree on how
        # dates, booleans and empty figures read.
        header, *rows = csv.reader(io.StringIO(csv_text(dataset), newline=""))
        title = header.index("title")
        rows = [[" ".join(cell.split()) for cell in row] for row in rows]  # one line per project
        for row in rows:
            row[title] = row[title][:TABLE_TITLE_WIDTH]
        widths = [max([len(cell) for cell in column]) for column in zip(header, *rows)]
        self.stdout.write(self._line(header, widths))
        self.stdout.write(self._line(["-" * width for width in widths], widths))
        for row in rows:
            self.stdout.write(self._line(row, widths))

    @staticmethod
    def _line(cells, widths):
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()
