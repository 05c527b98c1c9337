"""The admin home page's box for the open cycle's follow-up."""

from django import template

from tracker.admin import progress
from tracker.ops.releases import open_cycle

register = template.Library()


@register.simple_tag(takes_context=True)
def followup_box(context):
    """The open cycle and its follow-up figures, for an editor who may work it."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.has_perm("tracker.change_project"):
        return None
    cycle = open_cycle()
    if cycle is None:
        return {"cycle": None}
    return {"cycle": cycle, "line": progress.summary(cycle)["total"]}
