"""Downloads for programs (codes) and for people (headers and values in words, in the
page's language), named after the dataset, the filters and the date; XLSX with the header
frozen and the columns sized."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import add_evidence, make_project
from tracker.models import Evidence
from tracker.status import history

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(cycles, region):
    bridge = make_project(region, cycles[0], reference="AMU-001", title_ru="Мост", title_en="Bridge", sector="transport")
    evidence = add_evidence(bridge, cycles[1], kind=Evidence.Kind.RESULT, occurred_on=datetime.date(2024, 1, 1))
    history.append_status_change(bridge, "launched", cycles[1], evidence=evidence)
    make_project(region, cycles[1], reference="AMU-002", title_ru="Терминал с очень длинным названием для ширины столбца", sector="logistics")


def test_a_download_for_programs_keeps_codes_and_is_named_after_its_filters(client, projects):
    response = client.get(reverse("tracker:project_list"), {"export": "csv", "sector": "transport"})
    today = datetime.date.today().isoformat()
    assert f'filename="projects_sector-transport_{today}.csv"' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("reference,region,title_ru")
    assert "RU-AMU" in text and "transport" in text and "launched" in text


def test_a_download_for_people_has_headers_and_values_in_the_pages_language(client, projects):
    response = client.get(reverse("tracker:project_list"), {"export": "xlsx", "headers": "labels"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert f'filename="projects_{datetime.date.today().isoformat()}_ru.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Код", "Регион", "Название (на русском)")
    bridge = next(row for row in rows if row[0] == "AMU-001")
    assert "Амурская область" in bridge and "транспорт" in bridge and "запущен" in bridge and "нет" in bridge
    unresolved = client.get(reverse("tracker:unresolved"), {"export": "csv", "headers": "labels", "cycle": "III"}, HTTP_ACCEPT_LANGUAGE="en")
    text = b"".join(unresolved.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Reference,Region,Title,Status at the start")
    page = client.get(reverse("tracker:project_list"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "headers=labels" in page and "для людей" in page


def test_xlsx_downloads_freeze_the_header_and_size_the_columns(client, projects):
    response = client.get(reverse("tracker:project_list"), {"export": "xlsx"})
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert 'state="frozen"' in sheet and "<cols>" in sheet
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    widths = workbook.active.column_dimensions
    assert widths["C"].width > widths["A"].width  # the long Russian title is wider than a reference
