"""Backup while running, restore, and compare counts and checksum; a damaged or foreign
backup is refused before the live database is touched."""

import hashlib
import io
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import add_evidence, make_cycles, make_project, make_rating, make_region
from ratings.models import Cycle, Region
from tracker.models import Project, search
from tracker.ops import backup as backup_module
from tracker.ops.backup import fingerprint
from tracker.status import history

pytestmark = pytest.mark.django_db(transaction=True)

SQLITE = connection.vendor == "sqlite"
POSTGRES = connection.vendor == "postgresql"
sqlite_only = pytest.mark.skipif(not SQLITE, reason="the SQLite file checks")
postgres_only = pytest.mark.skipif(not POSTGRES, reason="the pg_dump archive checks")
# What each database reports for a file that is not a backup at all.
UNREADABLE = "is not an SQLite database" if SQLITE else "is not a readable pg_dump archive"


@pytest.fixture
def data(db):
    if POSTGRES and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump is not installed")
    one, two, three = make_cycles(3)
    region = make_region("Amur Oblast", iso_code="RU-AMU", slug="amur")
    make_rating(region, three, 9)
    project = make_project(region, one, reference="AMU-001", title_ru="Автомобильный мост через Амур")
    add_evidence(project, two)
    history.append_status_change(project, "launched", two)
    return region


def change(region):
    """Change the live data after a backup, so that a restore would show."""
    Project.objects.get(reference="AMU-001").delete()
    make_project(region, Cycle.objects.first(), reference="AMU-777", title_ru="Новый мост")
    assert found("мосты") == ["AMU-777"]


def found(text):
    return sorted(search.matching(Project.objects.all(), text).values_list("reference", flat=True))


@pytest.fixture
def saved(tmp_path, data):
    """A backup of `data`, then a change: (the backup's path, its fingerprint)."""
    before = fingerprint()
    path = tmp_path / "copy.backup"
    call_command("backup", "--output", str(path), stdout=io.StringIO())
    change(data)
    assert fingerprint() != before
    return path, before


def restore(path, *args):
    out = io.StringIO()
    call_command("restore", str(path), "--yes", *args, stdout=out)
    return out.getvalue()


def assert_refused(path, match, *args):
    live = fingerprint()
    with pytest.raises(CommandError, match=match):
        restore(path, *args)
    assert fingerprint() == live


def record_checksum(path):
    """Write a checksum file for the file as it is now, so that only the other checks can
    find what is wrong with it."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    backup_module.sidecar(path).write_text(f"{digest}  {path.name}\n")


def test_backup_then_restore_brings_back_the_same_rows(tmp_path, data):
    before = fingerprint()
    path = tmp_path / "copy.backup"
    out = io.StringIO()
    call_command("backup", "--output", str(path), stdout=out)
    assert path.stat().st_size > 0
    assert before[1] in out.getvalue()

    change(data)
    assert fingerprint() != before

    report = restore(path)
    assert "matches" in report
    assert fingerprint() == before
    # the search index came back with the rows: the restored project is found, the removed one not
    assert found("Мосты") == ["AMU-001"]


def test_backup_writes_its_sha256_in_sha256sum_format(tmp_path, data):
    path = tmp_path / "copy.backup"
    out = io.StringIO()
    call_command("backup", "--output", str(path), stdout=out)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert (tmp_path / "copy.backup.sha256").read_text() == f"{digest}  copy.backup\n"
    assert digest in out.getvalue()
    assert not (tmp_path / "copy.backup.partial").exists()
    if shutil.which("sha256sum"):
        check = subprocess.run(
            ["sha256sum", "--check", "copy.backup.sha256"], cwd=tmp_path, capture_output=True
        )
        assert check.returncode == 0, check.stdout


def test_a_wrong_checksum_is_refused(saved):
    path, _ = saved
    backup_module.sidecar(path).write_text(f"{'0' * 64}  {path.name}\n")
    assert_refused(path, "does not match its checksum")


def test_a_flipped_byte_is_refused_by_the_checksum(saved):
    path, _ = saved
    damaged = bytearray(path.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    path.write_bytes(bytes(damaged))
    assert_refused(path, "does not match its checksum")


@sqlite_only
def test_a_changed_value_that_sqlite_cannot_see_is_refused_by_the_checksum(saved):
    path, _ = saved
    path.write_bytes(path.read_bytes().replace(b"Amur Oblast", b"Amur Oblasx"))
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as probe:
        problems = probe.execute("PRAGMA integrity_check").fetchall()
    assert problems == [("ok",)]  # the file is sound; only the checksum knows
    assert_refused(path, "does not match its checksum")


def test_a_backup_without_its_checksum_file_needs_no_checksum(saved):
    path, before = saved
    backup_module.sidecar(path).unlink()
    assert_refused(path, "has no checksum file")
    report = restore(path, "--no-checksum")
    assert "not checked" in report
    assert fingerprint() == before


def test_a_checksum_file_that_is_not_one_is_refused(saved):
    path, _ = saved
    backup_module.sidecar(path).write_text("checksum: none\n")
    assert_refused(path, "is not a SHA-256 checksum file")


@pytest.mark.parametrize("keep", [0.5, -50], ids=["half", "all-but-the-end"])
def test_a_truncated_backup_is_refused(saved, keep):
    """SQLite's header gives the file's size. Half a pg_dump archive loses the start of its
    table of contents; a cut-off end keeps that whole and loses the last data block, which
    only reading every block finds."""
    path, _ = saved
    content = path.read_bytes()
    path.write_bytes(content[: int(len(content) * keep)] if keep > 0 else content[:keep])
    record_checksum(path)
    assert_refused(path, "is cut off or has bytes added" if SQLITE else "is not a readable pg_dump archive")


@sqlite_only
def test_an_sqlite_backup_with_bytes_added_is_refused(saved):
    path, _ = saved
    path.write_bytes(path.read_bytes() + b"\0" * 4096)
    record_checksum(path)
    assert_refused(path, "is cut off or has bytes added")


def test_a_file_that_is_not_a_backup_is_refused(saved, tmp_path):
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"this is not a database" * 100)
    record_checksum(junk)
    assert_refused(junk, UNREADABLE)


@sqlite_only
def test_damaged_pages_are_refused_by_the_integrity_check(saved):
    path, _ = saved
    with closing(sqlite3.connect(path)) as probe:
        query = "SELECT rootpage FROM sqlite_master WHERE name = 'tracker_project'"
        (root,) = probe.execute(query).fetchone()
        (page_size,) = probe.execute("PRAGMA page_size").fetchone()
    damaged = bytearray(path.read_bytes())
    offset = (root - 1) * page_size
    damaged[offset : offset + 12] = b"\xff" * 12  # the b-tree page header
    path.write_bytes(bytes(damaged))
    record_checksum(path)
    assert_refused(path, "failed SQLite's integrity check")


@sqlite_only
def test_another_apps_sqlite_file_is_refused(saved, tmp_path):
    other = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(other)) as database:
        database.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    record_checksum(other)
    assert_refused(other, r"not a backup of this tracker's database: tables missing: .*tracker_project")


@sqlite_only
def test_a_backup_missing_a_table_is_refused_naming_it(saved):
    path, _ = saved
    with closing(sqlite3.connect(path)) as database:
        database.execute("DROP TABLE tracker_statuschange")
    record_checksum(path)
    assert_refused(path, r"tables missing: tracker_statuschange$")


@sqlite_only
def test_a_backup_in_wal_mode_restores(saved):
    """The live database runs in WAL mode, so its backups carry WAL mode in their header."""
    path, before = saved
    with closing(sqlite3.connect(path)) as database:
        assert database.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
    record_checksum(path)
    restore(path)
    assert fingerprint() == before


@postgres_only
def test_a_dump_of_only_some_tables_is_refused(saved, tmp_path):
    env, args, name = backup_module._pg_env()
    partial = tmp_path / "regions.dump"
    subprocess.run(
        ["pg_dump", *args, "-Fc", "--no-owner", "-t", "ratings_region", "-f", str(partial), name],
        env=env, check=True,
    )
    record_checksum(partial)
    assert_refused(partial, r"tables missing: .*tracker_project")


def wrong_checksum(path):
    backup_module.sidecar(path).write_text(f"{'0' * 64}  {path.name}\n")


def not_a_backup(path):
    path.write_bytes(b"this is not a database" * 100)
    record_checksum(path)


@pytest.mark.parametrize("damage", [wrong_checksum, not_a_backup])
def test_a_damaged_backup_is_refused_before_asking(saved, monkeypatch, damage):
    path, _ = saved
    damage(path)
    monkeypatch.setattr("builtins.input", lambda prompt: pytest.fail("asked about a damaged backup"))
    live = fingerprint()
    with pytest.raises(CommandError, match=f"does not match its checksum|{UNREADABLE}"):
        call_command("restore", str(path), stdout=io.StringIO())
    assert fingerprint() == live


def test_declining_after_the_checks_restores_nothing(saved, monkeypatch):
    path, _ = saved
    out = io.StringIO()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    live = fingerprint()
    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("restore", str(path), stdout=out)
    assert "matches" in out.getvalue()  # the checks ran and were shown before the question
    assert fingerprint() == live


def printed_figures(output):
    return re.search(r"rows: (\d+)  checksum: ([0-9a-f]{64})", output).groups()


@pytest.fixture
def written_as_the_copy_starts(monkeypatch, data):
    """An editor's save lands just as the copy starts (SQLite's backup, or pg_dump)."""
    def write():
        make_project(data, Cycle.objects.first(), reference="AMU-555")

    if SQLITE:
        connect = sqlite3.connect

        def connecting(*args, **kwargs):
            if str(args[0] if args else kwargs.get("database")).endswith(".partial"):
                write()
            return connect(*args, **kwargs)

        monkeypatch.setattr(backup_module.sqlite3, "connect", connecting)
    else:
        run = backup_module._run

        def running(command, env=None):
            if "pg_dump" in command[0]:
                write()
            return run(command, env)

        monkeypatch.setattr(backup_module, "_run", running)
    return monkeypatch


def test_the_figures_backup_prints_are_those_restore_prints_though_writes_go_on(tmp_path, written_as_the_copy_starts):
    path = tmp_path / "copy.backup"
    out = io.StringIO()
    call_command("backup", "--output", str(path), stdout=out)
    written_as_the_copy_starts.undo()
    assert Project.objects.filter(reference="AMU-555").exists()
    change(Region.objects.get(iso_code="RU-AMU"))
    assert printed_figures(restore(path)) == printed_figures(out.getvalue())
