"""The audit trail: every change by every path, with who, when and the values."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEntry
from tests.factories import make_project
from tracker.models import Project
from tracker.status import history as status_history

pytestmark = pytest.mark.django_db


def history(obj):
    return list(AuditEntry.objects.filter(model=obj._meta.label, object_id=str(obj.pk)).order_by("id"))


def test_admin_edit_records_who_and_old_and_new_values(editor_client, editor, cycles, region):
    project = make_project(region, cycles[1], reference="AMU-001", title_en="Old")
    data = {
        "reference": "AMU-001", "title_ru": project.title_ru, "title_en": "New", "region": region.pk,
        "location": "", "sector": project.sector, "first_cycle": cycles[1].pk, "note": "", "version": project.version,
        "participations-TOTAL_FORMS": "0", "participations-INITIAL_FORMS": "0",
        "evidence-TOTAL_FORMS": "0", "evidence-INITIAL_FORMS": "0",
        "status_changes-TOTAL_FORMS": "1", "status_changes-INITIAL_FORMS": "1",
        "status_changes-0-id": project.status_changes.get().pk, "status_changes-0-project": project.pk,
    }
    assert editor_client.post(reverse("admin:tracker_project_change", args=[project.pk]), data).status_code == 302
    update = history(project)[-1]
    assert (update.action, update.user, update.source) == ("update", editor, "admin")
    assert update.changes == {"title_en": ["Old", "New"]}
    page = editor_client.get(reverse("admin:tracker_project_history", args=[project.pk]))
    assert "Old" in page.content.decode() and "New" in page.content.decode()


def test_status_changes_and_creations_are_recorded(cycles, region):
    project = make_project(region, cycles[0], reference="AMU-002")
    status_history.append_status_change(project, "stalled", cycles[1])
    assert history(project)[0].action == "create"
    change = project.status_changes.order_by("-id").first()
    assert history(change)[0].changes["status"] == [None, "stalled"]


def test_imports_through_the_bulk_path_are_recorded_row_by_row(tmp_path, cycles, region):
    path = tmp_path / "p.csv"
    rows = "".join(f"AMU-{i:03d},RU-AMU,Проект {i},transport,II\n" for i in range(1, 301))
    path.write_text("reference,region,title_ru,sector,first_cycle\n" + rows, encoding="utf-8")
    call_command("importdata", "projects", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    (batch,) = AuditEntry.objects.filter(model="tracker.Project", action="create")
    assert batch.source == "import" and batch.changes["rows"] == [None, 300]
    project = Project.objects.get(reference="AMU-150")
    path.write_text("reference,title_en\n" + "".join(f"AMU-{i:03d},Project {i}\n" for i in range(1, 301)), encoding="utf-8")
    call_command("importdata", "projects", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert history(project)[-1].changes == {"title_en": ["", "Project 150"]}


def test_history_of_a_bulk_imported_record_shows_its_creation_values(superuser_client, tmp_path, cycles, region):
    path = tmp_path / "p.csv"
    rows = "".join(f"AMU-{i:03d},RU-AMU,Проект {i},transport,II\n" for i in range(1, 251))
    path.write_text("reference,region,title_ru,sector,first_cycle\n" + rows, encoding="utf-8")
    call_command("importdata", "projects", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    project = Project.objects.get(reference="AMU-100")
    project.title_ru = "Переименован"
    project.save()
    html = superuser_client.get(reverse("admin:tracker_project_history", args=[project.pk])).content.decode()
    assert "<td>импорт</td>" in html  # the batch that created it
    assert "Проект 100" in html and "Переименован" in html


def test_admin_bulk_delete_records_each_deletion(superuser_client, cycles, region):
    # Projects carry an append-only status history, so only a superuser may delete them.
    projects = [make_project(region, cycles[0], reference=f"DEL-{i:03d}") for i in range(3)]
    response = superuser_client.post(
        reverse("admin:tracker_project_changelist"),
        {"action": "delete_selected", "_selected_action": [p.pk for p in projects], "post": "yes"},
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(model="tracker.Project", action="delete").count() == 3


def test_no_one_can_alter_or_delete_the_trail(editor_client, superuser_client, cycles, region):
    make_project(region, cycles[0], reference="AMU-003")
    entry = AuditEntry.objects.first()
    for client in (editor_client, superuser_client):
        assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
        assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
        assert client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
        client.post(reverse("admin:audit_auditentry_change", args=[entry.pk]), {"object_repr": "forged"})
    entry.refresh_from_db()
    assert entry.object_repr != "forged"
