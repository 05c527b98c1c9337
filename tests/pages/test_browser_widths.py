"""Every researchers' page fits a phone (390 px) and a laptop (1366 px) in both languages:
no sideways scrolling of the page itself (wide tables scroll inside their own box)."""

import datetime

import pytest

from tests.factories import add_evidence, add_partner, make_organization, make_project, make_rating, make_source
from tests.pages.test_browser import browser, page  # noqa: F401 (the Playwright fixtures)
from tracker.models import Evidence
from tracker.ops.releases import release_published
from tracker.status import history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def record(cycles, region):
    one, two, three = cycles
    make_rating(region, two, 6)
    make_rating(region, three, 9)
    source = make_source("Рейтинг продуктивности взаимодействия регионов Российской Федерации с Китайской Народной Республикой. Третий выпуск", url="https://example.org/" + "long-path/" * 12)
    bridge = make_project(region, one, reference="AMU-901", title_ru="Автомобильный мост Благовещенск – Хэйхэ через Амур с очень длинным названием", title_en="Blagoveshchensk–Heihe road bridge over the Amur", sector="transport", amount=19000000000, currency="RUB")
    add_partner(bridge, make_organization("Хэйлунцзянская мостостроительная корпорация с длинным названием", country="CN"))
    result = add_evidence(bridge, two, kind=Evidence.Kind.RESULT, occurred_on=datetime.date(2024, 6, 1), source=source, summary="The bridge opened to traffic.", summary_ru="Мост открыт для движения.")
    history.append_status_change(bridge, "launched", two, evidence=result)
    make_project(region, two, reference="AMU-902", title_ru="Угольный конвейер через Амур", title_en="Coal conveyor", sector="mining")
    release_published()
    return bridge


PATHS = ["/", "/?cycle=II", "/projects/", "/unresolved/", "/regions/", "/regions/amur/", "/projects/AMU-901/",
         "/organizations/", "/about/", "/releases/", "/releases/III/", "/map/", "/map/?measure=change"]


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("language", ["ru-RU", "en-US"])
def test_no_page_scrolls_sideways(live_server, browser, record, width, language):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=language)
    tab = context.new_page()
    wide = {}
    for path in PATHS + [record.participations.first().organization.get_absolute_url()]:
        tab.goto(f"{live_server.url}{path}")
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            wide[path] = overflow
    context.close()
    assert not wide, wide
