"""The map of the regions in Debian's chromium: it fits a laptop and a phone without
sideways scrolling, its text stays legible on the phone, and a reader can tab to a
region's tile and follow it to the region's page."""

import pytest

from tests.factories import make_rating, make_region
from tests.pages.test_browser import browser, page  # noqa: F401 (the Playwright fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The smallest text on the map, in CSS pixels on the screen.
SMALLEST_TEXT = 9


@pytest.fixture
def rated(cycles, region):
    one, two, three = cycles
    moscow = make_region("Moscow", iso_code="RU-MOW", name_ru="Москва", slug="moscow")
    make_region("Crimea", iso_code="UA-43", name_ru="Республика Крым", slug="crimea", federal_district="")
    for place, before, now in ((region, 7, 9), (moscow, 5, 4)):
        make_rating(place, two, before)
        make_rating(place, three, now)
    return region


MEASURE_OF_TEXT = """() => {
  const svg = document.querySelector('svg.tile-map');
  const scale = svg.getScreenCTM().a;
  const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  const wide = [...svg.querySelectorAll('a.tile text')].filter(t => t.getBBox().width > 40).map(t => t.textContent);
  return {smallest: Math.min(...sizes), wide: wide};
}"""


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("language", ["ru-RU", "en-US"])
def test_the_map_fits_the_screen_and_its_text_stays_legible(live_server, browser, rated, width, language):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=language)
    tab = context.new_page()
    for query in ("", "?measure=change", "?measure=follow_through", "?measure=unresolved"):
        tab.goto(f"{live_server.url}/map/{query}")
        assert tab.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, query
        text = tab.evaluate(MEASURE_OF_TEXT)
        assert text["smallest"] >= SMALLEST_TEXT, (query, text)
        assert not text["wide"], (query, text)  # every label fits its tile
    context.close()


def test_a_reader_tabs_to_a_tile_and_follows_it(live_server, page, rated):  # noqa: F811
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{live_server.url}/map/")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('svg.tile-map')"):
            break
    focused = page.evaluate("document.activeElement.getAttribute('data-iso')")
    assert focused == "RU-AMU"  # read row by row: Amur's row is above Moscow's
    assert page.evaluate("document.activeElement.querySelector('title').textContent").startswith("Амурская область: ")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('data-iso')") == "RU-MOW"
    page.keyboard.press("Enter")
    page.wait_for_url("**/regions/moscow/?cycle=III")
    assert page.locator("h1").inner_text() == "Москва"
