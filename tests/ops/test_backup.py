"""Backup while running, restore, and compare counts and checksum."""

import io
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import add_evidence, make_cycles, make_project, make_rating, make_region
from ratings.models import Cycle
from tracker.ops.backup import fingerprint
from tracker.models import Project
from tracker.status import history

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data(db):
    one, two, three = make_cycles(3)
    region = make_region("Amur Oblast", iso_code="RU-AMU", slug="amur")
    make_rating(region, three, 9)
    project = make_project(region, one, reference="AMU-001")
    add_evidence(project, two)
    history.append_status_change(project, "launched", two)
    return region


def test_backup_then_restore_brings_back_the_same_rows(tmp_path, data):
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    before = fingerprint()
    path = tmp_path / "copy.backup"
    out = io.StringIO()
    call_command("backup", "--output", str(path), stdout=out)
    assert path.stat().st_size > 0
    assert before[1] in out.getvalue()

    Project.objects.get(reference="AMU-001").delete()
    make_project(data, Cycle.objects.first(), reference="AMU-777")
    assert fingerprint() != before

    call_command("restore", str(path), "--yes", stdout=io.StringIO())
    assert fingerprint() == before


def test_restoring_something_that_is_not_a_backup_changes_nothing(tmp_path, data):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite check")
    before = fingerprint()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CommandError, match="not a usable SQLite backup"):
        call_command("restore", str(junk), "--yes", stdout=io.StringIO())
    assert fingerprint() == before
