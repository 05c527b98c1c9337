"""Small helpers that build domain objects with sensible defaults."""

import datetime
import itertools

from ratings.models import Cycle, Rating, Region
from tracker.models import Evidence, Organization, Participation, Project, Source
from tracker.status import history

_counter = itertools.count(1)

CYCLE_PERIODS = {
    1: (None, datetime.date(2023, 5, 31), datetime.date(2023, 6, 1)),
    2: (datetime.date(2023, 6, 1), datetime.date(2025, 5, 31), datetime.date(2025, 6, 1)),
    3: (datetime.date(2025, 6, 1), datetime.date(2026, 5, 31), datetime.date(2026, 6, 1)),
    4: (datetime.date(2026, 6, 1), datetime.date(2027, 5, 31), None),
}


def make_cycle(number, **fields):
    start, end, published = CYCLE_PERIODS.get(number, (None, None, None))
    defaults = {
        "period_start": start,
        "period_end": end,
        "published_on": published,
        "is_published": published is not None,
        "title": f"Edition {number}",
    }
    defaults.update(fields)
    cycle = Cycle.objects.filter(number=number).first()
    return cycle or history.save_cycle(Cycle(number=number, **defaults))


def make_cycles(count=3):
    return [make_cycle(number) for number in range(1, count + 1)]


def make_region(name_en="Amur Oblast", iso_code=None, **fields):
    n = next(_counter)
    defaults = {
        "name_ru": fields.pop("name_ru", f"Регион {n}"),
        "name_en": name_en,
        "slug": fields.pop("slug", f"region-{n}"),
        "iso_code": iso_code or f"RU-R{n % 100:02d}",
        "federal_district": Region.FederalDistrict.FAR_EASTERN,
    }
    defaults.update(fields)
    return Region.objects.create(**defaults)


def make_rating(region, cycle, score, **fields):
    return Rating.objects.create(region=region, cycle=cycle, score=score, **fields)


def make_organization(name=None, country="CN", **fields):
    name = name or f"Organization {next(_counter)}"
    return Organization.objects.create(name=name, country=country, **fields)


def make_source(title=None, **fields):
    fields.setdefault("kind", Source.Kind.RATING_REPORT)
    return Source.objects.create(title=title or f"Source {next(_counter)}", **fields)


def make_project(region, first_cycle, reference=None, **fields):
    n = next(_counter)
    defaults = {
        "reference": reference or f"TST-{n:03d}",
        "title_ru": f"Проект {n}",
        "title_en": f"Project {n}",
        "sector": Project.Sector.LOGISTICS,
    }
    defaults.update(fields)
    return history.create_project(Project(region=region, first_cycle=first_cycle, **defaults))


def add_partner(project, organization, role=Participation.Role.INVESTOR):
    return Participation.objects.create(project=project, organization=organization, role=role)


def add_evidence(project, cycle, kind=Evidence.Kind.EFFORT, occurred_on=None, source=None, **fields):
    return Evidence.objects.create(
        project=project,
        cycle=cycle,
        kind=kind,
        occurred_on=occurred_on,
        precision="day" if occurred_on else "",
        summary=fields.pop("summary", "Something was observed."),
        source=source or Source.objects.first() or make_source(),
        **fields,
    )
