"""The schema's title and description, in the reader's language and with the limits in
force (a drf-spectacular post-processing hook, SPECTACULAR_SETTINGS in config/settings.py)."""

from django.conf import settings
from django.utils.translation import gettext as _

from .base import MAX_PAGE_SIZE, PAGE_SIZE


def describe(result, generator, request, public):
    result["info"]["title"] = _("Follow-up tracker API")
    result["info"]["description"] = description()
    return result


def description():
    figures = {
        "anon": settings.TRACKER_API_ANON_PER_MINUTE,
        "user": settings.TRACKER_API_USER_PER_MINUTE,
        "size": PAGE_SIZE,
        "most": MAX_PAGE_SIZE,
        "seconds": settings.TRACKER_PUBLIC_QUERY_SECONDS,
        "bytes": settings.TRACKER_MAX_QUERY_BYTES,
        "parameters": settings.TRACKER_MAX_QUERY_PARAMETERS,
    }
    parts = [
        _(
            "The published record of the follow-up tracker of Russian regions' projects with China, "
            "read-only, as JSON: the projects with their status at the end of the latest published cycle "
            "and their timelines (evidence and status changes), the regions with their ratings per cycle, "
            "the partner organisations, the unresolved report of each cycle, the releases with how to cite "
            "them, and the cycles."
        ),
        _(
            "**Published record only.** What the editors record in a cycle not yet published never appears "
            "here, whoever asks: not its projects, evidence, status changes, ratings or release. A cycle "
            "that is not published answers 404, like one that does not exist."
        ),
        _(
            "**Pages.** Every list is paged: `page` (from 1) and `page_size` (1 to %(most)d, %(size)d by "
            "default); an answer holds `count`, `next`, `previous` (addresses, or null) and `results`, "
            "in a stable order."
        ) % figures,
        _(
            "**Values.** Names are English snake_case and do not change with the language. A choice "
            "comes as its code and, in `…_label`, its text in the reader's language (the Accept-Language "
            "header or the site's language cookie; Russian by default). Cycles are Roman numerals "
            "(`cycle`, also accepted as numbers in parameters) with their number beside them "
            "(`cycle_number`). Dates are ISO 8601; where the record says how precisely a date is known, "
            "its `…precision` (day, month, quarter or year) comes with it. Texts come in both languages "
            "(`…_ru`, `…_en`)."
        ),
        _(
            "**Limits.** An anonymous client may send %(anon)d requests a minute (counted by address), a "
            "signed-in user %(user)d; past that the answer is 429 with Retry-After. A request's database "
            "work may take %(seconds)s seconds (503 past it), and its query string at most %(bytes)d "
            "characters and %(parameters)d parameters (400 past it). Every refusal is JSON with a `detail` "
            "in the reader's language."
        ) % figures,
    ]
    return "\n\n".join(parts)
