"""The data version is raised once per writing transaction, after it commits, so that
parallel writers never queue behind one counter row."""

import threading

import pytest
from django.db import connection, connections, transaction

from tests.factories import make_cycles, make_project, make_region
from tracker.models import Project
from tracker.models.data_version import data_version
from tracker.status import history

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL")
def test_a_long_import_and_an_admin_edit_do_not_wait_for_each_other():
    cycles = make_cycles(2)
    region = make_region(iso_code="RU-AMU")
    edited = make_project(region, cycles[0], reference="AMU-001")
    importing, edit_done, release = threading.Event(), threading.Event(), threading.Event()
    errors = []

    def long_import():
        try:
            with transaction.atomic():
                for n in range(20):
                    history.create_project(Project(
                        reference=f"IMP-{n:03d}", title_ru="Импорт", region=region, sector="energy",
                        first_cycle=cycles[1],
                    ))
                importing.set()
                release.wait(10)  # still open while the editor saves
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    def admin_edit():
        try:
            project = Project.objects.get(pk=edited.pk)
            project.title_en = "Edited while an import runs"
            history.save_project(project)
            edit_done.set()
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    before = data_version()
    importer = threading.Thread(target=long_import)
    importer.start()
    assert importing.wait(10)
    editor = threading.Thread(target=admin_edit)
    editor.start()
    finished_while_import_open = edit_done.wait(5)
    release.set()
    importer.join(10)
    editor.join(10)
    assert not errors
    assert finished_while_import_open, "the admin edit waited for the import's transaction"
    assert Project.objects.get(pk=edited.pk).title_en == "Edited while an import runs"
    assert Project.objects.filter(reference__startswith="IMP-").count() == 20
    assert data_version() == before + 2  # one raise per committed transaction
