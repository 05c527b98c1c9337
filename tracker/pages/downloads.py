"""Downloads of the researchers' lists: for programs (column codes and value codes, as
the releases and scripts read them) or for people (`?headers=labels`: headers and values
in the page's language), with file names that say the dataset, the filters and the date."""

import datetime
from urllib.parse import quote

import tablib
from django.utils.text import capfirst, slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ratings.models import Region
from tracker.models import DatePrecision, Project, StatusChange

#: Parameters that are not filters, left out of a file's name.
NOT_FILTERS = {"export", "headers", "page", "sort", "ordering"}
#: A file name says at most this many filters.
NAMED_FILTERS = 6


def wants_labels(request):
    return request.GET.get("headers") == "labels"


def file_name(request, dataset, extension):
    """«projects_region-amur-oblast_status-stalled_2026-12-03.xlsx» (people's files end in
    their language: «…_ru.xlsx»)."""
    parts = [dataset]
    named = [(key, value) for key, value in request.GET.items() if key not in NOT_FILTERS and value][:NAMED_FILTERS]
    parts += [slugify(f"{key}-{value}", allow_unicode=True)[:40] for key, value in named]
    parts.append(datetime.date.today().isoformat())
    if wants_labels(request):
        parts.append((get_language() or "ru")[:2])
    return "_".join(part for part in parts if part) + f".{extension}"


def content_disposition(name):
    """An attachment header that keeps a non-Latin name (RFC 6266), with a Latin fallback."""
    fallback = name.encode("ascii", "ignore").decode() or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


def _labels(choices):
    return {str(value): str(label) for value, label in choices}


def in_words(dataset):
    """`dataset` (a public projects or unresolved export) with headers and values in the
    active language: choices by their labels, yes/no in words, regions by name."""
    statuses = _labels(Project.Status.choices)
    regions = {r.iso_code: r.name for r in Region.objects.all()}
    yes_no = {True: pgettext("boolean", "yes"), False: pgettext("boolean", "no")}
    field = Project._meta.get_field
    columns = {
        "reference": (capfirst(field("reference").verbose_name), None),
        "region": (_("Region"), regions),
        "title": (_("Title"), None),
        "title_ru": (capfirst(field("title_ru").verbose_name), None),
        "title_en": (capfirst(field("title_en").verbose_name), None),
        "location": (capfirst(field("location").verbose_name), None),
        "sector": (capfirst(field("sector").verbose_name), _labels(Project.Sector.choices)),
        "announced_on": (capfirst(field("announced_on").verbose_name), None),
        "announced_precision": (capfirst(field("announced_precision").verbose_name), _labels(DatePrecision.choices)),
        "amount": (capfirst(field("amount").verbose_name), None),
        "currency": (capfirst(field("currency").verbose_name), None),
        "first_cycle": (capfirst(field("first_cycle").verbose_name), None),
        "status": (_("Status"), statuses),
        "status_at_start": (_("Status at the start"), statuses),
        "status_at_end": (_("Status at the end"), statuses),
        "suggested_status": (_("Suggested status"), statuses),
        "age_cycles": (_("Age, cycles"), None),
        "last_evidence_on": (_("Last evidence"), None),
        "silent": (_("No news this cycle"), yes_no),
        "basis": (_("How we know"), _labels(StatusChange.Basis.choices)),
        "disputed": (_("Disputed"), yes_no),
        "public_note_ru": (capfirst(field("public_note_ru").verbose_name), None),
        "public_note_en": (capfirst(field("public_note_en").verbose_name), None),
    }
    headers = list(dataset.headers)
    words = tablib.Dataset(headers=[str(columns.get(h, (h, None))[0]) for h in headers], title=dataset.title)
    maps = [columns.get(h, (h, None))[1] for h in headers]
    for row in dataset:
        words.append([
            value if table is None else table.get(value if isinstance(value, bool) else str(value), value)
            for value, table in zip(row, maps)
        ])
    return words
