import sys

from django.core.management.base import BaseCommand
from django.db import transaction

from tracker import paths
from tracker.models import Project, StatusChange


class Command(BaseCommand):
    help = (
        "Recompute every project's status per cycle (status_path) from its status history. "
        "With --check, only report projects whose stored path differs, and exit 1 if any does."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Report differences; change nothing.")

    def handle(self, *args, check, **options):
        stale = self.stale()
        if check:
            for reference, stored, expected in stale[:50]:
                self.stdout.write(f"{reference}: stored {stored!r}, history gives {expected!r}")
            self.stdout.write(f"{len(stale)} project(s) out of step.")
            if stale:
                sys.exit(1)
            return
        from tracker.models import sync_status_paths

        with transaction.atomic():
            sync_status_paths(Project.objects.all())
        self.stdout.write(f"{len(stale)} project(s) brought in step.")

    def stale(self):
        length = paths.path_length()
        history = {}
        for project_id, *change in StatusChange.objects.values_list(
            "project_id", "cycle__number", "effective_on", "pk", "status"
        ).iterator(chunk_size=5000):
            history.setdefault(project_id, []).append(change)
        found = []
        for pk, reference, first, stored, stored_first in Project.objects.values_list(
            "pk", "reference", "first_cycle__number", "status_path", "first_number"
        ).iterator(chunk_size=5000):
            expected = paths.status_path(first, history.get(pk, []), length)
            if (expected, first) != (stored, stored_first):
                found.append((reference, f"{stored} (first cycle {stored_first})", f"{expected} (first cycle {first})"))
        return found
