"""The charts read: axes named with their units, a mark per region with none on another,
labels inside the viewBox and clear of the marks, the chosen cycle drawn apart and none
after it, and a sentence where there is nothing to draw."""

import itertools
import math
import re
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from tests.factories import make_project, make_rating, make_region
from tests.pages.test_charts import SVG, chart, marks, texts, titles, world  # noqa: F401 (the fixture)
from tracker.models import Project
from tracker.pages import charts

pytestmark = pytest.mark.django_db
OVERVIEW_CHARTS = ["Projects by status at the end of each cycle", "Score against follow-through rate, by region"]


def classes(element):
    return (element.get("class") or "").split()


def text_box(text):
    """The room a <text> takes, from its anchor, its length and the chart's font size."""
    x, y, width = float(text.get("x")), float(text.get("y")), charts.text_width(text.text or "")
    start = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor", "start")]
    return start, y - charts.FONT * 0.8, start + width, y + charts.FONT * 0.25


def circle_box(circle):
    x, y, r = (float(circle.get(name)) for name in ("cx", "cy", "r"))
    return x - r, y - r, x + r, y + r


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def assert_legible(svg):
    """Every text inside the viewBox, and no circle over a tick or an axis label."""
    _x, _y, width, height = map(float, svg.get("viewBox").split())
    labels = []
    for text in marks(svg, "text"):
        box = text_box(text)
        assert 0 <= box[0] and box[2] <= width and 0 <= box[1] and box[3] <= height, (text.text, box, width, height)
        if {"tick", "axis-label"} & set(classes(text)):
            labels.append((text.text, box))
    for circle in marks(svg, "circle"):
        covered = [name for name, box in labels if overlap(circle_box(circle), box)]
        assert not covered, (circle.find(SVG + "title").text, covered)


def scatter_svg(points):
    result = charts.score_scatter(points, "Scatter", "III")
    return result, ET.fromstring(render_to_string("tracker/charts/_score_scatter.svg", {"chart": result}))


def crowd(kind):
    """79 regions, (rate, score, name, url): all on one spot, or heaped on a few."""
    if kind == "one spot":
        spots = [(0.0, 5)]
    else:
        spots = [(0.0, 5)] * 5 + [(0.5, 5)] * 2 + [(1.0, 10), (0.0, 1), (0.51, 5), (0.25, 7), (0.26, 7), (0.0, 6)]
    return [(*spot, f"Region {n} <i>", f"/regions/r{n}/") for n, spot in zip(range(79), itertools.cycle(spots))]


@pytest.mark.parametrize("kind", ["one spot", "a few heaps"])
def test_79_regions_on_few_spots_show_as_79_circles_none_over_another(kind):
    result, svg = scatter_svg(crowd(kind))
    circles = list(marks(svg, "circle"))
    assert len(circles) == 79
    assert len({a.get("href") for a in marks(svg, "a")}) == 79
    assert all(c.find(SVG + "title").text.startswith("Region ") for c in circles)
    r = float(circles[0].get("r"))
    centres = [(float(c.get("cx")), float(c.get("cy"))) for c in circles]
    for (x1, y1), (x2, y2) in itertools.combinations(centres, 2):
        assert math.dist((x1, y1), (x2, y2)) >= 2 * r - 1e-6
    bands = {b.score: b for b in result.bands}
    for circle, (x, y) in zip(circles, centres):
        band = bands[int(re.search(r"score (\d+)", circle.find(SVG + "title").text).group(1))]
        assert result.left <= x - r and x + r <= result.right
        assert band.y - 1e-6 <= y - r and y + r <= band.y + band.height + 1e-6
    assert_legible(svg)


def test_a_crowd_is_laid_out_the_same_every_time():
    first = scatter_svg(crowd("a few heaps"))[0].points
    assert scatter_svg(list(reversed(crowd("a few heaps"))))[0].points == first


def test_long_legend_labels_wrap_inside_the_viewbox():
    rows = [("I", {Project.Status.ANNOUNCED: 120, Project.Status.STALLED: 40}), ("II", {Project.Status.LAUNCHED: 9})]
    result = charts.status_bars(rows, "Bars", "II")
    svg = ET.fromstring(render_to_string("tracker/charts/_status_bars.svg", {"chart": result}))
    assert texts(svg, "tick")[:4] == ["0", "50", "100", "150"]
    assert_legible(svg)


@pytest.mark.parametrize("language", ["ru", "en"])
def test_page_charts_keep_their_labels_in_the_viewbox(client, world, region, language):  # noqa: F811
    html = client.get(reverse("tracker:overview"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    html += client.get(region.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    svgs = re.findall(r'<svg class="chart".*?</svg>', html, re.DOTALL)
    assert len(svgs) == 3
    for svg in svgs:
        assert_legible(ET.fromstring(svg))


def test_every_axis_is_named_with_its_unit(client, world, region):  # noqa: F811
    overview = reverse("tracker:overview")
    assert texts(chart(client, overview, OVERVIEW_CHARTS[0]), "axis-label") == ["Number of projects", "Rating cycle"]
    assert texts(chart(client, overview, OVERVIEW_CHARTS[1]), "axis-label") == ["Score, 1–10", "Follow-through rate, %"]
    assert texts(chart(client, region.get_absolute_url(), "Score per cycle"), "axis-label") == ["Score, 1–10", "Rating cycle"]


def chosen(svg, tag):
    return [e for e in marks(svg, tag) if "chosen" in classes(e)]


def test_a_past_cycle_s_overview_draws_no_later_cycle_and_marks_its_own(client, world):  # noqa: F811
    svg = chart(client, reverse("tracker:overview") + "?cycle=II", OVERVIEW_CHARTS[0])
    assert texts(svg, "tick")[-2:] == ["I", "II"]
    assert not any(t.startswith("III") for t in titles(svg, "rect"))
    (bar,) = chosen(svg, "g")
    assert [t.text for t in chosen(svg, "text")] == ["II", "4"]  # in bold, see site.css
    assert [r for r in bar.iter(SVG + "rect") if "outline" in classes(r)]
    latest = chart(client, reverse("tracker:overview"), OVERVIEW_CHARTS[0])
    assert [t.text for t in chosen(latest, "text")] == ["III", "5"]


def test_a_region_s_page_on_a_past_cycle_draws_no_later_cycle_and_marks_its_own(client, world, region):  # noqa: F811
    svg = chart(client, region.get_absolute_url() + "?cycle=II", "Score per cycle")
    assert texts(svg, "tick")[-2:] == ["I", "II"]
    assert titles(svg, "circle") == ["II: 9"]
    (point,) = chosen(svg, "circle")
    assert point.get("r") == "7"
    assert [t.text for t in chosen(svg, "text")] == ["II", "9"]
    latest = chart(client, region.get_absolute_url(), "Score per cycle")
    assert [c.find(SVG + "title").text for c in chosen(latest, "circle")] == ["III: 8"]


def figures(client, url, language="en"):
    html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    return re.findall(r"<figure>(.*?)</figure>", html, re.DOTALL)


def test_an_empty_chart_says_so_in_words(client, cycles, region):
    status, scatter = figures(client, reverse("tracker:overview"))
    assert '<p class="chart-empty">No projects had been reported by the end of cycle III.</p>' in status
    assert '<p class="chart-empty">No region had been rated in cycle III.</p>' in scatter
    (line,) = figures(client, region.get_absolute_url())
    assert '<p class="chart-empty">The region was not rated in any cycle up to cycle III.</p>' in line
    for figure in (status, scatter, line):
        assert "<svg" not in figure and "<figcaption>" in figure


def test_a_scatter_without_a_rate_says_so_in_words(client, cycles, region):
    make_rating(region, cycles[2], 7)
    make_project(region, cycles[2])
    status, scatter = figures(client, reverse("tracker:overview"))
    assert '<svg class="chart"' in status
    assert "No rated region had earlier announcements to give a follow-through rate in cycle III." in scatter
    assert "<svg" not in scatter


def test_a_region_rated_only_later_says_so_on_a_past_cycle(client, cycles):
    later = make_region("Later Oblast", slug="later", iso_code="RU-LTR")
    make_rating(later, cycles[2], 5)
    (line,) = figures(client, later.get_absolute_url() + "?cycle=II")
    assert "The region was not rated in any cycle up to cycle II." in line

