"""Two editors on one project, and many writers on one SQLite file."""

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from tests.factories import make_project
from tracker.status import history

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def form(project, **changes):
    data = {
        "reference": project.reference, "title_ru": project.title_ru, "title_en": project.title_en,
        "region": project.region_id, "location": project.location, "sector": project.sector,
        "first_cycle": project.first_cycle_id, "note": project.note, "version": project.version,
        "participations-TOTAL_FORMS": "0", "participations-INITIAL_FORMS": "0",
        "evidence-TOTAL_FORMS": "0", "evidence-INITIAL_FORMS": "0",
        "status_changes-TOTAL_FORMS": "1", "status_changes-INITIAL_FORMS": "1",
        "status_changes-0-id": project.status_changes.get().pk, "status_changes-0-project": project.pk,
    }
    data.update(changes)
    return data


def test_the_second_of_two_editors_saving_in_turn_gets_a_conflict_and_the_first_edit_survives(editor_client, superuser_client, cycles, region):
    project = make_project(region, cycles[1], reference="AMU-001", title_en="Original")
    first = form(project, title_en="First editor")   # both opened version 1
    second = form(project, title_en="Second editor")
    url = reverse("admin:tracker_project_change", args=[project.pk])
    assert editor_client.post(url, first).status_code == 302
    response = superuser_client.post(url, second)
    assert response.status_code == 200
    assert "Someone else saved this project" in response.content.decode() or "сохранил" in response.content.decode()
    project.refresh_from_db()
    assert project.title_en == "First editor"
    assert project.version == 2


CONFLICT = "Someone else saved this project after you opened it"


def save_at_the_same_moment(users, url, forms):
    """Post each form as its user, all released at once by a barrier; the pages they end on."""
    barrier, pages = threading.Barrier(len(users)), []

    def post(user, data):
        client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user)
        try:
            barrier.wait()
            response = client.post(url, data, follow=True)
            pages.append((response.status_code, response.content.decode()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=pair) for pair in zip(users, forms)]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]
    return pages


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_at_the_same_moment_on_postgresql_one_wins_and_the_other_is_told(editor, cycles, region):
    from django.contrib.auth.models import User

    boss = User.objects.create_superuser("boss", password="boss-pass-123")
    for round_ in range(8):
        project = make_project(region, cycles[1], reference=f"AMU-1{round_:02d}", title_en="Original")
        url = reverse("admin:tracker_project_change", args=[project.pk])
        pages = save_at_the_same_moment(
            [editor, boss], url, [form(project, title_en="Editor"), form(project, title_en="Boss")]
        )
        assert [status for status, _page in pages] == [200, 200]
        assert sum(CONFLICT in page for _status, page in pages) == 1
        project.refresh_from_db()
        assert project.title_en in {"Editor", "Boss"} and project.version == 2


def test_a_stale_save_outside_the_admin_is_refused_too(cycles, region):
    from tracker.models import EditConflict, Project

    make_project(region, cycles[1], reference="AMU-002")
    one, two = Project.objects.get(reference="AMU-002"), Project.objects.get(reference="AMU-002")
    one.title_en = "One"
    one.save()
    two.title_en = "Two"
    with pytest.raises(EditConflict):
        two.save()
    assert Project.objects.get(reference="AMU-002").title_en == "One"


SCRIPT = textwrap.dedent(
    """
    import threading
    import django
    django.setup()
    from django.db import connection, connections
    from ratings.models import Cycle, Region
    from tracker.models import Evidence, Project, Source
    from tracker.status import history

    cycle = history.save_cycle(Cycle(number=1, period_end="2023-05-31"))
    region = Region.objects.create(name_ru="Амурская область", name_en="Amur", slug="amur", iso_code="RU-AMU")
    source = Source.objects.create(title="S", kind="other")
    errors = []

    def writer(n):
        try:
            for i in range(25):
                project = history.create_project(Project(
                    reference=f"T{n}-{i:03d}", title_ru="x", region=region, sector="other", first_cycle=cycle
                ))
                Evidence.objects.create(project=project, cycle=cycle, kind="effort", summary="s", source=source)
                history.append_status_change(project, "stalled", cycle)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    print("errors", len(errors), errors[:3])
    print("projects", Project.objects.count(), "evidence", Evidence.objects.count(),
          "stalled", Project.objects.filter(status="stalled").count())
    """
)


def test_concurrent_writers_on_an_sqlite_file_lose_nothing_and_never_see_locked(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SQLITE_PATH=str(tmp_path / "threads.sqlite3"), DJANGO_SETTINGS_MODULE="config.settings")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert "errors 0 []" in result.stdout, result.stdout + result.stderr[-3000:]
    assert "projects 150 evidence 150 stalled 150" in result.stdout


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_two_transactions_writing_evidence_on_one_project_at_once_both_land_in_the_search_index(cycles, region):
    import time

    from django.db import transaction

    from tests.factories import add_evidence
    from tracker.models import Evidence, Project
    from tracker.models.search import matching

    project = make_project(region, cycles[1], reference="AMU-300")
    source = add_evidence(project, cycles[1]).source
    barrier, errors = threading.Barrier(2), []
    NAMES = ("Альтаир", "Бетельгейзе")

    def write(n):
        try:
            with transaction.atomic():
                barrier.wait()
                time.sleep(0.2 * n)  # the second refreshes while the first still holds its row
                Evidence.objects.create(project=project, cycle=cycles[1], kind=Evidence.Kind.EFFORT,
                                        summary_ru=f"Гиперзвуковой стенд «{NAMES[n]}».", source=source)
                time.sleep(0.6 * (1 - n))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(2)]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]
    assert errors == []
    assert Evidence.objects.filter(project=project, summary_ru__startswith="Гиперзвуковой").count() == 2
    for name in NAMES:
        assert list(matching(Project.objects.all(), f"стенд {name}").values_list("reference", flat=True)) == ["AMU-300"]
