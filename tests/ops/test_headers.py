"""Frame options, nosniff and the referrer policy are on every response: pages, static
files, error pages, a request refused for its Host header."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

HEADERS = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


def headers(response):
    return {name: response.get(name) for name in HEADERS}


@pytest.mark.parametrize(
    ("path", "status"),
    [("/", 200), ("/projects/", 200), ("/no-such-page/", 404), ("/static/tracker/site.css", 200),
     ("/static/admin/css/base.css", 200)],
)
def test_pages_error_pages_and_static_files_carry_the_security_headers(client, cycles, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert headers(response) == HEADERS


def test_a_request_for_another_host_is_refused_with_the_headers(cycles):
    response = Client().get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert headers(response) == HEADERS


def test_the_host_is_refused_with_the_headers_where_plain_http_is_redirected_to_https(cycles, settings):
    settings.SECURE_SSL_REDIRECT = True  # production: the refusal comes from inside SecurityMiddleware
    response = Client().get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert headers(response) == HEADERS
