"""The geometry of the inline SVG charts: scales, positions and tick values as plain data.

The templates in templates/tracker/charts/ draw it (drawn on the server: no script, no
request to the internet), so every name and label on a chart is escaped by the template
engine. Every mark there carries a <title> so the numbers can be read on hover and by
screen readers, and each chart has a text summary in its figure caption. Labels sit
outside the plot area, and a chart with nothing to draw says so in a sentence instead.
"""

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tracker.models import Project

from .swarm import swarm

S = Project.Status

# In stacking order, bottom first; the legend follows it too.
STATUS_COLORS = {
    S.ANNOUNCED: "#3b6ea5",
    S.STALLED: "#c8651b",
    S.LAUNCHED: "#2f7d3a",
    S.DROPPED: "#a23b3b",
}

#: The size of every label on a chart, in viewBox units (site.css sets the same): with a
#: viewBox WIDTH wide, it is 12 CSS px on a phone's 366 px wide chart.
FONT = 12
WIDTH = 360
RADIUS = 4  # of a region's point on the scatter


def text_width(text, size=FONT):
    """A generous guess of how wide `text` is set at `size` (the server has no font metrics)."""
    return len(str(text)) * size * 0.65


@dataclass(frozen=True)
class Tick:
    """A grid line at `at` (y for a horizontal line, x for a vertical one) and its label."""

    value: object
    at: float
    label_at: float


@dataclass(frozen=True)
class AxisLabel:
    """An axis's name and unit, written at (x, y) with `anchor` as SVG's text-anchor."""

    text: str
    x: float
    y: float
    anchor: str = "start"


def unit_label(text):
    """The label of a score or count axis, above the plot at its left."""
    return AxisLabel(text, 2, FONT + 2)


def cycle_label(left, right, y):
    return AxisLabel(_("Rating cycle"), round((left + right) / 2, 1), y, "middle")


def score_label():
    return unit_label(_("Score, 1–10"))


# Score per cycle -------------------------------------------------------------------------


@dataclass(frozen=True)
class ScorePoint:
    cycle: str
    x: float  # of the cycle's label
    cx: float  # of the point, a tenth of a pixel is close enough
    score: int | None
    y: float | None  # None when the region was not rated in the cycle
    value_y: float | None
    chosen: bool = False


@dataclass(frozen=True)
class ScoreLine:
    label: str
    width: int
    height: int
    left: int
    right: int
    tick_x: int
    cycle_y: int
    ticks: list
    line: list  # (x, y) of the rated cycles, joined when there are two or more
    points: list
    axes: list = field(default_factory=list)
    no_data: str = ""


def score_line(points, label, chosen=None):
    """A region's score across cycles: points are (cycle label, score or None), in order,
    up to the cycle `chosen` (the last by default), whose point is drawn apart."""
    chosen = chosen if chosen is not None else (points[-1][0] if points else None)
    left, right, top = 10 + round(text_width("10")), WIDTH - 10, 40
    bottom = top + 120
    slot = (right - left) / max(len(points), 1)

    def y(score):
        return round(top + (bottom - top) * (10 - score) / 9, 1)

    marks = []
    for i, (cycle, score) in enumerate(points):
        x = round(left + (i + 0.5) * slot, 1)
        known = score is not None
        at, value_at = (y(score), round(y(score) - 12, 1)) if known else (None, None)
        marks.append(ScorePoint(cycle, x, x, score, at, value_at, cycle == chosen))
    rated = [(p.cx, p.y) for p in marks if p.score is not None]
    no_data = ""
    if not rated:
        no_data = _("The region was not rated in any cycle up to cycle %(cycle)s.") % {"cycle": chosen or "—"}
    return ScoreLine(
        label=label,
        width=WIDTH,
        height=bottom + 44,
        left=left,
        right=right,
        tick_x=left - 6,
        cycle_y=bottom + 18,
        ticks=[Tick(v, y(v), round(y(v) + FONT / 3, 1)) for v in (1, 4, 7, 10)],
        line=rated if len(rated) > 1 else [],
        points=marks,
        axes=[score_label(), cycle_label(left, right, bottom + 38)],
        no_data=no_data,
    )


# Projects by status per cycle ------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    status: str
    color: str
    count: int
    y: float
    height: float


@dataclass(frozen=True)
class Bar:
    cycle: str
    x: float
    middle: float
    total: int
    total_y: float
    segments: list
    chosen: bool = False
    top: float = 0  # of the stack, for the outline of the chosen bar
    height: float = 0


@dataclass(frozen=True)
class LegendEntry:
    status: str
    color: str
    x: float
    y: int
    box_y: int
    text_x: float


@dataclass(frozen=True)
class StatusBars:
    label: str
    width: int
    height: int
    bar_width: float
    cycle_y: int
    bars: list
    legend: list
    left: int = 0
    right: int = 0
    tick_x: int = 0
    ticks: list = field(default_factory=list)
    axes: list = field(default_factory=list)
    no_data: str = ""


def count_ticks(biggest):
    """Round steps from 0 to at least `biggest`, four or five of them."""
    magnitude = 10 ** max(math.floor(math.log10(max(biggest, 1) / 4)), 0)
    step = next(m * magnitude for m in (1, 2, 5, 10) if biggest / (m * magnitude) <= 4)
    return list(range(0, step * math.ceil(max(biggest, 1) / step) + 1, step))


def legend(entries, y):
    """Legend entries laid out left to right, wrapping to a new row where they would not fit."""
    placed, x = [], 2
    for status, color in entries:
        room = 14 + text_width(status.label) + 14
        if x > 2 and x + room > WIDTH - 2:
            x, y = 2, y + FONT + 8
        placed.append(LegendEntry(status, color, x=x, y=y, box_y=y - 10, text_x=x + 14))
        x += room
    return placed


def stack(counts, base, scale):
    """The segments of one bar, bottom first, from the bar's base up."""
    segments = []
    for status, color in STATUS_COLORS.items():
        n = counts.get(status, 0)
        if n:
            h = scale * n
            base -= h
            segments.append(Segment(status, color, n, round(base, 1), round(h, 1)))
    return segments, base


def status_bars(rows, label, chosen=None):
    """Stacked bars of status counts: rows are (cycle label, {status: count}), in order, up
    to the cycle `chosen` (the last by default), whose bar is drawn apart."""
    chosen = chosen if chosen is not None else (rows[-1][0] if rows else None)
    totals = [sum(counts.values()) for _cycle, counts in rows]
    ticks = count_ticks(max(totals + [1]))
    left, right, top = 10 + round(text_width(ticks[-1])), WIDTH - 8, 36
    bottom = top + 150
    scale = (bottom - top) / ticks[-1]
    slot = (right - left) / max(len(rows), 3)
    start = left + (right - left - slot * len(rows)) / 2  # few bars stand in the middle
    bar = round(min(46, slot * 0.6), 1)
    bars = []
    for i, (cycle, counts) in enumerate(rows):
        segments, base = stack(counts, bottom, scale)
        middle = round(start + (i + 0.5) * slot, 1)
        bars.append(
            Bar(cycle, round(middle - bar / 2, 1), middle, totals[i], round(base - 4, 1), segments,
                chosen=cycle == chosen, top=round(base, 1), height=round(bottom - base, 1))
        )
    entries = legend(STATUS_COLORS.items(), bottom + 60)
    no_data = "" if any(totals) else _("No projects had been reported by the end of cycle %(cycle)s.") % {"cycle": chosen or "—"}
    return StatusBars(
        label=label,
        width=WIDTH,
        height=entries[-1].y + 8,
        bar_width=bar,
        cycle_y=bottom + 18,
        bars=bars,
        legend=entries,
        left=left,
        right=right,
        tick_x=left - 6,
        ticks=[Tick(v, round(bottom - v * scale, 1), round(bottom - v * scale + FONT / 3, 1)) for v in ticks],
        axes=[unit_label(_("Number of projects")), cycle_label(left, right, bottom + 38)],
        no_data=no_data,
    )


# Score against follow-through rate -------------------------------------------------------


@dataclass(frozen=True)
class ScatterPoint:
    region: str
    url: str
    score: int
    percent: int
    x: float
    y: float


@dataclass(frozen=True)
class Band:
    """The strip of the plot a score's points stay in."""

    score: int
    y: float
    height: float


@dataclass(frozen=True)
class ScoreScatter:
    label: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    rate_label_y: int
    score_label_x: int
    rate_ticks: list
    score_ticks: list
    points: list
    radius: float = RADIUS
    bands: list = field(default_factory=list)
    axes: list = field(default_factory=list)
    no_data: str = ""

    @property
    def plot_width(self):
        return self.right - self.left

    @property
    def plot_height(self):
        return self.bottom - self.top


def scatter_frame(left, right, top, bottom):
    """The ticks and the bands of the scatter: x(rate), the tick lists and the bands."""
    band = (bottom - top) / 10

    def x(rate):
        return round(left + RADIUS + (right - left - 2 * RADIUS) * rate, 1)

    bands = [Band(s, round(top + band * (10 - s), 1), band) for s in range(10, 0, -1)]
    rate_ticks = [Tick(int(v * 100), x(v), x(v)) for v in (0, 0.25, 0.5, 0.75, 1)]
    score_ticks = [Tick(b.score, round(b.y + band / 2, 1), round(b.y + band / 2 + FONT / 3, 1)) for b in bands]
    return x, rate_ticks, score_ticks, bands


def score_scatter(points, label, cycle=None):
    """Score (y, a band for each of 1–10) against follow-through rate (x, 0–100 %): points
    are (rate or None, score, region name, url); regions without a rate are left out, and
    points that would overlap are moved apart within their score's band (a beeswarm)."""
    left, right, top = 10 + round(text_width("10")), WIDTH - 16, 24
    bottom = top + 240
    x, rate_ticks, score_ticks, bands = scatter_frame(left, right, top, bottom)
    shown = sorted((p for p in points if p[0] is not None), key=lambda p: (p[1], p[0], str(p[2]), str(p[3])))
    by_score = {b.score: b for b in bands}
    targets = [
        (x(rate), round(by_score[score].y + by_score[score].height / 2, 1),
         (left, by_score[score].y, right, round(by_score[score].y + by_score[score].height, 1)))
        for rate, score, _region, _url in shown
    ]
    radius, centres = swarm(targets, RADIUS)
    marks = [
        ScatterPoint(region, url, score, round(rate * 100), cx, cy)
        for (rate, score, region, url), (cx, cy) in zip(shown, centres)
    ]
    no_data = ""
    if not points:
        no_data = _("No region had been rated in cycle %(cycle)s.") % {"cycle": cycle or "—"}
    elif not marks:
        no_data = _("No rated region had earlier announcements to give a follow-through rate in cycle %(cycle)s.") % {
            "cycle": cycle or "—"
        }
    return ScoreScatter(
        label=label,
        width=WIDTH,
        height=bottom + 42,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        rate_label_y=bottom + 18,
        score_label_x=left - 6,
        rate_ticks=rate_ticks,
        score_ticks=score_ticks,
        points=marks,
        radius=radius,
        bands=bands,
        axes=[score_label(), AxisLabel(_("Follow-through rate, %"), round((left + right) / 2, 1), bottom + 36, "middle")],
        no_data=no_data,
    )
