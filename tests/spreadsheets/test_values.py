"""Values as spreadsheets write them, read the same from a short file (row by row) and a
long one (the bulk path): booleans as Russian and English spreadsheets save them, «ё»
and «е» as one letter in labels and names, whitespace around every text cell trimmed,
amounts as shown with their currency, and CSV text in UTF-16 or a Western code page."""

import codecs
import csv
import io
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from ratings.models import Region
from tests.factories import make_organization, make_project, make_region, make_source
from tracker.models import Evidence, Organization, Participation, Project
from tracker.spreadsheets.importer import SpreadsheetError, import_datasets, read_dataset
from tracker.spreadsheets.resources import DATASETS

pytestmark = pytest.mark.django_db

FILES = Path(__file__).resolve().parents[1] / "files"

#: A file of one row goes row by row; one of 250 takes the bulk path.
SIZES = pytest.mark.parametrize("size", [1, 250], ids=["row path", "bulk path"])
#: The row of the long file that differs: row 137 as the spreadsheet counts.
ODD_ROW = 137


@pytest.fixture
def paths(monkeypatch):
    """How many files took the bulk path."""
    taken = SimpleNamespace(bulk=0)
    for resource in DATASETS.values():
        def bulk(self, *args, _original=resource.bulk_import, **kwargs):
            taken.bulk += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(resource, "bulk_import", bulk)
    return taken


def csv_bytes(rows, delimiter=";", encoding="utf-8"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(dict.fromkeys(k for row in rows for k in row)), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def run(name, content, filename, **kwargs):
    return import_datasets([(name, read_dataset(content, filename))], **kwargs)


def problems(report):
    return [(p.row, p.column, p.message) for p in report.problems]


def assert_path(paths, size):
    assert paths.bulk == (1 if size >= 200 else 0)


def with_odd_row(size, good, odd):
    """`size` rows of `good(n)`; in a long file row ODD_ROW is `odd(n)` instead (a
    one-row file is that row alone)."""
    rows = [good(n) for n in range(size)]
    index = 0 if size == 1 else ODD_ROW - 2
    rows[index] = odd(index)
    return rows, index + 2


def region_row(n, borders):
    return {"iso_code": f"RU-{n:03d}", "slug": f"region-{n}", "name_ru": f"Регион {n}", "name_en": f"Region {n}", "borders_china": borders}


# -- booleans -------------------------------------------------------------------------

BOOLEANS = [
    ("ИСТИНА", True), ("ЛОЖЬ", False), ("истина", True), ("Ложь", False),
    ("TRUE", True), ("FALSE", False), ("True", True), ("false", False),
    ("да", True), ("НЕТ", False), ("1", True), ("0", False), ("yes", True), ("no", False),
]


@SIZES
@pytest.mark.parametrize("cell, expected", BOOLEANS)
def test_booleans_as_russian_and_english_spreadsheets_save_them(paths, size, cell, expected):
    report = run("regions", csv_bytes([region_row(n, cell) for n in range(size)]), "regions.csv")
    assert report.ok, report.problems
    assert_path(paths, size)
    assert set(Region.objects.values_list("borders_china", flat=True)) == {expected}


@SIZES
def test_boolean_and_number_cells_of_a_workbook(paths, size):
    """XLSX keeps booleans as boolean cells, or as the numbers 1 and 0."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(region_row(0, "")))
    cells = [True, False, 1, 0, 1.0, 0.0]
    for n in range(max(size, len(cells))):
        sheet.append(list(region_row(n, cells[n % len(cells)]).values()))
    out = io.BytesIO()
    book.save(out)
    report = run("regions", out.getvalue(), "regions.xlsx")
    assert report.ok, report.problems
    assert_path(paths, max(size, len(cells)))
    stored = dict(Region.objects.values_list("iso_code", "borders_china"))
    assert [stored[f"RU-{n:03d}"] for n in range(len(cells))] == [True, False, True, False, True, False]


@SIZES
def test_a_value_that_is_not_yes_or_no_gets_one_message(paths, size):
    rows, number = with_odd_row(size, lambda n: region_row(n, "ИСТИНА"), lambda n: region_row(n, "может быть"))
    report = run("regions", csv_bytes(rows), "regions.csv")
    assert problems(report) == [
        (number, "borders_china", "“может быть” is neither yes nor no; write yes or no, TRUE or FALSE, 1 or 0.")
    ]
    assert not Region.objects.exists()


# -- «ё» and «е» ------------------------------------------------------------------------


@pytest.fixture
def amur(cycles):
    region = make_region("Lake Oblast", iso_code="RU-OZR", name_ru="Озёрная область", slug="lake")
    return make_project(region, cycles[2], reference="AMU-001")


@SIZES
def test_yo_and_ye_are_one_letter_in_organisation_names_and_role_labels(amur, paths, size):
    organisations = Organization.objects.bulk_create(
        Organization(name=f"Казанский вертолётный завод №{n}", country="RU") for n in range(size)
    )
    rows = [{"project": "AMU-001", "organization": f"казанский вертолетный завод №{n}", "role": "партнер"} for n in range(size)]
    report = run("participants", csv_bytes(rows), "participants.csv")
    assert report.ok, report.problems
    assert_path(paths, size)
    assert set(Participation.objects.values_list("organization_id", "role")) == {(o.pk, "partner") for o in organisations}


@SIZES
def test_yo_and_ye_are_one_letter_in_region_names(cycles, amur, paths, size):
    rows = [
        {"reference": f"OZR-{n:03d}", "region": "озерная  область", "title_ru": f"Проект {n}", "sector": "energy", "first_cycle": "III"}
        for n in range(size)
    ]
    report = run("projects", csv_bytes(rows), "projects.csv")
    assert report.ok, report.problems
    assert_path(paths, size)
    assert set(Project.objects.filter(reference__startswith="OZR-").values_list("region__name_ru", flat=True)) == {"Озёрная область"}


@SIZES
def test_yo_and_ye_are_one_letter_in_source_titles(cycles, amur, paths, size):
    source = make_source("Отчёт о ходе работ")
    rows = [
        {"reference": f"E-{n}", "project": "AMU-001", "cycle": "III", "kind": "result", "summary": f"Step {n}", "source": "ОТЧЕТ О ХОДЕ РАБОТ"}
        for n in range(size)
    ]
    report = run("evidence", csv_bytes(rows), "evidence.csv")
    assert report.ok, report.problems
    assert_path(paths, size)
    assert set(Evidence.objects.values_list("source", flat=True)) == {source.pk}


@SIZES
def test_names_that_differ_only_by_yo_are_ambiguous(cycles, amur, paths, size):
    make_source("Отчёт о работе")
    make_source("отчёт о работе")
    make_source("Пресс-релиз")
    rows, number = with_odd_row(
        size,
        lambda n: {"reference": f"E-{n}", "project": "AMU-001", "cycle": "III", "kind": "result", "summary": f"Step {n}", "source": "Пресс-релиз"},
        lambda n: {"reference": f"E-{n}", "project": "AMU-001", "cycle": "III", "kind": "result", "summary": f"Step {n}", "source": "ОТЧЕТ О РАБОТЕ"},
    )
    report = run("evidence", csv_bytes(rows), "evidence.csv")
    assert problems(report) == [(number, "source", "Source “ОТЧЕТ О РАБОТЕ” is ambiguous.")]
    assert_path(paths, size)


# -- whitespace around text -------------------------------------------------------------


@SIZES
def test_keys_and_texts_are_trimmed_of_spaces_and_non_breaking_spaces(cycles, paths, size):
    region = make_region("Amur Oblast", iso_code="RU-AMU", name_ru="Амурская область", slug="amur")
    make_project(region, cycles[2], reference="AMU-001", title_ru="Старое название")
    padded = "\u00a0 {} \u202f\u2007\t"
    rows = [
        {
            "reference": padded.format("AMU-001" if n == 0 else f"AMU-{n + 100}"),
            "region": padded.format("RU-AMU"),
            "title_ru": padded.format(f"Новое  название {n}"),
            "sector": padded.format("energy"),
            "first_cycle": padded.format("III"),
        }
        for n in range(size)
    ]
    report = run("projects", csv_bytes(rows), "projects.csv")
    assert report.ok, report.problems
    assert_path(paths, size)
    counts = report.counts["projects"]
    assert (counts["update"], counts["new"]) == (1, size - 1)
    stored = dict(Project.objects.values_list("reference", "title_ru"))
    assert stored == {("AMU-001" if n == 0 else f"AMU-{n + 100}"): f"Новое  название {n}" for n in range(size)}


# -- amounts as shown -------------------------------------------------------------------

AMOUNTS = [
    ("1\u00a0500\u00a0000,50 ₽", "RUB", "1500000.50"),
    ("2 500 000 000 руб.", "RUB", "2500000000"),
    ("1 500 р.", "RUB", "1500"),
    ("$1,500,000.50", "USD", "1500000.50"),
    ("$1,500", "USD", "1500"),
    ("1 500 000 USD", "USD", "1500000"),
    ("¥ 10 000", "CNY", "10000"),
    ("CNY 5 000", "CNY", "5000"),
    ("€1 000,50", "EUR", "1000.50"),
    ("1.500.000,25", "EUR", "1500000.25"),
    ("1,5", "RUB", "1.5"),
]


def project_row(n, amount, currency):
    row = {"reference": f"AMU-{n + 100}", "region": "RU-AMU", "title_ru": f"Проект {n}", "sector": "energy", "first_cycle": "III", "amount": amount}
    if currency is not None:
        row["currency"] = currency
    return row


@SIZES
@pytest.mark.parametrize("amount, currency, number", AMOUNTS)
def test_an_amount_as_shown_is_read_when_its_currency_agrees(cycles, region, paths, size, amount, currency, number):
    report = run("projects", csv_bytes([project_row(n, amount, currency) for n in range(size)]), "projects.csv")
    assert report.ok, report.problems
    assert_path(paths, size)
    assert set(Project.objects.values_list("amount", "currency")) == {(Decimal(number), currency)}


DISAGREEING = [
    ("1 500 000,50 ₽", "USD", "The amount is in roubles, but column “Currency” says USD (US dollars): correct one of them."),
    ("$1,500,000.50", "RUB", "The amount is in US dollars, but column “Currency” says RUB (roubles): correct one of them."),
    ("¥ 10 000", "EUR", "The amount is in yuan, but column “Currency” says EUR (euros): correct one of them."),
    ("1 000 €", "", "The amount is in euros, but column “Currency” is empty: write EUR there."),
    ("1 000 USD", None, "The amount is in US dollars, but the file has no column “Currency”: add it, with USD."),
]


@SIZES
@pytest.mark.parametrize("amount, currency, message", DISAGREEING)
def test_an_amount_in_another_currency_than_its_row_gets_one_message(cycles, region, paths, size, amount, currency, message):
    def good(n):  # a plain number in roubles; no amount at all where no currency is given
        return project_row(n, "", None) if currency is None else project_row(n, "1 000", "RUB")

    rows, number = with_odd_row(size, good, lambda n: project_row(n, amount, currency))
    report = run("projects", csv_bytes(rows), "projects.csv")
    assert problems(report) == [(number, "amount", message)]
    assert_path(paths, size)
    assert not Project.objects.exists()


def test_an_amount_that_disagrees_with_the_stored_currency_of_a_project_it_changes(cycles, region):
    make_project(region, cycles[2], reference="AMU-001", amount=Decimal("5"), currency="CNY")
    report = run("projects", csv_bytes([{"reference": "AMU-001", "amount": "1 500 ₽", "currency": "USD"}]), "projects.csv")
    assert problems(report) == [
        (2, "amount", "The amount is in roubles, but column “Currency” says USD (US dollars): correct one of them.")
    ]
    assert Project.objects.get(reference="AMU-001").amount == Decimal("5")


def test_the_currency_message_is_in_russian_for_a_russian_reader(cycles, region):
    from django.utils import translation

    with translation.override("ru"):
        report = run("projects", csv_bytes([project_row(0, "1 500 ₽", "USD")]), "projects.csv")
        (problem,) = report.problems
    assert "USD" in problem.message and "Currency" not in problem.message and "amount is" not in problem.message


# -- text encodings ---------------------------------------------------------------------


def project_rows(size, title="Канатная дорога"):
    return [
        {"reference": f"AMU-{n + 300}", "region": "RU-AMU", "title_ru": f"{title} {n}", "sector": "transport", "first_cycle": "II"}
        for n in range(size)
    ]


def test_excel_unicode_text_is_read(cycles, region):
    """Excel's "Unicode text": UTF-16 LE with its BOM, separated by tabs."""
    content = (FILES / "unicode_text_utf16.txt").read_bytes()
    assert content.startswith(codecs.BOM_UTF16_LE) and b"\t\x00" in content
    report = run("projects", content, "unicode_text_utf16.txt")
    assert report.ok, report.problems
    assert Project.objects.get(reference="AMU-300").title_ru == "Канатная дорога"


@SIZES
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"], ids=["with BOM", "LE without BOM", "BE without BOM"])
def test_utf16_tab_separated_text_is_read_with_or_without_its_bom(cycles, region, paths, size, encoding):
    content = csv_bytes(project_rows(size), delimiter="\t", encoding=encoding)
    assert content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) == (encoding == "utf-16")
    report = run("projects", content, "projects.txt")
    assert report.ok, report.problems
    assert_path(paths, size)
    assert sorted(Project.objects.values_list("title_ru", flat=True)) == sorted(f"Канатная дорога {n}" for n in range(size))


@pytest.mark.parametrize("content", [b"reference;title_ru\nAMU-1;Cafe!\x00\n", b"reference;title_ru\nAMU-1;Caf\xe9\x00!\n"])
def test_eight_bit_text_with_a_stray_nul_byte_is_not_taken_for_utf16(content):
    assert len(content) % 2 == 0
    with pytest.raises(SpreadsheetError, match="NUL|could not be recognised"):
        read_dataset(content, "projects.csv")


def test_windows_1252_is_read_as_western_text(cycles, region):
    report = run("projects", (FILES / "western_cp1252.csv").read_bytes(), "western_cp1252.csv")
    assert report.ok, report.problems
    project = Project.objects.get(reference="AMU-100")
    assert (project.title_ru, project.title_en) == ("Café crème", "Zürich tram")


@SIZES
@pytest.mark.parametrize("encoding, title", [("cp1252", "Café crème à la Zürich"), ("cp1251", "Канатная дорога")])
def test_western_and_russian_code_pages_are_told_apart(cycles, region, paths, size, encoding, title):
    report = run("projects", csv_bytes(project_rows(size, title), encoding=encoding), "projects.csv")
    assert report.ok, report.problems
    assert_path(paths, size)
    assert set(t.rsplit(" ", 1)[0] for t in Project.objects.values_list("title_ru", flat=True)) == {title}


def test_a_file_whose_code_page_cannot_be_told_is_refused():
    with pytest.raises(SpreadsheetError, match="could not be recognised"):
        read_dataset("reference;title_ru\nAMU-1;€\n".encode("cp1252"), "projects.csv")


# -- messages -------------------------------------------------------------------------


def test_a_cycle_number_that_is_no_numeral_gets_a_message_in_words():
    report = run("cycles", csv_bytes([{"number": "\u00a0третий ", "title": "Третий выпуск"}]), "cycles.csv")
    assert [(row, message) for row, _column, message in problems(report)] == [
        (2, "“третий” is not a cycle number; write a Roman numeral such as III.")
    ]
