"""The rating's edition of a cycle, drafted from the record (README "The edition"):
content.py reads what it says; to_docx.py, to_odt.py and to_html.py write it."""

import io

from . import content, to_docx, to_html, to_odt

WRITERS = {"docx": to_docx.write, "odt": to_odt.write, "html": to_html.write}
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "html": "text/html; charset=utf-8",
}


def write_document(cycle, out, file_format="docx", language="ru", with_sources=False, progress=None):
    """Write the edition of `cycle` as a `file_format` document to the binary file `out`."""
    WRITERS[file_format](content.build(cycle, language, progress), out, with_sources=with_sources)


def document(cycle, file_format="docx", language="ru", with_sources=False):
    """The edition of `cycle` as the bytes of a `file_format` document."""
    out = io.BytesIO()
    write_document(cycle, out, file_format, language, with_sources)
    return out.getvalue()


def file_name(cycle, file_format, language="ru"):
    draft = "" if cycle.is_published else "-draft"
    return f"edition-{cycle.numeral}-{language}{draft}.{file_format}"
