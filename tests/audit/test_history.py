"""A record's History tells the truth in words: every change to the project and to its
status changes, evidence and participations, by every door (admin, row-by-row and bulk
imports), old → new, fields by name, choices by label, related records by name, dates
in the language's formats and datetimes in the site's time zone; a bulk-created record
shows the values it was created with."""

import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation

from audit.context import acting
from audit.models import AuditEntry
from tests.factories import add_evidence, make_cycle, make_project, make_region, make_source
from tracker.models import Evidence, Project, StatusChange
from tracker.spreadsheets.importer import import_datasets, read_dataset
from tracker.spreadsheets.resources import ProjectResource

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


def form_data(page):
    """What the admin page posts back when nothing is changed (every field of the form
    and of its inline rows, with the formsets' management data)."""
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None and value is not False:
                data[form.add_prefix(name)] = "on" if value is True else value
    return data


def import_as(user, name, text, bulk=False, monkeypatch=None):
    if bulk:
        monkeypatch.setattr(ProjectResource, "bulk_min_rows", 1)  # the bulk path with a short file
    with acting(user, "import"):
        report = import_datasets([(name, read_dataset(text.encode(), f"{name}.csv"))])
    if bulk:
        monkeypatch.undo()
    assert report.ok, report.problems


def history(client, project, language="ru"):
    page = client.get(reverse("admin:tracker_project_history", args=[project.pk]), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    return page


def rows(page):
    """(through, action, record, changes text) of each row, newest first."""
    return [
        (through, str(action), row.record, re.sub(r"[ \n]+", " ", re.sub(r"<[^>]+>", " ", str(changes))).strip())
        for row, through, action, changes in page.context["audit_rows"]
    ]


@pytest.fixture
def world(editor, editor_client, cycles, region, monkeypatch):
    """A project edited in the admin (region, amount, date, a status change through the
    inline, an evidence row deleted), then changed by a row-by-row and a bulk import."""
    open_cycle = make_cycle(4)
    other = make_region("Primorsky Krai", iso_code="RU-PRI", name_ru="Приморский край", slug="primorye")
    clerk = User.objects.create_user("clerk")
    with acting(editor, "admin"):
        project = make_project(region, open_cycle, reference="AMU-001", title_en="Bridge")
        evidence = add_evidence(project, open_cycle, summary="Talks held.", source=make_source("Amur news"), recorded_by=clerk)
    clerk_id = clerk.pk
    clerk.delete()  # the evidence's creation still names who recorded it, by id
    url = reverse("admin:tracker_project_change", args=[project.pk])
    data = form_data(editor_client.get(url))
    prefix = next(k for k, v in data.items() if k.startswith("evidence-") and k.endswith("-id") and v == evidence.pk)[:-3]
    n = int(data["status_changes-TOTAL_FORMS"])
    data.update({
        "region": other.pk, "amount": "1500000", "currency": "RUB", "announced_on": "2026-07-15",
        "announced_precision": "day", f"{prefix}-DELETE": "on", "status_changes-TOTAL_FORMS": str(n + 1),
        f"status_changes-{n}-project": project.pk, f"status_changes-{n}-cycle": open_cycle.pk,
        f"status_changes-{n}-status": "stalled", f"status_changes-{n}-effective_on": "2026-08-01",
    })
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    import_as(editor, "projects", "reference,title_en\nAMU-001,Amur bridge\n")
    import_as(editor, "projects", "reference,location\nAMU-001,Благовещенск\n", bulk=True, monkeypatch=monkeypatch)
    change = StatusChange.objects.get(project=project, status="stalled")
    return SimpleNamespace(project=project, evidence_id=evidence.pk, clerk_id=clerk_id, change=change, open=open_cycle)


def test_a_projects_history_tells_every_change_in_words(superuser_client, world):
    project = Project.objects.get(pk=world.project.pk)
    assert project.status == "stalled"
    assert not Evidence.objects.filter(pk=world.evidence_id).exists()
    recorded = timezone.localtime(world.change.recorded_at)
    assert str(recorded.tzinfo) == "Europe/Moscow"

    russian = rows(history(superuser_client, project, "ru"))
    (bulk, by_row, *admin_rows) = russian[:5]
    assert bulk[:3] == ("импорт", "изменение", "") and "Местоположение — → Благовещенск" in bulk[3]
    assert by_row[:3] == ("импорт", "изменение", "") and "Название (на английском) Bridge → Amur bridge" in by_row[3]
    edit = next(r for r in admin_rows if r[2] == "")
    assert edit[:2] == ("администрирование", "изменение")
    assert "Регион Амурская область → Приморский край" in edit[3]
    assert f"1{NBSP}500{NBSP}000,00" in edit[3] and "RUB" in edit[3]
    assert "15 июля 2026 г." in edit[3] and "region_id" not in edit[3]
    appended = next(r for r in admin_rows if r[2].startswith("Изменение статуса:"))
    assert appended[1] == "создание" and "Статус застопорился" in appended[3]
    with translation.override("ru"):
        assert formats.date_format(recorded, "DATETIME_FORMAT") in appended[3]
    assert "Начальное нет" in appended[3] and "Дата вступления в силу 1 августа 2026 г." in appended[3]
    deleted = next(r for r in russian if r[1] == "удаление")
    assert deleted[2] == "Свидетельство: AMU-001 IV: усилие" and "Talks held." in deleted[3]
    assert "Источник Amur news" in deleted[3]
    created = [r for r in russian if r[1] == "создание"]
    evidence_created = next(r for r in created if r[2].startswith("Свидетельство"))
    assert evidence_created[2] == deleted[2]  # one name for each record, the latest
    assert f"Кем внесено № {world.clerk_id} (запись удалена)" in evidence_created[3]
    own_created = next(r for r in created if r[2] == "")
    assert "Амурская область" in own_created[3] and "Приморский" not in own_created[3]
    assert "Bridge" in own_created[3] and "Amur bridge" not in own_created[3]
    assert [r[1] for r in russian][-2:] == ["создание", "создание"]  # oldest last

    english = rows(history(superuser_client, project, "en"))
    assert [r[:2] for r in english[:2]] == [("import", "changed"), ("import", "changed")]
    edit = next(r for r in english if r[:3] == ("admin", "changed", ""))
    assert "Region Amur Oblast → Primorsky Krai" in edit[3]
    assert "1,500,000.00" in edit[3] and "July 15, 2026" in edit[3]
    appended = next(r for r in english if r[2].startswith("Status change:"))
    assert "Status stalled" in appended[3] and "Initial no" in appended[3]
    with translation.override("en"):
        assert formats.date_format(recorded, "DATETIME_FORMAT") in appended[3]
    assert any(r[1] == "deleted" and r[2].startswith("Evidence: ") for r in english)
    assert f"#{world.clerk_id} (deleted)" in next(r for r in english if r[2].startswith("Evidence: ") and r[1] == "created")[3]


def test_the_history_page_costs_the_same_queries_however_long_it_is(superuser_client, world):
    with CaptureQueriesContext(connection) as few:
        history(superuser_client, world.project)
    source = make_source("More news")
    with acting(None, "command"):
        for n in range(6):
            evidence = add_evidence(world.project, world.open, summary=f"News {n}.", source=make_source(f"S{n}"))
            evidence.summary = f"More news {n}."
            evidence.source = source
            evidence.save()
    with CaptureQueriesContext(connection) as many:
        page = history(superuser_client, world.project)
    assert len(page.context["audit_rows"]) >= 12 + 8
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert "команда" in {through for _row, through, _a, _c in page.context["audit_rows"]}


def test_a_bulk_created_project_shows_the_values_it_was_created_with(superuser_client, editor, cycles, region, monkeypatch):
    make_cycle(4)
    new = "reference,region,title_ru,sector,first_cycle,amount,currency\n"
    import_as(editor, "projects", new + "AMU-002,RU-AMU,Мост,transport,IV,100,RUB\n", bulk=True, monkeypatch=monkeypatch)
    project = Project.objects.get(reference="AMU-002")
    import_as(editor, "projects", "reference,title_ru\nAMU-002,Мост через Амур\n")
    import_as(editor, "projects", "reference,sector,amount\nAMU-002,energy,2500\n", bulk=True, monkeypatch=monkeypatch)
    with acting(editor, "admin"):
        from tracker.status import history as status_history

        status_history.append_status_change(project, "stalled", project.first_cycle)
    (batch,) = AuditEntry.objects.filter(model="tracker.Project", object_id="", action="create")
    page = history(superuser_client, project)
    entries = [row[0].entry for row in page.context["audit_rows"]]
    creation = rows(page)[entries.index(batch)]
    # The initial status change, created in the same bulk write, has its own batch entry.
    (initial,) = AuditEntry.objects.filter(model="tracker.StatusChange", object_id="", action="create")
    assert initial in entries
    assert creation[:2] == ("импорт", "создание")
    assert "Название (на русском) Мост " in creation[3] + " " and "через" not in creation[3]
    assert "Отрасль транспорт" in creation[3] and "энергетика" not in creation[3]
    assert "Объявленная сумма 100,00" in creation[3] and "2" + NBSP + "500" not in creation[3]
    assert "Текущий статус" not in creation[3] and "застопорился" not in creation[3]  # the current status is kept in step, not imported
    assert "Амурская область" in creation[3]
    later = rows(page)[: entries.index(batch)]
    assert any("Отрасль транспорт → энергетика" in r[3] for r in later)
    assert any("Мост → Мост через Амур" in r[3] for r in later)


def test_the_audit_trail_list_and_entry_read_in_words(superuser_client, world):
    changelist = superuser_client.get(reverse("admin:audit_auditentry_changelist"), HTTP_ACCEPT_LANGUAGE="ru")
    html = changelist.content.decode()
    assert changelist.status_code == 200
    for cell in ('through">администрирование', 'through">импорт', 'record_type">Изменение статуса', 'record_type">Проект'):
        assert f'<td class="field-{cell}</td>' in html
    assert '<a href="?model=tracker.Evidence">Свидетельство</a>' in html and '<a href="?source=import">импорт</a>' in html
    filtered = superuser_client.get(
        reverse("admin:audit_auditentry_changelist"), {"source": "import", "model": "tracker.Project"}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert filtered.context["cl"].result_count == 2
    edit = AuditEntry.objects.get(model="tracker.Project", source="admin", action="update")
    page = superuser_client.get(reverse("admin:audit_auditentry_change", args=[edit.pk]), HTTP_ACCEPT_LANGUAGE="en")
    text = re.sub(r"[ \n]+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert "Region Amur Oblast → Primorsky Krai" in text and "July 15, 2026" in text and "region_id" not in text
    region = superuser_client.get(reverse("admin:ratings_region_history", args=[world.project.region_id]), HTTP_ACCEPT_LANGUAGE="en")
    assert region.status_code == 200 and "Name (Russian)" in region.content.decode() and "Record" not in region.content.decode()
