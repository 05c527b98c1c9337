"""Spreadsheet formats: CSV, XLSX, ODS and JSON, both ways.

Reading works out what people's files really are (their text encoding, see encodings.py,
and their delimiter: comma, semicolon or tab) and refuses hostile files before parsing them:
uploads over TRACKER_IMPORT_MAX_BYTES, XLSX/ODS archives that unpack to more than
TRACKER_IMPORT_MAX_UNPACKED_BYTES (zip bombs), and XML using DOCTYPE or entity
declarations (entity bombs). The parsers themselves go through defusedxml: openpyxl
and odfpy both use it when it is installed (tests/spreadsheets/test_formats.py checks
that they do).

Writing neutralises cells that spreadsheet programs would run as formulas (OWASP CSV
injection): in CSV a text cell starting with = + - @ tab or carriage return gets a
leading apostrophe (removed again on import); in XLSX and ODS such cells are stored as
text cells. Numbers and dates stay numbers and dates.
"""

import contextvars
import csv
import datetime
import io
import json
import re
import zipfile
from decimal import Decimal

import tablib
from django.conf import settings
from django.utils.translation import gettext as _
from import_export.formats import base_formats

from .encodings import decode_text

#: The name of the file being read, for messages, when the caller cannot pass it
#: (django-import-export's admin views call `create_dataset(data)`).
uploaded_name = contextvars.ContextVar("uploaded_name", default="")
from .errors import SpreadsheetError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ENTITY_PATTERN = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unneutralise(value):
    if isinstance(value, str) and value.startswith("'") and value[1:2] and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def sniff_delimiter(text):
    lines = text.splitlines()
    sample = "\n".join(lines[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        header = lines[0] if lines else ""
        return max(",;\t", key=header.count)


def check_size(size, filename):
    limit = settings.TRACKER_IMPORT_MAX_BYTES
    if size > limit:
        raise SpreadsheetError(
            _("“%(filename)s” is %(size).1f MB; the limit is %(limit).0f MB.")
            % {"filename": filename, "size": size / 1e6, "limit": limit / 1e6}
        )


def check_archive(content, filename):
    """Refuse zip bombs and XML entity declarations before any parser sees the file."""
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
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):
            continue
        read = 0
        with archive.open(member) as stream:
            tail = b""
            while chunk := stream.read(1 << 16):
                read += len(chunk)
                if read > limit:
                    raise SpreadsheetError(
                        _("“%(filename)s” unpacks to more than declared; it is refused.") % {"filename": filename}
                    )
                if _ENTITY_PATTERN.search(tail + chunk):
                    raise SpreadsheetError(
                        _("“%(filename)s” declares XML entities (%(member)s); it is refused as unsafe.")
                        % {"filename": filename, "member": member.filename}
                    )
                tail = chunk[-16:]


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


class SpreadsheetFormat(base_formats.Format):
    """A format of ours: reads bytes (the encoding is detected, not chosen) and writes safely.

    Each format names its `title`, `extension` and `content_type`."""

    def __init__(self, encoding=None, **kwargs):
        pass  # django-import-export's commands pass an encoding; ours is detected from the bytes

    def get_title(self):
        return self.title

    def get_extension(self):
        return self.extension

    def get_content_type(self):
        return self.content_type

    def is_binary(self):
        return True  # django-import-export would otherwise decode text formats itself, in one fixed encoding

    def get_read_mode(self):
        return "rb"

    def can_import(self):
        return True

    def can_export(self):
        return True

    def create_dataset(self, in_stream, filename=None, **kwargs):
        content = in_stream if isinstance(in_stream, bytes) else in_stream.encode("utf-8")
        filename = filename or uploaded_name.get() or f"file.{self.extension}"
        check_size(len(content), filename)
        try:
            dataset = self.read(content, filename)
        except SpreadsheetError:
            raise
        except Exception as error:
            raise SpreadsheetError(
                _("“%(filename)s” could not be read as %(format)s: %(error)s")
                % {"filename": filename, "format": self.title, "error": error}
            ) from None
        if not dataset.headers or not any(dataset.headers):
            raise SpreadsheetError(_("“%(filename)s” has no header row.") % {"filename": filename})
        dataset.headers = [str(h if h is not None else "").strip() for h in dataset.headers]
        return dataset

    def read(self, content, filename):
        raise NotImplementedError


class CSV(SpreadsheetFormat):
    title, extension, content_type = "csv", "csv", "text/csv; charset=utf-8"

    def read(self, content, filename):
        text = decode_text(content, filename)
        if "\x00" in text:
            raise SpreadsheetError(
                _("“%(filename)s” contains NUL bytes: it is not a text CSV file.") % {"filename": filename}
            )
        # The apostrophe that export puts before formula-like text is removed by the
        # text widgets (tracker.spreadsheets.widgets.TextWidget), so reading stays a single pass.
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
        headers = next(rows, None)
        if not headers:
            raise SpreadsheetError(_("“%(filename)s” has no header row.") % {"filename": filename})
        return rows_to_dataset(headers, rows)

    def export_data(self, dataset, **kwargs):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(dataset.headers)
        writer.writerows([_csv_cell(v) for v in row] for row in dataset)
        return "\ufeff" + out.getvalue()  # BOM: Excel opens UTF-8 correctly


_FORMULA_FIRST = frozenset(FORMULA_STARTS)


def _csv_cell(value):
    if value.__class__ is str:  # most cells: only formula-like text changes
        return "'" + value if value and value[0] in _FORMULA_FIRST else value
    if value is None:
        return ""
    return neutralise(_csv_value(value))


def _csv_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


class JSON(SpreadsheetFormat):
    title, extension, content_type = "json", "json", "application/json"

    def read(self, content, filename):
        rows = json.loads(decode_text(content, filename))
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise SpreadsheetError(
                _("“%(filename)s” must hold a list of objects, one per row.") % {"filename": filename}
            )
        headers = list(dict.fromkeys(key for row in rows for key in row))
        return rows_to_dataset(headers, ([row.get(h) for h in headers] for row in rows))

    def export_data(self, dataset, **kwargs):
        rows = [{h: _plain(v) for h, v in zip(dataset.headers, row)} for row in dataset]
        return json.dumps(rows, ensure_ascii=False, indent=1)


class XLSX(SpreadsheetFormat):
    title, extension = "xlsx", "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def read(self, content, filename):
        check_archive(content, filename)
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        headers = next(rows, None)
        if headers is None:
            raise SpreadsheetError(_("“%(filename)s” is empty.") % {"filename": filename})
        dataset = rows_to_dataset(list(headers), rows)
        book.close()
        return dataset

    def export_data(self, dataset, **kwargs):
        import openpyxl
        from openpyxl.styles import Font

        book = openpyxl.Workbook(write_only=False)
        sheet = book.active
        sheet.title = (dataset.title or "data")[:31]
        sheet.append(list(dataset.headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in dataset:
            sheet.append([_xlsx_value(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if cell.data_type == "f":  # text that looks like a formula stays text
                    cell.data_type = "s"
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def _xlsx_value(value):
    if isinstance(value, str):
        # openpyxl refuses control characters that XML 1.0 cannot hold.
        return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value)
    return value


class ODS(SpreadsheetFormat):
    title, extension = "ods", "ods"
    content_type = "application/vnd.oasis.opendocument.spreadsheet"

    def read(self, content, filename):
        check_archive(content, filename)
        from odf import opendocument  # parses through defusedxml
        from odf.namespaces import TABLENS
        from odf.table import Table, TableRow

        document = opendocument.load(io.BytesIO(content))
        sheets = document.spreadsheet.getElementsByType(Table)
        if not sheets:
            raise SpreadsheetError(_("“%(filename)s” has no sheet.") % {"filename": filename})
        rows = []
        for row in sheets[0].getElementsByType(TableRow):
            repeat = int(row.attributes.get((TABLENS, "number-rows-repeated"), 1))
            cells = _ods_row(row)
            if not any(cell not in ("", None) for cell in cells):
                continue  # blank rows (often repeated to the sheet's end)
            rows.extend([cells] * min(repeat, 10_000))
        if not rows:
            raise SpreadsheetError(_("“%(filename)s” is empty.") % {"filename": filename})
        headers = [str(h) if h is not None else "" for h in rows[0]]
        while headers and headers[-1] == "":
            headers.pop()
        return rows_to_dataset(headers, rows[1:])

    def export_data(self, dataset, **kwargs):
        # tablib writes every str as an ODS text cell, so formulas never run.
        clean = tablib.Dataset(headers=dataset.headers, title=dataset.title)
        for row in dataset:
            clean.append([float(v) if isinstance(v, Decimal) else v for v in row])
        return clean.export("ods")


def rows_to_dataset(headers, rows):
    """A tablib Dataset from rows of cells, padded or cut to the header's width.

    Filled directly rather than row by row through `Dataset.append`, which validates
    every row again and costs more than reading the file."""
    width = len(headers)
    data = []
    for row in rows:
        if len(row) != width:
            row = (list(row) + [""] * width)[:width]
        if any(cell not in ("", None) for cell in row):
            data.append(tablib.core.Row(row))
    dataset = tablib.Dataset(headers=list(headers))
    dataset._data = data
    return dataset


def _ods_text(node):
    """A cell's text as LibreOffice shows it: paragraphs on separate lines, <text:s/>
    as spaces, tabs and line breaks kept."""
    from odf.namespaces import TEXTNS

    parts = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            parts.append(child.data)
        elif child.qname == (TEXTNS, "s"):
            parts.append(" " * int(child.attributes.get((TEXTNS, "c"), 1)))
        elif child.qname == (TEXTNS, "tab"):
            parts.append("\t")
        elif child.qname == (TEXTNS, "line-break"):
            parts.append("\n")
        else:
            parts.append(_ods_text(child))
    return "".join(parts)


def _ods_value(cell):
    from odf.namespaces import OFFICENS, TEXTNS

    attributes = cell.attributes
    kind = attributes.get((OFFICENS, "value-type"))
    if kind in ("float", "percentage", "currency"):
        number = Decimal(attributes.get((OFFICENS, "value"), "0"))
        return int(number) if number == number.to_integral() else float(number)
    if kind == "date":
        value = attributes.get((OFFICENS, "date-value"), "")
        return datetime.datetime.fromisoformat(value).date() if "T" not in value else datetime.datetime.fromisoformat(value)
    if kind == "boolean":
        return attributes.get((OFFICENS, "boolean-value")) == "true"
    paragraphs = [_ods_text(p) for p in cell.childNodes if p.qname == (TEXTNS, "p")]
    return "\n".join(paragraphs)


def _ods_row(row):
    from odf.namespaces import TABLENS

    cells = []
    for cell in row.childNodes:
        if cell.qname[1] not in ("table-cell", "covered-table-cell"):
            continue
        repeat = int(cell.attributes.get((TABLENS, "number-columns-repeated"), 1))
        value = _ods_value(cell)
        cells.extend([value] * min(repeat, 1024))
    while cells and cells[-1] in ("", None):
        cells.pop()
    return cells


FORMATS = [XLSX, CSV, ODS, JSON]
BY_EXTENSION = {f.extension: f for f in FORMATS} | {"tsv": CSV, "txt": CSV}


def format_for(filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    try:
        return BY_EXTENSION[extension]()
    except KeyError:
        raise SpreadsheetError(
            _("“%(name)s” is not a file the tracker reads: use .xlsx, .ods, .csv or .json.") % {"name": filename}
        ) from None


def read_dataset(content, filename):
    """A tablib Dataset from uploaded bytes; SpreadsheetError with a plain message otherwise."""
    return format_for(filename).create_dataset(content, filename=filename)
