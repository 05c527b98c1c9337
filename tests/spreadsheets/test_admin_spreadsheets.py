"""Import and export in the admin: preview, confirm, all-or-nothing, roles, templates."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests.factories import make_cycle, make_project
from tracker.spreadsheets.formats import FORMATS
from tracker.models import Project
from tracker.spreadsheets.resources import ProjectResource

pytestmark = pytest.mark.django_db

HEADER = "reference;region;title_ru;title_en;sector;first_cycle\n"


def upload(client, content, name="projects.csv"):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client.post(
        reverse("admin:tracker_project_import"),
        {"format": "0", "import_file": SimpleUploadedFile(name, content), "resource": "0"},
    )


def test_preview_lists_new_rows_and_confirm_writes_them(editor_client, cycles, region):
    make_cycle(4)  # the open cycle: published ones are locked for editors
    content = (HEADER + "AMU-001;RU-AMU;Мост;Bridge;transport;IV\nAMU-002;Амурская область;Порт;Port;logistics;IV\n").encode("cp1251")
    preview = upload(editor_client, content)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "AMU-001" in html and "AMU-002" in html
    assert not Project.objects.exists()  # a preview writes nothing
    confirm = preview.context["confirm_form"]
    response = editor_client.post(reverse("admin:tracker_project_process_import"), confirm.initial)
    assert response.status_code == 302
    assert sorted(Project.objects.values_list("reference", flat=True)) == ["AMU-001", "AMU-002"]
    assert Project.objects.get(reference="AMU-002").status_changes.get().status == "announced"


def test_a_failing_row_is_shown_with_its_row_and_column_and_nothing_can_be_confirmed(editor_client, cycles, region):
    make_cycle(4)
    content = (HEADER + "AMU-001;RU-AMU;Мост;Bridge;transport;IV\nAMU-002;Атлантида;Порт;Port;logistics;IV\n").encode()
    preview = upload(editor_client, content)
    html = preview.content.decode()
    assert "Unknown region “Атлантида”" in html
    assert "region" in html
    (invalid,) = preview.context["result"].invalid_rows
    assert invalid.number == 3  # the header is row 1, as in the spreadsheet
    assert "confirm_form" not in preview.context or preview.context["confirm_form"] is None
    assert not Project.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_gets_the_readers_message(editor_client, cycles):
    preview = upload(editor_client, b"PK\x03\x04junk", name="projects.xlsx")
    assert "not a valid spreadsheet file" in preview.content.decode()
    preview = upload(editor_client, b"%PDF-1.4", name="projects.pdf")
    assert "is not a file the tracker reads" in preview.content.decode()


def test_upload_over_the_limit_is_refused_with_a_message(editor_client, cycles, settings):
    settings.TRACKER_IMPORT_MAX_BYTES = 100
    preview = upload(editor_client, (HEADER + "AMU-001;RU-AMU;Мост;Bridge;transport;II\n" * 20).encode())
    assert "the limit is" in preview.content.decode()
    assert not Project.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_researchers_get_403_on_import(researcher_client, cycles, method):
    for name in ["admin:tracker_project_import", "admin:tracker_project_process_import", "admin:ratings_rating_import"]:
        response = getattr(researcher_client, method)(reverse(name))
        assert response.status_code in (403, 405), name
    response = researcher_client.post(
        reverse("admin:tracker_project_import"),
        {"format": "1", "import_file": SimpleUploadedFile("p.csv", (HEADER + "AMU-001;RU-AMU;М;B;transport;II\n").encode())},
    )
    assert response.status_code == 403
    assert not Project.objects.exists()


def test_researchers_can_export(researcher_client, cycles, region):
    make_project(region, cycles[1], reference="AMU-001")
    page = researcher_client.get(reverse("admin:tracker_project_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "export" in html.lower()
    assert reverse("admin:tracker_project_import") not in html


def test_export_of_a_filtered_list_holds_exactly_its_rows(editor_client, cycles, region):
    make_project(region, cycles[1], reference="AMU-001", sector="transport")
    make_project(region, cycles[1], reference="AMU-002", sector="energy")
    url = reverse("admin:tracker_project_export") + "?sector__exact=energy"
    form = editor_client.get(url)
    assert form.status_code == 200
    xlsx_index = str([f.extension for f in FORMATS].index("xlsx"))
    data = {"format": xlsx_index, "resource": "0"}
    for key, field in form.context["form"].fields.items():
        if key.startswith("projectresource_"):
            data[key] = "on"
    response = editor_client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    references = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert references == ["AMU-002"]


def test_an_admin_export_of_more_rows_than_the_limit_is_refused_on_the_form(editor_client, cycles, region, settings):
    for n in range(3):
        make_project(region, cycles[1], reference=f"AMU-00{n}")
    settings.TRACKER_ADMIN_EXPORT_MAX_ROWS = 2
    url = reverse("admin:tracker_project_export")
    form = editor_client.get(url)
    data = {"format": str([f.extension for f in FORMATS].index("csv")), "resource": "0"}
    data.update({k: "on" for k in form.context["form"].fields if k.startswith("projectresource_")})
    response = editor_client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "text/html" in response["Content-Type"]
    assert "These filters select 3 rows; an export from the admin holds at most 2" in response.content.decode()
    settings.TRACKER_ADMIN_EXPORT_MAX_ROWS = 3
    assert "text/csv" in editor_client.post(url, data)["Content-Type"]


@pytest.mark.parametrize("extension", ["xlsx", "csv", "ods", "json"])
def test_blank_template_has_the_columns_and_one_example_row(editor_client, extension):
    response = editor_client.get(reverse("admin:tracker_evidence_template", args=[extension]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    from tracker.spreadsheets.formats import read_dataset

    dataset = read_dataset(response.content, f"t.{extension}")
    assert dataset.headers[:3] == ["reference", "project", "cycle"]
    assert len(dataset) == 1


def test_changelist_links_the_template(editor_client):
    html = editor_client.get(reverse("admin:tracker_project_changelist")).content.decode()
    assert reverse("admin:tracker_project_template", args=["xlsx"]) in html


def test_a_message_about_the_file_names_the_file_the_editor_chose(editor_client, cycles):
    response = upload(editor_client, b"\x00\x01 not a workbook", name="сводка за май.xlsx")
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["form"].errors["import_file"])
    assert "“сводка за май.xlsx”" in errors
    assert "file.xlsx" not in errors


def row_of(html, number):
    """The preview table's row that the spreadsheet numbers `number`, as HTML."""
    start = html.index(f'<th class="row-number" scope="row">{number}</th>')
    return html[html.rindex("<tr", 0, start): html.index("</tr>", start)]


def test_each_problem_is_written_beside_its_row_under_the_columns_labels(editor_client, cycles, region):
    make_cycle(4)
    content = (HEADER + "AMU-001;RU-AMU;Мост;Bridge;transport;IV\nAMU-002;Атлантида;Порт;Port;logistics;IV\n").encode()
    html = upload(editor_client, content).content.decode()
    row = row_of(html, 3)
    assert '<td class="problems"><ul class="validation-error-list"><li>Region: Unknown region “Атлантида”' in row
    assert '<td class="failed">Атлантида</td>' in row
    assert f'<th scope="col">{ProjectResource.column_label("title_ru")}</th>' in html  # English, as asked
    with translation.override("ru"):
        label = ProjectResource.column_label("title_ru")
    russian = editor_client.post(
        reverse("admin:tracker_project_import"),
        {"format": "0", "import_file": SimpleUploadedFile("projects.csv", content), "resource": "0"},
        HTTP_ACCEPT_LANGUAGE="ru",
    ).content.decode()
    assert f'<th scope="col">{label}</th>' in russian
    assert "Регион: " in row_of(russian, 3)


def test_the_preview_shows_empty_cells_empty(editor_client, cycles, region):
    make_cycle(4)
    header = "reference;region;title_ru;title_en;sector;first_cycle;announced_on;amount;location\n"
    preview = upload(editor_client, (header + "AMU-001;RU-AMU;Мост;Bridge;transport;IV;;;\n").encode())
    html = preview.content.decode()
    row = row_of(html, 2)
    assert "None" not in row
    (shown,) = preview.context["preview"].rows
    headers = preview.context["preview"].headers
    with translation.override("en"):
        amount = headers.index(ProjectResource.column_label("amount"))
    assert str(shown["cells"][amount]["text"]) == ""


def test_the_admin_exports_in_words_and_the_file_imports_unchanged(editor_client, cycles, region):
    from tracker.spreadsheets.importer import import_datasets, read_dataset

    make_project(region, cycles[1], reference="AMU-001", sector="transport")
    url = reverse("admin:tracker_project_export")
    form = editor_client.get(url)
    choices = dict(form.context["form"].fields["resource"].choices)
    assert len(choices) == 2 and "in words" not in str(choices.get(0, choices.get("0")))
    data = {"format": str([f.extension for f in FORMATS].index("xlsx")), "resource": "1"}
    prefixes = {key.split("_", 1)[0] for key in form.context["form"].fields if "_" in key}
    words = [p for p in prefixes if p.startswith("projectresource") and p != "projectresource"]
    assert len(words) == 1, prefixes
    data.update({k: "on" for k in form.context["form"].fields if k.startswith(words[0] + "_")})
    response = editor_client.post(url, data)  # in Russian
    assert response.status_code == 200, response.content[:500]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, first = list(sheet.iter_rows(max_row=2, values_only=True))
    assert "Название (на русском)" in header and "reference" not in header
    assert "транспорт" in first and "transport" not in first
    report = import_datasets([("projects", read_dataset(response.content, "projects.xlsx"))], dry_run=True)
    assert report.ok, [str(p) for p in report.problems]
    assert report.counts["projects"].get("skip") == 1 and not report.counts["projects"].get("update")
