import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from tracker.ops.backup import BackupError, backup, sidecar


class Command(BaseCommand):
    help = (
        "Copy the whole database consistently while the app runs (SQLite backup API or pg_dump) "
        "and write its SHA-256 to <file>.sha256."
    )

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
        try:
            backed = backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(_("Backed up to %(path)s") % {"path": path})
        self.stdout.write(
            _("File SHA-256: %(checksum)s (written to %(sidecar)s)")
            % {"checksum": backed.sha256, "sidecar": sidecar(path)}
        )
        self.stdout.write(
            _("rows: %(rows)d  checksum: %(checksum)s")
            % {"rows": sum(backed.counts.values()), "checksum": backed.checksum}
        )
