"""Charts as inline SVG: drawn on the server, no script, no request to the internet.

Each function returns markup ready for a template; every shape carries a <title> so the
numbers can be read on hover and by screen readers, and each chart has a text summary.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

STATUS_COLORS = {
    "announced": "#3b6ea5",
    "stalled": "#c8651b",
    "launched": "#2f7d3a",
    "dropped": "#a23b3b",
}


def _svg(width, height, label, body):
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'xmlns="http://www.w3.org/2000/svg">{}</svg>',
        width,
        height,
        label,
        body,
    )


def score_line(points, label):
    """A region's score across cycles: points are (cycle label, score or None)."""
    width, height, left, bottom, top = 320, 180, 30, 30, 10
    plot_h = height - bottom - top
    step = (width - left - 20) / max(len(points) - 1, 1)

    def y(score):
        return top + plot_h * (1 - score / 10)

    parts = [
        format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>', left, y(v), width - 10, y(v))
        for v in (0, 5, 10)
    ]
    parts += [
        format_html('<text x="{}" y="{}" class="tick" text-anchor="end">{}</text>', left - 4, y(v) + 4, v)
        for v in (0, 5, 10)
    ]
    coords = [(left + i * step, score) for i, (_label, score) in enumerate(points)]
    known = [(x, y(s)) for x, s in coords if s is not None]
    if len(known) > 1:
        parts.append(
            format_html(
                '<polyline points="{}" class="line"/>', " ".join(f"{x:.1f},{yy:.1f}" for x, yy in known)
            )
        )
    for (x, score), (name, _score) in zip(coords, points):
        parts.append(format_html('<text x="{}" y="{}" class="tick" text-anchor="middle">{}</text>', x, height - 8, name))
        if score is not None:
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="5" class="point"><title>{}: {}</title></circle>'
                    '<text x="{}" y="{}" class="value" text-anchor="middle">{}</text>',
                    round(x, 1), round(y(score), 1), name, score, round(x, 1), round(y(score) - 9, 1), score,
                )
            )
    return _svg(width, height, label, mark_safe("".join(parts)))


def status_bars(rows, label):
    """Stacked bars of status counts: rows are (cycle label, {status: count})."""
    width, bar, gap, left, top, bottom = 360, 46, 30, 40, 10, 50
    height = 220
    plot_h = height - top - bottom
    biggest = max([sum(counts.values()) for _l, counts in rows] + [1])
    parts = []
    for i, (name, counts) in enumerate(rows):
        x = left + i * (bar + gap)
        base = top + plot_h
        for status, color in STATUS_COLORS.items():
            n = counts.get(status, 0)
            if not n:
                continue
            h = plot_h * n / biggest
            base -= h
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} — {}: {}</title></rect>',
                    x, round(base, 1), bar, round(h, 1), color, name, _(status), n,
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="tick" text-anchor="middle">{}</text>'
                '<text x="{}" y="{}" class="value" text-anchor="middle">{}</text>',
                x + bar / 2, top + plot_h + 16, name, x + bar / 2, round(base - 4, 1), sum(counts.values()),
            )
        )
    for j, (status, color) in enumerate(STATUS_COLORS.items()):
        lx = left + (j % 2) * 150
        ly = height - 22 + (j // 2) * 14
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="10" height="10" fill="{}"/><text x="{}" y="{}" class="legend">{}</text>',
                lx, ly - 9, color, lx + 14, ly, _(status),
            )
        )
    return _svg(width, height + 8, label, mark_safe("".join(parts)))


def score_scatter(points, label):
    """Score (y, 1–10) against follow-through rate (x, 0–100 %): points are
    (rate or None, score, region name, url)."""
    width, height, left, bottom, top, right = 420, 280, 40, 40, 10, 10
    plot_w, plot_h = width - left - right, height - top - bottom

    def pos(rate, score):
        return left + plot_w * rate, top + plot_h * (1 - (score - 1) / 9)

    parts = []
    for v in (0, 0.5, 1):
        x, _y = pos(v, 1)
        parts.append(format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>', x, top, x, top + plot_h))
        parts.append(format_html('<text x="{}" y="{}" class="tick" text-anchor="middle">{}%</text>', x, height - 22, int(v * 100)))
    for s in (1, 4, 7, 10):
        _x, y = pos(0, s)
        parts.append(format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>', left, y, left + plot_w, y))
        parts.append(format_html('<text x="{}" y="{}" class="tick" text-anchor="end">{}</text>', left - 4, y + 4, s))
    parts.append(format_html('<text x="{}" y="{}" class="legend" text-anchor="middle">{}</text>', left + plot_w / 2, height - 4, _("follow-through rate")))
    for rate, score, name, url in points:
        if rate is None:
            continue
        x, y = pos(rate, score)
        parts.append(
            format_html(
                '<a href="{}"><circle cx="{}" cy="{}" r="5" class="point">'
                "<title>{}: {} {}, {}%</title></circle></a>",
                url, round(x, 1), round(y, 1), name, _("score"), score, round(rate * 100),
            )
        )
    return _svg(width, height, label, mark_safe("".join(parts)))


def legend():
    return format_html_join(
        "", '<span class="swatch" style="background:{}"></span>{} ', ((c, _(s)) for s, c in STATUS_COLORS.items())
    )
