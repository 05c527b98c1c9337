"""Performance figures, one JSON line each: import (ours against a plain ModelResource on
the same file), export, the unresolved computation and page times at growing dataset sizes,
peak memory. Every line names the database and the dataset size.

Everything is written inside transactions that are rolled back, so the database is left
as it was; run it on SQLite (the default) or on PostgreSQL (DATABASE_URL set). DEBUG is
switched off for the run, as in production. Pages are timed through the full middleware
stack with the page cache off (server time, not network time)."""

import json
import statistics
import time

from django.conf import settings
from django.core import signals
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection, transaction
from django.db.models import Count
from django.test import Client, override_settings

from ratings.models import Cycle, Region
from tracker.ops import runtime, synthetic
from tracker.spreadsheets.formats import CSV
from tracker.models import Evidence, Project
from tracker.status.unresolved import status_projects
from tracker.spreadsheets.resources import EvidenceResource, ProjectResource

from .benchmark_import import peak_memory_mb


class Rollback(Exception):
    pass


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Benchmark import, export, the unresolved computation and pages; prints JSON lines."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="1000,10000,100000", help="Project counts, comma-separated.")
        parser.add_argument("--import-rows", type=int, default=100_000, help="Evidence rows in the import file.")
        parser.add_argument("--plain-rows", type=int, default=10_000, help="Rows timed for the plain resource.")
        parser.add_argument("--requests", type=int, default=40, help="Requests per page and size.")
        parser.add_argument("--runs", type=int, default=7, help="Runs of the unresolved computation per size.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--skip-import", action="store_true")

    def emit(self, **figure):
        figure = {"figure": figure.pop("figure"), "database": connection.vendor, **figure}
        self.stdout.write(json.dumps(figure, default=str))
        self.stdout.flush()

    def handle(self, *args, sizes, import_rows, plain_rows, requests, runs, seed, skip_import, **options):
        try:
            sizes = sorted(int(s) for s in sizes.split(","))
        except ValueError:
            raise CommandError("--sizes takes project counts separated by commas, e.g. 1000,10000") from None
        settings.DEBUG = False
        if Project.objects.exists():
            self.stderr.write("Note: the database already holds projects; sizes count the synthetic ones added.")
        if not skip_import:
            call_command("benchmark_import", rows=import_rows, plain_rows=plain_rows, seed=seed, stdout=self.stdout)
        # The test client sends request signals; keep this transaction's connection open.
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            with transaction.atomic():
                done = 0
                for size in sizes:
                    started = time.perf_counter()
                    synthetic.generate(size - done, seed=seed + size)
                    done = size
                    self.emit(figure="synthetic_generation_seconds", projects=size, value=round(time.perf_counter() - started, 1))
                    self.analyze()
                    self.unresolved(size, runs)
                    self.pages(size, requests)
                    self.export(size)
                    self.emit(figure="peak_memory_mb", projects=size, value=round(peak_memory_mb()))
                raise Rollback
        except Rollback:
            pass
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)

    def analyze(self):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def timed(self, work, runs):
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            result = work()
            times.append((time.perf_counter() - started) * 1000)
        return result, times

    def unresolved(self, size, runs):
        cycle = Cycle.objects.order_by("-number").first()
        ids, times = self.timed(
            lambda: list(status_projects().unresolved_ordered(cycle).values_list("pk", flat=True)), runs
        )
        self.emit(
            figure="unresolved_computation_ms", projects=size, cycle=cycle.numeral, unresolved=len(ids),
            what="every unresolved project of the latest cycle, in report order",
            p50=round(statistics.median(times), 1), max=round(max(times), 1),
        )
        count, times = self.timed(lambda: status_projects().unresolved_in(cycle).count(), runs)
        self.emit(figure="unresolved_count_ms", projects=size, unresolved=count, p50=round(statistics.median(times), 1))
        rows, times = self.timed(lambda: list(status_projects().unresolved_report(cycle)[:50]), runs)
        self.emit(
            figure="unresolved_report_first_50_ms", projects=size, what="first 50 rows with follow-up figures",
            p50=round(statistics.median(times), 1),
        )

    def pages(self, size, requests):
        busiest = Project.objects.order_by().values_list("region__slug").annotate(n=Count("id")).order_by("-n").first()
        slug = busiest[0] if busiest else Region.objects.first().slug
        pages = {
            "projects list": "/projects/",
            "unresolved": "/unresolved/",
            "region": f"/regions/{slug}/",
            "overview": "/",
            "projects list filtered": "/projects/?status=stalled&sector=energy&ordering=-amount",
        }
        client = Client(SERVER_NAME="localhost")
        # settled as a server process is before its first request
        with runtime.settled(), override_settings(TRACKER_PAGE_CACHE=False):
            for name, url in pages.items():
                for _ in range(3):  # warm-up
                    client.get(url)
                times, statuses = [], set()
                for _ in range(requests):
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - started) * 1000)
                    statuses.add(response.status_code)
                self.emit(
                    figure="page_server_ms", page=name, url=url, projects=size, requests=requests,
                    p50=round(percentile(times, 0.5), 1), p95=round(percentile(times, 0.95), 1),
                    statuses=sorted(statuses),
                )

    def export(self, size):
        for name, resource, queryset in (
            ("projects", ProjectResource(), Project.objects.order_by("reference")),
            ("evidence", EvidenceResource(), Evidence.objects.order_by("pk")),
        ):
            rows = queryset.count()
            if rows > 200_000:  # a whole-file dataset in memory: keep the run's peak sensible
                queryset = queryset.filter(pk__in=queryset.values("pk")[:200_000])
                rows = 200_000
            started = time.perf_counter()
            content = CSV().export_data(resource.export(queryset))
            elapsed = time.perf_counter() - started
            self.emit(
                figure="export_csv_rows_per_second", dataset=name, projects=size, rows=rows,
                bytes=len(content.encode("utf-8")), value=round(rows / elapsed),
            )
