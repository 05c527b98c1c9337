"""Import speed: ours against a plain django-import-export ModelResource, same file, same run.

Prints one JSON line per figure. Everything happens inside a transaction that is rolled
back at the end, so the database is left as it was.
"""

import csv
import io
import json
import random
import resource
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from import_export import fields, resources, widgets

from ratings.models import Cycle, Region
from tracker.spreadsheets.formats import CSV
from tracker.models import Evidence, Project, Source
from tracker.spreadsheets.resources import EvidenceResource
from tracker.spreadsheets.importer import import_datasets, read_dataset

KINDS = [k.value for k in Evidence.Kind]
COLUMNS = ["reference", "project", "cycle", "date", "date_precision", "kind", "summary", "source", "locator", "attribution"]


class NumeralWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return Cycle.objects.by_numeral(value)


class PlainEvidenceResource(resources.ModelResource):
    """What a project would write with django-import-export's defaults."""

    project = fields.Field("project", "project", widgets.ForeignKeyWidget(Project, "reference"))
    cycle = fields.Field("cycle", "cycle", NumeralWidget())
    date = fields.Field("occurred_on", "date", widgets.DateWidget())
    date_precision = fields.Field("precision", "date_precision")
    source = fields.Field("source", "source", widgets.ForeignKeyWidget(Source, "title"))

    class Meta:
        model = Evidence
        import_id_fields = ["reference"]
        fields = ["reference", "project", "cycle", "date", "date_precision", "kind", "summary", "source", "locator", "attribution"]


class Rollback(Exception):
    pass


def peak_memory_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Benchmark evidence import from CSV: ours vs a plain ModelResource (JSON lines)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument(
            "--plain-rows", type=int, default=None,
            help="Rows for the plain resource (default: all; it is slow).",
        )
        parser.add_argument("--seed", type=int, default=1)

    def emit(self, **figure):
        figure.setdefault("database", connection.vendor)
        self.stdout.write(json.dumps(figure))

    def handle(self, *args, rows, plain_rows, seed, **options):
        plain_rows = rows if plain_rows is None else min(plain_rows, rows)
        try:
            with transaction.atomic():
                content = self.prepare(rows, random.Random(seed))
                self.emit(figure="file", rows=rows, bytes=len(content))

                with transaction.atomic():
                    before = Evidence.objects.count()
                    started = time.perf_counter()
                    report = import_datasets([("evidence", read_dataset(content, "evidence.csv"))])
                    ours = rows / (time.perf_counter() - started)
                    assert report.ok, report.problems[:3]
                    assert Evidence.objects.count() == before + rows
                    self.emit(figure="import_rows_per_second", implementation="tracker", rows=rows, value=round(ours))
                    self.emit(figure="peak_memory_mb", after="tracker import", rows=rows, value=round(peak_memory_mb()))

                    started = time.perf_counter()
                    exported = CSV().export_data(EvidenceResource().export(Evidence.objects.all()))
                    export_rate = (before + rows) / (time.perf_counter() - started)
                    self.emit(figure="export_csv_rows_per_second", rows=before + rows, bytes=len(exported), value=round(export_rate))
                    transaction.set_rollback(True)

                with transaction.atomic():
                    plain_dataset = read_dataset(content, "evidence.csv")
                    if plain_rows < rows:
                        plain_dataset = plain_dataset.subset(rows=range(plain_rows))
                    started = time.perf_counter()
                    result = PlainEvidenceResource().import_data(plain_dataset, dry_run=False, use_transactions=True)
                    plain = plain_rows / (time.perf_counter() - started)
                    assert not result.has_errors() and not result.has_validation_errors()
                    self.emit(figure="import_rows_per_second", implementation="plain ModelResource", rows=plain_rows, value=round(plain))
                    transaction.set_rollback(True)

                self.emit(figure="import_speed_ratio", rows=rows, value=round(ours / plain, 1))
                self.emit(figure="peak_memory_mb", after="both imports", rows=rows, value=round(peak_memory_mb()))
                raise Rollback
        except Rollback:
            pass

    def prepare(self, rows, rng):
        """Cycles, a region, a source and rows/10 projects; returns the evidence CSV."""
        cycles = []
        for number, (start, end) in enumerate([(None, "2023-05-31"), ("2023-06-01", "2025-05-31"), ("2025-06-01", "2026-05-31")], 1):
            cycle, _ = Cycle.objects.get_or_create(number=number, defaults={"period_start": start, "period_end": end})
            cycles.append(cycle)
        region, _ = Region.objects.get_or_create(
            iso_code="RU-BNX", defaults={"name_ru": "Эталонная область", "name_en": "Benchmark Oblast", "slug": "benchmark-oblast"}
        )
        source, _ = Source.objects.get_or_create(title="Benchmark source", defaults={"kind": Source.Kind.OTHER})
        projects = [
            Project(reference=f"BNX-{i:05d}", title_ru=f"Проект {i}", title_en=f"Project {i}", region=region,
                    sector=Project.Sector.OTHER, first_cycle=cycles[i % 2])
            for i in range(1, max(rows // 10, 1) + 1)
        ]
        Project.objects.bulk_create(projects, batch_size=2000)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        numerals = ["I", "II", "III"]
        for i in range(rows):
            project = projects[i % len(projects)]
            year = rng.randint(2016, 2026)
            writer.writerow([
                f"{project.reference}-E{i // len(projects) + 1}", project.reference, numerals[rng.randint(1, 2)],
                f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "day", rng.choice(KINDS),
                f"Observation {i}: supplies, construction or talks reported.", source.title,
                "Synthetic section", "",
            ])
        return out.getvalue().encode("utf-8")
