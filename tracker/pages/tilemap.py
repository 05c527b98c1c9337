"""The tile-grid map of Russia's regions: one equal square per region in a fixed grid that
keeps their rough places (Kaliningrad far west, Chukotka far east, the North Caucasus at
the bottom left, Primorye at the bottom right), coloured by one measure of one cycle.

`GRID` places each region by its ISO 3166-2 code at (column, row) with its labels; Crimea
and Sevastopol are not scored by the rating and are drawn apart, as is any region the
grid does not place. `tile_map()` works out the geometry and the classes as plain data
for templates/tracker/charts/_tile_map.svg, which draws it on the server: every tile
carries its abbreviation and its value in text, a <title> with the region's name and the
value in words, and links to the region's page.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import get_language, gettext as _, ngettext, pgettext

from ratings.models import Rating, Region
from ratings.numerals import to_roman
from tracker.models import Project
from tracker.status.unresolved import status_projects

from . import stats

#: ISO code → (column, row, Russian label, English label).
GRID = {
    "RU-MUR": (3, 0, "МУР", "MUR"), "RU-NEN": (7, 0, "НЕН", "NEN"), "RU-CHU": (17, 0, "ЧУК", "CHU"),
    "RU-KR": (3, 1, "КАР", "KAR"), "RU-ARK": (4, 1, "АРХ", "ARK"), "RU-KO": (7, 1, "КОМ", "KOM"),
    "RU-KHM": (9, 1, "ХМА", "KHM"), "RU-YAN": (10, 1, "ЯНА", "YAN"), "RU-SA": (14, 1, "ЯКУ", "YAK"),
    "RU-MAG": (16, 1, "МАГ", "MAG"), "RU-KAM": (17, 1, "КАМ", "KAM"),
    "RU-SPE": (1, 2, "СПБ", "SPE"), "RU-LEN": (2, 2, "ЛЕН", "LEN"), "RU-NGR": (3, 2, "НВГ", "NGR"),
    "RU-VLG": (4, 2, "ВОЛ", "VLG"), "RU-KOS": (5, 2, "КОС", "KOS"), "RU-KIR": (6, 2, "КИР", "KIR"),
    "RU-PER": (7, 2, "ПЕР", "PER"), "RU-SVE": (8, 2, "СВЕ", "SVE"), "RU-TYU": (9, 2, "ТЮМ", "TYU"),
    "RU-TOM": (10, 2, "ТОМ", "TOM"), "RU-KYA": (11, 2, "КРЯ", "KYA"), "RU-IRK": (12, 2, "ИРК", "IRK"),
    "RU-AMU": (15, 2, "АМУ", "AMU"), "RU-KHA": (16, 2, "ХАБ", "KHA"), "RU-SAK": (17, 2, "САХ", "SAK"),
    "RU-PSK": (1, 3, "ПСК", "PSK"), "RU-TVE": (2, 3, "ТВЕ", "TVE"), "RU-YAR": (3, 3, "ЯРО", "YAR"),
    "RU-IVA": (4, 3, "ИВА", "IVA"), "RU-NIZ": (5, 3, "НИЖ", "NIZ"), "RU-ME": (6, 3, "МАР", "MAR"),
    "RU-UD": (7, 3, "УДМ", "UDM"), "RU-CHE": (8, 3, "ЧЕЛ", "CHE"), "RU-KGN": (9, 3, "КРГ", "KGN"),
    "RU-OMS": (10, 3, "ОМС", "OMS"), "RU-NVS": (11, 3, "НСК", "NVS"), "RU-KEM": (12, 3, "КЕМ", "KEM"),
    "RU-KK": (13, 3, "ХАК", "KHK"), "RU-BU": (14, 3, "БУР", "BUR"), "RU-ZAB": (15, 3, "ЗАБ", "ZAB"),
    "RU-YEV": (16, 3, "ЕАО", "YEV"),
    "RU-KGD": (0, 4, "КЛН", "KGD"), "RU-SMO": (1, 4, "СМО", "SMO"), "RU-MOS": (2, 4, "МОС", "MOS"),
    "RU-MOW": (3, 4, "МСК", "MOW"), "RU-VLA": (4, 4, "ВЛА", "VLA"), "RU-CU": (5, 4, "ЧУВ", "CHV"),
    "RU-TA": (6, 4, "ТАТ", "TAT"), "RU-BA": (7, 4, "БАШ", "BAS"), "RU-ALT": (11, 4, "АЛТ", "ALT"),
    "RU-AL": (12, 4, "АЛР", "ALR"), "RU-TY": (13, 4, "ТЫВ", "TYV"), "RU-PRI": (16, 4, "ПРИ", "PRI"),
    "RU-BRY": (1, 5, "БРЯ", "BRY"), "RU-KLU": (2, 5, "КЛУ", "KLU"), "RU-TUL": (3, 5, "ТУЛ", "TUL"),
    "RU-RYA": (4, 5, "РЯЗ", "RYA"), "RU-MO": (5, 5, "МОР", "MOR"), "RU-ULY": (6, 5, "УЛЬ", "ULY"),
    "RU-SAM": (7, 5, "САМ", "SAM"), "RU-ORE": (8, 5, "ОРБ", "ORE"),
    "RU-ORL": (2, 6, "ОРЛ", "ORL"), "RU-LIP": (3, 6, "ЛИП", "LIP"), "RU-TAM": (4, 6, "ТАМ", "TAM"),
    "RU-PNZ": (5, 6, "ПЕН", "PNZ"), "RU-SAR": (6, 6, "САР", "SAR"),
    "RU-KRS": (2, 7, "КУР", "KRS"), "RU-BEL": (3, 7, "БЕЛ", "BEL"), "RU-VOR": (4, 7, "ВОР", "VOR"),
    "RU-VGG": (5, 7, "ВЛГ", "VGG"),
    "RU-KDA": (3, 8, "КРД", "KDA"), "RU-ROS": (4, 8, "РОС", "ROS"), "RU-KL": (5, 8, "КЛМ", "KLM"),
    "RU-AST": (6, 8, "АСТ", "AST"),
    "RU-AD": (3, 9, "АДЫ", "ADY"), "RU-KC": (4, 9, "КЧР", "KCR"), "RU-STA": (5, 9, "СТА", "STA"),
    "RU-CE": (6, 9, "ЧЕЧ", "CHC"), "RU-DA": (7, 9, "ДАГ", "DAG"),
    "RU-KB": (4, 10, "КБР", "KBR"), "RU-SE": (5, 10, "ОСЕ", "OSE"), "RU-IN": (6, 10, "ИНГ", "ING"),
}
#: Not scored by the rating: drawn apart, without a colour.
NOT_SCORED = {"UA-43": ("КРЫ", "CRI"), "UA-40": ("СЕВ", "SEV")}
COLUMNS, ROWS = 18, 11
TILE, STEP, EDGE = 40, 42, 2  # a tile, a tile and its gap, the margin (room for the focus ring)
#: The legend and the regions drawn apart fill the empty lower right of the grid.
LEGEND_X, LEGEND_Y, LEGEND_COLUMN, LEGEND_ROW = 9 * STEP + 10, 5 * STEP + 12, 188, 30

MEASURES = ("score", "change", "follow_through", "unresolved")
DEFAULT_MEASURE = "score"
NO_DATA = "url(#tile-map-hatch)"
DARK, LIGHT = "dark", "light"  # the ink on a tile: dark text on light colours, white on dark

#: Per measure: (highest value of the class or None for the last, colour, ink), lowest first.
CLASSES = {
    "score": [(2, "#eff3ff", DARK), (4, "#bdd7e7", DARK), (6, "#6baed6", DARK), (8, "#2171b5", LIGHT), (None, "#08306b", LIGHT)],
    "change": [(-2, "#b2182b", LIGHT), (-1, "#f4a582", DARK), (0, "#f7f7f7", DARK), (1, "#92c5de", DARK), (None, "#2166ac", LIGHT)],
    "follow_through": [(19, "#edf8e9", DARK), (39, "#bae4b3", DARK), (59, "#74c476", DARK), (79, "#217f40", LIGHT), (None, "#00441b", LIGHT)],
    "unresolved": [(0, "#feedde", DARK), (2, "#fdbe85", DARK), (4, "#fd8d3c", DARK), (8, "#a63603", LIGHT), (None, "#5f1f02", LIGHT)],
}


def signed(number):
    """+2, −3 (a real minus sign), 0."""
    return f"+{number}" if number > 0 else f"\u2212{-number}" if number < 0 else "0"


def measure_of(request):
    """The measure of `?measure=`; anything else is the default."""
    measure = request.GET.get("measure")
    return measure if measure in MEASURES else DEFAULT_MEASURE


def measure_names():
    return {
        "score": _("Score"),
        "change": pgettext("score", "Change"),
        "follow_through": _("Follow-through rate"),
        "unresolved": _("Unresolved projects"),
    }


def measure_links(cycle, measure):
    """[(key, name, query string, current)] of the measure picker, keeping the cycle."""
    return [(key, name, f"?measure={key}&cycle={cycle.numeral}", key == measure) for key, name in measure_names().items()]


def class_labels(measure):
    """The legend's words for the classes of `measure`, lowest first."""
    return {
        "score": ["1–2", "3–4", "5–6", "7–8", "9–10"],
        "change": [_("−2 or less"), "−1", _("0, no change"), "+1", _("+2 or more")],
        "follow_through": ["0–19", "20–39", "40–59", "60–79", "80–100"],
        "unresolved": ["0", "1–2", "3–4", "5–8", _("9 or more")],
    }[measure]


def legend_title(measure, cycle):
    if measure == "change" and cycle.number == 1:
        return _("Change of score since the previous cycle")
    if measure == "change":
        return _("Change of score since cycle %(cycle)s") % {"cycle": _previous_numeral(cycle)}
    if measure == "follow_through":
        return _("Follow-through rate in cycle %(cycle)s, %%") % {"cycle": cycle.numeral}
    if measure == "unresolved":
        return _("Unresolved in cycle %(cycle)s") % {"cycle": cycle.numeral}
    return _("Score in cycle %(cycle)s") % {"cycle": cycle.numeral}


def _previous_numeral(cycle):
    return to_roman(cycle.number - 1) if cycle.number > 1 else "—"


def class_of(measure, number):
    """(index, colour, ink) of the class `number` falls in, the lowest class 0."""
    for index, (highest, colour, ink) in enumerate(CLASSES[measure]):
        if highest is None or number <= highest:
            return index, colour, ink
    raise AssertionError("the last class is open")  # pragma: no cover


# The figures of every region, one measure at a time -----------------------------------


@dataclass(frozen=True)
class Figure:
    """A region's figure: `number` places it in a class (None: no data), `text` is written
    on its tile and `words` in its title."""

    number: int | None
    text: str
    words: str


def _no_data(words):
    return Figure(None, "—", words)


def score_figures(cycle, audience):
    scores = dict(Rating.objects.filter(cycle=cycle).values_list("region_id", "score"))
    figures = {pk: Figure(s, str(s), _("score %(score)s") % {"score": s}) for pk, s in scores.items()}
    return figures, _no_data(_("not rated in cycle %(cycle)s") % {"cycle": cycle.numeral})


def change_figures(cycle, audience):
    previous = _previous_numeral(cycle)
    figures = {}
    for rating in stats.rating_table(cycle):
        before, now = rating.previous_score, rating.score
        if before is None and cycle.number == 1:
            figures[rating.region_id] = _no_data(_("score %(score)s; there is no earlier cycle") % {"score": now})
            continue
        if before is None:
            words = _("score %(score)s, not rated in cycle %(previous)s") % {"score": now, "previous": previous}
            figures[rating.region_id] = _no_data(words)
            continue
        change, values = now - before, {"before": before, "now": now, "previous": previous}
        if change > 0:
            words = ngettext("rose by %(n)s point, from %(before)s to %(now)s", "rose by %(n)s points, from %(before)s to %(now)s", change)
        elif change < 0:
            words = ngettext("fell by %(n)s point, from %(before)s to %(now)s", "fell by %(n)s points, from %(before)s to %(now)s", -change)
        else:
            words = _("no change since cycle %(previous)s, score %(now)s")
        figures[rating.region_id] = Figure(change, signed(change), words % {"n": abs(change), **values})
    return figures, _no_data(_("not rated in cycle %(cycle)s") % {"cycle": cycle.numeral})


def follow_through_figures(cycle, audience):
    figures = {}
    for pk, (launched, earlier) in stats.follow_through_by_region(cycle).items():
        rate = round(100 * launched / earlier)
        words = _("%(rate)s%%: %(launched)s of %(earlier)s earlier announcements launched") % {
            "rate": rate, "launched": launched, "earlier": earlier,
        }
        figures[pk] = Figure(rate, str(rate), words)
    return figures, _no_data(_("no earlier announcements"))


def unresolved_figures(cycle, audience):
    projects = status_projects(audience.projects(Project.objects.all())).unresolved_in(cycle)
    counts = dict(projects.order_by().values_list("region").annotate(n=Count("id")))

    def figure(n):
        return Figure(n, str(n), ngettext("%(n)s unresolved project", "%(n)s unresolved projects", n) % {"n": n})

    return {pk: figure(n) for pk, n in counts.items()}, figure(0)


FIGURES = {
    "score": score_figures,
    "change": change_figures,
    "follow_through": follow_through_figures,
    "unresolved": unresolved_figures,
}


# The geometry ------------------------------------------------------------------------


@dataclass(frozen=True)
class Tile:
    iso_code: str
    label: str  # the abbreviation
    name: str
    url: str
    x: int
    y: int
    fill: str  # a colour, the "no data" hatch, or white for a region drawn apart
    ink: str
    band: int | None  # the class, lowest 0; None without data or apart
    value: str  # written on the tile
    words: str  # the value in words
    title: str
    number: int | None


@dataclass(frozen=True)
class LegendEntry:
    label: str
    fill: str
    x: int
    y: int
    text_x: int
    text_y: int


@dataclass(frozen=True)
class Apart:
    """A group of regions drawn apart, under its caption."""

    caption: str
    caption_x: int
    caption_y: int
    tiles: list


@dataclass(frozen=True)
class TileMap:
    label: str
    measure: str
    legend_title: str
    width: int
    height: int
    tile: int
    middle: int  # of a tile, for its text
    label_y: int
    value_y: int
    tiles: list
    legend: list
    legend_x: int
    legend_y: int
    apart: list


def _tile(region, x, y, label, figure, measure, cycle):
    """A tile at (x, y); `measure` None for a region drawn apart (without a colour)."""
    band = None
    if measure is None:
        fill, ink = "#ffffff", DARK
    elif figure.number is None:
        fill, ink = NO_DATA, DARK
    else:
        band, fill, ink = class_of(measure, figure.number)
    return Tile(
        iso_code=region.iso_code,
        label=label,
        name=region.name,
        url=f"{region.get_absolute_url()}?cycle={cycle.numeral}",
        x=x,
        y=y,
        fill=fill,
        ink=ink,
        band=band,
        value=figure.text,
        words=figure.words,
        title=f"{region.name}: {figure.words}",
        number=figure.number,
    )


def _legend(measure):
    entries = []
    labels = class_labels(measure) + [_("no data")]
    fills = [colour for _highest, colour, _ink in CLASSES[measure]] + [NO_DATA]
    for i, (label, fill) in enumerate(zip(labels, fills)):
        x, y = LEGEND_X + (i // 3) * LEGEND_COLUMN, LEGEND_Y + 26 + (i % 3) * LEGEND_ROW
        entries.append(LegendEntry(label, fill, x, y, x + 28, y + 17))
    return entries


def _apart(groups, cycle):
    """The groups of regions drawn apart ([(caption, [(region, label, figure)])]) under the
    legend, as many tiles a line as fit; returns the groups and the lowest y they reach."""
    result, y = [], LEGEND_Y + 26 + 3 * LEGEND_ROW + 22
    per_line = (COLUMNS * STEP - LEGEND_X) // STEP
    for caption, members in groups:
        if not members:
            continue
        tiles = [
            _tile(region, LEGEND_X + (i % per_line) * STEP, y + 10 + (i // per_line) * STEP, label, figure, None, cycle)
            for i, (region, label, figure) in enumerate(members)
        ]
        result.append(Apart(caption, LEGEND_X, y, tiles))
        y = tiles[-1].y + TILE + 26
    return result, y - 26


def _place(regions, measure, cycle, figures, missing):
    """(tiles on the grid, regions not scored, regions the grid does not place)."""
    english = (get_language() or "ru").startswith("en")
    tiles, not_scored, elsewhere = [], [], []
    for region in regions:
        figure = figures.get(region.pk, missing)
        if region.iso_code in NOT_SCORED:
            label = NOT_SCORED[region.iso_code][1 if english else 0]
            not_scored.append((region, label, Figure(None, "—", _("not scored by the rating"))))
        elif region.iso_code in GRID:
            col, row, ru, en = GRID[region.iso_code]
            x, y = EDGE + col * STEP, EDGE + row * STEP
            tiles.append(_tile(region, x, y, en if english else ru, figure, measure, cycle))
        else:
            elsewhere.append((region, region.iso_code.split("-")[-1][:3], figure))
    tiles.sort(key=lambda t: (t.y, t.x))  # the keyboard goes through them as they are read
    return tiles, not_scored, elsewhere


def tile_map(cycle, measure, audience):
    """The map of `measure` in `cycle` as `audience` sees it: two queries, the regions
    and the measure's figures."""
    measure = measure if measure in MEASURES else DEFAULT_MEASURE
    figures, missing = FIGURES[measure](cycle, audience)
    tiles, not_scored, elsewhere = _place(Region.objects.order_by("name_ru"), measure, cycle, figures, missing)
    apart, bottom = _apart([(_("Not scored"), not_scored), (_("Not on the grid"), elsewhere)], cycle)
    title = legend_title(measure, cycle)
    shown = sum(t.number is not None for t in tiles)
    label = _("Tile map of Russia's regions, one square per region. %(title)s: %(shown)s of %(total)s regions have a value.") % {
        "title": title, "shown": shown, "total": len(tiles),
    }
    return TileMap(
        label=label,
        measure=measure,
        legend_title=title,
        width=COLUMNS * STEP - (STEP - TILE) + 2 * EDGE,
        height=max(ROWS * STEP - (STEP - TILE) + 2 * EDGE, bottom + EDGE),
        tile=TILE,
        middle=TILE // 2,
        label_y=17,
        value_y=35,
        tiles=tiles,
        legend=_legend(measure),
        legend_x=LEGEND_X,
        legend_y=LEGEND_Y + 16,
        apart=apart,
    )
