"""The news matcher's accuracy and speed, one JSON line per figure (README "News inbox").

Accuracy is measured on a labelled set built from the seed data: every cycle-III evidence
row is a news item — its Russian and its English summary, each as the rating prints it,
under its region's heading («Амурская область: …»), and again as the bare sentence —
replayed against the record as it stood before cycle III. An item about a project first
reported earlier should find that project (top 1, top 3), its region and the row's kind;
an item about a project first reported in cycle III is about something new and should
find no candidate at or above the threshold. The honest alternative beside it: the best
fuzzy match (rapidfuzz token_set_ratio) of the text against every project's titles.

The set is split by region into two halves (`halves`: the regions in ISO-code order, every
other one): kind rules are added looking at the development half's misses only, so the
held-out half's figures are the nearer to out-of-sample ones.

Speed (`--projects N`): N synthetic projects are added inside a transaction that is rolled
back (the search index kept in step by its triggers), then items are matched one by one."""

import csv
import json
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from rapidfuzz import fuzz, process

from tracker.models import Evidence, Project, Source
from tracker.news.proposals import Matcher
from tracker.ops import synthetic

from .benchmark import Rollback, percentile

SEEDS = Path(settings.BASE_DIR) / "seeds"
HALVES = ("development", "held-out")


def halves(codes):
    """{region code: half}: in ISO-code order, the first, third, fifth… region is in the
    development half, the others are held out."""
    return {code: HALVES[position % 2] for position, code in enumerate(sorted(codes))}


def labelled_items(folder=SEEDS):
    """The labelled set: dicts of text, language, variant, expected project ("" when new),
    region code, its half and kind."""
    read = lambda name: list(csv.DictReader((folder / f"{name}.csv").open(encoding="utf-8")))  # noqa: E731
    projects = {row["reference"]: row for row in read("projects")}
    regions = {row["iso_code"]: row for row in read("regions")}
    half = halves(regions)
    items = []
    for row in read("evidence"):
        if row["cycle"] != "III":
            continue
        project = projects[row["project"]]
        earlier = project["first_cycle"] in ("I", "II")
        region = regions[project["region"]]
        heading_ru = row["locator"].split(" — ")[0].strip() or region["name_ru"]
        for language, text, heading in (("ru", row["summary_ru"], heading_ru), ("en", row["summary"], region["name_en"])):
            if not text:
                continue
            for variant, shown in (("heading", f"{heading}: {text}"), ("bare", text)):
                items.append({
                    "text": shown, "language": language, "variant": variant, "kind": row["kind"],
                    "project": row["project"] if earlier else "", "region": project["region"],
                    "half": half[project["region"]],
                })
    return items


class Command(BaseCommand):
    help = "Measure the news matcher: accuracy on the seed data's labelled set, speed at scale; prints JSON lines."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=0, help="Also time matching at this many synthetic projects.")
        parser.add_argument("--items", type=int, default=200, help="Items timed at scale.")
        parser.add_argument("--no-baseline", action="store_true", help="Skip the fuzzy-title alternative.")

    def emit(self, **figure):
        self.stdout.write(json.dumps({"database": connection.vendor, **figure}, ensure_ascii=False))
        self.stdout.flush()

    def handle(self, *args, projects, items, no_baseline, **options):
        labelled = labelled_items()
        try:
            with transaction.atomic():
                if not Project.objects.exists():
                    call_command("loadseeds", no_releases=True, stdout=open("/dev/null", "w"))
                self.accuracy(labelled, baseline=not no_baseline)
                if projects:
                    self.speed(labelled, projects, items)
                raise Rollback
        except Rollback:
            pass

    def accuracy(self, labelled, baseline):
        matcher = Matcher(before=3)
        for variant in ("heading", "bare"):
            chosen = [item for item in labelled if item["variant"] == variant]
            started = time.perf_counter()
            results = [(item, matcher.propose(item["text"])) for item in chosen]
            seconds = time.perf_counter() - started
            self.emit(figure="accuracy", variant=variant, items=len(chosen), **scores(results),
                      ms_per_item=round(1000 * seconds / len(chosen), 1))
            for key, value in [("language", "ru"), ("language", "en"), *(("half", h) for h in HALVES)]:
                part = [(i, p) for i, p in results if i[key] == value]
                self.emit(figure="accuracy", variant=variant, **{key: value}, items=len(part), **scores(part))
        if baseline:
            self.emit(figure="baseline_fuzzy_titles", **baseline_scores([i for i in labelled if i["variant"] == "heading"]))

    def speed(self, labelled, count, limit):
        started = time.perf_counter()
        synthetic.generate(count, seed=1, evidence_per_project=10)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.emit(figure="synthetic_data", projects=Project.objects.count(), evidence=Evidence.objects.count(),
                  seconds=round(time.perf_counter() - started, 1))
        project = Project.objects.order_by("-pk").first()
        write = time.perf_counter()
        Evidence.objects.create(project=project, cycle=project.first_cycle, kind=Evidence.Kind.EFFORT,
                                summary_ru="Подписано соглашение о мосте через Амур.", source=Source.objects.first())
        self.emit(figure="evidence_write_with_index", ms=round(1000 * (time.perf_counter() - write), 2))
        built = time.perf_counter()
        matcher = Matcher()
        self.emit(figure="matcher_built", ms=round(1000 * (time.perf_counter() - built), 1))
        timings = []
        for item in [i for i in labelled if i["variant"] == "heading"][:limit]:
            one = time.perf_counter()
            matcher.propose(item["text"])
            timings.append(1000 * (time.perf_counter() - one))
        self.emit(figure="match_at_scale", items=len(timings), mean_ms=round(statistics.mean(timings), 1),
                  p50_ms=round(percentile(timings, 0.5), 1), p95_ms=round(percentile(timings, 0.95), 1),
                  max_ms=round(max(timings), 1))


def scores(results):
    """Top-1 and top-3 of the project, region, kind, and new items left without a likely match."""
    earlier = [(i, p) for i, p in results if i["project"]]
    new = [(i, p) for i, p in results if not i["project"]]
    top = lambda p, n: [c.project.reference for c in p.candidates[:n]]  # noqa: E731
    share = lambda hits, total: round(hits / total, 3) if total else None  # noqa: E731
    return {
        "top1": share(sum(top(p, 1) == [i["project"]] for i, p in earlier), len(earlier)),
        "top3": share(sum(i["project"] in top(p, 3) for i, p in earlier), len(earlier)),
        "region": share(sum(p.region_codes[:1] == [i["region"]] for i, p in results), len(results)),
        "kind": share(sum(p.kind == i["kind"] for i, p in results), len(results)),
        "new_without_likely_match": share(sum(not p.likely for i, p in new), len(new)),
        "earlier_items": len(earlier), "new_items": len(new),
    }


def baseline_scores(items):
    """The alternative: rank every earlier project by the fuzzy match of its titles."""
    projects = list(Project.objects.filter(first_number__lt=3).values_list("reference", "title_ru", "title_en"))
    choices = {ref: f"{ru} {en}" for ref, ru, en in projects}
    earlier = [i for i in items if i["project"]]
    started = time.perf_counter()
    hits1 = hits3 = 0
    for item in earlier:
        best = [ref for _text, _score, ref in process.extract(item["text"], choices, scorer=fuzz.token_set_ratio, limit=3)]
        hits1 += best[:1] == [item["project"]]
        hits3 += item["project"] in best
    return {"top1": round(hits1 / len(earlier), 3), "top3": round(hits3 / len(earlier), 3),
            "ms_per_item": round(1000 * (time.perf_counter() - started) / len(earlier), 1)}
