"""The `unresolved`, `loadseeds` and `demo_editor` commands."""

import csv
import datetime
import io
import json
import re

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from tests.factories import add_evidence, make_project
from tracker.models import Project
from tracker.spreadsheets.reports import UNRESOLVED_COLUMNS

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def unresolved_project(cycles, region):
    project = make_project(region, cycles[1], reference="AMU-007", title_ru="Конвейер", title_en="Coal conveyor")
    add_evidence(project, cycles[1], occurred_on=datetime.date(2024, 3, 1))
    make_project(region, cycles[2], reference="AMU-008")  # this cycle's news: not listed
    return project


@pytest.fixture
def unresolved_projects(unresolved_project, cycles, region):
    """Three unresolved projects in cycle III: with an amount, with a formula-like title,
    with news in III — every kind of cell the report has."""
    make_project(region, cycles[0], reference="AMU-001", title_en="=HYPERLINK(\"http://x\")", amount=5, currency="CNY")
    busy = make_project(region, cycles[1], reference="AMU-002", title_en="Port, stage 2", amount=1500000, currency="USD")
    add_evidence(busy, cycles[2], occurred_on=datetime.date(2025, 9, 30))
    return unresolved_project


def unresolved_page_export(client, extension):
    response = client.get(
        reverse("tracker:unresolved"), {"cycle": "III", "export": extension}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    return response.getvalue()


def table_cells(out):
    """The table's lines cut into cells where its dashed rule has gaps."""
    lines = out.splitlines()
    spans = [m.span() for m in re.finditer(r"-+", lines[1])]
    return [[line[a:b].strip() for a, b in spans] for line in [lines[0], *lines[2:]]]


def test_unresolved_lists_earlier_unfinished_projects_as_a_table(unresolved_project):
    with translation.override("ru"):  # the command line speaks the default language
        out, err = run("unresolved", "--cycle", "III")
    assert "AMU-007" in out and "Конвейер" in out
    assert "AMU-008" not in out
    assert "1 unresolved in cycle III" in err


def test_unresolved_as_csv_has_one_row_per_project_with_every_column(unresolved_project):
    with translation.override("ru"):  # the command line speaks the default language
        out, _ = run("unresolved", "--cycle", "III", "--format", "csv")
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row == {
        "reference": "AMU-007",
        "region": "RU-AMU",
        "title": "Конвейер",
        "status_at_start": "announced",
        "status_at_end": "announced",
        "age_cycles": "1",
        "last_evidence_on": "2024-03-01",
        "silent": "true",
        "suggested_status": "stalled",
        "amount": "",
        "currency": "",
        "basis": "stated",
        "disputed": "false",
    }


def test_unresolved_as_json(unresolved_project):
    out, _ = run("unresolved", "--cycle", "iii", "--format", "json")
    (row,) = json.loads(out)
    assert row["reference"] == "AMU-007" and row["silent"] is True and row["age_cycles"] == 1
    assert row["last_evidence_on"] == "2024-03-01" and row["amount"] is None


@pytest.mark.parametrize("extension", ["csv", "json"])
def test_unresolved_command_writes_what_the_page_exports(client, unresolved_projects, extension):
    out, _ = run("unresolved", "--cycle", "III", "--format", extension)
    exported = unresolved_page_export(client, extension).decode("utf-8-sig")
    assert out.rstrip("\r\n") == exported.rstrip("\r\n")  # a terminal's last newline aside
    references = ["AMU-001", "AMU-002", "AMU-007"]  # oldest first, then largest
    if extension == "csv":
        header, *rows = list(csv.reader(io.StringIO(out)))
        assert header == UNRESOLVED_COLUMNS
        assert [row[0] for row in rows] == references
        assert rows[0][2] == "'=HYPERLINK(\"http://x\")"  # neutralised in both
    else:
        rows = json.loads(out)
        assert [list(row) for row in rows] == [UNRESOLVED_COLUMNS] * 3
        assert [row["reference"] for row in rows] == references


def test_unresolved_table_has_the_export_columns_and_cells(client, unresolved_projects):
    out, _ = run("unresolved", "--cycle", "III")
    exported = unresolved_page_export(client, "csv").decode("utf-8-sig")
    assert table_cells(out) == list(csv.reader(io.StringIO(exported)))


def test_unresolved_xlsx_export_has_the_command_columns_and_rows(client, unresolved_projects):
    out, _ = run("unresolved", "--cycle", "III", "--format", "json")
    sheet = openpyxl.load_workbook(io.BytesIO(unresolved_page_export(client, "xlsx"))).active
    header, *rows = sheet.iter_rows(values_only=True)
    assert list(header) == UNRESOLVED_COLUMNS
    # A spreadsheet has no empty text, only empty cells.
    expected = [[row[c] if row[c] != "" else None for c in UNRESOLVED_COLUMNS] for row in json.loads(out)]
    as_json = [[cell.date().isoformat() if isinstance(cell, datetime.datetime) else cell for cell in row] for row in rows]
    assert as_json == expected


def test_unresolved_names_the_known_cycles_when_the_cycle_is_unknown(cycles):
    with pytest.raises(CommandError, match="Unknown cycle 'IX'. Known cycles: I, II, III."):
        run("unresolved", "--cycle", "IX")


def test_loadseeds_without_files_is_a_harmless_no_op(tmp_path, db):
    out, _ = run("loadseeds", "--dir", str(tmp_path))
    assert "nothing to load" in out


def test_loadseeds_rolls_everything_back_when_one_row_fails(tmp_path, db):
    (tmp_path / "regions.csv").write_text(
        "iso_code,slug,name_ru,name_en,federal_district,borders_china,note\n"
        "RU-AMU,amur,Амурская область,Amur Oblast,far_eastern,true,\n", encoding="utf-8"
    )
    (tmp_path / "cycles.csv").write_text(
        "number,title,period_start,period_end,published_on,is_published,note\n"
        "I,First,,2023-05-31,,true,\n", encoding="utf-8"
    )
    (tmp_path / "ratings.csv").write_text(
        "region,cycle,score,note\nRU-AMU,I,9,\nRU-XXX,I,5,\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="nothing was loaded"):
        run("loadseeds", "--dir", str(tmp_path))
    from ratings.models import Region

    assert Region.objects.count() == 0


def test_demo_editor_prints_a_fresh_password_that_works(db):
    out, _ = run("demo_editor")
    password = out.split("password: ")[1].split()[0]
    user = User.objects.get(username="editor")
    assert user.check_password(password) and user.is_staff
    assert user.groups.filter(name="Editors").exists()
    again, _ = run("demo_editor")
    assert again.split("password: ")[1].split()[0] != password


def test_importdata_writes_nothing_and_exits_non_zero_with_row_messages(tmp_path, cycles, region):
    path = tmp_path / "projects.csv"
    path.write_text(
        "reference,region,title_ru,sector,first_cycle\nAMU-001,RU-AMU,Мост,transport,II\nAMU-002,RU-AMU,Порт,transport,IX\n",
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("importdata", "projects", str(path), "--language", "en", stdout=io.StringIO(), stderr=err)
    assert "projects, row 3, column “first_cycle”: There is no cycle “IX”." in err.getvalue()
    assert not Project.objects.exists()


def test_importdata_imports_several_files_in_one_go_with_a_progress_bar(tmp_path, cycles, region):
    projects = tmp_path / "p.csv"
    rows = "".join(f"AMU-{i:03d},RU-AMU,Проект {i},transport,II\n" for i in range(1, 1201))
    projects.write_text("reference,region,title_ru,sector,first_cycle\n" + rows, encoding="utf-8")
    from tracker.models import Source

    Source.objects.create(title="Rating III", kind="rating_report")
    evidence = tmp_path / "e.csv"
    evidence.write_text(
        "reference,project,cycle,kind,summary,source\nAMU-001-E1,AMU-001,III,follow_up,No news.,Rating III\n",
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("importdata", "projects", str(projects), "evidence", str(evidence), "--language", "en", stdout=out, stderr=err)
    assert Project.objects.count() == 1200
    assert Project.objects.get(reference="AMU-001").evidence.count() == 1
    assert "1200/1200" in err.getvalue()
    assert "projects        new   1200" in out.getvalue()


def test_exportdata_to_standard_output(cycles, region, capsysbinary):
    make_project(region, cycles[1], reference="AMU-001", title_ru="=HYPERLINK()")
    call_command("exportdata", "projects")
    out = capsysbinary.readouterr().out.decode("utf-8-sig")
    assert out.splitlines()[0].startswith("reference,region,title_ru")
    assert "'=HYPERLINK()" in out
