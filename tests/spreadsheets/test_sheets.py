"""Workbooks: the sheet named after the dataset is read, else the first sheet with data,
and the report says which; merged cells are reported by cell; blank rows are counted."""

import io

import openpyxl
import pytest
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P

from tracker.models import Project
from tracker.spreadsheets.formats import SpreadsheetError, read_dataset
from tracker.spreadsheets.importer import import_datasets

pytestmark = pytest.mark.django_db

HEADER = ["reference", "region", "title_ru", "sector", "first_cycle"]
ROW = ["NEW-001", "RU-AMU", "Мост", "transport", "III"]


def xlsx(sheets, merge=None):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for number, row in rows:
            for column, value in enumerate(row, 1):
                sheet.cell(number, column, value)
        if merge and title == merge[0]:
            sheet.merge_cells(merge[1])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods(sheets, merged=False, blank_repeat=0):
    document = OpenDocumentSpreadsheet()
    for title, rows in sheets:
        table = Table(name=title)
        for index, row in enumerate(rows):
            if blank_repeat and index == 1:
                blank = TableRow(numberrowsrepeated=blank_repeat)
                blank.addElement(TableCell())
                table.addElement(blank)
            element = TableRow()
            for position, value in enumerate(row):
                if merged and index == 1 and position == 1:
                    cell = TableCell(numbercolumnsspanned=2, valuetype="string")
                    cell.addElement(P(text=value))
                    element.addElement(cell)
                    continue
                if merged and index == 1 and position == 2:
                    element.addElement(CoveredTableCell())
                    continue
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
                element.addElement(cell)
            table.addElement(element)
        document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


NOTES = [(1, ["Как заполнять"]), (2, ["Впишите проекты на лист «Проекты»."])]
DATA = [(1, HEADER), (2, ROW)]


def test_the_sheet_named_after_the_dataset_is_read_and_named(cycles, region):
    content = xlsx([("Инструкция", NOTES), ("Проекты", DATA)])
    dataset = read_dataset(content, "book.xlsx", dataset="projects")
    assert dataset.sheet == "Проекты" and dataset.headers == HEADER
    report = import_datasets([("projects", dataset)])
    assert report.ok, report.problems
    assert any("“Проекты”" in note and "2 sheets" in note for note in report.notes), report.notes
    assert Project.objects.filter(reference="NEW-001").exists()


def test_a_sheet_is_found_by_its_name_even_when_the_dataset_is_not_given(cycles, region):
    content = xlsx([("Инструкция", NOTES), ("projects", DATA)])
    assert read_dataset(content, "book.xlsx").sheet == "projects"


def test_otherwise_the_first_sheet_with_data_is_read(cycles, region):
    content = xlsx([("Пустой", []), ("Лист2", DATA), ("Лист3", NOTES)])
    dataset = read_dataset(content, "book.xlsx", dataset="projects")
    assert dataset.sheet == "Лист2" and dataset.headers == HEADER


def test_an_ods_book_is_read_from_the_sheet_of_its_dataset(cycles, region):
    content = ods([("Инструкция", [row for _n, row in NOTES]), ("Проекты", [HEADER, ROW])])
    dataset = read_dataset(content, "book.ods", dataset="projects")
    assert dataset.sheet == "Проекты" and dataset.headers == HEADER


def test_messages_name_the_sheet(cycles, region):
    bad = [*ROW[:4], "IX"]
    content = xlsx([("Инструкция", NOTES), ("Проекты", [(1, HEADER), (2, bad)])])
    report = import_datasets([("projects", read_dataset(content, "book.xlsx", dataset="projects"))])
    assert "“book.xlsx”, sheet “Проекты”" in str(report.problems[0]), report.problems


def test_merged_cells_in_an_xlsx_are_reported_by_cell(cycles, region):
    content = xlsx([("Проекты", [(1, HEADER), (2, ROW), (3, ["NEW-002", "RU-AMU", "Порт", "", "III"])])], merge=("Проекты", "C3:D3"))
    with pytest.raises(SpreadsheetError, match="C3:D3"):
        read_dataset(content, "book.xlsx")


def test_merged_cells_in_an_ods_are_reported_by_cell(cycles, region):
    with pytest.raises(SpreadsheetError, match="B2:C2"):
        read_dataset(ods([("Проекты", [HEADER, ROW])], merged=True), "book.ods")


def test_blank_rows_of_an_xlsx_are_counted(cycles, region):
    bad = [*ROW[:4], "IX"]
    content = xlsx([("Проекты", [(1, HEADER), (2, ROW), (6, ["NEW-002", *bad[1:]])])])
    report = import_datasets([("projects", read_dataset(content, "book.xlsx"))])
    assert [p.row for p in report.problems] == [6]


def test_repeated_blank_rows_of_an_ods_are_counted(cycles, region):
    bad = ["NEW-002", *ROW[1:4], "IX"]
    dataset = read_dataset(ods([("Проекты", [HEADER, bad])], blank_repeat=3), "book.ods")
    assert dataset.row_numbers == [5]
    report = import_datasets([("projects", dataset)])
    assert [p.row for p in report.problems] == [5]
