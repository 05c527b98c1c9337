"""A small published record for the API — three published cycles, regions of two federal
districts, projects that differ in every way a filter can tell — and, in cycle IV, the
editors' drafts, which the API must never show."""

import datetime

import pytest
from django.core.cache import caches

from tests.factories import add_evidence, add_partner, make_cycle, make_organization, make_project, make_rating, make_region, make_source
from tracker.models import Evidence, Project, StatusChange
from tracker.status import history

S, B = Project.Status, StatusChange.Basis

#: Words found only in what the editors record in cycle IV.
DRAFT_WORDS = ["AMU-140", "Quasimorph", "Квазиморф", "Zanzibarite", "Занзибарит", "Fengtaixing"]


@pytest.fixture(autouse=True)
def generous_rates(settings):
    """Tests send many requests a minute; the rate limit is tested with rates of its own."""
    settings.TRACKER_API_ANON_PER_MINUTE = 100_000
    settings.TRACKER_API_USER_PER_MINUTE = 100_000
    caches["default"].clear()


def api(client, path, params=None, language="en", **headers):
    """The JSON of a GET that answered 200."""
    if language:
        headers["HTTP_ACCEPT_LANGUAGE"] = language
    response = client.get(path, params or {}, **headers)
    assert response.status_code == 200, (path, params, response.content[:500])
    return response.json()


def results(client, path, params=None, language="en"):
    """Every result of a list, all pages read."""
    params = {**(params or {}), "page_size": 200}
    found, page = [], 1
    while True:
        body = api(client, path, {**params, "page": page}, language)
        found += body["results"]
        if not body["next"]:
            return found
        page += 1


@pytest.fixture
def world(cycles, region):
    """Cycles I–III published: five projects, their evidence, status changes, partners and ratings."""
    one, two, three = cycles
    region.borders_china = True
    region.save()
    primorye = make_region("Primorsky Krai", iso_code="RU-PRI", name_ru="Приморский край", slug="primorye", borders_china=True)
    novosibirsk = make_region(
        "Novosibirsk Oblast", iso_code="RU-NVS", name_ru="Новосибирская область", slug="novosibirsk",
        federal_district="siberian",
    )
    for cycle, score in zip(cycles, (7, 8, 9)):
        make_rating(region, cycle, score)
    make_rating(primorye, three, 6)
    make_rating(novosibirsk, three, 3)
    source = make_source("Рейтинг, третий выпуск", publisher="Комитет", published_on=datetime.date(2026, 6, 1), published_precision="month")
    heihe = make_organization("Heihe Company", country="CN", kind="company")
    almaty = make_organization("Алматы Стил", country="KZ", kind="state_company", name_en="Almaty Steel")

    bridge = make_project(
        region, one, reference="AMU-901", title_ru="Мост через Амур", title_en="Amur bridge", sector="transport",
        amount=100, currency="USD", announced_on=datetime.date(2022, 3, 1), announced_precision="day",
    )
    add_partner(bridge, heihe)
    opened = add_evidence(bridge, two, kind=Evidence.Kind.RESULT, occurred_on=datetime.date(2023, 7, 1), source=source, summary="The bridge opened.", summary_ru="Мост открыт.")
    history.append_status_change(bridge, S.LAUNCHED, two, evidence=opened)

    terminal = make_project(
        region, two, reference="AMU-102", title_ru="Зерновой терминал", title_en="Grain terminal", sector="logistics",
        amount=5000, currency="CNY", announced_on=datetime.date(2024, 1, 15), announced_precision="month",
    )
    add_partner(terminal, almaty)
    add_evidence(terminal, three, kind=Evidence.Kind.EFFORT, source=source, summary="Works on the terminal were discussed.")
    history.append_status_change(terminal, S.STALLED, three, basis=B.JUDGEMENT)

    power = make_project(novosibirsk, one, reference="NSK-050", title_ru="Энергоблок", title_en="Power unit", sector="energy")
    add_partner(power, heihe)
    add_evidence(power, two, kind=Evidence.Kind.CONTRADICTION, source=source, summary="The company denied any plans.")

    quarry = make_project(primorye, two, reference="PRI-201", title_ru="Карьер", title_en="Quarry", sector="mining")
    history.append_status_change(quarry, S.DROPPED, three, basis=B.INFERRED)

    plant = make_project(novosibirsk, three, reference="NSK-301", title_ru="Соевый завод", title_en="Soy plant", sector="agriculture")
    return {
        "cycles": cycles, "amur": region, "primorye": primorye, "novosibirsk": novosibirsk, "source": source,
        "heihe": heihe, "almaty": almaty, "bridge": bridge, "terminal": terminal, "power": power, "quarry": quarry,
        "plant": plant,
    }


@pytest.fixture
def drafts(world):
    """Cycle IV, open: a new project with a partner known from it only, evidence and a status
    change on a published project, a rating."""
    four = make_cycle(4)
    assert not four.is_published
    works = make_organization("Fengtaixing Holdings", country="DE")
    new = make_project(world["amur"], four, reference="AMU-140", title_ru="Завод Квазиморф", title_en="Quasimorph works", sector="machinery")
    add_partner(new, works)
    add_partner(new, world["heihe"])
    add_evidence(new, four, source=world["source"], summary="Quasimorph investors signed.")
    shipped = add_evidence(
        world["terminal"], four, kind=Evidence.Kind.RESULT, occurred_on=datetime.date(2026, 9, 1), source=world["source"],
        summary="Zanzibarite shipments began.", summary_ru="Начались поставки Занзибарит.",
    )
    history.append_status_change(world["terminal"], S.LAUNCHED, four, evidence=shipped)
    make_rating(world["amur"], four, 5, public_note_en="Quasimorph score.")
    return {**world, "four": four, "new": new, "works": works}
