"""The edition as one printable HTML page (A4 landscape, the table's header repeated on
each printed page, a draft marked on every page); sources as numbered notes at the end.
Written region row by region row, so a large edition is never one string in memory."""

import re

from django.template.loader import render_to_string
from django.utils import translation

from tracker.models.common import is_web_url

from .content import number_sources, tables

ROWS = re.compile(r"<!--rows:(\d+)-->")


def write(edition, out, with_sources=False):
    with translation.override(edition.language):
        notes = [
            {"source": source, "url": url if is_web_url(url) else ""} for source, url in number_sources(edition)
        ] if with_sources else []
        page = render_to_string("tracker/edition/edition.html", {"edition": edition, "notes": notes})
        parts = ROWS.split(page)
        out.write(parts[0].encode("utf-8"))
        body = tables(edition)
        for index, rest in zip(parts[1::2], parts[2::2]):
            for row in body[int(index)]:
                html = render_to_string("tracker/edition/_row.html", {"row": row, "with_sources": with_sources})
                out.write(html.encode("utf-8"))
            out.write(rest.encode("utf-8"))
