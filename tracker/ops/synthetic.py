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
from tracker.models import search
from tracker.models.data_version import bump
from tracker.spreadsheets.importer import import_datasets, read_dataset
from tracker.status import history as status_history
from tracker.status import letters as paths

CYCLES = 10
FIRST_PERIOD_END = datetime.date(2017, 5, 31)

#: Chance of each status at the end of a cycle, given the status at its start.
_A, _S, _L, _D = Project.Status.ANNOUNCED, Project.Status.STALLED, Project.Status.LAUNCHED, Project.Status.DROPPED
MOVES = {
    _A: [(_A, 45), (_S, 27), (_L, 18), (_D, 10)],
    _S: [(_S, 50), (_A, 10), (_L, 14), (_D, 26)],
    _L: [(_L, 96), (_S, 4)],
    _D: [(_D, 98), (_A, 2)],
}
_K = Evidence.Kind
EVIDENCE_FOR = {_A: _K.FOLLOW_UP, _S: _K.SETBACK, _L: _K.RESULT, _D: _K.CONTRADICTION}
OTHER_KINDS = [_K.EFFORT, _K.EFFORT, _K.FOLLOW_UP, _K.FOLLOW_UP, _K.RESULT, _K.SETBACK]
SECTORS = [s.value for s in Project.Sector]
CURRENCIES = ["RUB", "USD", "CNY"]
ROLES = [r.value for r in Participation.Role]
SUMMARIES = {
    _K.EFFORT: "Talks, a visit or a memorandum on {ref}.",
    _K.FOLLOW_UP: "{ref} mentioned again with no visible progress.",
    _K.SETBACK: "Work on {ref} reported paused or delayed.",
    _K.RESULT: "Construction, deliveries or operation reported for {ref}.",
    _K.CONTRADICTION: "A party denies or abandons {ref}.",
}
SUMMARIES_RU = {
    _K.EFFORT: "Переговоры, визит или меморандум по проекту {ref}.",
    _K.FOLLOW_UP: "Проект {ref} упомянут снова, заметного продвижения нет.",
    _K.SETBACK: "Сообщается о приостановке или задержке работ по проекту {ref}.",
    _K.RESULT: "Сообщается о строительстве, поставках или работе проекта {ref}.",
    _K.CONTRADICTION: "Одна из сторон отрицает проект {ref} или отказывается от него.",
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
    if counts.cycles:
        status_history.cycles_changed()
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


@dataclass
class _Batch:
    """The rows of one run, with the next free id of each table."""

    project_id: int
    evidence_id: int
    change_id: int
    projects: list = field(default_factory=list)
    participations: list = field(default_factory=list)
    evidence: list = field(default_factory=list)
    changes: list = field(default_factory=list)


@transaction.atomic
def generate(projects, *, seed=1, evidence_per_project=10, progress=None):
    """Add `projects` synthetic projects (and everything around them); returns Counts."""
    rng = random.Random(seed)
    counts = Counts()
    cycles = ensure_cycles(counts)
    regions = ensure_regions(counts)
    counts.ratings = _add_ratings(rng, cycles, regions)
    source_ids = _sources(cycles, counts)
    org_ids = _add_organizations(max(10, projects // 25))
    counts.organizations = len(org_ids)
    world = _World(rng, cycles, _cycle_days(cycles), source_ids, org_ids, status_history.path_length(), _stamp())
    batch = _Batch(_next_id(Project), _next_id(Evidence), _next_id(StatusChange))
    numbers = _taken_reference_numbers()
    statuses = dict.fromkeys(paths.CODES, 0)  # status at the end of the last cycle
    for index in range(projects):
        region = regions[rng.randrange(len(regions))]
        head = "S" + region.iso_code.split("-")[-1][:5]
        numbers[head] = numbers.get(head, 0) + 1
        status = _add_project(world, batch, region, f"{head}-{numbers[head]:05d}", evidence_per_project)
        statuses[status] += 1
        if progress and (index + 1) % 10_000 == 0:
            progress(index + 1)
    with search.deferred():
        _write(batch)
    counts.projects, counts.evidence = len(batch.projects), len(batch.evidence)
    counts.status_changes, counts.participations = len(batch.changes), len(batch.participations)
    counts.statuses = statuses
    return counts


@dataclass
class _World:
    rng: random.Random
    cycles: list
    days: list  # per cycle index: the dates of its period, adapted for the database
    source_ids: list
    org_ids: list
    length: int
    stamp: object


def _stamp():
    moment = timezone.make_aware(datetime.datetime(2026, 6, 1, 12, 0), datetime.timezone.utc)
    return connection.ops.adapt_datetimefield_value(moment)


def _cycle_days(cycles):
    adapt_date = connection.ops.adapt_datefield_value
    days, previous_end = [], None
    for cycle in cycles:
        days.append([adapt_date(d) for d in _days(cycle, previous_end)])
        previous_end = cycle.period_end
    return days


def _add_ratings(rng, cycles, regions):
    """Ratings for every region and cycle that has none."""
    rated = set(Rating.objects.values_list("region_id", "cycle_id"))
    ratings = [
        (region.pk, cycle.pk, rng.randint(1, 10), "", "", "")
        for cycle in cycles
        for region in regions
        if (region.pk, cycle.pk) not in rated
    ]
    _insert(Rating, ["region_id", "cycle_id", "score", "public_note_ru", "public_note_en", "note"], ratings)
    return len(ratings)


def _sources(cycles, counts):
    source_ids = []
    for cycle in cycles:
        source, made = Source.objects.get_or_create(
            title=f"Synthetic source, cycle {cycle.numeral}",
            defaults={"kind": Source.Kind.OTHER, "language": Source.Language.ENGLISH},
        )
        source_ids.append(source.pk)
        counts.sources += made
    return source_ids


def _add_organizations(wanted):
    org_id = _next_id(Organization)
    taken = set(Organization.objects.filter(name__startswith="Synthetic partner ").values_list("name", flat=True))
    rows, number = [], 0
    while len(rows) < wanted:
        number += 1
        name = f"Synthetic partner {number:06d}"
        if name not in taken:
            rows.append((org_id + len(rows), name, "", "CN", Organization.Kind.COMPANY.value, ""))
    _insert(Organization, ["id", "name", "name_en", "country", "kind", "note"], rows)
    return [row[0] for row in rows]


def _taken_reference_numbers():
    numbers = {}
    for taken in Project.objects.filter(reference__startswith="S").values_list("reference", flat=True):
        head, _dash, tail = taken.partition("-")
        numbers[head] = max(numbers.get(head, 0), int(tail))
    return numbers


def _evidence_row(world, batch, reference, key, number, day, kind):
    batch.evidence.append((
        batch.evidence_id, f"{reference}-{key}", batch.project_id, world.cycles[number].pk,
        day, "day" if day else "", kind, SUMMARIES[kind].format(ref=reference),
        SUMMARIES_RU[kind].format(ref=reference), world.source_ids[number], "", "", "", world.stamp,
    ))
    batch.evidence_id += 1
    return batch.evidence_id - 1


def _random_history(world, batch, reference, first):
    """The status history, cycle by cycle from the first one: [(cycle index, effective
    date or None, status, evidence id or None)], with evidence for each move."""
    rng = world.rng
    status = Project.Status.ANNOUNCED
    changes = [(first, None, status, None)]
    for number in range(first + 1, CYCLES):
        new = _weighted(rng, MOVES[status])
        if new != status:
            effective_on = rng.choice(world.days[number]) if rng.random() < 0.7 else None
            day = effective_on or rng.choice(world.days[number])
            cited = _evidence_row(world, batch, reference, f"E{len(changes) + 1}", number, day, EVIDENCE_FOR[new])
            changes.append((number, effective_on, new, cited))
            status = new
    return changes


def _add_project(world, batch, region, reference, evidence_per_project):
    """One project with its history, evidence and participant; returns its status now."""
    rng = world.rng
    first = min(int(rng.triangular(0, CYCLES, CYCLES * 0.7)), CYCLES - 1)
    announced = rng.choice(world.days[first]) if rng.random() < 0.8 else None
    amount = round(rng.lognormvariate(6, 2), 2) if rng.random() < 0.7 else None
    changes = _random_history(world, batch, reference, first)
    extra = max(0, rng.randint(evidence_per_project // 2, evidence_per_project * 3 // 2) - (len(changes) - 1))
    for k in range(extra):  # the rest of the evidence, spread over the project's cycles
        number = rng.randint(first, CYCLES - 1)
        kind = OTHER_KINDS[rng.randrange(len(OTHER_KINDS))]
        day = rng.choice(world.days[number]) if rng.random() < 0.9 else None
        _evidence_row(world, batch, reference, f"X{k + 1}", number, day, kind)
    recorded = []
    for number, effective_on, status, cited in changes:
        initial = cited is None
        batch.changes.append((
            batch.change_id, batch.project_id, world.cycles[number].pk, status, effective_on, cited,
            StatusChange.Basis.STATED, status_history.FIRST_REPORTED_NOTE_RU if initial else "",
            status_history.FIRST_REPORTED_NOTE if initial else "", "", initial, world.stamp,
        ))
        recorded.append((number + 1, effective_on, batch.change_id, status, StatusChange.Basis.STATED))
        batch.change_id += 1
    path, basis_path = paths.paths(first + 1, recorded, world.length)
    status = paths.current_status(path)
    batch.projects.append((
        batch.project_id, reference, *_title(batch.project_id, reference),
        region.pk, "", SECTORS[rng.randrange(len(SECTORS))], announced, "day" if announced else "",
        amount, CURRENCIES[rng.randrange(3)] if amount is not None else "", world.cycles[first].pk, first + 1,
        status, path, basis_path, "", "", "", world.stamp, world.stamp, 1,
    ))
    batch.participations.append(
        (batch.project_id, world.org_ids[rng.randrange(len(world.org_ids))], ROLES[rng.randrange(len(ROLES))])
    )
    batch.project_id += 1
    return status


#: What synthetic projects are, so that a search finds some of them and not others.
TITLES = [
    ("Завод по переработке древесины", "Wood processing plant"),
    ("Мост через реку", "River bridge"),
    ("Логистический терминал", "Logistics terminal"),
    ("Тепличный комплекс", "Greenhouse complex"),
    ("Завод по переработке сои", "Soybean processing plant"),
    ("Горно-обогатительный комбинат", "Mining and processing plant"),
    ("Торгово-выставочный центр", "Trade and exhibition centre"),
    ("Газохимический комплекс", "Gas chemical complex"),
    ("Зерновой терминал", "Grain terminal"),
    ("Автосборочное производство", "Car assembly plant"),
    ("Туристический кластер", "Tourist cluster"),
    ("Канатная дорога", "Cable car"),
    ("Индустриальный парк", "Industrial park"),
    ("Животноводческий комплекс", "Livestock complex"),
    ("Солнечная электростанция", "Solar power plant"),
    ("Склад временного хранения", "Bonded warehouse"),
    ("Целлюлозный комбинат", "Pulp mill"),
    ("Морской порт", "Seaport"),
    ("Железнодорожный пункт пропуска", "Railway border crossing"),
    ("Центр обработки данных", "Data centre"),
]


def _title(number, reference):
    russian, english = TITLES[number % len(TITLES)]
    return f"{russian} {reference}", f"{english} {reference}"


def _write(batch):
    _insert(Project, [
        "id", "reference", "title_ru", "title_en", "region_id", "location", "sector", "announced_on",
        "announced_precision", "amount", "currency", "first_cycle_id", "first_number", "status", "status_path", "basis_path",
        "public_note_ru", "public_note_en", "note",
        "created_at", "updated_at", "version",
    ], batch.projects)
    _insert(Evidence, [
        "id", "reference", "project_id", "cycle_id", "occurred_on", "precision", "kind", "summary",
        "summary_ru", "source_id", "locator", "attribution", "attribution_ru", "recorded_at",
    ], batch.evidence)
    _insert(StatusChange, [
        "id", "project_id", "cycle_id", "status", "effective_on", "evidence_id", "basis",
        "public_note_ru", "public_note_en", "note", "is_initial", "recorded_at",
    ], batch.changes)
    _insert(Participation, ["project_id", "organization_id", "role"], batch.participations)
    _reset_sequences()
    bump()


def _reset_sequences():
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(
        no_style(), [Organization, Project, Evidence, StatusChange, Participation, Rating]
    )
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
