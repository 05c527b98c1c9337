"""The edition's speed and memory at scale, one JSON line per figure: synthetic projects
(tracker.ops.synthetic) are added inside a transaction that is rolled back, then the
edition of the cycle with the most evidence is built and written in each format. The
baseline is the same cycle's evidence rows read by raw SQL alone (what no edition can
beat: it reads at least those rows)."""

import io
import json
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Count

from ratings.models import Cycle
from tracker.edition import WRITERS, content
from tracker.models import Evidence
from tracker.ops import synthetic

from .benchmark import Rollback
from .benchmark_import import peak_memory_mb


def resident_mb():
    """The process's resident memory now (Linux), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Command(BaseCommand):
    help = "Benchmark the edition at scale (synthetic data, rolled back): seconds and peak memory per format."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=100_000, help="Synthetic projects added (default 100,000).")
        parser.add_argument("--seed", type=int, default=1)

    def emit(self, **figure):
        self.stdout.write(json.dumps({"database": connection.vendor, **figure}, ensure_ascii=False))

    def handle(self, *args, projects, seed, **options):
        settings.DEBUG = False
        try:
            with transaction.atomic():
                started = time.perf_counter()
                synthetic.generate(projects, seed=seed)
                self.emit(step="synthetic data", projects=projects, seconds=round(time.perf_counter() - started, 1))
                self.measure(projects)
                raise Rollback
        except Rollback:
            pass

    def measure(self, projects):
        busiest = Evidence.objects.values("cycle").annotate(n=Count("pk")).order_by("-n").first()
        cycle = Cycle.objects.get(pk=busiest["cycle"])
        table = Evidence._meta.db_table
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT project_id, kind, occurred_on, summary_ru, summary, source_id FROM {table} WHERE cycle_id = %s", [cycle.pk])
            raw_rows = len(cursor.fetchall())
        raw = time.perf_counter() - started
        self.emit(step="raw SQL read of the cycle's evidence", cycle=cycle.numeral, rows=raw_rows, seconds=round(raw, 2))
        before = resident_mb()
        started = time.perf_counter()
        edition = content.build(cycle, "ru")
        built = time.perf_counter() - started
        lines = sum(1 for _line in edition.lines())
        self.emit(step="edition content", cycle=cycle.numeral, projects=projects, lines=lines, seconds=round(built, 2),
                  ratio_to_raw_sql=round(built / raw, 1) if raw else None)
        for name, write in WRITERS.items():
            started = time.perf_counter()
            out = io.BytesIO()
            write(edition, out)
            seconds = time.perf_counter() - started
            self.emit(step=f"write {name}", bytes=out.tell(), seconds=round(seconds, 2), total_seconds=round(built + seconds, 2))
        # The synthetic data was made in this process: what the edition itself needed is the
        # peak above what the process held when it began.
        self.emit(step="peak memory", peak_rss_mb=round(peak_memory_mb()), resident_before_edition_mb=round(before),
                  edition_peak_mb=round(peak_memory_mb() - before))

