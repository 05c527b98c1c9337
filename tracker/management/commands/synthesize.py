import time

from django.core.management.base import BaseCommand, CommandError

from tracker.ops import synthetic


class Command(BaseCommand):
    help = (
        "Add a synthetic dataset for benchmarks: all regions, ten cycles, N projects with about "
        "ten evidence rows each and their status histories. The same --seed gives the same rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=10_000, help="How many projects (default 10,000).")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--evidence-per-project", type=int, default=10)

    def handle(self, *args, projects, seed, evidence_per_project, **options):
        if projects < 1:
            raise CommandError("--projects must be at least 1.")
        started = time.perf_counter()
        counts = synthetic.generate(
            projects,
            seed=seed,
            evidence_per_project=evidence_per_project,
            progress=lambda n: self.stderr.write(f"{n} projects generated…"),
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{counts.projects} projects, {counts.evidence} evidence rows, {counts.status_changes} status changes, "
            f"{counts.participations} participants, {counts.organizations} organisations, {counts.ratings} ratings "
            f"in {elapsed:.1f} s"
        )
        self.stdout.write("Status now: " + ", ".join(f"{k} {v}" for k, v in counts.statuses.items()))
