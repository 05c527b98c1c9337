"""With DEBUG off, an unhandled exception is logged with its traceback: on stderr, in
TRACKER_LOG_FILE when set, and mailed to ADMINS when set."""

import subprocess
import sys
import textwrap

from .elsewhere import ROOT

BROKEN_PAGE = textwrap.dedent(
    """
    import django
    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.test import Client
    from tracker.pages import views

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    def broken(request):
        raise ZeroDivisionError("the health check broke")

    views.health = broken  # before the URLconf is first read
    response = Client(raise_request_exception=False).get("/health/")
    outbox = getattr(mail, "outbox", [])
    print("status", response.status_code, "mailed", [message.to for message in outbox])
    """
)


def run(tmp_path, **variables):
    env = {
        "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false", "SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "testserver", "SECURE_SSL_REDIRECT": "false",
        "SQLITE_PATH": str(tmp_path / "unused.sqlite3"), **variables,
    }
    return subprocess.run([sys.executable, "-c", BROKEN_PAGE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_an_unhandled_exception_is_logged_with_its_traceback_on_stderr(tmp_path):
    result = run(tmp_path)
    assert "status 500 mailed []" in result.stdout, result.stderr
    assert "ERROR django.request: Internal Server Error: /health/" in result.stderr
    assert "Traceback (most recent call last)" in result.stderr
    assert "ZeroDivisionError: the health check broke" in result.stderr


def test_the_log_can_go_to_a_file_and_errors_to_the_admins(tmp_path):
    log = tmp_path / "tracker.log"
    result = run(tmp_path, TRACKER_LOG_FILE=str(log), ADMINS="ops@example.org")
    assert "status 500 mailed [['ops@example.org']]" in result.stdout, result.stderr
    written = log.read_text(encoding="utf-8")
    assert "Internal Server Error: /health/" in written and "ZeroDivisionError: the health check broke" in written


def test_a_log_level_that_is_not_one_stops_the_start_naming_the_variable(tmp_path):
    result = run(tmp_path, TRACKER_LOG_LEVEL="loud")
    assert result.returncode != 0 and "TRACKER_LOG_LEVEL must be one of" in result.stderr
