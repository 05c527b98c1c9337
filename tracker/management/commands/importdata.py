from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError

from audit.context import acting
from tracker.ops.errors import busy_message, is_busy
from tracker.spreadsheets.resources import DATASETS
from tracker.spreadsheets.importer import SpreadsheetError, import_datasets, read_dataset


class Progress:
    """A one-line progress bar on stderr, redrawn at most every 1% of the rows."""

    def __init__(self, stream, label, total):
        self.stream, self.label, self.total = stream, label, max(total, 1)
        self.step = max(self.total // 100, 1)
        self.enabled = stream.isatty() or total >= 1000

    def __call__(self, done):
        if self.enabled and (done % self.step == 0 or done == self.total):
            filled = int(30 * done / self.total)
            bar = f"\r{self.label:15} [{'#' * filled}{'.' * (30 - filled)}] {done}/{self.total}"
            self.stream.write(bar, ending="\n" if done == self.total else "")
            self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import spreadsheets (CSV, XLSX, ODS, JSON), all or nothing. "
        "Give DATASET FILE pairs, e.g. `importdata projects p.xlsx evidence e.csv`."
    )

    def add_arguments(self, parser):
        parser.add_argument("pairs", nargs="+", metavar="DATASET FILE")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")

    def handle(self, *args, pairs, dry_run, **options):
        if len(pairs) % 2:
            raise CommandError("Give pairs of DATASET FILE.")
        named = []
        for name, filename in zip(pairs[::2], pairs[1::2]):
            if name not in DATASETS:
                raise CommandError(f"Unknown dataset “{name}”. Datasets: {', '.join(DATASETS)}.")
            path = Path(filename)
            if not path.is_file():
                raise CommandError(f"No such file: {filename}")
            try:
                named.append((name, read_dataset(path.read_bytes(), path.name)))
            except SpreadsheetError as error:
                raise CommandError(str(error)) from None
        progress = {name: Progress(self.stderr, name, len(dataset)) for name, dataset in named}
        try:
            with acting(None, "import"):
                report = import_datasets(named, dry_run=dry_run, progress=progress)
        except OperationalError as error:
            if not is_busy(error):
                raise
            raise CommandError(busy_message()) from None
        for problem in report.problems[:200]:
            self.stderr.write(str(problem))
        if not report.ok:
            more = len(report.problems) - 200
            tail = f" ({more} more not shown)" if more > 0 else ""
            raise CommandError(f"{len(report.problems)} problem(s){tail}; nothing was written.")
        for name, counts in report.counts.items():
            self.stdout.write(
                f"{name:15} new {counts.get('new', 0):6}  updated {counts.get('update', 0):6}  "
                f"unchanged {counts.get('skip', 0):6}"
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
