"""Headers as people write them: codes, Russian or English labels, in any case and
spacing; exports with labels re-import unchanged; unused columns are reported; a file of
nothing but its key is refused."""

import io

import pytest
import tablib
from django.core.management import call_command
from django.utils import translation

from tests.factories import add_evidence, make_project
from tracker.models import Project
from tracker.spreadsheets.formats import BY_EXTENSION, read_dataset
from tracker.spreadsheets.importer import import_datasets
from tracker.spreadsheets.resources import DATASETS, ProjectResource

pytestmark = pytest.mark.django_db


def load(name, text, filename="data.csv", **kwargs):
    return import_datasets([(name, read_dataset(text.encode("utf-8"), filename, dataset=name))], **kwargs)


@pytest.mark.parametrize(
    "header",
    [
        "reference;region;title_ru;sector;first_cycle",
        "Код;Регион;Название (на русском);Отрасль;Впервые упомянут в цикле",
        "Код;Регион;Название (рус.);Отрасль;Впервые упомянут в цикле",
        "  КОД: ; регион* ;название  (рус);ОТРАСЛЬ;впервые\u00a0упомянут в цикле",
        "Reference;Region;Title (Russian);Sector;First reported in cycle",
        "REFERENCE;region;TITLE_RU;Sector:;first cycle",
    ],
)
def test_a_column_is_headed_by_its_code_or_its_label_in_either_language(cycles, region, header):
    report = load("projects", header + "\nNEW-001;RU-AMU;Мост;transport;III\n")
    assert report.ok, report.problems
    project = Project.objects.get(reference="NEW-001")
    assert (project.region, project.title_ru, project.sector) == (region, "Мост", "transport")


def test_yo_and_ye_are_the_same_letter_in_headers(cycles, region):
    report = load("evidence", "Код;Проект;Цикл;Тип;Краткое содержание (на русском);Чье утверждение (рус.)\n"
                  "E-1;AMU-X;III;result;Итог;Минстрой\n", dry_run=True)
    assert all(problem.column != "Чье утверждение (рус.)" for problem in report.problems)
    assert not any("not used" in note for note in report.notes), report.notes


def test_normalise_headers_is_idempotent_and_keeps_the_headers_as_written():
    dataset = tablib.Dataset(headers=["Код", "Название (рус.)", "Комментарий"])
    resource = ProjectResource()
    resource.normalise_headers(dataset)
    resource.normalise_headers(dataset)
    assert dataset.headers == ["reference", "title_ru", "Комментарий"]
    assert dataset.written_headers == {"reference": "Код", "title_ru": "Название (рус.)"}


def test_column_label_follows_the_language():
    with translation.override("ru"):
        assert ProjectResource.column_label("title_ru") == "Название (на русском)"
    with translation.override("en"):
        assert ProjectResource.column_label("title_ru") == "Title (Russian)"


def test_a_column_that_is_not_used_is_reported_but_is_no_error(cycles, region):
    report = load("projects", "reference;region;title_ru;sector;first_cycle;Комментарий\nNEW-001;RU-AMU;М;transport;III;x\n")
    assert report.ok, report.problems
    assert any("Комментарий" in note and "not used" in note for note in report.notes), report.notes


def test_the_command_line_reports_an_unused_column(cycles, region, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("reference;region;title_ru;sector;first_cycle;Комментарий\nNEW-001;RU-AMU;М;transport;III;x\n")
    err = io.StringIO()
    call_command("importdata", "projects", str(path), "--language", "en", stdout=io.StringIO(), stderr=err)
    assert "column “Комментарий” is not used" in err.getvalue()


@pytest.mark.parametrize("header", ["reference", "Код", "reference;Комментарий"])
def test_a_file_of_only_its_key_column_is_refused_never_unchanged(cycles, region, header):
    make_project(region, cycles[2], "AMU-001")
    report = load("projects", header + "\nAMU-001" + (";x" if ";" in header else "") + "\n")
    assert not report.ok
    assert "besides the key" in str(report.problems[0]), report.problems
    assert report.counts.get("projects", {}).get("skip", 0) == 0


def test_a_participants_file_is_all_keys_and_is_read(cycles, region):
    make_project(region, cycles[2], "AMU-001")
    from tracker.models import Organization

    Organization.objects.create(name="Heilongjiang Province", kind="government")
    report = load("participants", "Проект;Организация;Роль\nAMU-001;Heilongjiang Province;partner\n")
    assert report.ok, report.problems
    assert report.counts["participants"]["new"] == 1


def test_two_headers_naming_the_same_column_are_refused(cycles, region):
    report = load("projects", "reference;title_ru;Название (рус.)\nNEW-001;А;Б\n")
    assert not report.ok
    problem = str(report.problems[0])
    assert "title_ru" in problem and "Название (рус.)" in problem


def seeded_projects(region, cycles):
    make_project(region, cycles[1], "AMU-001", sector="transport", title_ru="Мост", title_en="Bridge")
    port = make_project(region, cycles[2], "AMU-002", sector="logistics", title_ru="Порт", title_en="Port")
    add_evidence(port, cycles[2], reference="AMU-002-E1", summary="Works began.", summary_ru="Начаты работы.")


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("extension", ["csv", "xlsx", "ods", "json"])
@pytest.mark.parametrize("name", ["projects", "regions", "cycles", "evidence"])
def test_an_export_with_labels_reimports_unchanged(cycles, region, name, extension, language):
    seeded_projects(region, cycles)
    resource_class = DATASETS[name]
    with translation.override(language):
        exported = resource_class.labelled()().export()
        assert exported.headers[0] == resource_class.column_label(resource_class().get_export_headers()[0])
        content = BY_EXTENSION[extension]().export_data(exported)
    content = content.encode("utf-8") if isinstance(content, str) else content
    before = resource_class().export().dict
    report = import_datasets([(name, read_dataset(content, f"{name}.{extension}"))])
    assert report.ok, report.problems
    assert report.counts[name]["new"] == 0 and report.counts[name]["update"] == 0, report.counts
    assert not report.notes, report.notes
    assert resource_class().export().dict == before


def test_an_export_with_labels_writes_choices_and_yes_no_in_words(cycles, region):
    seeded_projects(region, cycles)
    with translation.override("ru"):
        projects = ProjectResource.labelled()().export()
        regions = DATASETS["regions"].labelled()().export()
    assert "Код" in projects.headers and "Отрасль" in projects.headers
    sector = projects.headers.index("Отрасль")
    with translation.override("ru"):
        labels = {str(Project.Sector("transport").label), str(Project.Sector("logistics").label)}
    assert {row[sector] for row in projects} == labels
    assert regions.dict[0]["Граничит с Китаем"] in ("да", "нет", "yes", "no")


@pytest.mark.parametrize("language, header", [("ru", "Код"), ("en", "Reference")])
def test_exportdata_with_labels_in_a_language_reimports_unchanged(cycles, region, tmp_path, language, header):
    seeded_projects(region, cycles)
    path = tmp_path / "p.xlsx"
    call_command("exportdata", "projects", "--format", "xlsx", "-o", str(path), "--headers", "labels",
                 "--language", language, stderr=io.StringIO())
    dataset = read_dataset(path.read_bytes(), "p.xlsx")
    assert dataset.headers[0] == header
    report = import_datasets([("projects", dataset)])
    assert report.ok, report.problems
    assert report.counts["projects"]["skip"] == 2
