"""SQLite runs one writer at a time: a writer that waits longer than SQLITE_TIMEOUT for
another is told the database is busy, and nothing of its work is written.

Each test copies the test database into a file of its own (SQLite's backup API) and runs
the tracker on that file in a second process with a one-second timeout, while a plain
SQLite connection holds the write lock."""

import contextlib
import sqlite3
import subprocess
import sys
import textwrap

import pytest
from django.db import connection

from tests.factories import make_project

from .elsewhere import ROOT, database_env

BUSY = "The database is busy with another change"
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL lets writers of different rows work at once"),
]


@pytest.fixture
def env(tmp_path, editor, cycles, region):
    """A tracker process's environment on a copy of the test database, one-second timeout."""
    make_project(region, cycles[1], reference="AMU-001", title_en="Original")
    return database_env(tmp_path, SQLITE_TIMEOUT="1")


@pytest.fixture
def database_file(env):
    return env["SQLITE_PATH"]


@contextlib.contextmanager
def write_lock(path):
    """Another writer in the middle of a long transaction."""
    other = sqlite3.connect(path, timeout=0.1)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.rollback()
        other.close()


def projects_in(path):
    with contextlib.closing(sqlite3.connect(path)) as db:
        return [row[0] for row in db.execute("SELECT reference FROM tracker_project ORDER BY reference")]


def test_importdata_on_a_busy_database_says_so_exits_non_zero_and_writes_nothing(env, database_file, tmp_path):
    rows = "".join(f"AMU-{n:03d},RU-AMU,Проект {n},logistics,II\n" for n in range(100, 400))
    upload = tmp_path / "projects.csv"
    upload.write_text("reference,region,title_ru,sector,first_cycle\n" + rows, encoding="utf-8")
    with write_lock(database_file):
        result = subprocess.run(
            [sys.executable, "manage.py", "importdata", "projects", str(upload), "--language", "ru"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )
    assert result.returncode != 0
    # the command speaks the language asked for
    assert "База данных занята другим изменением" in result.stderr and "Traceback" not in result.stderr
    assert projects_in(database_file) == ["AMU-001"]


ADMIN = textwrap.dedent(
    """
    import sqlite3, sys
    import django
    django.setup()
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse
    from tracker.models import Project

    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(User.objects.get(username="editor"))
    project = Project.objects.get(reference="AMU-001")
    rows = "".join(f"AMU-{n:03d},RU-AMU,x,logistics,II\\n" for n in range(100, 400))
    upload = SimpleUploadedFile("projects.csv", ("reference,region,title_ru,sector,first_cycle\\n" + rows).encode())
    other = sqlite3.connect(sys.argv[1], timeout=0.1)
    other.execute("BEGIN IMMEDIATE")
    answers = [
        client.post(reverse("admin:tracker_project_import"), {"import_file": upload, "format": "0", "resource": "0"}),
        client.post(reverse("admin:tracker_project_change", args=[project.pk]), {
            "reference": "AMU-001", "title_ru": project.title_ru, "title_en": "Changed", "region": project.region_id,
            "sector": project.sector, "first_cycle": project.first_cycle_id, "version": project.version,
            "participations-TOTAL_FORMS": "0", "participations-INITIAL_FORMS": "0",
            "evidence-TOTAL_FORMS": "0", "evidence-INITIAL_FORMS": "0",
            "status_changes-TOTAL_FORMS": "0", "status_changes-INITIAL_FORMS": "0",
        }),
    ]
    other.rollback()
    for answer in answers:
        print(answer.status_code, answer.get("Retry-After"), "{0}" in answer.content.decode())
    print(Project.objects.get(reference="AMU-001").title_en)
    """
).replace("{0}", BUSY)


def test_admin_import_and_save_on_a_busy_database_answer_503_with_the_message(env, database_file):
    result = subprocess.run(
        [sys.executable, "-c", ADMIN, str(database_file)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.stdout.splitlines() == ["503 30 True", "503 30 True", "Original"], result.stderr[-3000:]
    assert projects_in(database_file) == ["AMU-001"]


# Another writer takes the lock the moment the import commits, and keeps it.
LOCKED_AT_COMMIT = textwrap.dedent(
    """
    import sqlite3, sys
    import django
    django.setup()
    from django.core.management import CommandError, call_command
    from django.db.backends.sqlite3.base import DatabaseWrapper

    commit, others = DatabaseWrapper.commit, []

    def commit_then_lose_the_lock(self):
        commit(self)
        other = sqlite3.connect(sys.argv[1], timeout=0.1)
        other.execute("BEGIN IMMEDIATE")
        others.append(other)

    DatabaseWrapper.commit = commit_then_lose_the_lock
    try:
        call_command("importdata", "projects", sys.argv[2])
        print("imported")
    except CommandError as error:
        print("refused:", error)
    """
)


def test_an_import_that_committed_is_not_reported_busy_by_a_writer_that_came_next(env, database_file, tmp_path):
    upload = tmp_path / "projects.csv"
    upload.write_text("reference,region,title_ru,sector,first_cycle\nAMU-100,RU-AMU,Проект,logistics,II\n")
    result = subprocess.run(
        [sys.executable, "-c", LOCKED_AT_COMMIT, str(database_file), str(upload)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert projects_in(database_file) == ["AMU-001", "AMU-100"]
    assert result.stdout.splitlines()[-1] == "imported", result.stdout + result.stderr[-2000:]
