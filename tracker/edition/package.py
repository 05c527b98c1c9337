"""What the DOCX and ODT writers share: both let their library write the document around
the tables, then copy the package (a ZIP), writing each table's rows as XML text straight
into the document member, row by row — so a large edition is never one tree in memory."""

import re
import zipfile
from xml.sax.saxutils import escape

#: Characters XML 1.0 does not allow in text.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(words):
    """`words` as XML character data."""
    return escape(CONTROL.sub("", words or ""))


def member(target, item):
    """A compressed member of `target` named as `item`, open for writing."""
    info = zipfile.ZipInfo(item.filename, date_time=item.date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    return target.open(info, "w", force_zip64=True)


def with_rows(target, item, xml, end_tag, tables, row_xml):
    """Write `item`'s text `xml` to `target`, each table's rows (`row_xml(row)` for the rows
    of `tables`, in order) written just before that table's `end_tag`."""
    pieces = xml.split(end_tag)
    with member(target, item) as stream:
        for index, piece in enumerate(pieces[:-1]):
            stream.write(piece.encode("utf-8"))
            for row in tables[index]:
                stream.write(row_xml(row).encode("utf-8"))
            stream.write(end_tag.encode("utf-8"))
        stream.write(pieces[-1].encode("utf-8"))
