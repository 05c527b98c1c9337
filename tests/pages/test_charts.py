"""The inline SVG charts on the overview and region pages, read back as XML: a mark per
figure with the figure in its title, in the visitor's language."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.factories import make_project, make_rating, make_region
from tracker.models import Project
from tracker.status import history

S = Project.Status
SVG = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?\d+(\.\d+)?")
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cycles, region):
    """Amur: one project launched in II, one stalled in III (half of its earlier
    announcements launched by III). Primorye: one left announced, one dropped in II (none
    launched). Khabarovsk: rated, but its only project is new in III, so it has no rate."""
    one, two, three = cycles
    primorye = make_region("Primorsky Krai <b>", name_ru="Приморский край <b>", slug="primorye", iso_code="RU-PRI")
    khabarovsk = make_region("Khabarovsk Krai", name_ru="Хабаровский край", slug="khabarovsk", iso_code="RU-KHA")
    make_rating(region, two, 9)
    make_rating(region, three, 8)
    make_rating(primorye, three, 4)
    make_rating(khabarovsk, three, 6)
    history.append_status_change(make_project(region, one, reference="AMU-001"), S.LAUNCHED, two)
    history.append_status_change(make_project(region, two, reference="AMU-002"), S.STALLED, three)
    make_project(primorye, one, reference="PRI-001")
    history.append_status_change(make_project(primorye, one, reference="PRI-002"), S.DROPPED, two)
    make_project(khabarovsk, three, reference="KHA-001")
    return {"primorye": primorye, "khabarovsk": khabarovsk}


def chart(client, url, label, language="en"):
    """The chart called `label` on the page, parsed (a broken template does not parse)."""
    html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    found = re.findall(rf'<svg class="chart"[^>]*aria-label="{re.escape(label)}".*?</svg>', html, re.DOTALL)
    assert len(found) == 1, f"no chart {label!r} on {url}"
    svg = ET.fromstring(found[0])
    assert svg.get("role") == "img"
    return svg


def marks(svg, tag):
    return svg.iter(SVG + tag)


def titles(svg, tag):
    return [mark.find(SVG + "title").text for mark in marks(svg, tag) if mark.find(SVG + "title") is not None]


def texts(svg, css_class):
    return [t.text for t in marks(svg, "text") if css_class in (t.get("class") or "").split()]


def test_status_bars_have_a_segment_per_status_with_its_count(client, world):
    svg = chart(client, reverse("tracker:overview"), "Projects by status at the end of each cycle")
    assert titles(svg, "rect") == [
        "I — announced: 3",
        "II — announced: 2", "II — launched: 1", "II — dropped: 1",
        "III — announced: 2", "III — stalled: 1", "III — launched: 1", "III — dropped: 1",
    ]
    assert texts(svg, "tick") == ["0", "2", "4", "6", "I", "II", "III"]
    assert texts(svg, "value") == ["3", "4", "5"]
    assert texts(svg, "legend") == ["announced", "stalled", "launched", "dropped"]
    # Heights are to one scale: the same height for every project.
    segments = [r for r in marks(svg, "rect") if r.find(SVG + "title") is not None]
    per_project = {round(float(r.get("height")) / int(r.find(SVG + "title").text.rsplit(": ", 1)[1]), 1) for r in segments}
    assert per_project == {25.0}


def test_status_bars_speak_russian_by_default(client, world):
    svg = chart(client, reverse("tracker:overview"), "Проекты по статусу на конец каждого цикла", language="ru")
    assert titles(svg, "rect")[:2] == ["I — объявлен: 3", "II — объявлен: 2"]
    assert texts(svg, "legend") == ["объявлен", "застопорился", "запущен", "отменён"]


def test_score_scatter_speaks_russian_by_default(client, world, region):
    svg = chart(client, reverse("tracker:overview"), "Оценка и доля реализованных по регионам", language="ru")
    assert len(texts(svg, "axis-label")) == 2
    assert "Амурская область: оценка 8, 50%" in titles(svg, "circle")


def test_score_scatter_has_a_linked_point_per_region_with_a_rate(client, world, region):
    svg = chart(client, reverse("tracker:overview"), "Score against follow-through rate, by region")
    links = {a.get("href"): a.find(f"{SVG}circle/{SVG}title").text for a in marks(svg, "a")}
    assert links == {
        region.get_absolute_url(): "Amur Oblast: score 8, 50%",
        world["primorye"].get_absolute_url(): "Primorsky Krai <b>: score 4, 0%",
    }
    assert texts(svg, "tick") == ["0%", "25%", "50%", "75%", "100%"] + [str(s) for s in range(10, 0, -1)]
    assert texts(svg, "axis-label") == ["Score, 1–10", "Follow-through rate, %"]


def test_score_scatter_places_points_by_rate_and_score(client, world, region):
    svg = chart(client, reverse("tracker:overview"), "Score against follow-through rate, by region")
    place = {a.get("href"): (float(a[0].get("cx")), float(a[0].get("cy"))) for a in marks(svg, "a")}
    amur, primorye = place[region.get_absolute_url()], place[world["primorye"].get_absolute_url()]
    assert amur[0] > primorye[0]  # 50 % against 0 %
    assert amur[1] < primorye[1]  # a score of 8 above a score of 4


def test_score_line_has_a_point_per_rated_cycle_joined_by_a_line(client, world, region):
    svg = chart(client, region.get_absolute_url(), "Score per cycle")
    assert titles(svg, "circle") == ["II: 9", "III: 8"]
    assert texts(svg, "value") == ["9", "8"]
    assert texts(svg, "tick") == ["1", "4", "7", "10", "I", "II", "III"]
    centres = [f"{c.get('cx')},{c.get('cy')}" for c in marks(svg, "circle")]
    (line,) = marks(svg, "polyline")
    assert line.get("points").split() == centres


def test_score_line_of_a_region_rated_once_has_no_line(client, world):
    svg = chart(client, world["primorye"].get_absolute_url(), "Score per cycle")
    assert titles(svg, "circle") == ["III: 4"]
    assert list(marks(svg, "polyline")) == []


@pytest.mark.parametrize("language", ["ru", "en"])
def test_coordinates_keep_a_decimal_point_in_every_language(client, world, region, language):
    pages = [reverse("tracker:overview"), region.get_absolute_url()]
    for url in pages:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        svgs = re.findall(r'<svg class="chart".*?</svg>', html, re.DOTALL)
        assert svgs, url
        for svg in map(ET.fromstring, svgs):
            for element in svg.iter():
                for name in ("x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "width", "height"):
                    if element.get(name) is not None:
                        assert NUMBER.fullmatch(element.get(name)), (url, element.tag, name, element.get(name))
