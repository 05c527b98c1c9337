"""Consistent copies of the whole database while the app runs, and their restore.

SQLite: the online backup API (a consistent snapshot even while others write).
PostgreSQL: pg_dump in custom format, restored with pg_restore --clean.
"""

import hashlib
import os
import shutil
import sqlite3
import subprocess

from django.apps import apps
from django.db import connection

from tracker.models import DataVersion
from tracker.models.data_version import data_version


class BackupError(RuntimeError):
    pass


def fingerprint():
    """{model label: row count} and a SHA-256 over every row of the tracker's tables,
    in primary-key order, to compare a database before a backup and after a restore."""
    counts, digest = {}, hashlib.sha256()
    for model in sorted(
        [*apps.get_app_config("ratings").get_models(), *apps.get_app_config("tracker").get_models()],
        key=lambda m: m._meta.label,
    ):
        if model._meta.model_name == "dataversion":
            continue  # a cache counter, raised by the restore itself
        fields = [f.attname for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
        rows = model.objects.order_by("pk").values_list(*fields)
        count = 0
        for row in rows.iterator(chunk_size=2000):
            digest.update(repr(row).encode())
            count += 1
        counts[model._meta.label] = count
    return counts, digest.hexdigest()


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
        raise BackupError(f"{name} is not installed (Debian package postgresql-client).")
    return path


def backup(path):
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        env, args, name = _pg_env()
        result = subprocess.run(
            [_tool("pg_dump"), *args, "-Fc", "--no-owner", "-f", str(path), name],
            env=env, capture_output=True, text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    else:
        raise BackupError(f"No backup method for {connection.vendor}.")


def restore(path):
    """Replace the database with a backup; then raise the data version above both the
    old and the restored one, so that no server serves a page cached before."""

    if not os.path.exists(path):
        raise BackupError(f"No such backup: {path}")
    before = data_version()
    _restore(path)
    DataVersion.objects.update_or_create(pk=1, defaults={"value": max(before, data_version()) + 1})


def _restore(path):
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.execute("PRAGMA quick_check").fetchone()
            source.backup(connection.connection)
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} is not a usable SQLite backup: {error}") from None
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        env, args, name = _pg_env()
        connection.close()
        result = subprocess.run(
            [_tool("pg_restore"), *args, "--clean", "--if-exists", "--no-owner", "--single-transaction", "-d", name, str(path)],
            env=env, capture_output=True, text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        raise BackupError(f"No restore method for {connection.vendor}.")
