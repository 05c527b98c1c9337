from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tracker.ops.backup import BackupError, fingerprint, restore, sidecar


class Command(BaseCommand):
    help = (
        "Replace the database's contents with a backup made by `backup`, after checking its "
        "SHA-256, that it is readable and that it holds this database's tables."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        parser.add_argument(
            "--no-checksum",
            action="store_true",
            help="Restore a backup that has no <file>.sha256 (the other checks still run).",
        )

    def handle(self, *args, path, yes, no_checksum, **options):
        def confirm(verified):
            self._report(path, verified)
            if yes:
                return True
            question = _("Replace everything in the database with %(path)s? Type 'yes': ") % {"path": path}
            answer = input(question)
            return answer.strip().lower() == "yes"

        try:
            restore(path, check_checksum=not no_checksum, confirm=confirm)
        except BackupError as error:
            raise CommandError(str(error)) from None
        counts, checksum = fingerprint()
        self.stdout.write(_("Restored from %(path)s") % {"path": path})
        self.stdout.write(
            _("rows: %(rows)d  checksum: %(checksum)s") % {"rows": sum(counts.values()), "checksum": checksum}
        )

    def _report(self, path, verified):
        if verified.sha256 is None:
            self.stdout.write(_("The file's SHA-256 was not checked (--no-checksum)."))
        else:
            self.stdout.write(
                _("File SHA-256 %(checksum)s matches %(sidecar)s.")
                % {"checksum": verified.sha256, "sidecar": sidecar(path)}
            )
        self.stdout.write(
            _("%(path)s is readable and holds every table of this database (%(count)d).")
            % {"path": path, "count": verified.tables}
        )
