"""The import path shared by the admin, the command line and loadseeds."""

import datetime
from decimal import Decimal

import pytest

from ratings.models import Region
from tests.factories import make_project, make_source
from tracker.models import Project
from tracker.spreadsheets.importer import SpreadsheetError, import_datasets, read_dataset

pytestmark = pytest.mark.django_db

PROJECT_HEADER = "reference;region;title_ru;title_en;sector;announced_on;announced_precision;amount;currency;first_cycle"


def load(name, text, filename="data.csv", encoding="utf-8", **kwargs):
    dataset = read_dataset(text.encode(encoding), filename)
    return import_datasets([(name, dataset)], **kwargs)


def test_windows_1251_csv_with_semicolons_russian_dates_and_spaced_amounts(cycles, region):
    text = PROJECT_HEADER + "\nAMU-001;Амурская область;Канатная дорога;Cable car;transport;01.06.2025;day;1 500,5;RUB;III\n"
    report = load("projects", text, encoding="cp1251")
    assert report.ok, report.problems
    project = Project.objects.get(reference="AMU-001")
    assert project.region == region
    assert project.announced_on == datetime.date(2025, 6, 1)
    assert project.amount == Decimal("1500.5")
    assert project.status_changes.get().status == Project.Status.ANNOUNCED


def test_utf8_with_bom_and_tabs_and_non_breaking_spaces(cycles, region):
    text = "\ufeff" + PROJECT_HEADER.replace(";", "\t") + "\nAMU-002\tRU-AMU\tМост\tBridge\ttransport\t2025-06-01\tday\t2\u00a0000\tUSD\tIII\n"
    report = load("projects", text)
    assert report.ok, report.problems
    assert Project.objects.get(reference="AMU-002").amount == Decimal("2000")


def test_unknown_region_names_the_row_and_column_and_writes_nothing(cycles, region):
    text = (
        PROJECT_HEADER
        + "\nAMU-003;RU-AMU;Первый;First;transport;;;;;III"
        + "\nXXX-001;Атлантида;Второй;Second;transport;;;;;III\n"
    )
    report = load("projects", text)
    assert not report.ok
    (problem,) = report.problems
    assert (problem.row, problem.column) == (3, "region")
    assert "Unknown region “Атлантида”" in problem.message
    assert Project.objects.count() == 0


def test_wrong_date_format_is_reported_plainly(cycles, region):
    text = PROJECT_HEADER + "\nAMU-004;RU-AMU;Т;T;transport;June 2025;month;;;III\n"
    problems = {p.column: p for p in load("projects", text).problems}
    assert "is not a date" in problems["announced_on"].message
    assert problems["announced_on"].row == 2


def test_constraint_violations_are_told_in_plain_words(cycles, region):
    text = PROJECT_HEADER + "\nAMU-005;RU-AMU;Т;T;transport;;;100;;III\n"
    from django.utils import translation

    with translation.override("en"):
        (problem,) = load("projects", text).problems
    assert problem.column == "currency"
    assert "Give a currency" in problem.message
    assert Project.objects.count() == 0


def test_blank_cell_never_erases_and_clear_does(cycles, region):
    make_project(region, cycles[2], reference="AMU-006", title_en="Old title", location="Благовещенск")
    header = "reference,title_en,location\n"
    assert load("projects", header + "AMU-006,,\n").ok
    project = Project.objects.get(reference="AMU-006")
    assert (project.title_en, project.location) == ("Old title", "Благовещенск")
    assert load("projects", header + "AMU-006,New title,(clear)\n").ok
    project.refresh_from_db()
    assert (project.title_en, project.location) == ("New title", "")


def test_dry_run_reports_but_writes_nothing(cycles, region):
    text = PROJECT_HEADER + "\nAMU-007;RU-AMU;Т;T;transport;;;;;III\n"
    report = load("projects", text, dry_run=True)
    assert report.ok and report.counts["projects"]["new"] == 1
    assert not Project.objects.exists()


def test_status_change_rows_are_appended_once_and_keep_the_project_in_step(cycles, region):
    project = make_project(region, cycles[1], reference="AMU-008")
    source = make_source("Rating III")
    evidence = "reference,project,cycle,date,date_precision,kind,summary,source\nAMU-008-E1,AMU-008,III,2026-03-01,month,setback,Frozen.,Rating III\n"
    changes = "project,cycle,status,effective_on,evidence,note\nAMU-008,III,stalled,,AMU-008-E1,\n"
    for _ in range(2):
        report = import_datasets(
            [("evidence", read_dataset(evidence.encode(), "e.csv")), ("status_changes", read_dataset(changes.encode(), "s.csv"))]
        )
        assert report.ok, report.problems
    project.refresh_from_db()
    assert project.status == Project.Status.STALLED
    assert project.status_changes.count() == 2
    assert report.counts["status_changes"]["skip"] == 1
    assert source.evidence.count() == 1


def test_missing_key_column_and_duplicated_headers_are_reported(cycles):
    assert "required column is missing" in load("regions", "name_ru,name_en\nА,A\n").problems[0].message
    problem = load("regions", "iso_code,name_ru,name_ru\nRU-AMU,А,Б\n").problems[0]
    assert "more than once" in problem.message


@pytest.mark.parametrize(
    "content, filename, message",
    [
        (b"\x00\x01\x02garbage", "data.csv", "NUL"),
        (b"PK\x03\x04broken", "data.xlsx", "not a valid spreadsheet file"),
        (b"hello", "data.pdf", "is not a file the tracker reads"),
    ],
)
def test_files_that_are_not_spreadsheets_get_a_clear_message(content, filename, message):
    with pytest.raises(SpreadsheetError, match=message):
        read_dataset(content, filename)


def test_regions_can_be_referred_to_by_iso_code_or_either_name(cycles, region):
    for key in ["RU-AMU", "Амурская область", "amur oblast"]:
        text = f"region,cycle,score\n{key},III,9\n"
        assert load("ratings", text).ok
    assert region.ratings.get().score == 9
    assert Region.objects.count() == 1
