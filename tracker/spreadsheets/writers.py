"""XLSX and ODS written as a stream: a header row and any iterable of rows, in time and
memory linear in the rows (README "Spreadsheets").

Why not the libraries' writers: openpyxl builds every cell through its XML tree (even in
write-only mode 100,000 rows of 16 columns take 20 s here, and a temporary file on disk),
and tablib's ODS export builds the whole document in memory (10,000 rows: 12 s, 330 MB).
Here each row is one string of SpreadsheetML or OpenDocument, compressed straight into
the archive; openpyxl still does the date arithmetic, and both formats are read back by
openpyxl and odfpy in the tests.

Cells keep their types: numbers and booleans are typed cells, dates date cells, and every
text is a text cell, so text that looks like a formula (=1+1) never runs. Control
characters that XML 1.0 cannot hold are dropped.
"""

import datetime
import itertools
import math
import re
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_XML_SPACE = " \t\n\r"
_BATCH_ROWS = 500
_ZIP64_CELLS = 5_000_000  # above this a sheet may pass 2 GB unpacked: use ZIP64


def _clean(text):
    return text if text.isprintable() else _CONTROL.sub("", text)


def _number(value):
    """The XML form of a finite number, or None for a value that is not one."""
    if value.__class__ is int:
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    if isinstance(value, Decimal) and value.is_finite():
        return str(value)
    if isinstance(value, int):
        return str(int(value))
    return None


def _batched(lines):
    batch = []
    for line in lines:
        batch.append(line)
        if len(batch) == _BATCH_ROWS:
            yield "".join(batch).encode("utf-8")
            batch = []
    yield "".join(batch).encode("utf-8")


def _open_member(archive, name, cells):
    return archive.open(name, "w", force_zip64=cells > _ZIP64_CELLS)


def _cell_estimate(headers, rows):
    return len(rows) * len(headers) if hasattr(rows, "__len__") else 0


# XLSX -----------------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CONTENT_TYPES = (
    _XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _XML_HEAD + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    _XML_HEAD + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
)
# Cell styles by index: 0 plain, 1 bold (the header), 2 a date, 3 a date and time.
_STYLES = (
    _XML_HEAD + f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd h:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
# The header row stays in view while scrolling; columns are as wide as their header and
# the first rows need (WIDTH_SAMPLE rows, WIDTH_MAX characters at most).
_SHEET_HEAD = (
    _XML_HEAD + f'<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
)
WIDTH_SAMPLE, WIDTH_MIN, WIDTH_MAX = 200, 6, 60


def _width(value):
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return 19 if isinstance(value, datetime.datetime) else 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def _columns(headers, sample):
    """`<cols>`: each column as wide as its header and its widest cell among `sample`."""
    count = max([len(headers), *(len(row) for row in sample)])
    widths = [_width(h) for h in headers] + [0] * (count - len(headers))
    for row in sample:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], _width(value))
    cols = "".join(
        f'<col min="{n}" max="{n}" width="{min(WIDTH_MAX, max(WIDTH_MIN, w + 2))}" customWidth="1"/>'
        for n, w in enumerate(widths, 1)
    )
    return f"<cols>{cols}</cols>" if cols else ""
_SHEET_TAIL = "</sheetData></worksheet>"


def _sheet_name(title):
    name = _SHEET_NAME_FORBIDDEN.sub(" ", _clean(title or "")).strip(" '")[:31]
    return name or "data"


def _xlsx_text(reference, text, style=""):
    text = escape(_clean(text))
    if not text:
        return ""
    if "\r" in text:
        text = text.replace("\r", "&#13;")  # a parser would read a raw CR as a line feed
    space = ' xml:space="preserve"' if text[0] in _XML_SPACE or text[-1] in _XML_SPACE else ""
    return f'<c r="{reference}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _xlsx_cell(reference, value):
    """One cell's XML; None and "" are no cell at all."""
    if value.__class__ is str:
        return _xlsx_text(reference, value) if value else ""
    if value is None:
        return ""
    if value.__class__ is bool:
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    number = _number(value)
    if number is not None:
        return f'<c r="{reference}"><v>{number}</v></c>'
    if isinstance(value, datetime.date):
        style = 3 if isinstance(value, datetime.datetime) else 2
        serial = to_excel(value)
        serial = int(serial) if serial == int(serial) else serial
        return f'<c r="{reference}" s="{style}"><v>{serial}</v></c>'
    return _xlsx_text(reference, str(value))


def _xlsx_rows(headers, rows):
    letters = [get_column_letter(i) for i in range(1, len(headers) + 1)]
    cells = "".join(_xlsx_text(f"{letter}1", str(h), ' s="1"') for letter, h in zip(letters, headers) if h)
    yield f'<row r="1">{cells}</row>'
    for number, row in enumerate(rows, 2):
        if len(row) > len(letters):
            letters += [get_column_letter(i) for i in range(len(letters) + 1, len(row) + 1)]
        cells = "".join([_xlsx_cell(f"{letter}{number}", value) for letter, value in zip(letters, row)])
        yield f'<row r="{number}">{cells}</row>'


def write_xlsx(headers, rows, file, title="data"):
    """Write an XLSX workbook of one sheet, named `title`, to the binary file `file`: the
    `headers` in bold (the row stays in view when scrolling), then `rows`, any iterable of
    cell lists, consumed once and never held in memory."""
    workbook = (
        _XML_HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
        f'<sheets><sheet name={quoteattr(_sheet_name(title))} sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        estimate = _cell_estimate(headers, rows)
        rows = iter(rows)
        sample = [list(row) for row in itertools.islice(rows, WIDTH_SAMPLE)]
        with _open_member(archive, "xl/worksheets/sheet1.xml", estimate) as sheet:
            sheet.write((_SHEET_HEAD + _columns(headers, sample) + "<sheetData>").encode("utf-8"))
            for chunk in _batched(_xlsx_rows(headers, itertools.chain(sample, rows))):
                sheet.write(chunk)
            sheet.write(_SHEET_TAIL.encode("utf-8"))


# ODS ------------------------------------------------------------------------------------

_ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2"'
)
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="{_ODS_MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_ODS_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {_ODS_NAMESPACES}>'
    "<office:styles/></office:document-styles>"
)
_YMD = (
    '<number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/>'
    '<number:text>-</number:text><number:day number:style="long"/>'
)
_HMS = (
    '<number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/>'
    '<number:text>:</number:text><number:seconds number:style="long"/>'
)
_ODS_HEAD = (
    f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NAMESPACES}>'
    f'<office:automatic-styles><number:date-style style:name="N1">{_YMD}</number:date-style>'
    f'<number:date-style style:name="N2">{_YMD}<number:text> </number:text>{_HMS}</number:date-style>'
    '<style:style style:name="date" style:family="table-cell" style:data-style-name="N1"/>'
    '<style:style style:name="datetime" style:family="table-cell" style:data-style-name="N2"/>'
    '<style:style style:name="header" style:family="table-cell"><style:text-properties '
    'fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"/></style:style>'
    "</office:automatic-styles><office:body><office:spreadsheet>"
)
_ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"
_ODS_SPACES = re.compile(r"^ +| {2,}| +$")


def _ods_spaces(match):
    """Spaces that OpenDocument would collapse, written as <text:s/> so they are kept."""
    run = match.group()
    if match.start() and match.end() < len(match.string):
        return f' <text:s text:c="{len(run) - 1}"/>'
    return f'<text:s text:c="{len(run)}"/>'


def _ods_paragraph(text):
    text = escape(text)
    if "  " in text or text[:1] == " " or text[-1:] == " ":
        text = _ODS_SPACES.sub(_ods_spaces, text)
    return "<text:p>" + text.replace("\t", "<text:tab/>").replace("\r", "&#13;") + "</text:p>"


def _ods_text(text, style=""):
    paragraphs = "".join(map(_ods_paragraph, _clean(text).split("\n")))
    return f'<table:table-cell{style} office:value-type="string">{paragraphs}</table:table-cell>'


def _ods_cell(value):
    if value.__class__ is str:
        return _ods_text(value) if value else "<table:table-cell/>"
    if value is None:
        return "<table:table-cell/>"
    if value.__class__ is bool:
        return f'<table:table-cell office:value-type="boolean" office:boolean-value="{str(value).lower()}"/>'
    number = _number(value)
    if number is not None:
        return f'<table:table-cell office:value-type="float" office:value="{number}"/>'
    if isinstance(value, datetime.date):
        style = "datetime" if isinstance(value, datetime.datetime) else "date"
        shown = value.isoformat(" ") if style == "datetime" else value.isoformat()
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}" '
            f'table:style-name="{style}"><text:p>{shown}</text:p></table:table-cell>'
        )
    return _ods_text(str(value))


def _ods_rows(headers, rows, title):
    yield f"<table:table table:name={quoteattr(_clean(title or '') or 'data')}>"
    yield f'<table:table-column table:number-columns-repeated="{max(len(headers), 1)}"/>'
    header = "".join(_ods_text(str(h), ' table:style-name="header"') for h in headers)
    yield f"<table:table-row>{header}</table:table-row>"
    for row in rows:
        yield "<table:table-row>" + "".join([_ods_cell(value) for value in row]) + "</table:table-row>"


def write_ods(headers, rows, file, title="data"):
    """Write an OpenDocument spreadsheet of one sheet to the binary file `file`, as
    `write_xlsx` does: the header row in bold, then `rows`, streamed."""
    with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as archive:
        # The mimetype comes first and uncompressed, so that tools can tell the file's type.
        archive.writestr(zipfile.ZipInfo("mimetype"), _ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        archive.writestr("styles.xml", _ODS_STYLES)
        with _open_member(archive, "content.xml", _cell_estimate(headers, rows)) as content:
            content.write(_ODS_HEAD.encode("utf-8"))
            for chunk in _batched(_ods_rows(headers, rows, title)):
                content.write(chunk)
            content.write(_ODS_TAIL.encode("utf-8"))
