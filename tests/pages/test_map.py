"""The tile-grid map of the regions (/map/, tracker/pages/tilemap.py): every region has a
tile or is drawn apart, every tile links to its region and says its value in words, each
measure colours the tiles by its own figures, and the public sees the published record only."""

import csv
import html
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from ratings.models import Cycle, Rating, Region
from tests.factories import add_evidence, make_cycle, make_project, make_rating, make_region
from tracker.models import Evidence, Project
from tracker.pages import tilemap
from tracker.status import history

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
MAP = reverse("tracker:region_map")
TILE = re.compile(r'<a href="([^"]*)" class="tile ink-(dark|light)" data-iso="([^"]+)" data-band="([^"]+)"><title>([^<]*)</title><rect [^>]*fill="([^"]+)"')


def tiles(response):
    """{iso code: {"url", "ink", "band", "title", "fill", "label", "value"}} of the map on a page."""
    content = response.content.decode()
    svg = content[content.index('<svg class="tile-map"'):content.index("</svg>", content.index('<svg class="tile-map"'))]
    found = {}
    for block in svg.split("</a>")[:-1]:
        match = TILE.search(block)
        if not match:
            continue
        url, ink, iso, band, title, fill = match.groups()
        label, value = [html.unescape(t) for t in re.findall(r'class="(?:abbr|figure)"[^>]*>([^<]*)</text>', block)]
        found[iso] = {"url": html.unescape(url), "ink": ink, "band": band, "title": html.unescape(title), "fill": fill, "label": label, "value": value}
    return found


def english(client):
    client.cookies["django_language"] = "en"
    return client


# The grid itself -------------------------------------------------------------------------


def test_no_two_regions_share_a_square_and_all_fit_the_grid():
    places = [(col, row) for col, row, _ru, _en in tilemap.GRID.values()]
    assert len(places) == len(set(places)) == 83
    assert all(0 <= col < tilemap.COLUMNS and 0 <= row < tilemap.ROWS for col, row in places)


def test_the_labels_are_short_and_tell_the_regions_apart():
    for language in (2, 3):
        labels = [entry[language] for entry in tilemap.GRID.values()] + [pair[language - 2] for pair in tilemap.NOT_SCORED.values()]
        assert len(labels) == len(set(labels)), language
        assert all(1 <= len(label) <= 3 for label in labels)


def test_the_corners_are_where_readers_expect_them():
    column = {iso: col for iso, (col, _row, _ru, _en) in tilemap.GRID.items()}
    row = {iso: r for iso, (_col, r, _ru, _en) in tilemap.GRID.items()}
    assert column["RU-KGD"] == 0 and column["RU-CHU"] == tilemap.COLUMNS - 1
    assert row["RU-MUR"] == 0 and column["RU-MUR"] < 5
    assert min(row[iso] for iso in ("RU-DA", "RU-CE", "RU-IN", "RU-SE", "RU-KB")) >= 9
    assert column["RU-PRI"] >= 15 and row["RU-PRI"] > row["RU-KHA"]


def test_every_seeded_region_has_a_place_or_is_drawn_apart():
    with open(SEEDS / "regions.csv", encoding="utf-8") as f:
        codes = {row["iso_code"] for row in csv.DictReader(f)}
    placed = set(tilemap.GRID) | set(tilemap.NOT_SCORED)
    assert codes <= placed, codes - placed


def contrast(one, two):
    def luminance(colour):
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted([luminance(one), luminance(two)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("measure", tilemap.MEASURES)
def test_the_text_on_every_class_is_readable(measure):
    ink = {tilemap.DARK: "#1d232b", tilemap.LIGHT: "#ffffff"}  # site.css: .ink-dark, .ink-light
    for _highest, colour, on in tilemap.CLASSES[measure]:
        assert contrast(colour, ink[on]) >= 4.5, (measure, colour)
    assert contrast("#e4e7eb", ink[tilemap.DARK]) >= 4.5  # the "no data" hatch


# The seeded record -----------------------------------------------------------------------


@pytest.fixture
def seeded(db):
    call_command("loadseeds", "--no-releases", stdout=io.StringIO())


def test_every_seeded_region_is_on_the_map_and_links_to_its_page(seeded, client, django_assert_max_num_queries):
    regions = list(Region.objects.all())
    for measure in tilemap.MEASURES:
        with django_assert_max_num_queries(12):
            shown = tiles(client.get(MAP, {"measure": measure}))
        assert {r.iso_code for r in regions} == set(shown), measure
        for region in regions:
            tile = shown[region.iso_code]
            assert tile["url"] == f"{region.get_absolute_url()}?cycle=III"
            assert tile["title"].startswith(f"{region.name_ru}: ")
            if measure != "change":  # the change says "rose by 1 point", not "+1"
                assert tile["value"] in tile["title"] or tile["value"] == "—"
    shown = tiles(client.get(MAP))
    assert shown["RU-AMU"]["band"] == "4" and shown["RU-AMU"]["value"] == "9"  # 9 is in the top class
    assert shown["RU-AMU"]["label"] == "АМУ"
    assert shown["UA-43"]["band"] == "apart" and shown["UA-43"]["value"] == "—"
    assert sum(t["band"] == "none" for t in shown.values()) == 0  # all 83 are rated in III


# Each measure ----------------------------------------------------------------------------


@pytest.fixture
def world(cycles):
    one, two, three = cycles
    amur = make_region("Amur Oblast", iso_code="RU-AMU", name_ru="Амурская область", slug="amur")
    primorye = make_region("Primorsky Krai", iso_code="RU-PRI", name_ru="Приморский край", slug="primorye")
    khabarovsk = make_region("Khabarovsk Krai", iso_code="RU-KHA", name_ru="Хабаровский край", slug="khabarovsk")
    chukotka = make_region("Chukotka Autonomous Okrug", iso_code="RU-CHU", name_ru="Чукотский АО", slug="chukotka")
    crimea = make_region("Crimea", iso_code="UA-43", name_ru="Республика Крым", slug="crimea", federal_district="")
    for region, before, now in ((amur, 7, 9), (primorye, 6, 5), (khabarovsk, 5, 5), (chukotka, None, 1)):
        if before is not None:
            make_rating(region, two, before)
        make_rating(region, three, now)
    bridge = make_project(amur, one, reference="AMU-901")
    opened = add_evidence(bridge, three, kind=Evidence.Kind.RESULT)
    history.append_status_change(bridge, Project.Status.LAUNCHED, three, evidence=opened)
    make_project(amur, one, reference="AMU-902")  # still announced: unresolved in III
    for n in range(3):
        make_project(primorye, two, reference=f"PRI-90{n}")
    make_project(crimea, two, reference="CRI-901")
    return {"amur": amur, "primorye": primorye, "khabarovsk": khabarovsk, "chukotka": chukotka, "crimea": crimea}


def bands(client, measure, **params):
    return {iso: (tile["band"], tile["value"]) for iso, tile in tiles(client.get(MAP, {"measure": measure, **params})).items()}


def test_the_score_colours_by_class(client, world):
    shown = bands(client, "score")
    assert shown["RU-AMU"] == ("4", "9")
    assert shown["RU-PRI"] == ("2", "5")
    assert shown["RU-CHU"] == ("0", "1")


def test_the_change_is_diverging_around_no_change(client, world):
    response = english(client).get(MAP, {"measure": "change"})
    shown = tiles(response)
    assert (shown["RU-AMU"]["band"], shown["RU-AMU"]["value"]) == ("4", "+2")
    assert (shown["RU-PRI"]["band"], shown["RU-PRI"]["value"]) == ("1", "\u22121")
    assert (shown["RU-KHA"]["band"], shown["RU-KHA"]["value"]) == ("2", "0")
    assert (shown["RU-CHU"]["band"], shown["RU-CHU"]["value"]) == ("none", "—")  # not rated in II
    assert shown["RU-CHU"]["fill"] == tilemap.NO_DATA
    fall, _less, middle, _more, rise = [colour for _h, colour, _ink in tilemap.CLASSES["change"]]
    assert shown["RU-KHA"]["fill"] == middle and {fall, rise}.isdisjoint({middle})
    assert shown["RU-PRI"]["title"] == "Primorsky Krai: fell by 1 point, from 6 to 5"
    assert shown["RU-AMU"]["title"] == "Amur Oblast: rose by 2 points, from 7 to 9"
    assert shown["RU-KHA"]["title"] == "Khabarovsk Krai: no change since cycle II, score 5"


def test_the_follow_through_rate_is_the_share_of_earlier_announcements_launched(client, world):
    shown = tiles(english(client).get(MAP, {"measure": "follow_through"}))
    assert (shown["RU-AMU"]["band"], shown["RU-AMU"]["value"]) == ("2", "50")  # 1 of 2
    assert (shown["RU-PRI"]["band"], shown["RU-PRI"]["value"]) == ("0", "0")  # 0 of 3
    assert shown["RU-KHA"]["band"] == "none"  # no earlier announcements
    assert shown["RU-AMU"]["title"] == "Amur Oblast: 50%: 1 of 2 earlier announcements launched"
    assert shown["RU-KHA"]["title"] == "Khabarovsk Krai: no earlier announcements"


def test_the_unresolved_projects_are_counted(client, world):
    shown = bands(client, "unresolved")
    assert shown["RU-AMU"] == ("1", "1")
    assert shown["RU-PRI"] == ("2", "3")
    assert shown["RU-KHA"] == ("0", "0")
    assert shown["UA-43"] == ("apart", "—")  # Crimea's project is not on the scale


@pytest.mark.parametrize("value", ["bogus", "", "SCORE", "<script>", "score ", "x" * 300])
def test_an_unknown_measure_is_the_score(client, world, value):
    response = english(client).get(MAP, {"measure": value})
    assert response.status_code == 200
    assert response.context["measure"] == "score"
    assert "Score in cycle III" in response.content.decode()
    assert bands(client, value)["RU-AMU"] == ("4", "9")


def test_the_legend_lists_the_classes(client, world):
    english(client)
    for measure in tilemap.MEASURES:
        content = html.unescape(client.get(MAP, {"measure": measure}).content.decode())
        entries = re.findall(r'class="legend-entry">([^<]*)<', content)
        assert entries == tilemap.class_labels(measure) + ["no data"], measure
    content = client.get(MAP, {"measure": "score"}).content.decode()
    assert re.findall(r'class="legend-entry">([^<]*)<', content)[:5] == ["1–2", "3–4", "5–6", "7–8", "9–10"]


def test_the_measure_and_cycle_are_chosen_with_plain_links_and_a_form(client, world):
    content = client.get(MAP, {"measure": "change", "cycle": "II"}).content.decode()
    for measure in tilemap.MEASURES:
        assert f'href="?measure={measure}&amp;cycle=II"' in content
    assert 'href="?measure=change&amp;cycle=II" aria-current="page"' in content
    assert '<form method="get" class="cycle-picker">' in content and 'name="measure" value="change"' in content
    assert "style=" not in content and "<script" not in content  # the Content-Security-Policy


def test_crimea_is_drawn_apart_without_a_score(client, world):
    make_rating(world["crimea"], Cycle.objects.get(number=3), 8)  # even a stray rating is not drawn
    response = english(client).get(MAP)
    crimea = tiles(response)["UA-43"]
    assert crimea["band"] == "apart" and crimea["value"] == "—" and crimea["fill"] == "#ffffff"
    assert crimea["title"] == "Crimea: not scored by the rating"
    assert crimea["url"] == f"{world['crimea'].get_absolute_url()}?cycle=III"
    apart = response.context["tile_map"].apart
    assert [g.caption for g in apart] == ["Not scored"] and [t.iso_code for t in apart[0].tiles] == ["UA-43"]
    assert "UA-43" not in {t.iso_code for t in response.context["tile_map"].tiles}


def test_a_region_the_grid_does_not_place_is_drawn_apart_not_lost(client, world):
    atlantis = make_region("Atlantis", iso_code="RU-ATL", name_ru="Атлантида", slug="atlantis")
    make_rating(atlantis, Cycle.objects.get(number=3), 6)
    response = english(client).get(MAP)
    tile = tiles(response)["RU-ATL"]
    assert tile["band"] == "apart" and tile["value"] == "6" and tile["label"] == "ATL"
    assert tile["title"] == "Atlantis: score 6"
    assert [g.caption for g in response.context["tile_map"].apart] == ["Not scored", "Not on the grid"]


def test_the_public_never_sees_a_draft_cycles_ratings(client, world, editor_client):
    four = make_cycle(4)
    make_rating(world["amur"], four, 2)
    make_rating(world["primorye"], four, 10)
    for measure in tilemap.MEASURES:
        response = client.get(MAP, {"measure": measure})
        assert response.context["cycle"].number == 3
        assert ">IV<" not in response.content.decode() and 'value="IV"' not in response.content.decode()
    assert bands(client, "score")["RU-AMU"] == ("4", "9")
    assert client.get(MAP, {"cycle": "IV"}).status_code == 404
    assert client.get(MAP, {"cycle": "IV", "measure": "change"}).status_code == 404
    # An editor sees the draft, as on the other pages.
    assert bands(editor_client, "score", cycle="IV")["RU-AMU"] == ("0", "2")
    assert bands(editor_client, "change", cycle="IV")["RU-PRI"] == ("4", "+5")


def test_the_map_speaks_english(client, world):
    response = english(client).get(MAP)
    content = html.unescape(response.content.decode())
    shown = tiles(response)
    assert shown["RU-AMU"]["label"] == "AMU" and shown["RU-AMU"]["title"] == "Amur Oblast: score 9"
    assert shown["RU-CHU"]["label"] == "CHU"
    assert "АМУ" not in content and "Map of the regions — cycle III" in content
    assert 'aria-label="Tile map of Russia' in content


def test_the_map_speaks_russian_by_default(client, world):
    shown = tiles(client.get(MAP))
    assert shown["RU-AMU"]["label"] == "АМУ" and shown["RU-AMU"]["title"].startswith("Амурская область: ")


def test_the_overview_shows_the_score_map_and_links_to_the_others(client, world):
    response = client.get(reverse("tracker:overview"))
    shown = tiles(response)
    assert shown["RU-AMU"]["band"] == "4"
    assert response.context["tile_map"].measure == "score"
    assert f'href="{MAP}?cycle=III"' in response.content.decode()


def test_every_page_links_to_the_map(client, world):
    for url in (reverse("tracker:overview"), reverse("tracker:region_list"), MAP):
        assert f'<a href="{MAP}">' in client.get(url).content.decode(), url
