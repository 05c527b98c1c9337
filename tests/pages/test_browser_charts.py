"""The charts on a phone (390 px) in chromium: tick labels big enough to read (10 CSS px
or more, 9 px tall or more), and no text cut off by the edge of its chart, in both languages."""

import pytest

from tests.factories import make_project, make_rating, make_region
from tests.pages.test_browser import browser, page  # noqa: F401 (the Playwright fixtures)
from tracker.status import history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEASURE = """() => [...document.querySelectorAll("svg.chart")].map(svg => {
  const frame = svg.getBoundingClientRect();
  return {
    label: svg.getAttribute("aria-label"),
    width: frame.width,
    ticks: [...svg.querySelectorAll("text.tick")].map(t => t.getBoundingClientRect().height),
    sizes: [...svg.querySelectorAll("text.tick")].map(
      t => parseFloat(getComputedStyle(t).fontSize) * frame.width / svg.viewBox.baseVal.width),
    outside: [...svg.querySelectorAll("text")].filter(t => {
      const box = t.getBoundingClientRect();
      return box.left < frame.left - 0.5 || box.right > frame.right + 0.5
        || box.top < frame.top - 0.5 || box.bottom > frame.bottom + 0.5;
    }).map(t => t.textContent),
  };
})"""


@pytest.fixture
def rated(cycles, region):
    one, two, three = cycles
    make_rating(region, two, 6)
    make_rating(region, three, 9)
    for n in range(12):
        other = make_region(f"Region with a long name {n}", name_ru=f"Регион с длинным названием {n}")
        make_rating(other, three, 1 + n % 3)
        make_project(other, two)
    history.append_status_change(make_project(region, one), "launched", two)
    make_project(region, two)


@pytest.mark.parametrize("language", ["ru-RU", "en-US"])
def test_chart_labels_are_legible_and_whole_at_390_px(live_server, browser, rated, region, language):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 900}, locale=language)
    tab = context.new_page()
    found = {}
    for path in ["/", "/?cycle=II", region.get_absolute_url()]:
        tab.goto(f"{live_server.url}{path}")
        found[path] = tab.evaluate(MEASURE)
    context.close()
    assert [len(charts) for charts in found.values()] == [2, 2, 1]
    for path, charts in found.items():
        for measured in charts:
            assert measured["width"] <= 390
            assert measured["ticks"] and min(measured["ticks"]) >= 9, (path, measured)
            assert min(measured["sizes"]) >= 10, (path, measured)  # font size × rendered / viewBox width
            assert not measured["outside"], (path, measured)
