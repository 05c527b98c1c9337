"""A small record to match news against: two regions, four cycles (the fourth open), a
bridge and a gas plant in Amur Oblast, a car plant in Tatarstan, their partners and
evidence."""

import datetime

import pytest

from tests import factories
from tracker.models import Evidence


@pytest.fixture
def record(db):
    cycles = factories.make_cycles(3) + [factories.make_cycle(4)]
    amur = factories.make_region("Amur Oblast", iso_code="RU-AMU", name_ru="Амурская область", slug="amur")
    tatarstan = factories.make_region("Republic of Tatarstan", iso_code="RU-TA", name_ru="Татарстан", slug="tatarstan")
    heihe = factories.make_organization("Правительство города Хэйхэ", name_en="Heihe city government")
    gazprom = factories.make_organization("Газпром гелий сервис", name_en="Gazprom gelii servis", country="RU")
    haval = factories.make_organization("Haval", name_en="Haval")
    bridge = factories.make_project(
        amur, cycles[0], "AMU-901", title_ru="Автомобильный мост Благовещенск – Хэйхэ через Амур",
        title_en="Blagoveshchensk–Heihe road bridge over the Amur", location="Благовещенск – Хэйхэ",
    )
    factories.add_partner(bridge, heihe)
    factories.add_evidence(bridge, cycles[0], Evidence.Kind.RESULT, summary_ru="Строительство моста началось в конце 2016 года.")
    plant = factories.make_project(
        amur, cycles[1], "AMU-004", title_ru="Малотоннажный завод СПГ", title_en="Small-scale LNG plant",
        amount=25_000_000_000, currency="RUB",
    )
    factories.add_partner(plant, gazprom)
    factories.add_evidence(plant, cycles[1], Evidence.Kind.EFFORT, summary_ru="Подписано соглашение о строительстве завода СПГ.")
    cars = factories.make_project(
        tatarstan, cycles[1], "TA-002", title_ru="Сборка автомобилей Haval в Алабуге", title_en="Haval car assembly in Alabuga",
    )
    factories.add_partner(cars, haval)
    late = factories.make_project(
        amur, cycles[2], "AMU-030", title_ru="Канатная дорога через Амур", title_en="Cable car over the Amur",
    )
    factories.add_evidence(late, cycles[2], Evidence.Kind.RESULT, summary_ru="Канатная дорога достроена.",
                           occurred_on=datetime.date(2026, 3, 1))
    return {"cycles": cycles, "amur": amur, "tatarstan": tatarstan, "bridge": bridge, "plant": plant,
            "cars": cars, "late": late, "heihe": heihe, "gazprom": gazprom, "haval": haval}
