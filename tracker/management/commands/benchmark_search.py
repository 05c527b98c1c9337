"""The search's speed at scale, one JSON line per figure: synthetic projects (about ten
evidence rows each) are added inside a transaction that is rolled back, then each search
is timed three ways — the researchers' projects page through the whole middleware stack
(page cache off; the process settled as a server's is, tracker/ops/runtime.py, and before
that as it would be without), the query alone (the count and the first page, as the page runs them),
and the fastest plain SQL over the same index (the floor: what no page can beat; on
PostgreSQL the typed words' stems alone, without their other forms) — and,
for scale, the substring matching the index replaces (every word by LIKE over each text,
a few runs only)."""

import json
import statistics
import time

from django.conf import settings
from django.core import signals
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.test import Client, override_settings

from tracker.models import Evidence, Participation, Project, words
from tracker.models.search import ALL, matching
from tracker.pages.search import RELEVANCE, SearchPaginator
from tracker.ops import runtime, synthetic

from .benchmark import Rollback, percentile

SEARCHES = [
    "мосты",
    "переработка древесины",
    "зерновых терминалов",
    "solar power plants",
    "приостановке",
    "SAMU-00042",
    "меморандум терминал",
    "квазиморф",
]


class Command(BaseCommand):
    help = "Benchmark the search at scale (synthetic data, rolled back); prints JSON lines."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=100_000, help="Synthetic projects added (default 100,000).")
        parser.add_argument("--evidence-per-project", type=int, default=10)
        parser.add_argument("--requests", type=int, default=30, help="Requests per search.")
        parser.add_argument("--seed", type=int, default=1)

    def emit(self, **figure):
        self.stdout.write(json.dumps({"database": connection.vendor, **figure}, ensure_ascii=False))
        self.stdout.flush()

    def handle(self, *args, projects, evidence_per_project, requests, seed, **options):
        settings.DEBUG = False
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            with transaction.atomic():
                started = time.perf_counter()
                synthetic.generate(projects, seed=seed, evidence_per_project=evidence_per_project)
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
                self.emit(
                    figure="synthetic_data", projects=Project.objects.count(), evidence=Evidence.objects.count(),
                    seconds=round(time.perf_counter() - started, 1),
                )
                self.measure(requests)
                raise Rollback
        except Rollback:
            pass
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)

    def measure(self, requests):
        client = Client(SERVER_NAME="localhost")
        pages, queries = [], []
        with override_settings(TRACKER_PAGE_CACHE=False):
            # The page as it would be served by a process that skipped its start-up
            # settling (Python's own collector settings), then settled as servers are.
            unsettled = {
                text: timed(lambda: client.get("/projects/", {"q": text}).status_code, requests)
                for text in SEARCHES
            }
            with runtime.settled():
                for text in SEARCHES:
                    found = matching(Project.objects.all(), text).count()
                    page = timed(lambda: client.get("/projects/", {"q": text}).status_code, requests)
                    query = timed(lambda: first_page(text), requests)
                    floor = timed(lambda: raw_first_page(text), requests)
                    pages += page.times
                    queries += query.times
                    self.emit(
                        figure="search_ms", search=text, found=found, statuses=sorted(set(page.results)),
                        page_p50=page.p50, page_p95=page.p95, query_p50=query.p50, query_p95=query.p95,
                        raw_sql_p95=floor.p95 if floor else None,
                        unsettled_page_p50=unsettled[text].p50, unsettled_page_p95=unsettled[text].p95,
                    )
        for text in SEARCHES[:3]:
            old = timed(lambda: substring_first_page(text), 3)
            self.emit(figure="substring_search_ms", search=text, what="every word by LIKE over each text", p50=old.p50)
        self.emit(
            figure="search_all_ms", searches=len(SEARCHES), requests=requests,
            page_p50=round(percentile(pages, 0.5), 1), page_p95=round(percentile(pages, 0.95), 1),
            query_p95=round(percentile(queries, 0.95), 1),
            unsettled_page_p95=round(percentile([t for u in unsettled.values() for t in u.times], 0.95), 1),
        )


class Timed:
    def __init__(self, times, results):
        self.times, self.results = times, results
        self.p50 = round(statistics.median(times), 1)
        self.p95 = round(percentile(times, 0.95), 1)


def timed(work, runs):
    times, results = [], []
    for _ in range(2):
        work()  # warm-up
    for _ in range(runs):
        started = time.perf_counter()
        results.append(work())
        times.append((time.perf_counter() - started) * 1000)
    return Timed(times, results)


def first_page(text):
    """The count and the first page's ids, counted and ordered as the projects page does."""
    page = SearchPaginator(matching(Project.objects.all(), text).order_by(*RELEVANCE), 50).page(1)
    return page.paginator.count, list(page.object_list.values_list("pk", flat=True))


def raw_first_page(text):
    if connection.vendor == "postgresql":
        return raw_first_page_postgres(text)
    expression = " AND ".join(
        "(" + " OR ".join('"' + " ".join(a) + '"' for a in term) + ")" for term in words.query_keys(text)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {ALL} WHERE {ALL} MATCH %s", [expression])
        count = cursor.fetchone()[0]
        cursor.execute(f"SELECT rowid FROM {ALL} WHERE {ALL} MATCH %s ORDER BY rank LIMIT 50", [expression])
        return count, cursor.fetchall()


def raw_first_page_postgres(text):
    """The floor on PostgreSQL: the typed words' stems (no other forms), the same GIN index."""
    query = "plainto_tsquery('russian', %s)"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {ALL} WHERE {ALL} @@ {query}", [text])
        count = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT rowid FROM {ALL} WHERE {ALL} @@ {query} ORDER BY ts_rank({ALL}, {query}) DESC LIMIT 50", [text, text]
        )
        return count, cursor.fetchall()


def substring_first_page(text):
    found = Project.objects.all()
    for word in text.split():
        found = found.filter(
            Q(reference__icontains=word) | Q(title_ru__icontains=word) | Q(title_en__icontains=word)
            | Exists(Evidence.objects.filter(project=OuterRef("pk")).filter(Q(summary_ru__icontains=word) | Q(summary__icontains=word)))
            | Exists(Participation.objects.filter(project=OuterRef("pk"), organization__name__icontains=word))
        )
    return found.count(), list(found.order_by("reference").values_list("pk", flat=True)[:50])
