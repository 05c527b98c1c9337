"""Publishing the open cycle from the admin: a confirmation page that shows what will
become public, then one transaction (tracker.ops.releases.publish)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.context import acting
from ratings.models import Cycle
from tracker.ops import releases

from .worklist import worklist

PERMISSION = "ratings.publish_cycle"


def publish_view(model_admin, request, object_id):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    cycle = get_object_or_404(Cycle, pk=object_id)
    problems = releases.problems(cycle)
    if request.method == "POST" and not problems:
        try:
            with acting(request.user, "admin"):
                release = releases.publish(cycle, request.user)
        except ValidationError as error:
            problems = error.messages
        else:
            url = reverse("tracker:release_detail", args=[release.cycle.numeral])
            messages.success(
                request, _("Cycle %(cycle)s is published; its release is at %(url)s.") % {"cycle": cycle.numeral, "url": url}
            )
            return redirect("admin:ratings_cycle_changelist")
    for problem in problems:
        messages.error(request, problem)
    pending = worklist(cycle) if not cycle.is_published else None
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Cycle._meta,
        "title": _("Publish cycle %(cycle)s") % {"cycle": cycle.numeral},
        "cycle": cycle,
        "problems": problems,
        "preview": releases.preview(cycle),
        "pending_count": pending.count() if pending is not None else 0,
        "pending": list(pending[:20]) if pending is not None else [],
    }
    return TemplateResponse(request, "admin/ratings/cycle_publish.html", context)
