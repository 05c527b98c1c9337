"""The tile-grid map of the regions (tracker/pages/tilemap.py), one measure at a time."""

from django.shortcuts import render

from . import tilemap
from .audience import audience_of
from .views import chosen_cycle, public_page


@public_page
def region_map(request):
    """`?measure=` score, change, follow_through or unresolved (anything else: the score)
    in the cycle of `?cycle=`, of the published record unless an editor sees the drafts."""
    cycle = chosen_cycle(request)
    audience = audience_of(request)
    measure = tilemap.measure_of(request)
    chart = tilemap.tile_map(cycle, measure, audience)
    context = {
        "cycle": cycle,
        "cycles": audience.cycles(),
        "measure": measure,
        "measures": tilemap.measure_links(cycle, measure),
        "tile_map": chart,
        "rows": sorted(chart.tiles + [t for group in chart.apart for t in group.tiles], key=lambda t: t.name),
    }
    return render(request, "tracker/region_map.html", context)
