from django.core.management.base import BaseCommand, CommandError

from tracker.ops.backup import BackupError, fingerprint, restore


class Command(BaseCommand):
    help = "Replace the database's contents with a backup made by `backup`."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, path, yes, **options):
        if not yes:
            answer = input(f"Replace everything in the database with {path}? Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was restored.")
        try:
            restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        counts, checksum = fingerprint()
        self.stdout.write(f"Restored from {path}")
        self.stdout.write(f"rows: {sum(counts.values())}  checksum: {checksum}")
