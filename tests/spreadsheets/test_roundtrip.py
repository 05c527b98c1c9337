"""Export everything, import it into an empty database, export again: the same content."""

import datetime
import io

import openpyxl
import pytest
import tablib
from django.core.management import call_command

from ratings.models import Cycle, Rating, Region
from tests.factories import add_evidence, add_partner, make_cycles, make_organization, make_project, make_rating, make_region, make_source
from tracker.spreadsheets.formats import BY_EXTENSION
from tracker.models import Evidence, Organization, Participation, Project, Source, StatusChange
from tracker.spreadsheets.resources import DATASETS
from tracker.spreadsheets.importer import import_datasets, read_dataset
from tracker.status import history

pytestmark = pytest.mark.django_db


def build_dataset():
    one, two, three = make_cycles(3)
    amur = make_region("Amur Oblast", iso_code="RU-AMU", name_ru="Амурская область", slug="amur", borders_china=True)
    crimea = make_region("Crimea", iso_code="UA-43", name_ru="Республика Крым", slug="crimea", federal_district="")
    make_rating(amur, two, 9)
    make_rating(amur, three, 8, note="=HYPERLINK(\"http://evil\")")
    source = make_source("Рейтинг, третий выпуск", url="https://example.org/r3", published_on=datetime.date(2026, 6, 1), published_precision="month")
    bridge = make_project(
        amur, one, reference="AMU-901", title_ru="Мост Благовещенск – Хэйхэ", title_en="-Bridge",
        announced_on=datetime.date(2016, 12, 1), announced_precision="quarter",
        amount=1_500_000_000, currency="USD", location="@Благовещенск",
    )
    port = make_project(crimea, two, reference="KRM-001", title_ru="Керченский порт", title_en="Kerch port", amount="10.5", currency="USD")
    add_partner(bridge, make_organization("Heilongjiang Province", kind="government"), role="government")
    add_partner(port, make_organization("China State Construction Engineering Corporation", kind="state_company"), role="contractor")
    e1 = add_evidence(bridge, two, kind=Evidence.Kind.RESULT, occurred_on=datetime.date(2023, 7, 1), source=source, reference="AMU-901-E1", summary="+Opened; \"quoted\", comma")
    no_url = make_source("News item without a link", kind="media")
    add_evidence(port, three, kind=Evidence.Kind.CONTRADICTION, source=no_url, reference="KRM-001-E1", summary="Denied.\nSecond line", attribution="according to Reuters")
    history.append_status_change(bridge, Project.Status.LAUNCHED, two, effective_on=datetime.date(2023, 7, 1), evidence=e1)
    history.append_status_change(port, Project.Status.STALLED, three)


def export_all(extension):
    file_format = BY_EXTENSION[extension]()
    return {name: file_format.export_data(resource().export()) for name, resource in DATASETS.items()}


def wipe():
    StatusChange.objects.all().delete()
    Evidence.objects.all().delete()
    Participation.objects.all().delete()
    Project.objects.all().delete()
    Organization.objects.all().delete()
    Source.objects.all().delete()
    Rating.objects.all().delete()
    Cycle.objects.all().delete()
    Region.objects.all().delete()


def comparable(content, extension):
    data = content.encode() if isinstance(content, str) else content
    return read_dataset(data, f"x.{extension}").dict if extension in ("xlsx", "ods") else data


@pytest.mark.parametrize("extension", ["csv", "xlsx", "ods", "json"])
def test_export_import_export_gives_the_same_content(extension):
    build_dataset()
    first = export_all(extension)
    wipe()
    named = []
    for name, content in first.items():
        data = content.encode() if isinstance(content, str) else content
        named.append((name, read_dataset(data, f"{name}.{extension}")))
    report = import_datasets(named)
    assert report.ok, report.problems
    second = export_all(extension)
    for name in DATASETS:
        assert comparable(second[name], extension) == comparable(first[name], extension), name
    assert Project.objects.get(reference="AMU-901").status == Project.Status.LAUNCHED
    assert StatusChange.objects.count() == 4


def test_csv_cells_that_would_run_as_formulas_are_neutralised_and_numbers_are_not():
    build_dataset()
    ratings = export_all("csv")["ratings"]
    assert "'=HYPERLINK" in ratings
    projects = export_all("csv")["projects"]
    assert "'-Bridge" in projects and "'@Благовещенск" in projects
    assert ",1500000000,USD," in projects
    evidence = export_all("csv")["evidence"]
    assert "'+Opened" in evidence


def test_xlsx_keeps_formula_text_as_text_and_dates_and_numbers_typed():
    build_dataset()
    book = openpyxl.load_workbook(io.BytesIO(export_all("xlsx")["ratings"]))
    cells = [c for row in book.active.iter_rows() for c in row]
    formula_like = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert formula_like and all(c.data_type == "s" for c in formula_like)
    assert any(c.data_type == "n" and c.value == 9 for c in cells)
    projects = openpyxl.load_workbook(io.BytesIO(export_all("xlsx")["projects"])).active
    values = [c.value for row in projects.iter_rows(min_row=2) for c in row]
    assert datetime.datetime(2016, 12, 1) in values
    assert 1500000000 in values


def test_export_command_writes_every_dataset(tmp_path):
    build_dataset()
    call_command("exportdata", "all", "--format", "ods", "--output", str(tmp_path), stderr=io.StringIO())
    assert sorted(p.stem for p in tmp_path.iterdir()) == sorted(DATASETS)
    dataset = tablib.Dataset().load((tmp_path / "projects.ods").read_bytes(), format="ods")
    assert len(dataset) == 2
