"""Import speed: ours against django-import-export and against the database itself, on the
same evidence CSV in the same run.

Four ways of loading the file are timed:

- the tracker (`import_datasets`: validation, the cycle lock, audit, all or nothing);
- a *tuned* django-import-export resource, written the way a careful user of the library
  would (bulk writes, no diff, cached instance loader, foreign keys looked up once);
- a plain django-import-export `ModelResource` with the library's defaults (slow, so it
  can be given fewer rows);
- raw `executemany` of the same rows, already resolved to ids, into the evidence table —
  the cheapest honest lower bound for an INSERT-based import (on PostgreSQL also raw
  `COPY`, the fastest way into a table there).

The tracker and the two resources are each given the file parsed into a Dataset (the
parse, which all of them share, is timed once on its own, and the tracker once more from
the file's bytes); the raw writes start from rows ready to send. Each figure is one JSON
line; its "text" says it in words. Everything happens inside a transaction that is
rolled back at the end, so the database is left as it was.
"""

import csv
import datetime
import io
import json
import random
import resource
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from import_export import fields, instance_loaders, resources, widgets

from ratings.models import Cycle, Region
from tracker.models import Evidence, Project, Source
from tracker.spreadsheets.formats import CSV
from tracker.spreadsheets.importer import import_datasets, read_dataset
from tracker.spreadsheets.resources import EvidenceResource

KINDS = [k.value for k in Evidence.Kind]
COLUMNS = ["reference", "project", "cycle", "date", "date_precision", "kind", "summary", "source", "locator", "attribution"]
#: Evidence columns written by the raw inserts, in the order of `raw_rows`.
RAW_COLUMNS = [
    "reference", "project_id", "cycle_id", "occurred_on", "precision", "kind", "summary", "summary_ru",
    "source_id", "locator", "attribution", "attribution_ru", "in_edition", "recorded_by_id", "recorded_at",
]


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
        import_id_fields = ("reference",)
        fields = tuple(COLUMNS)


class CachedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A ForeignKeyWidget whose related rows are fetched once per import (`load`), in one
    query for the values the file names, instead of one query per row."""

    def __init__(self, model, field="pk", **kwargs):
        super().__init__(model, field, **kwargs)
        self.rows = {}

    def load(self, values):
        wanted = {str(value).strip() for value in values if value}
        queryset = self.get_queryset(None, None).filter(**{f"{self.field}__in": wanted})
        self.rows = {str(getattr(obj, self.field)): obj for obj in queryset}

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        try:
            return self.rows[str(value).strip()]
        except KeyError:
            raise ValueError(f"{self.model.__name__} “{value}” does not exist.") from None


class CachedNumeralWidget(widgets.Widget):
    """A cycle by its numeral, from a dict of all cycles built once per import."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.cycles = {}

    def load(self):
        self.cycles = {cycle.numeral: cycle for cycle in Cycle.objects.all()}

    def clean(self, value, row=None, **kwargs):
        try:
            return self.cycles[str(value).strip()]
        except KeyError:
            raise ValueError(f"There is no cycle “{value}”.") from None


class TunedEvidenceResource(resources.ModelResource):
    """What a careful user of django-import-export writes for a large file: bulk inserts in
    batches of 1000, no diff, no lookup of existing rows per row, and foreign keys looked
    up once per import. Validation is what the library does by default (no full_clean)."""

    project = fields.Field("project", "project", CachedForeignKeyWidget(Project, "reference"))
    cycle = fields.Field("cycle", "cycle", CachedNumeralWidget())
    date = fields.Field("occurred_on", "date", widgets.DateWidget("%Y-%m-%d"))
    date_precision = fields.Field("precision", "date_precision")
    source = fields.Field("source", "source", CachedForeignKeyWidget(Source, "title"))

    class Meta:
        model = Evidence
        import_id_fields = ("reference",)
        fields = tuple(COLUMNS)
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        skip_unchanged = False
        force_init_instance = True
        instance_loader_class = instance_loaders.CachedInstanceLoader

    def before_import(self, dataset, **kwargs):
        self.fields["project"].widget.load(dataset["project"])
        self.fields["source"].widget.load(dataset["source"])
        self.fields["cycle"].widget.load()
        super().before_import(dataset, **kwargs)


class Rollback(Exception):
    pass


def peak_memory_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function):
    started = time.perf_counter()
    value = function()
    return value, time.perf_counter() - started


class Command(BaseCommand):
    help = "Benchmark evidence import from CSV: ours vs django-import-export and raw inserts (JSON lines)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument(
            "--plain-rows", type=int, default=None,
            help="Rows for the plain resource (default: all; it is slow; 0 skips it).",
        )
        parser.add_argument("--seed", type=int, default=1)

    def emit(self, **figure):
        figure.setdefault("database", connection.vendor)
        self.stdout.write(json.dumps(figure, ensure_ascii=False))
        self.stdout.flush()

    def emit_rate(self, implementation, rows, seconds):
        rate = rows / seconds
        self.emit(
            figure="import_rows_per_second", implementation=implementation, rows=rows,
            seconds=round(seconds, 2), value=round(rate),
            text=f"{implementation}: {rows:,} rows in {seconds:.2f} s = {rate:,.0f} rows/s",
        )
        return rate

    def handle(self, *args, rows, plain_rows, seed, **options):
        plain_rows = rows if plain_rows is None else min(plain_rows, rows)
        # Timings without the debug cursor (it records every query and, on SQLite, quotes
        # every parameter of each statement again).
        debug, settings.DEBUG = settings.DEBUG, False
        try:
            with transaction.atomic():
                content = self.prepare(rows, random.Random(seed))
                self.emit(figure="file", rows=rows, bytes=len(content), text=f"evidence CSV: {rows:,} rows, {len(content):,} bytes")
                _, seconds = timed(lambda: read_dataset(content, "evidence.csv"))
                self.emit(figure="csv_parse_seconds", rows=rows, value=round(seconds, 2), text=f"parsing the CSV: {seconds:.2f} s")
                self.time_ours_from_file(content, rows)
                rates = {"ours": self.time_ours(content, rows)}
                rates["tuned"] = self.time_tuned(content, rows)
                if plain_rows:
                    rates["plain"] = self.time_plain(content, plain_rows)
                rates.update(self.time_raw(content))
                self.emit_ratios(rows, rates)
                self.emit(figure="peak_memory_mb", after="all imports", rows=rows, value=round(peak_memory_mb()))
                raise Rollback
        except Rollback:
            pass
        finally:
            settings.DEBUG = debug

    def time_ours_from_file(self, content, rows):
        with transaction.atomic():
            report, seconds = timed(lambda: import_datasets([("evidence", read_dataset(content, "evidence.csv"))]))
            assert report.ok, report.problems[:3]
            self.emit_rate("tracker, from the file's bytes", rows, seconds)
            transaction.set_rollback(True)

    def time_ours(self, content, rows):
        with transaction.atomic():
            before = Evidence.objects.count()
            dataset = read_dataset(content, "evidence.csv")
            report, seconds = timed(lambda: import_datasets([("evidence", dataset)]))
            assert report.ok, report.problems[:3]
            assert Evidence.objects.count() == before + rows
            rate = self.emit_rate("tracker", rows, seconds)
            self.emit(figure="peak_memory_mb", after="tracker import", rows=rows, value=round(peak_memory_mb()))
            exported, seconds = timed(lambda: CSV().export_data(EvidenceResource().export(Evidence.objects.all())))
            self.emit(figure="export_csv_rows_per_second", rows=before + rows, bytes=len(exported), value=round((before + rows) / seconds))
            transaction.set_rollback(True)
        return rate

    def time_tuned(self, content, rows):
        with transaction.atomic():
            dataset = read_dataset(content, "evidence.csv")
            result, seconds = timed(lambda: TunedEvidenceResource().import_data(dataset, dry_run=False, use_transactions=True))
            assert not result.has_errors() and not result.has_validation_errors(), result.base_errors[:1] or result.row_errors()[:1]
            assert Evidence.objects.filter(reference__startswith="BNX-").count() == rows
            transaction.set_rollback(True)
        return self.emit_rate("tuned django-import-export", rows, seconds)

    def time_plain(self, content, plain_rows):
        with transaction.atomic():
            dataset = read_dataset(content, "evidence.csv").subset(rows=range(plain_rows))
            result, seconds = timed(lambda: PlainEvidenceResource().import_data(dataset, dry_run=False, use_transactions=True))
            assert not result.has_errors() and not result.has_validation_errors()
            transaction.set_rollback(True)
        return self.emit_rate("plain ModelResource", plain_rows, seconds)

    def time_raw(self, content):
        """Raw writes of the file's rows, resolved to ids beforehand (not timed)."""
        values = raw_rows(content)
        quote = connection.ops.quote_name
        table, columns = quote(Evidence._meta.db_table), ", ".join(quote(c) for c in RAW_COLUMNS)
        rates = {}
        with transaction.atomic():
            cursor = driver_cursor()
            placeholder = "?" if connection.vendor == "sqlite" else "%s"
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join([placeholder] * len(RAW_COLUMNS))})"
            _, seconds = timed(lambda: cursor.executemany(sql, values))
            cursor.close()
            rates["executemany"] = self.emit_rate("raw executemany", len(values), seconds)
            transaction.set_rollback(True)
        if connection.vendor == "postgresql":
            with transaction.atomic():
                cursor = driver_cursor()
                _, seconds = timed(lambda: copy_rows(cursor, f"COPY {table} ({columns}) FROM STDIN", values))
                cursor.close()
                rates["copy"] = self.emit_rate("raw COPY", len(values), seconds)
                transaction.set_rollback(True)
        return rates

    def emit_ratios(self, rows, rates):
        ours = rates["ours"]
        against = [("tuned", "tuned django-import-export", "×"), ("plain", "plain ModelResource", "×"),
                   ("executemany", "raw executemany", "%"), ("copy", "raw COPY", "%")]
        for key, name, unit in against:
            if key not in rates:
                continue
            ratio = ours / rates[key]
            if unit == "×":
                self.emit(figure="import_speed_ratio", against=name, rows=rows, value=round(ratio, 1), text=f"ours / {name} = {ratio:.1f}×")
            else:
                self.emit(figure="import_share_of_raw", against=name, rows=rows, value=round(100 * ratio), text=f"ours / {name} = {100 * ratio:.0f} %")

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


def raw_rows(content):
    """The file's rows as the evidence table stores them: keys resolved to ids, dates and
    the recording time adapted for the driver."""
    reader = csv.DictReader(io.StringIO(content.decode("utf-8")))
    projects = dict(Project.objects.values_list("reference", "id"))
    sources = dict(Source.objects.values_list("title", "id"))
    cycles = {cycle.numeral: cycle.pk for cycle in Cycle.objects.all()}
    ops = connection.ops
    now = ops.adapt_datetimefield_value(datetime.datetime.now(datetime.UTC))
    return [
        (
            row["reference"], projects[row["project"]], cycles[row["cycle"]],
            ops.adapt_datefield_value(datetime.date.fromisoformat(row["date"])), row["date_precision"],
            row["kind"], row["summary"], row.get("summary_ru", ""), sources[row["source"]], row["locator"],
            row["attribution"], row.get("attribution_ru", ""), Evidence._meta.get_field("in_edition").default, None, now,
        )
        for row in reader
    ]


def driver_cursor():
    """The database driver's own cursor, without Django's wrapper; on PostgreSQL one that
    binds parameters on the server, so executemany prepares the INSERT once."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        import psycopg

        return psycopg.Cursor(connection.connection)
    return connection.connection.cursor()


def copy_rows(cursor, sql, values):
    with cursor.copy(sql) as copy:
        for row in values:
            copy.write_row(row)
