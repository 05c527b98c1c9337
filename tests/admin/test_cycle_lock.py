"""A published cycle is locked for everyone but superusers (and the system)."""


import pytest
from django.urls import reverse

from ratings.models import Rating
from tests.factories import add_evidence, make_cycle, make_project, make_rating, make_source
from tracker.models import Evidence
from tracker.status import history

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked(cycles, region):
    project = make_project(region, cycles[0], reference="AMU-001")
    evidence = add_evidence(project, cycles[2], summary="Printed in the third edition.", source=make_source("Rating III"))
    rating = make_rating(region, cycles[2], 8)
    return project, evidence, rating


def test_records_of_a_published_cycle_open_read_only_for_editors(editor_client, locked):
    project, evidence, rating = locked
    for url in [reverse("admin:tracker_evidence_change", args=[evidence.pk]), reverse("admin:ratings_rating_change", args=[rating.pk])]:
        page = editor_client.get(url)
        assert page.status_code == 200 and 'name="summary"' not in page.content.decode() and 'name="score"' not in page.content.decode()
    response = editor_client.post(reverse("admin:ratings_rating_change", args=[rating.pk]), {"region": rating.region_id, "cycle": rating.cycle_id, "score": 2})
    assert response.status_code == 403
    assert editor_client.post(reverse("admin:tracker_evidence_delete", args=[evidence.pk]), {"post": "yes"}).status_code == 403
    rating.refresh_from_db()
    assert rating.score == 8 and Evidence.objects.filter(pk=evidence.pk).exists()


def test_editors_cannot_add_to_a_published_cycle_but_can_to_the_open_one(editor_client, locked, cycles):
    project, evidence, rating = locked
    data = {"project": project.pk, "cycle": cycles[2].pk, "kind": "effort", "summary": "New.", "source": evidence.source_id,
            "occurred_on": "", "precision": "", "locator": "", "attribution": "", "reference": ""}
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = editor_client.post(reverse("admin:tracker_evidence_add"), data)
    assert page.status_code == 200 and "locked" in page.content.decode()
    assert project.evidence.count() == 1
    data["cycle"] = make_cycle(4).pk
    assert editor_client.post(reverse("admin:tracker_evidence_add"), data).status_code == 302
    assert project.evidence.count() == 2


def test_superusers_may_change_a_published_cycle(superuser_client, locked):
    project, evidence, rating = locked
    response = superuser_client.post(
        reverse("admin:ratings_rating_change", args=[rating.pk]),
        {"region": rating.region_id, "cycle": rating.cycle_id, "score": 7, "note": ""},
    )
    assert response.status_code == 302
    rating.refresh_from_db()
    assert rating.score == 7


def test_an_editor_importing_into_a_published_cycle_gets_row_messages(editor, locked):
    from audit.context import acting
    from audit.models import AuditEntry
    from tracker.ops.backup import fingerprint
    from tracker.spreadsheets.importer import import_datasets, read_dataset

    content = "region,cycle,score\nRU-AMU,III,3\n".encode()
    before, entries = fingerprint(), AuditEntry.objects.count()
    with acting(editor, "import"):
        report = import_datasets([("ratings", read_dataset(content, "r.csv"))])
    (problem,) = report.problems
    # The lock concerns the whole row (its cycle), so the problem names no single column.
    assert (problem.dataset, problem.row, problem.column) == ("ratings", 2, "")
    assert str(problem) == "“r.csv” — ratings, row 2: Cycle III is published and locked: only a superuser can change its records."
    assert Rating.objects.get(pk=locked[2].pk).score == 8
    assert fingerprint() == before and AuditEntry.objects.count() == entries  # nothing else was written either
    with acting(None, "command"):  # the system (seed loading, commands) may
        assert import_datasets([("ratings", read_dataset(content, "r.csv"))]).ok
    assert Rating.objects.get(pk=locked[2].pk).score == 3


def test_status_changes_in_a_published_cycle_are_refused_for_editors(editor, locked, cycles):
    from django.core.exceptions import ValidationError

    from audit.context import acting

    project = locked[0]
    with acting(editor, "admin"), pytest.raises(ValidationError):
        history.append_status_change(project, "launched", cycles[2])
    history.append_status_change(project, "launched", cycles[2])  # the system may
    project.refresh_from_db()
    assert project.status == "launched"


def test_the_admin_shows_the_lock(editor_client, locked):
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    html = editor_client.get(reverse("admin:ratings_rating_change", args=[locked[2].pk])).content.decode()
    assert "is published and locked" in html
    assert ">high<" in html  # the tier of a score of 8, as a label
