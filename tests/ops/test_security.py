"""Production settings, response headers and login throttling."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def run_manage(*args, **env):
    unset = {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    base.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True)


def test_deploy_check_passes_with_production_environment():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="tracker.example.org",
    )
    assert result.returncode == 0, result.stderr


def test_missing_database_url_stops_the_start_when_required():
    result = run_manage(
        "check", DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="x.org",
        REQUIRE_DATABASE_URL="true", DATABASE_URL="",
    )
    assert result.returncode != 0 and "DATABASE_URL is not set" in result.stderr


@pytest.mark.parametrize("url", ["/", "/projects/", "/admin/login/"])
def test_responses_carry_the_security_headers(client, url, cycles):
    response = client.get(url)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    if not url.startswith("/admin/"):
        script = [d for d in policy.split(";") if d.strip().startswith("script-src")][0]
        assert "unsafe-inline" not in script


def test_hsts_and_secure_cookies_in_production():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE)"
    )
    result = run_manage("shell", "-c", code, DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="x.org")
    assert result.stdout.split()[-6:] == ["31536000", "True", "True", "True", "True", "Lax"], result.stderr


@pytest.fixture
def account(db, settings):
    settings.TRACKER_LOGIN_MAX_FAILURES = 3
    cache.clear()
    yield User.objects.create_user("editor", password="right-password-123", is_staff=True)
    cache.clear()


def attempt(client, password, username="editor", **headers):
    return client.post(reverse("admin:login"), {"username": username, "password": password}, **headers)


def test_too_many_failures_get_429_even_with_the_right_password(client, account):
    for _ in range(3):
        assert attempt(client, "wrong").status_code == 200
    response = attempt(client, "right-password-123")
    assert response.status_code == 429
    assert "Retry-After" in response


def test_a_spoofed_x_forwarded_for_does_not_reset_the_count(client, account):
    for i in range(3):
        attempt(client, "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
    assert attempt(client, "wrong", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    # Another account from the same address is throttled too: the address is counted.
    assert attempt(client, "wrong", username="someone-else", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429


def test_the_account_is_throttled_from_another_address(client, account):
    for _ in range(3):
        attempt(client, "wrong")
    assert attempt(client, "right-password-123", REMOTE_ADDR="192.0.2.77").status_code == 429


def test_cool_off_ends_and_success_clears_the_count(client, account, settings):
    attempt(client, "wrong")
    attempt(client, "wrong")
    assert attempt(client, "right-password-123").status_code == 302
    client.logout()
    for _ in range(2):
        assert attempt(client, "wrong").status_code == 200  # the count started again
    cache.clear()  # what the end of the cool-off period does
    assert attempt(client, "right-password-123").status_code == 302
