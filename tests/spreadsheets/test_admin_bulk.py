"""Files long enough for the bulk path, through the admin: preview, confirm, the admin's
log and the audit trail, all or nothing, never an error page."""

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from tests.factories import add_evidence, make_cycle, make_project, make_source
from tracker.models import Evidence, Project
from tracker.spreadsheets import bulk
from tracker.spreadsheets.admin import SpreadsheetAdmin
from tracker.spreadsheets.resources import ProjectResource

pytestmark = pytest.mark.django_db

NEW, CHANGED = 200, 50  # 250 rows: the bulk path (bulk_min_rows is 200)


@pytest.fixture
def open_cycle(cycles):
    return make_cycle(4)  # published cycles are locked for editors


@pytest.fixture
def projects_file(open_cycle, region):
    for n in range(CHANGED):
        make_project(region, open_cycle, reference=f"AMU-{n:04d}", title_ru=f"Старое {n}", title_en=f"Old {n}")
    lines = ["reference;region;title_ru;title_en;sector;first_cycle"]
    for n in range(NEW + CHANGED):
        lines.append(f"AMU-{n:04d};RU-AMU;Мост {n};Bridge {n};transport;IV")
    return ("\n".join(lines) + "\n").encode("utf-8")


def preview(client, model, content, name):
    return client.post(
        reverse(f"admin:tracker_{model}_import"),
        {"format": "0", "import_file": SimpleUploadedFile(name, content), "resource": "0"},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def confirm(client, model, page):
    return client.post(
        reverse(f"admin:tracker_{model}_process_import"), page.context["confirm_form"].initial, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_250_new_and_changed_projects_preview_confirm_and_reach_the_admins_history(editor_client, projects_file):
    page = preview(editor_client, "project", projects_file, "projects.csv")
    assert page.status_code == 200
    result = page.context["result"]
    assert (result.totals["new"], result.totals["update"]) == (NEW, CHANGED)
    rows = page.context["preview"].rows
    assert [r["number"] for r in rows] == list(range(2, NEW + CHANGED + 2))
    assert rows[0]["type"] == "update" and rows[0]["cells"][0]["text"] == "AMU-0000"
    assert rows[-1]["type"] == "new"
    assert Project.objects.count() == CHANGED  # the preview writes nothing

    with CaptureQueriesContext(connection) as queries:
        response = confirm(editor_client, "project", page)
    assert response.status_code == 302
    assert response.url == reverse("admin:tracker_project_changelist")
    assert len(queries) < 60  # not a query per row
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == f"“projects.csv” imported: {NEW} new, {CHANGED} changed, 0 unchanged."

    assert Project.objects.count() == NEW + CHANGED
    changed = Project.objects.get(reference="AMU-0000")
    created = Project.objects.get(reference=f"AMU-{NEW + CHANGED - 1:04d}")
    assert changed.title_ru == "Мост 0"
    log = LogEntry.objects.filter(content_type__model="project")
    assert log.filter(action_flag=ADDITION).count() == NEW
    assert log.filter(action_flag=CHANGE).count() == CHANGED
    entry = log.get(object_id=str(created.pk))
    assert (entry.object_repr, entry.user.username) == (str(created), "editor")
    assert entry.get_change_message() == "Added by importing “projects.csv”."
    assert AuditEntry.objects.filter(model="tracker.Project", action="update", object_id=str(changed.pk)).exists()

    index = editor_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert str(created) in index  # Recent actions
    for project, text in [(changed, "Мост 0"), (created, f"Bridge {NEW + CHANGED - 1}")]:
        history = editor_client.get(reverse("admin:tracker_project_history", args=[project.pk]))
        assert history.status_code == 200
        assert text in history.content.decode()


def test_250_new_and_changed_evidence_rows_through_the_admin(editor_client, open_cycle, region):
    project = make_project(region, open_cycle, reference="AMU-0001")
    source = make_source("Regional news")
    for n in range(CHANGED):
        add_evidence(project, open_cycle, source=source, reference=f"EV-{n:04d}", summary=f"Old {n}")
    lines = ["reference,project,cycle,kind,summary,source"]
    for n in range(NEW + CHANGED):
        lines.append(f"EV-{n:04d},AMU-0001,IV,effort,Summary {n},Regional news")
    page = preview(editor_client, "evidence", ("\n".join(lines) + "\n").encode(), "evidence.csv")
    result = page.context["result"]
    assert (result.totals["new"], result.totals["update"]) == (NEW, CHANGED)

    response = confirm(editor_client, "evidence", page)
    assert response.status_code == 302
    assert response.url == reverse("admin:tracker_evidence_changelist")
    assert Evidence.objects.count() == NEW + CHANGED
    assert Evidence.objects.get(reference="EV-0000").summary == "Summary 0"
    log = LogEntry.objects.filter(content_type__model="evidence")
    assert (log.filter(action_flag=ADDITION).count(), log.filter(action_flag=CHANGE).count()) == (NEW, CHANGED)
    evidence = Evidence.objects.get(reference="EV-0249")
    assert log.get(object_id=str(evidence.pk)).object_repr == str(evidence)


def test_a_database_error_in_the_bulk_write_imports_row_by_row_in_the_admin(editor_client, projects_file, monkeypatch):
    page = preview(editor_client, "project", projects_file, "projects.csv")
    calls = []

    def failing(model, instances):
        calls.append(len(instances))
        raise DatabaseError("a constraint the checks do not know")

    monkeypatch.setattr(bulk, "insert_rows", failing)
    response = confirm(editor_client, "project", page)
    assert calls == [NEW]
    assert response.status_code == 302
    assert response.url == reverse("admin:tracker_project_changelist")
    assert Project.objects.count() == NEW + CHANGED
    assert LogEntry.objects.filter(action_flag=ADDITION).count() == NEW
    assert LogEntry.objects.filter(action_flag=CHANGE).count() == CHANGED


def test_a_failure_after_the_rows_are_written_writes_nothing_and_says_so(editor_client, projects_file, monkeypatch):
    page = preview(editor_client, "project", projects_file, "projects.csv")

    def broken(*args, **kwargs):
        raise RuntimeError("the log cannot be written")

    monkeypatch.setattr(SpreadsheetAdmin, "_create_log_entry", broken)
    response = confirm(editor_client, "project", page)
    assert response.status_code == 302
    assert response.url == reverse("admin:tracker_project_import")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["The import failed and nothing was written. Check the file and try again."]
    assert Project.objects.count() == CHANGED
    assert Project.objects.get(reference="AMU-0000").title_ru == "Старое 0"
    assert not LogEntry.objects.exists()


def test_the_preview_of_a_long_file_shows_its_first_rows_and_says_so(editor_client, projects_file, monkeypatch):
    monkeypatch.setattr(SpreadsheetAdmin, "preview_rows", 100)
    page = preview(editor_client, "project", projects_file, "projects.csv")
    assert len(page.context["preview"].rows) == 100
    assert "The first 100 rows of 250 are shown; all of them are imported when you confirm." in page.content.decode()
    assert confirm(editor_client, "project", page).status_code == 302
    assert Project.objects.count() == NEW + CHANGED


def test_the_bulk_preview_marks_the_changed_cells_and_shows_empty_cells_empty(editor_client, projects_file):
    page = preview(editor_client, "project", projects_file.replace(b"AMU-0003;RU-AMU;", b"AMU-0003;;"), "projects.csv")
    preview_ = page.context["preview"]
    headers = preview_.headers
    with_label = {h: i for i, h in enumerate(headers)}
    assert headers[0] == ProjectResource.column_label("reference")
    rows = preview_.rows
    title = with_label[ProjectResource.column_label("title_ru")]
    cycle = with_label[ProjectResource.column_label("first_cycle")]
    assert rows[0]["cells"][title]["marked"] and not rows[0]["cells"][cycle]["marked"]
    region = with_label[ProjectResource.column_label("region")]
    assert rows[3]["cells"][region]["text"] == ""
    assert ">None<" not in page.content.decode()


def test_a_preview_that_fails_unforeseen_says_so_on_the_import_page(editor_client, projects_file, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("something no check foresaw")

    monkeypatch.setattr(ProjectResource, "bulk_import", broken)
    response = preview(editor_client, "project", projects_file, "projects.csv")
    assert response.status_code == 302
    assert response.url == reverse("admin:tracker_project_import")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["The import failed and nothing was written. Check the file and try again."]
    assert Project.objects.count() == CHANGED
