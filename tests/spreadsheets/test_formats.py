"""Reading files people send — and files nobody should."""

import builtins
import codecs
import datetime
import io
import os
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


def test_csv_apostrophe_before_a_formula_character_is_removed_on_import():
    from tracker.spreadsheets.widgets import TextWidget

    dataset = read_dataset(b"title\n'=SUM(A1)\n'plain\n", "f.csv")
    assert [TextWidget().clean(row[0]) for row in dataset] == ["=SUM(A1)", "'plain"]


def test_the_reader_works_in_memory_and_leaves_nothing_on_disk(monkeypatch):
    """Uploads hold people's data: the reader parses the bytes it is given and opens no
    file, so neither a good nor a refused upload leaves a copy behind."""
    good = [(xlsx_bytes(), "p.xlsx"), (ods_bytes(), "p.ods"), ("a;b\nМост;1\n".encode("cp1251"), "p.csv"), (b'[{"a": 1}]', "p.json")]
    for content, name in good:
        read_dataset(content, name)  # the parsers' own modules load before the door closes

    def no_files(*args, **kwargs):
        raise AssertionError(f"the reader opened {args[:1]}")

    with monkeypatch.context() as patch:
        for module, name in [(os, "open"), (io, "open"), (builtins, "open")]:
            patch.setattr(module, name, no_files)
        assert [len(read_dataset(content, name)) for content, name in good] == [1, 1, 1, 1]
        for content, name in [(b"junk", "a.xlsx"), (b"\x00", "b.csv"), (ENTITY_BOMB, "c.ods")]:
            with pytest.raises(SpreadsheetError):
                read_dataset(content, name)


FILES = Path(__file__).resolve().parents[1] / "files"

PROJECT_COLUMNS = ["reference", "region", "title_ru", "title_en", "sector", "first_cycle"]


@pytest.mark.parametrize(
    "name, headers, rows",
    [
        (  # Russian Excel, "CSV (разделители — точка с запятой)": Windows-1251, semicolons, CRLF
            "excel_ru_cp1251.csv",
            ["reference", "region", "title_ru", "title_en", "sector", "announced_on", "announced_precision", "amount", "currency", "first_cycle"],
            [
                ("AMU-010", "Амурская область", "Мост через Амур; второй этап", "Amur bridge, stage two", "transport", "01.06.2025", "day", "1 500,5", "RUB", "III"),
                ("AMU-011", "Амурская область", "Завод «Ёлка» — цех №2", "Yolka plant", "machinery", "", "", "", "", "III"),
            ],
        ),
        ("short_cp1251.csv", ["reference", "title_ru"], [("AMU-001", "Мост")]),  # one Cyrillic word
        ("western_cp1252.csv", PROJECT_COLUMNS, [("AMU-100", "RU-AMU", "Café crème", "Zürich tram", "transport", "II")]),
        ("excel_utf8_sig.csv", PROJECT_COLUMNS, [("AMU-200", "RU-AMU", "Порт Зарубино", "Zarubino port", "transport", "II")]),
        # Excel's "Unicode text": UTF-16 with a BOM, tab-separated
        ("unicode_text_utf16.txt", PROJECT_COLUMNS, [("AMU-300", "RU-AMU", "Канатная дорога", "Cable car", "transport", "II")]),
    ],
)
def test_text_files_in_each_accepted_encoding_read_cell_for_cell(name, headers, rows):
    dataset = read_dataset((FILES / name).read_bytes(), name)
    assert dataset.headers == headers
    assert list(dataset) == rows


def test_russian_rows_with_english_titles_are_not_taken_for_windows_1252():
    """charset-normalizer alone prefers Windows-1252 here (“Ìîñò ÷åðåç Àìóð”, which it
    takes for Romanian)."""
    content = "reference;title_ru;title_en\nAMU-001;Мост через Амур;Bridge\n".encode("cp1251")
    assert list(read_dataset(content, "p.csv")) == [("AMU-001", "Мост через Амур", "Bridge")]


@pytest.mark.parametrize("row, encoding", [(("AMU-001", "Мост"), "cp1251"), (("Zürich", "Café crème"), "cp1252")])
def test_a_big_file_is_judged_on_its_words_however_late_they_come(row, encoding):
    content = ("a;b\n" + "AMU-000;-\n" * 40_000 + ";".join(row) + "\n").encode(encoding)
    assert read_dataset(content, "late.csv")[-1] == row


def test_latin_1_text_reads_as_latin_1():
    dataset = read_dataset("city;street\nZürich;Bahnhofstraße\n".encode("latin-1"), "l.csv")
    assert list(dataset) == [("Zürich", "Bahnhofstraße")]


REFUSED = (
    "The text encoding of “{name}” could not be recognised with confidence. The tracker reads "
    "UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1251 and Windows-1252 (Latin-1): "
    "save the file as “CSV UTF-8” and import it again."
)

NOT_CERTAIN = {
    "photo_renamed.csv": (FILES / "photo_renamed.csv").read_bytes(),  # a JPEG sent by mistake
    "euro.csv": "price\n5 €\n".encode("cp1252"),  # “5 €” or “5 Ђ”: either code page reads it
    "koi8.csv": "title_ru\nМост через Амур\n".encode("koi8_r"),  # an encoding not read
    # “МОСТ” in Windows-1251 is “лняр” in KOI8-R: a few words in capitals cannot tell them apart
    "capitals.csv": "reference;title_ru\nAMU-001;МОСТ\n".encode("cp1251"),
    "bom.csv": codecs.BOM_UTF8 + "Café".encode("cp1252"),  # a UTF-8 BOM on other text
    # Windows-1251 until, far past the part that decides, a byte Windows-1251 lacks
    "late-byte.csv": "".join(f"AMU-{i:05d};Мост через Амур\n" for i in range(12_000)).encode("cp1251") + b"x;\x98\n",
}


@pytest.mark.parametrize("name", sorted(NOT_CERTAIN))
def test_text_whose_encoding_is_not_certain_is_refused_naming_the_encodings_read(name):
    with pytest.raises(SpreadsheetError) as refusal:
        read_dataset(NOT_CERTAIN[name], name)
    assert str(refusal.value) == REFUSED.format(name=name)


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
