"""Files as spreadsheet programs make them: saved by LibreOffice Calc in a Russian locale
(tests/files/lo_ru_*, remade by scripts/make_test_files.py) and, where a program's habit
is a single cell, generated here. Each test is one thing an editor's file does."""

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from audit.context import acting
from ratings.models import Region
from tests.factories import make_cycle, make_organization, make_project, make_region
from tracker.models import Organization, Participation, Project
from tracker.spreadsheets.importer import SpreadsheetError, import_datasets, read_dataset
from tracker.spreadsheets.resources import ProjectResource

pytestmark = pytest.mark.django_db

FILES = Path(__file__).resolve().parents[1] / "files"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ROUNDTRIP_REGIONS = {"RU-KEM", "RU-SAK"}


def read(name):
    return read_dataset((FILES / name).read_bytes(), name)


def problems_text(report):
    return "\n".join(str(problem) for problem in report.problems)


def outcome(name, dataset_name="projects", upload_as=None, **kwargs):
    """Every message the file gets, whether it is refused whole or row by row."""
    try:
        dataset = read_dataset((FILES / name).read_bytes(), upload_as or name)
    except SpreadsheetError as error:
        return str(error)
    return problems_text(import_datasets([(dataset_name, dataset)], dry_run=True, **kwargs))


@pytest.fixture
def seeded(db):
    """The seed regions and cycles, and the seed projects of the regions in the round-trip
    files, loaded as `loadseeds` loads them."""
    regions = read_dataset((SEEDS / "regions.csv").read_bytes(), "regions.csv")
    cycles = read_dataset((SEEDS / "cycles.csv").read_bytes(), "cycles.csv")
    every = read_dataset((SEEDS / "projects.csv").read_bytes(), "projects.csv")
    position = every.headers.index("region")
    projects = tablib.Dataset(*[row for row in every if row[position] in ROUNDTRIP_REGIONS], headers=every.headers)
    with acting(None, "seed"):
        report = import_datasets([("regions", regions), ("cycles", cycles), ("projects", projects)])
    assert report.ok, report.problems
    return len(projects)


def upload(client, name, content=None, language="ru", model="project"):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    content = (FILES / name).read_bytes() if content is None else content
    return client.post(
        reverse(f"admin:tracker_{model}_import"),
        {"format": "0", "import_file": SimpleUploadedFile(name, content), "resource": "0"},
    )


# -- 7. export → LibreOffice (Russian locale) → import is unchanged ----------------------


@pytest.mark.parametrize("extension", ["xlsx", "ods", "csv"])
@pytest.mark.parametrize("export", ["lo_ru_roundtrip_projects", "lo_ru_roundtrip_projects_labels"])
def test_seed_export_resaved_by_russian_libreoffice_imports_unchanged(seeded, export, extension):
    """The export headed by codes, and the one headed by Russian labels with choices in
    words, each opened and saved again by a Russian LibreOffice."""
    name = f"{export}.{extension}"
    dataset = read(name)
    assert len(dataset) == seeded > 10
    report = import_datasets([("projects", dataset)], dry_run=True)
    assert report.ok, report.problems
    counts = report.counts["projects"]
    assert (counts.get("new", 0), counts.get("update", 0), counts.get("skip", 0)) == (0, 0, seeded)


# -- 4. values as spreadsheets write them -------------------------------------------------


@pytest.mark.parametrize("name", ["lo_ru_regions_booleans.csv", "lo_ru_regions_booleans.xlsx", "lo_ru_regions_booleans.ods"])
def test_booleans_of_a_russian_calc_are_read(name):
    """A Russian Calc writes its boolean cells as ИСТИНА/ЛОЖЬ in CSV."""
    make_region("Amur Oblast", iso_code="RU-AMU", borders_china=True)
    make_region("Kemerovo Oblast", iso_code="RU-KEM", borders_china=False)
    if name.endswith(".csv"):
        assert "ИСТИНА" in (FILES / name).read_text("utf-8") and "ЛОЖЬ" in (FILES / name).read_text("utf-8")
    report = import_datasets([("regions", read(name))])
    assert report.ok, report.problems
    assert dict(Region.objects.values_list("iso_code", "borders_china")) == {"RU-AMU": False, "RU-KEM": True}


@pytest.mark.parametrize("yes, no", [("TRUE", "FALSE"), ("ИСТИНА", "ЛОЖЬ"), ("истина", "ложь"), ("да", "нет"), ("Да", "Нет"), ("1", "0")])
def test_booleans_as_each_program_and_person_writes_them(yes, no):
    make_region("Amur Oblast", iso_code="RU-AMU", borders_china=False)
    make_region("Kemerovo Oblast", iso_code="RU-KEM", borders_china=True)
    content = f"iso_code,borders_china\nRU-AMU,{yes}\nRU-KEM,{no}\n".encode()
    report = import_datasets([("regions", read_dataset(content, "regions.csv"))])
    assert report.ok, report.problems
    assert dict(Region.objects.values_list("iso_code", "borders_china")) == {"RU-AMU": True, "RU-KEM": False}


def test_yo_and_ye_are_the_same_letter_in_names_and_labels(cycles, region):
    project = make_project(region, cycles[2], reference="AMU-050")
    make_organization("Казанский вертолётный завод", country="RU", kind="company")
    content = "project;organization;role\nAMU-050;Казанский вертолетный завод;партнер\n".encode()
    with translation.override("ru"):
        report = import_datasets([("participants", read_dataset(content, "participants.csv"))])
    assert report.ok, report.problems
    assert Participation.objects.get(project=project).organization.name == "Казанский вертолётный завод"


def test_yo_and_ye_are_the_same_letter_in_choice_labels(cycles, region):
    make_project(region, cycles[2], reference="AMU-051")
    content = "project;cycle;status;effective_on;basis\nAMU-051;III;отменен;2026-03-01;judgement\n".encode()
    report = import_datasets([("status_changes", read_dataset(content, "status.csv"))], dry_run=True)
    assert report.ok, report.problems
    assert report.counts["status_changes"].get("new") == 1


@pytest.mark.parametrize("name", ["lo_ru_projects_workbook.xlsx", "lo_ru_projects_workbook.ods"])
def test_workbook_with_russian_headers_typed_cells_and_trailing_nbsp_imports(seeded, name):
    """The data is on the sheet «Проекты», the second; headers are the Russian labels; the
    amount «1 500 000,50 ₽» and the date are typed cells; texts end in NBSP."""
    report = import_datasets([("projects", read(name))])
    assert report.ok, report.problems
    project = Project.objects.get(reference="KEM-901")
    assert (project.title_ru, project.title_en) == ("Угольный терминал", "Coal terminal")
    assert project.amount == Decimal("1500000.50") and project.currency == "RUB"
    assert project.announced_on == datetime.date(2025, 6, 1)
    assert Project.objects.get(reference="KEM-902").region.iso_code == "RU-KEM"


def test_amounts_as_shown_read_when_their_currency_agrees(seeded):
    """The CSV as Calc saves it, “as shown”: «1 500 000,50 ₽» with non-breaking spaces, a
    date «01.06.2025»; the last row shows roubles beside the currency USD."""
    text = (FILES / "lo_ru_projects_as_shown.csv").read_text("utf-8")
    assert "1\u00a0500\u00a0000,50 ₽" in text and "01.06.2025" in text
    agreeing = "".join(line for line in text.splitlines(keepends=True) if "USD" not in line)
    report = import_datasets([("projects", read_dataset(agreeing.encode(), "lo_ru_projects_as_shown.csv"))])
    assert report.ok, report.problems
    assert Project.objects.get(reference="KEM-901").amount == Decimal("1500000.50")
    assert Project.objects.get(reference="KEM-902").amount == Decimal("2400000000")
    assert Project.objects.get(reference="KEM-901").announced_on == datetime.date(2025, 6, 1)


def test_an_amount_in_another_currency_than_its_column_gets_one_message(seeded):
    report = import_datasets([("projects", read("lo_ru_projects_as_shown.csv"))], dry_run=True)
    assert len(report.problems) == 1, report.problems
    (problem,) = report.problems
    assert problem.row == 4
    assert "USD" in str(problem) or "₽" in str(problem) or "RUB" in str(problem)
    assert not Project.objects.filter(reference__startswith="KEM-9").exists()


def test_keys_and_texts_are_trimmed_of_spaces_and_nbsp(cycles, region):
    make_project(region, cycles[2], reference="AMU-060", title_ru="Старое")
    content = "reference;title_ru\n\u00a0AMU-060\u00a0 ;\u00a0Новое название\u00a0\n".encode()
    report = import_datasets([("projects", read_dataset(content, "p.csv"))])
    assert report.ok, report.problems
    assert (report.counts["projects"].get("new", 0), report.counts["projects"].get("update", 0)) == (0, 1)
    assert Project.objects.get(reference="AMU-060").title_ru == "Новое название"


@pytest.mark.parametrize("name", ["lo_ru_unicode_text.txt", "unicode_text_utf16.txt"])
def test_unicode_text_utf16_tab_separated_is_read(name):
    content = (FILES / name).read_bytes()
    assert content[:2] == b"\xff\xfe"
    dataset = read_dataset(content, name)
    assert dataset.headers[:3] == ["reference", "region", "title_ru"]
    assert all(re.fullmatch(r"[А-Яа-яЁё «»\-]+", row[2]) for row in dataset)


def test_windows_1251_from_a_russian_calc_is_read_as_russian():
    dataset = read("lo_ru_cp1251.csv")
    assert [row[2] for row in dataset] == ["Канатная дорога через Томь", "Шахта «Северная»"]


def test_windows_1252_is_not_taken_for_windows_1251():
    dataset = read("lo_western_cp1252.csv")
    assert [row[0] for row in dataset] == ["Société Générale", "Zürcher Kantonalbank", "Banco Español de Crédito"]
    report = import_datasets([("organizations", dataset)])
    assert report.ok, report.problems
    assert Organization.objects.filter(name="Société Générale").exists()


# -- 3. headers as people write them ------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    ["title_ru", "  TITLE_RU ", "Название (на русском)", "название  (на русском)", "Title (Russian)", "title (russian)"],
)
def test_a_column_is_headed_by_its_code_or_its_russian_or_english_label(cycles, region, header):
    make_project(region, cycles[2], reference="AMU-070", title_ru="Старое")
    content = f"Код;{header}\nAMU-070;Новое\n".encode()
    report = import_datasets([("projects", read_dataset(content, "p.csv"))])
    assert report.ok, report.problems
    assert Project.objects.get(reference="AMU-070").title_ru == "Новое"


def test_a_column_not_used_is_reported_in_the_preview(superuser_client, seeded):
    html = upload(superuser_client, "lo_ru_unused_column.xlsx").content.decode()
    assert re.search(r"Комментарий.{0,40}не использ", html, re.S), html[:3000]


def test_a_file_of_the_key_column_alone_is_refused_not_unchanged(seeded):
    report = import_datasets([("projects", read("lo_ru_key_only.csv"))], dry_run=True)
    assert not report.ok
    assert not report.counts.get("projects", {}).get("skip")


def test_a_key_only_file_cannot_be_confirmed_in_the_admin(superuser_client, seeded):
    preview = upload(superuser_client, "lo_ru_key_only.csv")
    assert preview.status_code == 200
    assert not preview.context.get("confirm_form")


# -- 5. messages a non-programmer can act on ----------------------------------------------


@pytest.mark.parametrize("name", ["lo_ru_blank_rows.csv", "lo_ru_blank_rows.xlsx", "lo_ru_blank_rows.ods"])
def test_row_numbers_count_the_blank_rows_as_the_spreadsheet_shows_them(seeded, name):
    report = import_datasets([("projects", read(name))], dry_run=True)
    assert [problem.row for problem in report.problems] == [5], report.problems
    assert "Атлантида" in str(report.problems[0])


@pytest.mark.parametrize("name", ["lo_ru_blank_rows.csv", "lo_ru_blank_rows.xlsx"])
def test_messages_name_the_file(seeded, name):
    report = import_datasets([("projects", read(name))], dry_run=True)
    assert name in str(report.problems[0])


@pytest.mark.parametrize("name", ["lo_ru_projects_workbook.xlsx", "lo_ru_projects_workbook.ods"])
def test_a_workbook_is_read_from_the_sheet_named_after_the_dataset(name):
    dataset = read(name)
    assert "Код" in dataset.headers and "Как заполнять" not in dataset.headers
    assert [row[0].strip() for row in dataset] == ["KEM-901", "KEM-902"]


def test_the_preview_says_which_sheet_it_read(superuser_client, seeded):
    html = upload(superuser_client, "lo_ru_projects_workbook.xlsx").content.decode()
    assert re.search(r"лист\w*\W{1,20}Проекты", html, re.I), html[:3000]


@pytest.mark.parametrize("name", ["lo_ru_merged_cells.xlsx", "lo_ru_merged_cells.ods"])
def test_merged_cells_in_the_data_are_reported_by_cell(seeded, name):
    text = outcome(name)
    assert re.search(r"\bB2\b|\bB3\b", text), text
    assert not Project.objects.filter(reference__in=["KEM-921", "KEM-922"]).exists()


def test_a_file_of_another_dataset_is_named_as_such(seeded):
    text = outcome("lo_ru_evidence.xlsx", upload_as="upload.xlsx")
    assert "evidence" in text.lower(), text
    assert "required column" not in text and "besides the key" not in text


def test_a_file_of_another_dataset_is_named_in_russian(seeded):
    with translation.override("ru"):
        text = outcome("lo_ru_evidence.xlsx", upload_as="upload.xlsx")
    assert "свидетельств" in text.lower(), text


def test_the_same_reference_on_two_rows_names_both_rows(seeded):
    report = import_datasets([("projects", read("lo_ru_duplicate_reference.csv"))], dry_run=True)
    assert not report.ok
    text = problems_text(report)
    assert "KEM-931" in text and re.search(r"\b2\b", text) and re.search(r"\b4\b", text), text


def test_messages_quote_no_sql_or_field_names(cycles):
    """A project without its region: no NOT NULL, no region_id, no first_cycle."""
    make_region("Amur Oblast", iso_code="RU-AMU")
    content = "reference;title_ru;title_en;sector\nAMU-080;Мост;Bridge;transport\n".encode()
    text = problems_text(import_datasets([("projects", read_dataset(content, "p.csv"))], dry_run=True))
    assert text
    for internal in ("NOT NULL", "constraint", "region_id", "first_cycle", "tracker_project"):
        assert internal not in text


# -- 2. the blank template cannot overwrite real data -------------------------------------


TEMPLATES = [
    ("ratings_region", "regions"), ("ratings_cycle", "cycles"), ("ratings_rating", "ratings"),
    ("tracker_organization", "organizations"), ("tracker_source", "sources"), ("tracker_project", "projects"),
    ("tracker_participation", "participants"), ("tracker_evidence", "evidence"),
    ("tracker_statuschange", "status_changes"),
]


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
@pytest.mark.parametrize("admin_name, dataset_name", TEMPLATES)
def test_the_templates_example_row_is_never_imported(superuser_client, cycles, admin_name, dataset_name, extension):
    """Every dataset's template imported as downloaded, over data like its example's."""
    amur = make_region("Amur Oblast", iso_code="RU-AMU", name_ru="Амурская область", slug="amur")
    project = make_project(amur, cycles[2], reference="AMU-001", title_ru="Настоящий проект")
    make_organization("Heilongjiang Province", kind="government", note="настоящая")
    response = superuser_client.get(reverse(f"admin:{admin_name}_template", args=[extension]))
    content = b"".join(response)
    report = import_datasets([(dataset_name, read_dataset(content, f"template.{extension}"))], dry_run=True)
    assert report.ok, report.problems
    counts = report.counts[dataset_name]
    assert (counts.get("new", 0), counts.get("update", 0)) == (0, 0), report.counts
    report = import_datasets([(dataset_name, read_dataset(content, f"template.{extension}"))])
    project.refresh_from_db()
    assert project.title_ru == "Настоящий проект" and Region.objects.get().slug == "amur"


def test_rows_filled_in_below_the_projects_example_are_imported_and_the_example_is_not(superuser_client, cycles, region):
    make_cycle(4)
    make_project(region, cycles[2], reference="AMU-001", title_ru="Настоящий проект")
    response = superuser_client.get(reverse("admin:tracker_project_template", args=["xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response)))
    sheet = book.active
    headers = tablib.Dataset(headers=[cell.value for cell in sheet[1]])
    ProjectResource().normalise_headers(headers)
    sheet.append([{"reference": "AMU-002", "region": "RU-AMU", "title_ru": "Порт", "title_en": "Port",
                   "sector": "logistics", "first_cycle": "IV"}.get(code) for code in headers.headers])
    out = io.BytesIO()
    book.save(out)
    report = import_datasets([("projects", read_dataset(out.getvalue(), "projects-template.xlsx"))])
    assert report.ok, report.problems
    assert sorted(Project.objects.values_list("reference", flat=True)) == ["AMU-001", "AMU-002"]
    assert Project.objects.get(reference="AMU-001").title_ru == "Настоящий проект"


def test_a_workbook_of_several_datasets_is_read_from_the_sheet_of_the_one_imported():
    book = openpyxl.Workbook()
    book.active.title = "Регионы"
    book.active.append(["iso_code", "name_ru"])
    book.active.append(["RU-AMU", "Амурская область"])
    projects = book.create_sheet("Проекты")
    projects.append(["reference", "title_ru"])
    projects.append(["AMU-001", "Мост"])
    out = io.BytesIO()
    book.save(out)
    assert read_dataset(out.getvalue(), "book.xlsx", dataset="projects").headers == ["reference", "title_ru"]
    assert read_dataset(out.getvalue(), "book.xlsx", dataset="regions").headers == ["iso_code", "name_ru"]


# -- 6. the admin's preview ----------------------------------------------------------------


def preview_row(html, key):
    """The preview's table row that holds `key`, without the hover tooltip's list."""
    rows = re.findall(r"<tr[^>]*>.*?</tr>", html, re.S)
    (row,) = [row for row in rows if key in row]
    return re.sub(r'<div class="validation-error-container">.*?</div>', "", row, flags=re.S)


def test_the_preview_states_each_problem_beside_its_row(superuser_client, seeded):
    html = upload(superuser_client, "lo_ru_blank_rows.xlsx", language="en").content.decode()
    row = preview_row(html, "KEM-912")
    assert "Unknown region" in re.sub(r"<[^>]+>", " ", row), row
    assert re.search(r">\s*5\s*<", row), row  # the row as the spreadsheet numbers it


@pytest.mark.parametrize("language, labels", [("en", ["Region", "Title (Russian)"]), ("ru", ["Регион", "Название (на русском)"])])
def test_the_preview_heads_columns_by_their_labels(superuser_client, seeded, language, labels):
    html = upload(superuser_client, "lo_ru_unused_column.xlsx", language=language).content.decode()
    heads = [re.sub(r"<[^>]+>|\s+", " ", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", html, re.S)]
    assert set(labels) <= set(heads), heads
    assert "title_ru" not in heads


def test_the_preview_leaves_empty_cells_empty(superuser_client, seeded):
    html = upload(superuser_client, "lo_ru_unused_column.xlsx", language="en").content.decode()
    row = preview_row(html, "KEM-006")
    assert not re.search(r">\s*None\s*<", row), row


# -- 1. large files through the admin --------------------------------------------------------


def test_a_file_of_250_new_and_changed_rows_is_confirmed_in_the_admin(superuser_client, seeded):
    make_cycle(4)
    lines = ["reference;region;title_ru;title_en;sector;first_cycle"]
    lines += [f"KEM-{n:04d};RU-KEM;Проект {n};Project {n};transport;IV" for n in range(1000, 1240)]
    lines += ["KEM-001;RU-KEM;Новое название;New title;transport;"]
    preview = upload(superuser_client, "big.csv", "\n".join(lines).encode(), language="en")
    assert preview.status_code == 200
    confirm = preview.context["confirm_form"]
    response = superuser_client.post(reverse("admin:tracker_project_process_import"), confirm.initial)
    assert response.status_code == 302
    assert Project.objects.filter(reference__startswith="KEM-1").count() == 240
    assert Project.objects.get(reference="KEM-001").title_ru == "Новое название"
    assert superuser_client.get(reverse("admin:tracker_project_history", args=[Project.objects.get(reference="KEM-1000").pk])).status_code == 200


# -- 5. the command line speaks the reader's language ----------------------------------------


@pytest.mark.parametrize("language, words", [("ru", ["строка 5", "Атлантида", "ничего не записано"]), ("en", ["row 5", "Атлантида", "nothing was written"])])
def test_the_command_line_speaks_the_language_asked_for(seeded, language, words):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    errors = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("importdata", "projects", str(FILES / "lo_ru_blank_rows.xlsx"), "--dry-run",
                     "--language", language, stderr=errors)
    text = (errors.getvalue() + "\n" + str(failure.value)).lower()
    assert all(word.lower() in text for word in words), text
