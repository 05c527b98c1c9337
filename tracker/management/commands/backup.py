import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tracker.ops.backup import BackupError, backup, fingerprint


class Command(BaseCommand):
    help = "Copy the whole database consistently while the app runs (SQLite backup API or pg_dump)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write; default backups/tracker-<time>.<ext>.")

    def handle(self, *args, output, **options):
        extension = "sqlite3" if connection.vendor == "sqlite" else "dump"
        if output:
            path = Path(output)
        else:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            path = Path(settings.BASE_DIR) / "backups" / f"tracker-{stamp}.{extension}"
        path.parent.mkdir(parents=True, exist_ok=True)
        counts, checksum = fingerprint()
        try:
            backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up to {path}")
        self.stdout.write(f"rows: {sum(counts.values())}  checksum: {checksum}")
