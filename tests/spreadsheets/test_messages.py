"""Messages a non-programmer can act on: the row the spreadsheet shows (blank rows
counted), the file and the column as headed, in the reader's language; no field or
constraint names; a file of another dataset named; the same key on two rows."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from tests.factories import make_project
from tracker.management.commands.importdata import locale_language
from tracker.spreadsheets.importer import import_datasets, read_dataset

pytestmark = pytest.mark.django_db

HEADER = "Код;Регион;Название (рус.);Отрасль;Впервые упомянут в цикле\n"


def load(name, text, filename="projects.csv", **kwargs):
    return import_datasets([(name, read_dataset(text.encode("utf-8"), filename))], **kwargs)


def test_row_numbers_count_blank_rows_as_the_spreadsheet_shows_them(cycles, region):
    text = HEADER + "NEW-001;RU-AMU;Мост;transport;III\n\n;;;;\nNEW-002;RU-AMU;Порт;transport;IX\n"
    (problem,) = load("projects", text).problems
    assert problem.row == 5
    assert str(problem).startswith("“projects.csv” — projects, row 5, column “Впервые упомянут в цикле”:")


def test_row_numbers_on_the_bulk_path_count_blank_rows_too(cycles, region):
    rows = "".join(f"F-{n:03d};RU-AMU;Проект;transport;III\n\n" for n in range(250))
    text = HEADER + rows + "BAD-001;RU-AMU;Проект;transport;IX\n"
    (problem,) = load("projects", text).problems
    assert problem.row == 2 + 2 * 250


def test_an_empty_required_cell_is_named_by_its_column_not_the_database(cycles, region):
    text = "reference;title_ru;sector\nNEW-001;Мост;transport\n"
    problems = load("projects", text).problems
    text = " ".join(str(p) for p in problems)
    assert "Region" in text and "First reported in cycle" in text
    for internal in ("NOT NULL", "region_id", "first_cycle", "cannot be null", "has no"):
        assert internal not in text, text


def test_database_messages_are_told_in_the_columns_words():
    from tracker.spreadsheets.resources import ProjectResource

    resource = ProjectResource()
    for message in ("NOT NULL constraint failed: tracker_project.region_id",
                    'null value in column "region_id" of relation "tracker_project" violates not-null constraint',
                    "Project has no region."):
        assert resource.plain(message) == "“Region” may not be left empty."
    assert "First reported in cycle" in resource.plain("Project has no first_cycle.")


def test_a_file_of_another_dataset_is_named_as_such(cycles, region):
    text = "reference;project;cycle;kind;summary\nE-1;AMU-001;III;result;Done\n"
    with translation.override("ru"):
        (problem,) = load("projects", text).problems
    assert "Свидетельства (evidence)" in str(problem) and "Проекты (projects)" in str(problem)


def test_the_same_key_on_two_rows_names_both_rows(cycles, region):
    text = HEADER + "NEW-001;RU-AMU;Мост;transport;III\nNEW-002;RU-AMU;Порт;transport;III\nNEW-001;RU-AMU;Мост 2;transport;III\n"
    (problem,) = load("projects", text).problems
    assert problem.row == 4 and problem.column == "Код"
    assert "rows 2, 4" in problem.message and "NEW-001" in problem.message


def test_the_same_key_on_two_rows_is_refused_on_the_bulk_path_too(cycles, region):
    rows = "".join(f"F-{n:03d};RU-AMU;Проект;transport;III\n" for n in range(250))
    text = HEADER + rows + "F-007;RU-AMU;Другой;transport;III\n"
    report = load("projects", text)
    (problem,) = report.problems
    assert problem.row == 252 and "rows 9, 252" in problem.message
    from tracker.models import Project

    assert not Project.objects.exists()


def test_the_same_row_twice_is_no_error(cycles, region):
    text = HEADER + "NEW-001;RU-AMU;Мост;transport;III\nNEW-001;RU-AMU;Мост;transport;III\n"
    assert load("projects", text).ok


def test_importdata_speaks_the_language_asked_for(cycles, region, tmp_path):
    make_project(region, cycles[2], "AMU-001")
    path = tmp_path / "p.csv"
    path.write_text(HEADER + "AMU-001;RU-AMU;Мост;transport;IX\n")
    for language, words in [("ru", "нет цикла"), ("en", "no cycle")]:
        err = io.StringIO()
        with pytest.raises(CommandError) as raised:
            call_command("importdata", "projects", str(path), "--language", language, stdout=io.StringIO(), stderr=err)
        assert ("“p.csv”" in err.getvalue() or "«p.csv»" in err.getvalue()) and "IX" in err.getvalue()
        if language == "en":
            assert "1 problem; nothing was written." in str(raised.value)
            assert "row 2, column “Впервые упомянут в цикле”: There is no cycle “IX”." in err.getvalue()


def test_importdata_counts_in_english(cycles, region, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(HEADER + "NEW-001;RU-AMU;Мост;transport;III\n")
    out = io.StringIO()
    call_command("importdata", "projects", str(path), "--dry-run", "--language", "en", stdout=out, stderr=io.StringIO())
    assert "new      1" in out.getvalue() and "Dry run: nothing was written." in out.getvalue()


@pytest.mark.parametrize("environ, language", [
    ({"LANG": "ru_RU.UTF-8"}, "ru"), ({"LC_ALL": "ru_RU.UTF-8", "LANG": "en_US.UTF-8"}, "ru"),
    ({"LANG": "en_GB.UTF-8"}, "en"), ({"LANG": "de_DE.UTF-8"}, "en"), ({}, "ru"),
    ({"LC_ALL": "C.UTF-8", "LANG": "en_US.UTF-8"}, "ru"), ({"LANG": "POSIX"}, "ru"),
])
def test_importdata_takes_its_language_from_the_locale(environ, language):
    assert locale_language(environ) == language


def test_the_admin_preview_numbers_rows_as_the_spreadsheet_and_lists_notes(editor_client, cycles, region):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.factories import make_cycle

    make_cycle(4)
    content = (HEADER.strip() + ";Комментарий\nNEW-001;RU-AMU;Мост;transport;IV;x\n\n\nNEW-002;Атлантида;Порт;transport;IV;y\n").encode()
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = editor_client.post(reverse("admin:tracker_project_import"),
                                  {"format": "1", "import_file": SimpleUploadedFile("p.csv", content), "resource": "0"})
    (invalid,) = response.context["result"].invalid_rows
    assert invalid.number == 5
    shown = [str(m) for m in response.context["messages"]]
    assert any("Комментарий" in m and "not used" in m for m in shown), shown
