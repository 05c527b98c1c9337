"""The XLSX and ODS writers: typed cells, a bold header kept in view, files that
spreadsheet readers open, written while the rows are still coming."""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
import tablib

from tracker.spreadsheets.formats import ODS, XLSX, read_dataset
from tracker.spreadsheets.writers import write_ods, write_xlsx

HEADERS = ["reference", "announced_on", "recorded_at", "amount", "score", "disputed", "note", "empty"]
ROW = ["AMU-001", datetime.date(2016, 12, 1), datetime.datetime(2024, 5, 6, 7, 8, 9), Decimal("1500000.50"), 9, True, "=1+1", None]


def workbook(rows, headers=HEADERS, title="projects"):
    out = io.BytesIO()
    write_xlsx(headers, rows, out, title=title)
    return openpyxl.load_workbook(io.BytesIO(out.getvalue()))


def test_xlsx_cells_keep_their_types_and_dates_their_formats():
    sheet = workbook([ROW]).active
    cells = {header: cell for header, cell in zip(HEADERS, sheet[2])}
    assert cells["reference"].value == "AMU-001" and cells["reference"].data_type == "s"
    assert cells["announced_on"].value == datetime.datetime(2016, 12, 1)
    assert cells["announced_on"].number_format == "yyyy-mm-dd"
    assert cells["recorded_at"].value == datetime.datetime(2024, 5, 6, 7, 8, 9)
    assert cells["recorded_at"].number_format == "yyyy-mm-dd h:mm:ss"
    assert cells["amount"].value == 1500000.5 and cells["amount"].data_type == "n"
    assert cells["score"].value == 9
    assert cells["disputed"].value is True
    assert cells["note"].value == "=1+1" and cells["note"].data_type == "s"
    assert cells["empty"].value is None


def test_the_xlsx_header_is_bold_and_stays_in_view():
    book = workbook([ROW])
    sheet = book.active
    assert sheet.title == "projects"
    assert [c.value for c in sheet[1]] == HEADERS
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"


def test_a_title_excel_refuses_as_a_sheet_name_is_made_acceptable():
    assert workbook([ROW], title="a/b:c[d]*?" + "x" * 40).active.title == "a b c d   xxxxxxxxxxxxxxxxxxxxx"


def test_tablib_reads_our_xlsx_and_ods_as_written():
    dataset = tablib.Dataset(*[[f"AMU-{n}", n, f"Проект {n}"] for n in range(3)], headers=["reference", "n", "title"])
    for fmt in (XLSX, ODS):
        again = tablib.Dataset().load(fmt().export_data(dataset), format=fmt.extension)
        assert again.headers == dataset.headers
        assert [row[0] for row in again] == ["AMU-0", "AMU-1", "AMU-2"]


def test_ods_keeps_types_and_writes_spaces_tabs_and_lines_as_opendocument_does():
    out = io.BytesIO()
    write_ods(HEADERS + ["spaced"], [ROW + ["  a  b\tc\nd "]], out)
    content = zipfile.ZipFile(out).read("content.xml").decode()
    assert 'office:value-type="date" office:date-value="2016-12-01"' in content
    assert 'office:value-type="float" office:value="1500000.50"' in content
    assert 'office:boolean-value="true"' in content
    assert '<text:s text:c="2"/>a <text:s text:c="1"/>b<text:tab/>c</text:p><text:p>d<text:s text:c="1"/>' in content
    (row,) = read_dataset(out.getvalue(), "x.ods")
    assert row[-1] == "  a  b\tc\nd "
    assert row[1] == datetime.date(2016, 12, 1)


@pytest.mark.parametrize("write, member", [(write_xlsx, "xl/worksheets/sheet1.xml"), (write_ods, "content.xml")])
def test_rows_are_written_while_they_are_still_coming(write, member):
    out = io.BytesIO()
    sizes = []

    def rows():
        for n in range(20_000):
            if n % 5_000 == 0:
                sizes.append(out.tell())
            yield [f"AMU-{n:05d}", n, f"Проект номер {n} на реке Амур", datetime.date(2020, 1, 1)]

    write(["reference", "n", "title", "on"], rows(), out)
    assert sizes[0] < sizes[1] < sizes[2] < sizes[3]  # the archive grew before the last row
    assert zipfile.ZipFile(out).getinfo(member).file_size > 1_000_000


def test_control_characters_xml_cannot_hold_are_dropped():
    sheet = workbook([["a\x00b\x1fc", "ok"]], headers=["one", "two"]).active
    assert [c.value for c in sheet[2]] == ["abc", "ok"]
