"""The test database, seen from another process: PostgreSQL's test database itself, or a
copy of the SQLite one in a file (SQLite's backup API: milliseconds, where a migrate takes
seconds). Use from transactional tests, so that the other process sees their rows."""

import contextlib
import os
import sqlite3
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_env(tmp_path, **variables):
    """The environment for a tracker process on this test's database (with DEBUG off)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings", PYTHONPATH=str(ROOT), DEBUG="false", SECRET_KEY="s" * 50,
        ALLOWED_HOSTS="testserver", SECURE_SSL_REDIRECT="false",
    )
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        env["SQLITE_PATH"] = str(sqlite_copy(tmp_path / "tracker.sqlite3"))
    env.update(variables)
    return env


def sqlite_copy(path):
    """Copy the SQLite test database into the file `path`, in WAL mode as the app runs it."""
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")
    return path
