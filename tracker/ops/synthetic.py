"""A synthetic dataset of any size, for benchmarks and load tests.

Every region of the seed list, ten cycles, N projects with about ten evidence rows each,
status histories that move the way announcements do (many stay announced or stall, some
launch, some are dropped), participants and ratings. The same seed gives the same rows.

Rows go in with one prepared INSERT per table and explicit ids, inside one transaction;
nothing is audited (the data is not anyone's work). References start with `S` so that
they never collide with the seed dataset's.
"""

import datetime
import random
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from ratings.models import Cycle, Rating, Region
from ratings.numerals import to_roman

from tracker.models import Evidence, Organization, Participation, Project, Source, StatusChange
from tracker.models.data_version import bump
from tracker.spreadsheets.importer import import_datasets, read_dataset
from tracker.status import history as status_history
from tracker.status import letters as paths

CYCLES = 10
FIRST_PERIOD_END = datetime.date(2017, 5, 31)

#: Chance of each status at the end of a cycle, given the status at its start.
MOVES = {
    "announced": [("announced", 45), ("stalled", 27), ("launched", 18), ("dropped", 10)],
    "stalled": [("stalled", 50), ("announced", 10), ("launched", 14), ("dropped", 26)],
    "launched": [("launched", 96), ("stalled", 4)],
    "dropped": [("dropped", 98), ("announced", 2)],
}
EVIDENCE_FOR = {"announced": "follow_up", "stalled": "setback", "launched": "result", "dropped": "contradiction"}
OTHER_KINDS = ["effort", "effort", "follow_up", "follow_up", "result", "setback"]
SECTORS = [s.value for s in Project.Sector]
CURRENCIES = ["RUB", "USD", "CNY"]
ROLES = [r.value for r in Participation.Role]
SUMMARIES = {
    "effort": "Talks, a visit or a memorandum on {ref}.",
    "follow_up": "{ref} mentioned again with no visible progress.",
    "setback": "Work on {ref} reported paused or delayed.",
    "result": "Construction, deliveries or operation reported for {ref}.",
    "contradiction": "A party denies or abandons {ref}.",
}


@dataclass
class Counts:
    cycles: int = 0
    regions: int = 0
    ratings: int = 0
    sources: int = 0
    organizations: int = 0
    projects: int = 0
    participations: int = 0
    evidence: int = 0
    status_changes: int = 0
    statuses: dict = field(default_factory=dict)


def _weighted(rng, options):
    total = sum(weight for _value, weight in options)
    pick = rng.random() * total
    for value, weight in options:
        pick -= weight
        if pick < 0:
            return value
    return options[-1][0]


def _insert(model, columns, rows):
    """One prepared INSERT for `rows` (tuples in the order of `columns`, attnames)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in columns]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: one stream instead of a round trip per row
            names = ", ".join(quote(f.column) for f in fields)
            with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        if connection.vendor == "sqlite":  # room for the indexes being filled
            cursor.execute("PRAGMA cache_size=-1000000")
        for start in range(0, len(rows), 10_000):
            cursor.executemany(sql, rows[start : start + 10_000])


def _next_id(model):
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def ensure_cycles(counts):
    """Cycles I–X: those present are kept, the missing ones follow yearly."""
    existing = {c.number: c for c in Cycle.objects.all()}
    previous_end = FIRST_PERIOD_END
    for number in range(1, CYCLES + 1):
        cycle = existing.get(number)
        if cycle is None:
            start = None if number == 1 else previous_end + datetime.timedelta(days=1)
            end = FIRST_PERIOD_END if number == 1 else datetime.date(previous_end.year + 1, 5, 31)
            cycle = Cycle.objects.create(
                number=number,
                title=f"Synthetic cycle {to_roman(number)}",
                period_start=start,
                period_end=end,
                published_on=end + datetime.timedelta(days=1) if number < CYCLES else None,
                is_published=number < CYCLES,
            )
            counts.cycles += 1
            existing[number] = cycle
        previous_end = cycle.period_end or previous_end
    return [existing[n] for n in range(1, CYCLES + 1)]


def ensure_regions(counts):
    if not Region.objects.exists():

        path = Path(settings.BASE_DIR) / "seeds" / "regions.csv"
        report = import_datasets([("regions", read_dataset(path.read_bytes(), path.name))])
        if not report.ok:
            raise ValueError(f"seeds/regions.csv: {report.problems[0]}")
        counts.regions = Region.objects.count()
    return list(Region.objects.order_by("iso_code"))


def _days(cycle, previous_end):
    start = cycle.period_start or (previous_end or cycle.period_end) - datetime.timedelta(days=364)
    end = cycle.period_end or start + datetime.timedelta(days=364)
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


@transaction.atomic
def generate(projects, *, seed=1, evidence_per_project=10, progress=None):
    """Add `projects` synthetic projects (and everything around them); returns Counts."""
    rng = random.Random(seed)
    counts = Counts()
    cycles = ensure_cycles(counts)
    regions = ensure_regions(counts)
    length = status_history.path_length()
    adapt_date = connection.ops.adapt_datefield_value
    days, previous_end = [], None
    for cycle in cycles:
        days.append([adapt_date(d) for d in _days(cycle, previous_end)])
        previous_end = cycle.period_end
    stamp = connection.ops.adapt_datetimefield_value(
        timezone.make_aware(datetime.datetime(2026, 6, 1, 12, 0), datetime.timezone.utc)
    )

    # Ratings for every region and cycle that has none.
    rated = set(Rating.objects.values_list("region_id", "cycle_id"))
    ratings = [
        (region.pk, cycle.pk, rng.randint(1, 10), "")
        for cycle in cycles
        for region in regions
        if (region.pk, cycle.pk) not in rated
    ]
    _insert(Rating, ["region_id", "cycle_id", "score", "note"], ratings)
    counts.ratings = len(ratings)

    source_ids = []
    for cycle in cycles:
        source, made = Source.objects.get_or_create(
            title=f"Synthetic source, cycle {cycle.numeral}", defaults={"kind": Source.Kind.OTHER, "language": "en"}
        )
        source_ids.append(source.pk)
        counts.sources += made

    wanted_orgs = max(10, projects // 25)
    org_id = _next_id(Organization)
    taken = set(Organization.objects.filter(name__startswith="Synthetic partner ").values_list("name", flat=True))
    organizations, org_ids, number = [], [], 0
    while len(org_ids) < wanted_orgs:
        number += 1
        name = f"Synthetic partner {number:06d}"
        if name in taken:
            continue
        organizations.append((org_id, name, "", "CN", "company", ""))
        org_ids.append(org_id)
        org_id += 1
    _insert(Organization, ["id", "name", "name_en", "country", "kind", "note"], organizations)
    counts.organizations = len(organizations)

    project_id, evidence_id, change_id = _next_id(Project), _next_id(Evidence), _next_id(StatusChange)
    numbers = {}
    for taken_reference in Project.objects.filter(reference__startswith="S").values_list("reference", flat=True):
        head, _dash, tail = taken_reference.partition("-")
        numbers[head] = max(numbers.get(head, 0), int(tail))
    project_rows, participation_rows, evidence_rows, change_rows = [], [], [], []
    statuses = dict.fromkeys(paths.CODES, 0)  # status at the end of the last cycle
    for index in range(projects):
        region = regions[rng.randrange(len(regions))]
        head = "S" + region.iso_code.split("-")[-1][:5]
        numbers[head] = numbers.get(head, 0) + 1
        reference = f"{head}-{numbers[head]:05d}"
        first = min(int(rng.triangular(0, CYCLES, CYCLES * 0.7)), CYCLES - 1)
        announced = rng.choice(days[first]) if rng.random() < 0.8 else None
        amount = round(rng.lognormvariate(6, 2), 2) if rng.random() < 0.7 else None

        # The status history, cycle by cycle from the first one.
        status, history = "announced", [(first, None, "announced", None)]
        for number in range(first + 1, CYCLES):
            new = _weighted(rng, MOVES[status])
            if new != status:
                history.append((number, rng.choice(days[number]) if rng.random() < 0.7 else None, new, evidence_id))
                evidence_rows.append((
                    evidence_id, f"{reference}-E{len(history)}", project_id, cycles[number].pk,
                    history[-1][1] or rng.choice(days[number]), "day", EVIDENCE_FOR[new],
                    SUMMARIES[EVIDENCE_FOR[new]].format(ref=reference), source_ids[number], "", "", stamp,
                ))
                evidence_id += 1
                status = new
        statuses[status] += 1
        # The rest of the evidence, spread over the project's cycles.
        extra = max(0, rng.randint(evidence_per_project // 2, evidence_per_project * 3 // 2) - (len(history) - 1))
        for k in range(extra):
            number = rng.randint(first, CYCLES - 1)
            kind = OTHER_KINDS[rng.randrange(len(OTHER_KINDS))]
            dated = rng.random() < 0.9
            evidence_rows.append((
                evidence_id, f"{reference}-X{k + 1}", project_id, cycles[number].pk,
                rng.choice(days[number]) if dated else None, "day" if dated else "", kind,
                SUMMARIES[kind].format(ref=reference), source_ids[number], "", "", stamp,
            ))
            evidence_id += 1
        changes = []
        for number, effective_on, new, cited in history:
            change_rows.append((
                change_id, project_id, cycles[number].pk, new, effective_on, cited,
                "First reported." if cited is None else "", cited is None, stamp,
            ))
            changes.append((number + 1, effective_on, change_id, new))
            change_id += 1
        path = paths.status_path(first + 1, changes, length)
        project_rows.append((
            project_id, reference, f"Синтетический проект {reference}", f"Synthetic project {reference}",
            region.pk, "", SECTORS[rng.randrange(len(SECTORS))], announced, "day" if announced else "",
            amount, CURRENCIES[rng.randrange(3)] if amount is not None else "", cycles[first].pk, first + 1,
            paths.current_status(path), path, "", stamp, stamp, 1,
        ))
        participation_rows.append((project_id, org_ids[rng.randrange(len(org_ids))], ROLES[rng.randrange(len(ROLES))]))
        project_id += 1
        if progress and (index + 1) % 10_000 == 0:
            progress(index + 1)

    _insert(Project, [
        "id", "reference", "title_ru", "title_en", "region_id", "location", "sector", "announced_on",
        "announced_precision", "amount", "currency", "first_cycle_id", "first_number", "status", "status_path", "note",
        "created_at", "updated_at", "version",
    ], project_rows)
    _insert(Evidence, [
        "id", "reference", "project_id", "cycle_id", "occurred_on", "precision", "kind", "summary",
        "source_id", "locator", "attribution", "recorded_at",
    ], evidence_rows)
    _insert(StatusChange, [
        "id", "project_id", "cycle_id", "status", "effective_on", "evidence_id", "note", "is_initial", "recorded_at",
    ], change_rows)
    _insert(Participation, ["project_id", "organization_id", "role"], participation_rows)
    _reset_sequences()
    bump()
    counts.projects, counts.evidence = len(project_rows), len(evidence_rows)
    counts.status_changes, counts.participations = len(change_rows), len(participation_rows)
    counts.statuses = statuses
    return counts


def _reset_sequences():
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(
        no_style(), [Organization, Project, Evidence, StatusChange, Participation, Rating]
    )
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
