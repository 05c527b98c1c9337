"""Consistent copies of the whole database while the app runs, and their verified restore.

SQLite: the online backup API (a consistent snapshot even while others write).
PostgreSQL: pg_dump in custom format, restored with pg_restore --clean in one transaction.

Every backup gets a sidecar `<file>.sha256` in `sha256sum` format. A restore works on a
private copy of the backup (so the file verified is the file restored) and checks that
copy before it touches the live database: the checksum, that the file is readable as a
whole (SQLite's integrity check; pg_restore reading every block) and that it holds every
table of the live database that a model of an installed app owns.
"""

import contextlib
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.db import connection, connections, transaction
from django.db.utils import load_backend
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from tracker.models import DataVersion
from tracker.models.data_version import data_version

SQLITE_MAGIC = b"SQLite format 3\x00"
SHA256_LINE = re.compile(r"^\\?([0-9a-fA-F]{64}) [ *]")
# "218; 1259 16385 TABLE public tracker_project postgres" in `pg_restore --list`.
PG_TABLE_ENTRY = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+)", re.MULTILINE)


class BackupError(RuntimeError):
    pass


class Verified(NamedTuple):
    sha256: str | None  # None when the checksum was not checked
    tables: int


def fingerprint(using="default"):
    """{model label: row count} and a SHA-256 over every row of the tracker's tables,
    in primary-key order, to compare a database before a backup and after a restore."""
    counts, digest = {}, hashlib.sha256()
    for model in sorted(
        [*apps.get_app_config("ratings").get_models(), *apps.get_app_config("tracker").get_models()],
        key=lambda m: m._meta.label,
    ):
        if model._meta.model_name == "dataversion" or not model._meta.managed:
            continue  # a cache counter, raised by the restore itself; the search index
        fields = [f.attname for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
        rows = model.objects.using(using).order_by("pk").values_list(*fields)
        count = 0
        for row in rows.iterator(chunk_size=2000):
            digest.update(repr(row).encode())
            count += 1
        counts[model._meta.label] = count
    return counts, digest.hexdigest()


def sidecar(path):
    return Path(f"{path}.sha256")


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_hashing(source, target):
    digest = hashlib.sha256()
    with open(source, "rb") as reader, open(target, "wb") as writer:
        for chunk in iter(lambda: reader.read(1 << 20), b""):
            digest.update(chunk)
            writer.write(chunk)
    return digest.hexdigest()


def read_sidecar(path):
    checksum_file = sidecar(path)
    if not checksum_file.is_file():
        raise BackupError(
            _(
                "%(path)s has no checksum file %(sidecar)s. Restore a backup made by `backup` "
                "together with its .sha256 file, or pass --no-checksum to skip this check."
            )
            % {"path": path, "sidecar": checksum_file}
        )
    match = SHA256_LINE.match(checksum_file.read_text(encoding="utf-8", errors="replace"))
    if match is None:
        raise BackupError(
            _('%(sidecar)s is not a SHA-256 checksum file (expected "<64 hex digits>  <file name>").')
            % {"sidecar": checksum_file}
        )
    return match.group(1).lower()


def expected_tables():
    """The live database's tables that a model of an installed app owns, and Django's
    migration records: what a backup of this database must contain."""
    owned = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    owned.add(MigrationRecorder.Migration._meta.db_table)
    return sorted(owned & set(connection.introspection.table_names()))


def _refuse_missing(path, present):
    """Refuse a backup without one of the live database's tables; return how many it has."""
    expected = expected_tables()
    missing = [table for table in expected if table not in present]
    if missing:
        raise BackupError(
            _("%(path)s is not a backup of this tracker's database: tables missing: %(tables)s")
            % {"path": path, "tables": ", ".join(missing)}
        )
    return len(expected)


def _pg_env():
    settings = connection.settings_dict
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    args = ["-h", settings.get("HOST") or "127.0.0.1", "-p", str(settings.get("PORT") or 5432)]
    if settings.get("USER"):
        args += ["-U", settings["USER"]]
    return env, args, settings["NAME"]


def _tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _("%(tool)s is not installed (Debian package postgresql-client).") % {"tool": name}
        )
    return path


def _run(command, env=None):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    return result.returncode, result.stdout, result.stderr.strip()


class Backed(NamedTuple):
    sha256: str  # the file's
    counts: dict  # {model label: rows} in the file
    checksum: str  # over those rows: what `restore` prints after restoring the file


@contextlib.contextmanager
def _connection_to(**changes):
    """A connection of its own (an alias made for the block) to the default database's
    server with `changes` to its settings: so the figures can be read from a file or
    from a snapshot whatever transaction the caller is in."""
    alias = f"backup-{uuid.uuid4().hex}"
    settings = {**connection.settings_dict, "CONN_MAX_AGE": 0, **changes}
    connections[alias] = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]


def backup(path):
    """Write a backup to `path` and its checksum to `path`.sha256. The copy is written
    beside the target and renamed into place, so an interrupted backup never leaves a
    half-written file under the backup's name. The figures returned are read from what
    the file holds — on SQLite from the file once written, on PostgreSQL from the
    snapshot pg_dump wrote, kept open until they are read — so writes going on meanwhile
    cannot make them differ from what `restore` of that file prints."""
    path = Path(path)
    partial = path.with_name(f"{path.name}.partial")
    partial.unlink(missing_ok=True)
    connection.ensure_connection()
    try:
        if connection.vendor == "sqlite":
            with contextlib.closing(sqlite3.connect(partial)) as target:
                connection.connection.backup(target)
                _empty_cache_table(target)
            options = {k: v for k, v in connection.settings_dict["OPTIONS"].items() if k != "init_command"}
            with _connection_to(NAME=f"{partial.resolve().as_uri()}?mode=ro&immutable=1", OPTIONS=options) as alias:
                counts, checksum = fingerprint(alias)
        elif connection.vendor == "postgresql":
            counts, checksum = _pg_dump(partial)
        else:
            raise BackupError(_("No backup method for %(vendor)s.") % {"vendor": connection.vendor})
        sha256 = file_sha256(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    sidecar(path).write_text(f"{sha256}  {path.name}\n", encoding="utf-8")
    return Backed(sha256, counts, checksum)


def _cache_tables():
    """The database cache's tables: import previews (people's files) wait there, and a
    backup holds none of them (the tables themselves are kept, empty)."""
    return [
        cache["LOCATION"]
        for cache in settings.CACHES.values()
        if cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    ]


def _empty_cache_table(target):
    target.execute("PRAGMA secure_delete = ON")  # the deleted rows' bytes are overwritten too
    for table in _cache_tables():
        with contextlib.suppress(sqlite3.OperationalError):  # no such table: nothing to empty
            target.execute(f'DELETE FROM "{table}"')
    target.commit()


def _pg_dump(partial):
    """pg_dump into `partial` from a snapshot exported by a read-only repeatable-read
    transaction, and the figures of that same snapshot."""
    env, args, name = _pg_env()
    with _connection_to() as alias, transaction.atomic(using=alias):
        with connections[alias].cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        command = [_tool("pg_dump"), *args, "-Fc", "--no-owner", f"--snapshot={snapshot}", "-f", str(partial), name]
        command[-1:-1] = [f"--exclude-table-data={table}" for table in _cache_tables()]
        code, _out, error = _run(command, env)
        if code:
            raise BackupError(_("pg_dump failed: %(error)s") % {"error": error})
        return fingerprint(alias)


def restore(path, check_checksum=True, confirm=None):
    """Replace the database with a verified backup; then raise the data version above
    both the old and the restored one, so that no server serves a page cached before.

    `confirm`, if given, is asked (with the verification's result) after the checks and
    before the live database is touched; a false answer restores nothing."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("No such backup: %(path)s") % {"path": path})
    expected = read_sidecar(path) if check_checksum else None
    with tempfile.TemporaryDirectory(prefix="tracker-restore-") as work:
        copy = Path(work) / "backup"
        actual = _copy_hashing(path, copy)
        if expected is not None and actual != expected:
            raise BackupError(
                _(
                    "%(path)s does not match its checksum: %(sidecar)s says %(expected)s, the "
                    "file's SHA-256 is %(actual)s. The file is damaged or is not the backup that "
                    "checksum was made for."
                )
                % {"path": path, "sidecar": sidecar(path), "expected": expected, "actual": actual}
            )
        verified = Verified(actual if check_checksum else None, _verify(copy, path))
        if confirm is not None and not confirm(verified):
            raise BackupError(_("Nothing was restored."))
        before = data_version()
        _restore(copy)
    DataVersion.objects.update_or_create(pk=1, defaults={"value": max(before, data_version()) + 1})
    return verified


def _verify(copy, path):
    """Check the private copy; `path` names the backup in messages. Returns how many
    tables were found present."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return _verify_sqlite(copy, path)
    if connection.vendor == "postgresql":
        return _verify_pg(copy, path)
    raise BackupError(_("No restore method for %(vendor)s.") % {"vendor": connection.vendor})


def _check_sqlite_header(copy, path):
    """The file's first 100 bytes say it is SQLite and, since SQLite 3.7, how many pages
    it has (valid when the two change counters agree): a file cut short, or with bytes
    added, shows as a size that does not match."""
    with open(copy, "rb") as stream:
        header = stream.read(100)
    if not header.startswith(SQLITE_MAGIC):
        raise BackupError(_("%(path)s is not an SQLite database.") % {"path": path})
    page_size = int.from_bytes(header[16:18], "big") if len(header) == 100 else 0
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    expected = page_size * pages if header[92:96] == header[24:28] else None
    actual = copy.stat().st_size
    if len(header) < 100 or (expected and expected != actual):
        raise BackupError(
            _(
                "%(path)s is cut off or has bytes added: its header says %(expected)s bytes, "
                "the file has %(actual)d."
            )
            % {"path": path, "expected": expected or "?", "actual": actual}
        )


def _verify_sqlite(copy, path):
    _check_sqlite_header(copy, path)
    # Read-only: the check never writes, not even to the private copy.
    source = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
    try:
        problems = [row[0] for row in source.execute("PRAGMA integrity_check(5)")]
        tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:  # pages so damaged that the check cannot finish
        problems, tables = [str(error)], set()
    finally:
        source.close()
    if problems != ["ok"]:
        raise BackupError(
            _("%(path)s failed SQLite's integrity check: %(problems)s")
            % {"path": path, "problems": "; ".join(problems)}
        )
    return _refuse_missing(path, tables)


def _verify_pg(copy, path):
    pg_restore = _tool("pg_restore")
    code, listing, error = _run([pg_restore, "--list", str(copy)])
    if not code:
        # The table of contents can be whole while a data block is cut off or damaged;
        # rendering the archive as a script reads and decompresses every block.
        code, _out, error = _run([pg_restore, "--file", os.devnull, str(copy)])
    if code:
        raise BackupError(
            _("%(path)s is not a readable pg_dump archive: %(error)s") % {"path": path, "error": error}
        )
    return _refuse_missing(path, {name for _schema, name in PG_TABLE_ENTRY.findall(listing)})


def _restore(copy):
    if connection.vendor == "sqlite":
        source = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        except sqlite3.DatabaseError as error:
            raise BackupError(_("The restore failed: %(error)s") % {"error": error}) from None
        finally:
            source.close()
    else:
        env, args, name = _pg_env()
        connection.close()
        options = ["--clean", "--if-exists", "--no-owner", "--single-transaction"]
        code, _out, error = _run([_tool("pg_restore"), *args, *options, "-d", name, str(copy)], env)
        if code:
            raise BackupError(_("pg_restore failed: %(error)s") % {"error": error})
