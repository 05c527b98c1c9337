"""What a file may cost to read, checked before the expensive part (README "Safety and
limits"): its size, what an XLSX/ODS archive unpacks to, XML entity declarations, how
many columns its header has and how many rows it holds. Each limit is a setting driven by
the environment; each refusal names the file and the limit, in the reader's language."""

import io
import re
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import SpreadsheetError

_ENTITY_PATTERN = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# A row element, with or without a namespace prefix: <row …> in XLSX, <table:table-row …> in ODS.
_XLSX_ROW = re.compile(rb"<(?:[\w.-]+:)?row[\s>/]")
_ODS_ROW = re.compile(rb"<(?:[\w.-]+:)?table-row[\s>/]")
_MERGE = re.compile(rb"<(?:[\w.-]+:)?mergeCell\s[^>]*?ref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")
_TAIL = 64  # bytes kept between chunks, longer than any pattern above


def check_size(size, filename):
    limit = settings.TRACKER_IMPORT_MAX_BYTES
    if size > limit:
        raise SpreadsheetError(
            _("“%(filename)s” is %(size).1f MB; the limit is %(limit).0f MB.")
            % {"filename": filename, "size": size / 1e6, "limit": limit / 1e6}
        )


def check_columns(headers, filename):
    limit = settings.TRACKER_IMPORT_MAX_COLUMNS
    if len(headers) > limit:
        raise SpreadsheetError(
            _("“%(filename)s” has %(count)s columns; the tracker reads at most %(limit)s.")
            % {"filename": filename, "count": len(headers), "limit": limit}
        )


def too_many_rows(filename):
    limit = settings.TRACKER_IMPORT_MAX_ROWS
    return SpreadsheetError(
        _("“%(filename)s” has more than %(limit)s rows; import it in parts of at most %(limit)s rows.")
        % {"filename": filename, "limit": limit}
    )


def _row_pattern(name):
    if name.startswith("xl/worksheets/") and name.endswith(".xml"):
        return _XLSX_ROW
    return _ODS_ROW if name == "content.xml" else None


def check_archive(content, filename):
    """Refuse zip bombs, XML entity declarations and sheets of too many rows before any
    parser sees the file: every XML member is read once, as a stream. Returns the merged
    cells of each XLSX sheet ({member: ["B5:C5", …]}), found on the way."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise SpreadsheetError(
            _("“%(filename)s” is not a valid spreadsheet file (damaged or not XLSX/ODS).") % {"filename": filename}
        ) from None
    limit = settings.TRACKER_IMPORT_MAX_UNPACKED_BYTES
    members = archive.infolist()
    if len(members) > 10_000 or sum(m.file_size for m in members) > limit:
        raise SpreadsheetError(
            _("“%(filename)s” unpacks to more than %(limit).0f MB; it is refused as a possible zip bomb.")
            % {"filename": filename, "limit": limit / 1e6}
        )
    merges = {}
    for member in members:
        if member.filename.endswith((".xml", ".rels")):
            found = _scan_member(archive, member, filename)
            if found:
                merges[member.filename] = found
    return merges


def _scan_member(archive, member, filename):
    limit = settings.TRACKER_IMPORT_MAX_UNPACKED_BYTES
    rows_pattern = _row_pattern(member.filename)
    max_rows = settings.TRACKER_IMPORT_MAX_ROWS + 1  # the header row as well
    read = rows = 0
    merged, sheet = [], rows_pattern is _XLSX_ROW
    with archive.open(member) as stream:
        tail = b""
        while chunk := stream.read(1 << 16):
            read += len(chunk)
            if read > limit:
                raise SpreadsheetError(
                    _("“%(filename)s” unpacks to more than declared; it is refused.") % {"filename": filename}
                )
            window = tail + chunk
            if _ENTITY_PATTERN.search(window):
                raise SpreadsheetError(
                    _("“%(filename)s” declares XML entities (%(member)s); it is refused as unsafe.")
                    % {"filename": filename, "member": member.filename}
                )
            if rows_pattern is not None:
                rows += len(rows_pattern.findall(window)) - len(rows_pattern.findall(tail))
                if rows > max_rows:
                    raise too_many_rows(filename)
            if sheet and b"mergeCell" in window:
                merged += [m.group(1).decode() for m in _MERGE.finditer(window) if m.end() > len(tail)]
            tail = window[-_TAIL:]
    return merged

