"""Text comes back as written: exported to CSV, XLSX, ODS or JSON, every text is read
back exactly, including text that starts with an apostrophe or a tab, and imported again
it is the same but for the whitespace around it, which import trims; and no export holds
a live formula."""

import csv
import io
import zipfile

import pytest

from tracker.models import Organization
from tracker.spreadsheets.formats import BY_EXTENSION, read_dataset
from tracker.spreadsheets.importer import import_datasets
from tracker.spreadsheets.resources import DATASETS

TEXTS = [
    "=1+1",
    "\t=1+1",
    "'=1+1",
    "''=1+1",
    "'\t=1+1",
    "'",
    "''",
    "'plain",
    "-minus first",
    "+7 (495) 123-45-67",
    "@mention",
    "\r=1+1",
    '=HYPERLINK("http://evil.example","click")',
    "  two  spaces and a trailing one ",
    "first line\nsecond\tline",
    "<b>&amp;</b>",
]
EXTENSIONS = ["csv", "xlsx", "ods", "json"]


def as_bytes(content):
    return content.encode() if isinstance(content, str) else content


def export(extension, texts):
    import tablib

    dataset = tablib.Dataset(*[[text] for text in texts], headers=["note"], title="notes")
    return as_bytes(BY_EXTENSION[extension]().export_data(dataset))


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_every_text_read_back_is_the_text_written(extension):
    dataset = read_dataset(export(extension, TEXTS), f"notes.{extension}")
    assert [row[0] for row in dataset] == TEXTS


def test_a_csv_cell_never_starts_with_a_formula_character():
    content = export("csv", TEXTS).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(content, newline="")) for cell in row]
    assert len(cells) == len(TEXTS) + 1
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


@pytest.mark.parametrize("extension, member, formula", [("xlsx", "xl/worksheets/sheet1.xml", "<f>"), ("ods", "content.xml", "table:formula")])
def test_xlsx_and_ods_hold_formula_like_text_as_text_cells(extension, member, formula):
    xml = zipfile.ZipFile(io.BytesIO(export(extension, TEXTS))).read(member).decode()
    assert formula not in xml
    assert "=1+1" in xml


def test_a_csv_written_by_hand_keeps_an_apostrophe_that_protects_nothing():
    dataset = read_dataset(b"note\n'plain\n'=SUM(A1)\n''=SUM(A1)\n", "hand.csv")
    assert [row[0] for row in dataset] == ["'plain", "=SUM(A1)", "'=SUM(A1)"]


@pytest.mark.django_db
@pytest.mark.parametrize("copies", [1, 16], ids=["row path", "bulk path"])  # the bulk path: 200 rows or more
@pytest.mark.parametrize("extension", EXTENSIONS)
def test_texts_stored_exported_and_imported_again_are_unchanged(extension, copies):
    """Unchanged but for the whitespace around a text, which import trims (a leading tab
    too: "\t=1+1" comes back as "=1+1", still a text)."""
    for number, text in enumerate(TEXTS * copies):
        Organization.objects.create(name=f"Organization {number}", name_en=text, note=text)
    before = sorted((name, en.strip(), note.strip()) for name, en, note in Organization.objects.values_list("name", "name_en", "note"))
    content = as_bytes(BY_EXTENSION[extension]().export_data(DATASETS["organizations"]().export()))
    Organization.objects.all().delete()
    report = import_datasets([("organizations", read_dataset(content, f"organizations.{extension}"))])
    assert report.ok, report.problems
    assert sorted(Organization.objects.values_list("name", "name_en", "note")) == before

