from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit.context import acting
from tracker.models import search
from tracker.spreadsheets.resources import DATASETS
from tracker.ops.releases import release_published
from tracker.spreadsheets.importer import import_datasets, read_dataset

SEEDS_DIR = Path(settings.BASE_DIR) / "seeds"


class Command(BaseCommand):
    help = "Load the seed dataset (seeds/*.csv) through the spreadsheet import; safe to repeat."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(SEEDS_DIR), help="Folder holding the CSV files.")
        parser.add_argument(
            "--no-releases", action="store_true", help="Do not write releases for the published cycles loaded."
        )

    def handle(self, *args, dir, no_releases=False, **options):
        folder = Path(dir)
        files = [(name, folder / f"{name}.csv") for name in DATASETS]
        present = [(name, path) for name, path in files if path.exists()]
        if not present:
            self.stdout.write(f"No seed files in {folder}; nothing to load.")
            return
        datasets = [(name, read_dataset(path.read_bytes(), path.name)) for name, path in present]
        with acting(None, "seed"), search.deferred():  # the search index is written once, at the end
            report = import_datasets(datasets)
        if not report.ok:
            for problem in report.problems[:50]:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(report.problems)} problem(s); nothing was loaded.")
        for name, counts in report.counts.items():
            self.stdout.write(
                f"{name:15} new {counts.get('new', 0):5}  updated {counts.get('update', 0):5}  "
                f"unchanged {counts.get('skip', 0):5}"
            )
        if not no_releases:
            with acting(None, "seed"):
                for release in release_published():
                    self.stdout.write(f"release {release.cycle.numeral} written ({len(release.files)} files)")
