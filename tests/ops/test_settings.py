"""Settings come from the environment and refuse unsafe production starts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def check_with(env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_debug_off_without_secret_key_refuses_to_start_and_says_why():
    result = check_with({"DEBUG": "false", "ALLOWED_HOSTS": "tracker.example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_off_without_allowed_hosts_refuses_to_start():
    result = check_with({"DEBUG": "0", "SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_debug_off_with_real_settings_starts():
    result = check_with({"DEBUG": "0", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "tracker.example.org"})
    assert result.returncode == 0, result.stderr


def test_a_bad_boolean_is_refused_with_its_name():
    result = check_with({"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # The in-memory test database cannot use WAL; a file database does.
    assert mode in ("wal", "memory")


def test_file_database_uses_wal(tmp_path):
    db_path = tmp_path / "t.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SQLITE_PATH"] = str(db_path)
    code = "from django.db import connection; c=connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip().splitlines()[-1] == "wal", result.stderr


def shell_print(expression, env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}}
    clean.update(env)
    code = f"from django.conf import settings as s; print({expression})"
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_login_throttling_reads_the_tracker_variables():
    result = shell_print(
        "s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds()), s.TRUSTED_PROXY_COUNT",
        {"TRACKER_LOGIN_MAX_FAILURES": "7", "TRACKER_LOGIN_COOLOFF_SECONDS": "120", "TRUSTED_PROXY_COUNT": "2"},
    )
    assert result.stdout.strip().splitlines()[-1] == "7 120 2", result.stderr
