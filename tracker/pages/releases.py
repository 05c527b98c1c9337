"""The releases' public pages (docs/domain.md "Publication"): the list, one release with
its counts, checksums, changes since the previous release and errata, and its files —
served only after they are checked against their published checksums."""

import logging
import mimetypes

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from ratings.models import Region
from ratings.numerals import from_roman
from tracker.models import ChecksumMismatch, Project, Release

from .views import public_page

logger = logging.getLogger(__name__)


def _release(numeral):
    try:
        number = from_roman(numeral)
    except ValueError:
        raise Http404(_("There is no release “%(cycle)s”.") % {"cycle": numeral}) from None
    return get_object_or_404(Release.objects.select_related("cycle"), cycle__number=number, cycle__is_published=True)


@public_page
def release_list(request):
    releases = Release.objects.filter(cycle__is_published=True).select_related("cycle")
    return render(request, "tracker/release_list.html", {"releases": releases})


@public_page
def release_detail(request, numeral):
    release = _release(numeral)
    changes = release.changes
    new = changes.get("new_projects", [])
    shown_new = Project.objects.filter(reference__in=new[:50]).order_by("reference")
    names = {region.iso_code: region.name for region in Region.objects.all()}
    context = {
        "release": release,
        "cycle": release.cycle,
        "files": release.files,
        "statuses": [(status, release.counts.get("statuses", {}).get(status, 0)) for status in Project.Status.values],
        "new_count": len(new),
        "new_projects": shown_new,
        "moves": changes.get("moves", []),
        "resolved": changes.get("resolved", []),
        "scores": [(iso, names.get(iso, iso), old, now) for iso, old, now in changes.get("scores", [])],
        "errata": release.errata(),
        "previous": changes.get("since"),
        "corrections": [(day, _action(action), what) for day, action, what in changes.get("corrections", [])],
    }
    return render(request, "tracker/release_detail.html", context)


def release_file(request, numeral, name):
    """A release file, checked against its checksum first: a file that no longer matches
    is reported (logged as an error) and not served."""
    if settings.TRACKER_REQUIRE_LOGIN and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    release = _release(numeral)
    try:
        content = release.read_verified(name)
    except KeyError:
        raise Http404(_("This release has no file “%(name)s”.") % {"name": name}) from None
    except ChecksumMismatch:
        logger.error("Release %s: %s does not match its published checksum", release.cycle.numeral, name)
        message = _("The file “%(name)s” of release %(cycle)s does not match its published checksum, so it is not served; the editors have been told.")
        return HttpResponse(message % {"name": name, "cycle": release.cycle.numeral}, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _action(code):
    from audit.models import AuditEntry

    return AuditEntry.Action(code).label if code in AuditEntry.Action.values else code
