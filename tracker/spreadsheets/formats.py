"""Spreadsheet formats: CSV, XLSX, ODS and JSON, both ways.

Reading works out what people's files really are (their text encoding, see encodings.py,
and their delimiter: comma, semicolon or tab) and refuses hostile files before parsing them
(limits.py): uploads over TRACKER_IMPORT_MAX_BYTES, XLSX/ODS archives that unpack to more
than TRACKER_IMPORT_MAX_UNPACKED_BYTES (zip bombs), XML using DOCTYPE or entity
declarations (entity bombs), headers of more than TRACKER_IMPORT_MAX_COLUMNS columns and
files of more than TRACKER_IMPORT_MAX_ROWS rows. The parsers themselves go through
defusedxml: openpyxl and odfpy both use it when it is installed
(tests/spreadsheets/test_formats.py checks that they do).

Writing neutralises cells that spreadsheet programs would run as formulas (OWASP CSV
injection). XLSX and ODS store every text as a text cell (writers.py), so their text is
written and read back as it is. CSV has no text cells: see `neutralise`. Numbers and
dates stay numbers and dates.
"""

import contextvars
import csv
import datetime
import io
import json
import re
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from import_export.formats import base_formats

from .encodings import decode_text
from .errors import SpreadsheetError
from .limits import check_archive, check_size, too_many_rows  # noqa: F401 (check_size: admin)
from .rows import has_rows, header_of, merged_cells, ods_has_data, ods_row, rows_to_dataset, spreadsheet_row  # noqa: F401 (spreadsheet_row: the shared entry point)
from .writers import write_ods, write_xlsx

#: The name of the file being read, for messages, when the caller cannot pass it
#: (django-import-export's admin views call `create_dataset(data)`).
uploaded_name = contextvars.ContextVar("uploaded_name", default="")

#: The dataset a file is read for (its code, e.g. "projects"), when known: a workbook is
#: read from the sheet named after it.
wanted_dataset = contextvars.ContextVar("wanted_dataset", default="")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_STARTS)
_ESCAPED_FIRST = _FORMULA_FIRST | {"'"}
# Where a CSV cell that `neutralise` changed may start: a quick test for the whole file.
_NEUTRALISED = re.compile(r"(?:^|[,;\t\"\n])'[=+\-@\t\r']", re.MULTILINE)
_SNIFF_CHARS = 1 << 16  # the Sniffer's cost grows with its sample


def neutralise(value):
    """A CSV cell no spreadsheet program runs as a formula, which `unneutralise` turns
    back into the very same text: text starting with = + - @ tab or carriage return gets
    a leading apostrophe, and so does text that starts with an apostrophe followed by one
    of those or by another apostrophe (which import would otherwise shorten)."""
    if isinstance(value, str) and value and (
        value[0] in _FORMULA_FIRST or (value[0] == "'" and value[1:2] in _ESCAPED_FIRST)
    ):
        return "'" + value
    return value


def unneutralise(value):
    """The text of a CSV cell as it was before `neutralise`: unneutralise(neutralise(t)) == t
    for every text t."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in _ESCAPED_FIRST:
        return value[1:]
    return value


def sniff_delimiter(text):
    """Comma, semicolon or tab, judged on the first lines of the file."""
    head = text[:_SNIFF_CHARS]
    lines = head.splitlines()
    if len(text) > _SNIFF_CHARS and len(lines) > 1:
        lines = lines[:-1]  # cut short by the sample
    elif len(text) > _SNIFF_CHARS:  # a header longer than the sample: count its delimiters
        header = text.partition("\n")[0]
        return max(",;\t", key=header.count)
    header = lines[0] if lines else ""
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=",;\t").delimiter
    except csv.Error:
        sniffed = ""
    # The delimiter separates the header's columns too (a tab inside cells does not).
    return sniffed if sniffed and sniffed in header else max(",;\t", key=header.count)


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
        filename = filename or uploaded_name.get() or f"file.{self.extension}"
        if in_stream is None:  # the admin's preview storage no longer holds the file
            raise SpreadsheetError(
                _("“%(filename)s” waited more than %(minutes)s minutes for its confirmation and was deleted; upload it again.")
                % {"filename": filename, "minutes": round(settings.TRACKER_IMPORT_PREVIEW_SECONDS / 60)}
            )
        content = in_stream if isinstance(in_stream, bytes) else in_stream.encode("utf-8")
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
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
        if _NEUTRALISED.search(text):
            rows = ([unneutralise(cell) for cell in row] for row in rows)
        header_row, headers = header_of(rows)
        if not headers:
            raise SpreadsheetError(_("“%(filename)s” has no header row.") % {"filename": filename})
        return rows_to_dataset(headers, rows, filename, first_row=header_row + 1)

    def export_data(self, dataset, **kwargs):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(dataset.headers)
        writer.writerows([_csv_cell(v) for v in row] for row in dataset)
        return "\ufeff" + out.getvalue()  # BOM: Excel opens UTF-8 correctly


def _csv_cell(value):
    if value.__class__ is str:  # most cells
        return neutralise(value)
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
        if len(rows) > settings.TRACKER_IMPORT_MAX_ROWS:
            raise too_many_rows(filename)
        headers = list(dict.fromkeys(key for row in rows for key in row))
        return rows_to_dataset(headers, ([row.get(h) for h in headers] for row in rows), filename)

    def export_data(self, dataset, **kwargs):
        rows = [{h: _plain(v) for h, v in zip(dataset.headers, row)} for row in dataset]
        return json.dumps(rows, ensure_ascii=False, indent=1)


class XLSX(SpreadsheetFormat):
    title, extension = "xlsx", "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def read(self, content, filename):
        import openpyxl

        merges = check_archive(content, filename)
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheets = {sheet.title: sheet for sheet in book.worksheets}
            found = _choose_sheet(list(sheets), lambda title: has_rows(sheets[title].iter_rows(values_only=True)))
            if found is None:
                raise SpreadsheetError(_("“%(filename)s” is empty.") % {"filename": filename})
            sheet = sheets[found]
            path = getattr(sheet, "_worksheet_path", "").lstrip("/")
            merged = merges.get(path, [])
            if merged:
                raise merged_cells(filename, found if len(sheets) > 1 else "", merged)
            rows = sheet.iter_rows(values_only=True)
            header_row, headers = header_of(rows)
            dataset = rows_to_dataset(headers, rows, filename, first_row=header_row + 1)
            return _in_sheet(dataset, found, len(sheets))
        finally:
            book.close()

    def export_data(self, dataset, **kwargs):
        out = io.BytesIO()
        write_xlsx(dataset.headers or [], dataset, out, title=dataset.title or "data")
        return out.getvalue()


class ODS(SpreadsheetFormat):
    title, extension = "ods", "ods"
    content_type = "application/vnd.oasis.opendocument.spreadsheet"

    def read(self, content, filename):
        check_archive(content, filename)
        from odf import opendocument  # parses through defusedxml
        from odf.namespaces import TABLENS
        from odf.table import Table, TableRow

        document = opendocument.load(io.BytesIO(content))
        sheets = {}
        for table in document.spreadsheet.getElementsByType(Table):
            sheets.setdefault(str(table.getAttribute("name") or ""), table)
        if not sheets:
            raise SpreadsheetError(_("“%(filename)s” has no sheet.") % {"filename": filename})
        found = _choose_sheet(list(sheets), lambda title: ods_has_data(sheets[title], TableRow))
        if found is None:
            raise SpreadsheetError(_("“%(filename)s” is empty.") % {"filename": filename})
        rows, numbers, merged, limit = [], [], [], settings.TRACKER_IMPORT_MAX_ROWS + 1
        number = 0
        for row in sheets[found].getElementsByType(TableRow):
            repeat = int(row.attributes.get((TABLENS, "number-rows-repeated"), 1))
            cells = ods_row(row, number + 1, merged)
            if not any(cell not in ("", None) for cell in cells):
                number += repeat
                continue  # blank rows (often repeated to the sheet's end), counted
            for _copy in range(min(repeat, 10_000)):
                number += 1
                rows.append(cells)
                numbers.append(number)
            if len(rows) > limit:
                raise too_many_rows(filename)
        if not rows:
            raise SpreadsheetError(_("“%(filename)s” is empty.") % {"filename": filename})
        if merged:
            raise merged_cells(filename, found if len(sheets) > 1 else "", merged)
        headers = [str(h) if h is not None else "" for h in rows[0]]
        dataset = rows_to_dataset(headers, rows[1:], filename, numbers=numbers[1:])
        return _in_sheet(dataset, found, len(sheets))

    def export_data(self, dataset, **kwargs):
        out = io.BytesIO()
        write_ods(dataset.headers or [], dataset, out, title=dataset.title or "data")
        return out.getvalue()


def _fold_name(text):
    return re.sub(r"[\s_]+", " ", str(text or "")).strip().casefold().replace("ё", "е")


def _dataset_names():
    """{folded sheet name: dataset code}: each dataset's code and its name in Russian
    and English ("projects", «Проекты», "Projects")."""
    from django.utils import translation

    from .resources import DATASETS

    names = {}
    for code, resource in DATASETS.items():
        names[_fold_name(code)] = code
        for language in ("ru", "en"):
            with translation.override(language):
                names[_fold_name(resource._meta.model._meta.verbose_name_plural)] = code
    return names


def _choose_sheet(titles, has_data):
    """The sheet named after the dataset being read (or, when that is not known, after
    any one dataset), else the first sheet with data; None for an empty book."""
    if len(titles) > 1:
        names = _dataset_names()
        wanted = wanted_dataset.get()
        named = [t for t in titles if names.get(_fold_name(t)) and (not wanted or names[_fold_name(t)] == wanted)]
        for title in named:
            if has_data(title):
                return title
    return next((title for title in titles if has_data(title)), None)


def _in_sheet(dataset, title, count):
    dataset.title = title
    dataset.sheet = title if count > 1 else ""  # named in messages when the book has several
    dataset.sheet_count = count
    return dataset


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


def read_dataset(content, filename, dataset=None):
    """A tablib Dataset from uploaded bytes, read for the dataset named `dataset` when
    given (a workbook's sheet of that name is read); SpreadsheetError with a plain message
    otherwise."""
    token = wanted_dataset.set(dataset or wanted_dataset.get())
    try:
        return format_for(filename).create_dataset(content, filename=filename)
    finally:
        wanted_dataset.reset(token)
