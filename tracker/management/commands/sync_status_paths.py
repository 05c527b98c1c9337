import sys

from django.core.management.base import BaseCommand
from django.db import transaction

from tracker.models import Project
from tracker.status.history import recomputed_status_paths, sync_status_paths


class Command(BaseCommand):
    help = (
        "Recompute every project's status per cycle (status_path) from its status history. "
        "With --check, only report projects whose stored path differs, and exit 1 if any does."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Report differences; change nothing.")

    def handle(self, *args, check, **options):
        stale = [
            (reference, stored, computed)
            for _pk, reference, stored, computed in recomputed_status_paths(Project.objects.all())
            if stored != computed
        ]
        if check:
            for reference, stored, computed in stale[:50]:
                self.stdout.write(f"{reference}: stored {stored!r}, history gives {computed!r}")
            self.stdout.write(f"{len(stale)} project(s) out of step.")
            if stale:
                sys.exit(1)
            return
        with transaction.atomic():
            sync_status_paths(Project.objects.all())
        self.stdout.write(f"{len(stale)} project(s) brought in step.")
