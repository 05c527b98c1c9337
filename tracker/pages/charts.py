"""The geometry of the inline SVG charts: scales, positions and tick values as plain data.

The templates in templates/tracker/charts/ draw it (drawn on the server: no script, no
request to the internet), so every name and label on a chart is escaped by the template
engine. Every mark there carries a <title> so the numbers can be read on hover and by
screen readers, and each chart has a text summary in its figure caption.
"""

from dataclasses import dataclass

from tracker.models import Project

S = Project.Status

# In stacking order, bottom first; the legend follows it too.
STATUS_COLORS = {
    S.ANNOUNCED: "#3b6ea5",
    S.STALLED: "#c8651b",
    S.LAUNCHED: "#2f7d3a",
    S.DROPPED: "#a23b3b",
}


@dataclass(frozen=True)
class Tick:
    """A grid line at `at` (y for a horizontal line, x for a vertical one) and its label."""

    value: object
    at: float
    label_at: float


# Score per cycle -------------------------------------------------------------------------


@dataclass(frozen=True)
class ScorePoint:
    cycle: str
    x: float  # of the cycle's label
    cx: float  # of the point, a tenth of a pixel is close enough
    score: int | None
    y: float | None  # None when the region was not rated in the cycle
    value_y: float | None


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


def score_line(points, label):
    """A region's score across cycles: points are (cycle label, score or None)."""
    width, height, left, bottom, top = 320, 180, 30, 30, 10
    plot_h = height - bottom - top
    step = (width - left - 20) / max(len(points) - 1, 1)

    def y(score):
        return top + plot_h * (1 - score / 10)

    marks = []
    for i, (cycle, score) in enumerate(points):
        x = left + i * step
        known = score is not None
        marks.append(
            ScorePoint(
                cycle=cycle,
                x=x,
                cx=round(x, 1),
                score=score,
                y=round(y(score), 1) if known else None,
                value_y=round(y(score) - 9, 1) if known else None,
            )
        )
    rated = [(p.cx, p.y) for p in marks if p.score is not None]
    return ScoreLine(
        label=label,
        width=width,
        height=height,
        left=left,
        right=width - 10,
        tick_x=left - 4,
        cycle_y=height - 8,
        ticks=[Tick(v, y(v), y(v) + 4) for v in (0, 5, 10)],
        line=rated if len(rated) > 1 else [],
        points=marks,
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
    x: int
    middle: float
    total: int
    total_y: float
    segments: list


@dataclass(frozen=True)
class LegendEntry:
    status: str
    color: str
    x: int
    y: int
    box_y: int
    text_x: int


@dataclass(frozen=True)
class StatusBars:
    label: str
    width: int
    height: int
    bar_width: int
    cycle_y: int
    bars: list
    legend: list


def status_bars(rows, label):
    """Stacked bars of status counts: rows are (cycle label, {status: count})."""
    width, bar, gap, left, top, bottom = 360, 46, 30, 40, 10, 50
    height = 220
    plot_h = height - top - bottom
    biggest = max([sum(counts.values()) for _cycle, counts in rows] + [1])
    bars = []
    for i, (cycle, counts) in enumerate(rows):
        base = top + plot_h
        segments = []
        for status, color in STATUS_COLORS.items():
            n = counts.get(status, 0)
            if not n:
                continue
            h = plot_h * n / biggest
            base -= h
            segments.append(Segment(status, color, n, round(base, 1), round(h, 1)))
        x = left + i * (bar + gap)
        bars.append(Bar(cycle, x, x + bar / 2, sum(counts.values()), round(base - 4, 1), segments))
    legend = []
    for j, (status, color) in enumerate(STATUS_COLORS.items()):
        lx = left + (j % 2) * 150
        ly = height - 22 + (j // 2) * 14
        legend.append(LegendEntry(status, color, x=lx, y=ly, box_y=ly - 9, text_x=lx + 14))
    return StatusBars(
        label=label,
        width=width,
        height=height + 8,
        bar_width=bar,
        cycle_y=top + plot_h + 16,
        bars=bars,
        legend=legend,
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
    caption_x: float
    caption_y: int
    rate_ticks: list
    score_ticks: list
    points: list


def score_scatter(points, label):
    """Score (y, 1–10) against follow-through rate (x, 0–100 %): points are
    (rate or None, score, region name, url); regions without a rate are left out."""
    width, height, left, bottom, top, right = 420, 280, 40, 40, 10, 10
    plot_w, plot_h = width - left - right, height - top - bottom

    def pos(rate, score):
        return left + plot_w * rate, top + plot_h * (1 - (score - 1) / 9)

    rate_ticks = [Tick(int(v * 100), pos(v, 1)[0], pos(v, 1)[0]) for v in (0, 0.5, 1)]
    score_ticks = [Tick(s, pos(0, s)[1], pos(0, s)[1] + 4) for s in (1, 4, 7, 10)]
    marks = []
    for rate, score, region, url in points:
        if rate is None:
            continue
        x, y = pos(rate, score)
        marks.append(ScatterPoint(region, url, score, round(rate * 100), round(x, 1), round(y, 1)))
    return ScoreScatter(
        label=label,
        width=width,
        height=height,
        left=left,
        right=left + plot_w,
        top=top,
        bottom=top + plot_h,
        rate_label_y=height - 22,
        score_label_x=left - 4,
        caption_x=left + plot_w / 2,
        caption_y=height - 4,
        rate_ticks=rate_ticks,
        score_ticks=score_ticks,
        points=marks,
    )
