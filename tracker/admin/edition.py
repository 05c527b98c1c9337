"""The cycle's edition from its admin page: a button per format and language, each a
download of the document drafted from the record (tracker.edition)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from ratings.models import Cycle
from tracker.edition import MEDIA_TYPES, WRITERS, document, file_name

LANGUAGES = ("ru", "en")


def edition_view(model_admin, request, object_id):
    """`?format=docx|odt|html&language=ru|en&sources=1`. A draft cycle's edition is the
    editors' (it shows the draft record); a published one, anyone's who may view cycles."""
    cycle = get_object_or_404(Cycle, pk=object_id)
    allowed = model_admin.has_view_permission(request, cycle) if cycle.is_published else request.user.has_perm("ratings.change_cycle")
    if not allowed:
        raise PermissionDenied
    file_format = request.GET.get("format", "docx")
    language = request.GET.get("language", "ru")
    if file_format not in WRITERS or language not in LANGUAGES:
        raise Http404("no such edition format or language")
    data = document(cycle, file_format, language, with_sources=request.GET.get("sources") == "1")
    response = HttpResponse(data, content_type=MEDIA_TYPES[file_format])
    disposition = "inline" if file_format == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{file_name(cycle, file_format, language)}"'
    return response
