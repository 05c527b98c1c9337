"""Reading files people send — and files nobody should."""

import datetime
import io
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
import tablib

from tracker.spreadsheets.formats import SpreadsheetError, read_dataset

PROJECTS = [["reference", "title_ru", "announced_on", "amount"], ["AMU-001", "Мост", datetime.date(2025, 6, 1), 1500.5]]


def xlsx_bytes(rows=PROJECTS):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods_bytes(rows=PROJECTS):
    dataset = tablib.Dataset(headers=rows[0])
    for row in rows[1:]:
        dataset.append(row)
    return dataset.export("ods")


def rewrite_member(content, member, transform):
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, transform(data) if item.filename == member else data)
    return out.getvalue()


ENTITY_BOMB = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'


def test_xlsx_date_cells_and_numbers_arrive_as_dates_and_numbers():
    dataset = read_dataset(xlsx_bytes(), "p.xlsx")
    assert dataset.headers == PROJECTS[0]
    assert dataset[0][2].date() == datetime.date(2025, 6, 1)
    assert dataset[0][3] == 1500.5


def test_ods_reads_too():
    dataset = read_dataset(ods_bytes(), "p.ods")
    assert dataset[0][0] == "AMU-001"


@pytest.mark.parametrize("member, fmt", [("xl/worksheets/sheet1.xml", "xlsx"), ("content.xml", "ods")])
def test_xml_entity_declarations_are_refused_before_parsing(member, fmt):
    content = xlsx_bytes() if fmt == "xlsx" else ods_bytes()
    hostile = rewrite_member(
        content, member, lambda data: ENTITY_BOMB + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data)
    )
    with pytest.raises(SpreadsheetError, match="declares XML entities"):
        read_dataset(hostile, f"bomb.{fmt}")


def test_zip_bomb_is_refused(settings):
    settings.TRACKER_IMPORT_MAX_UNPACKED_BYTES = 5_000_000
    content = rewrite_member(xlsx_bytes(), "xl/worksheets/sheet1.xml", lambda data: data + b" " * 20_000_000)
    assert len(content) < 1_000_000
    with pytest.raises(SpreadsheetError, match="zip bomb"):
        read_dataset(content, "bomb.xlsx")


def test_file_over_the_size_limit_is_refused(settings):
    settings.TRACKER_IMPORT_MAX_BYTES = 1000
    with pytest.raises(SpreadsheetError, match="the limit is"):
        read_dataset(b"a,b\n" + b"1,2\n" * 1000, "big.csv")


def test_parsers_go_through_defusedxml():
    import odf.load
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
    assert odf.load.make_parser.__module__.startswith("defusedxml")


@pytest.mark.parametrize(
    "content, filename, message",
    [
        (xlsx_bytes()[:300], "cut.xlsx", "not a valid spreadsheet file"),
        (b"reference,title\nAMU-001,x\n", "p.xlsx", "not a valid spreadsheet file"),
        (bytes(range(256)) * 10, "random.ods", "not a valid spreadsheet file"),
        (b"\x00\x00", "nul.csv", "NUL"),
        (b"{not json", "p.json", "could not be read"),
        (b'{"a": 1}', "p.json", "list of objects"),
        (b"", "empty.csv", "no header row"),
    ],
)
def test_broken_files_get_a_message_naming_the_problem(content, filename, message):
    with pytest.raises(SpreadsheetError, match=message):
        read_dataset(content, filename)


def test_windows_1252_text_still_reads_without_an_error():
    content = "name,note\nCafé Müller,naïve\n".encode("cp1252")
    dataset = read_dataset(content, "w.csv")
    assert len(dataset) == 1


def test_csv_apostrophe_before_a_formula_character_is_removed_on_import():
    from tracker.spreadsheets.widgets import TextWidget

    dataset = read_dataset(b"title\n'=SUM(A1)\n'plain\n", "f.csv")
    assert [TextWidget().clean(row[0]) for row in dataset] == ["=SUM(A1)", "'plain"]


def test_failed_reads_leave_no_temporary_files():
    before = set(Path(tempfile.gettempdir()).iterdir())
    for content, name in [(b"junk", "a.xlsx"), (b"\x00", "b.csv"), (ENTITY_BOMB, "c.ods")]:
        with pytest.raises(SpreadsheetError):
            read_dataset(content, name)
    assert set(Path(tempfile.gettempdir()).iterdir()) == before


FILES = Path(__file__).resolve().parents[1] / "files"


@pytest.mark.parametrize("name", ["lo_projects.ods", "lo_projects.xlsx"])
def test_files_saved_by_libreoffice_keep_their_columns(name):
    """LibreOffice writes runs of empty cells as one repeated cell and multi-line text as
    several paragraphs; both must arrive in the right columns, whole."""
    dataset = read_dataset((FILES / name).read_bytes(), name)
    first, second, third = [dict(zip(dataset.headers, row)) for row in dataset]
    assert first["note"] == "Первая строка\nвторая строка"
    assert first["currency"] == "RUB" and first["first_cycle"] == "II"
    assert second["title_en"] == "Port" and second["first_cycle"] == "III"
    assert second["sector"] in ("", None)
    assert third["sector"] == "machinery"


@pytest.mark.parametrize("name", ["lo_projects.ods", "lo_projects.xlsx"])
def test_libreoffice_file_imports_with_the_row_that_lacks_a_sector_reported(name, cycles, region):
    from tracker.models import Project
    from tracker.spreadsheets.importer import import_datasets

    report = import_datasets([("projects", read_dataset((FILES / name).read_bytes(), name))])
    assert [(p.row, p.column) for p in report.problems] == [(3, "sector")]
    assert not Project.objects.exists()
