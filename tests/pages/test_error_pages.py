"""Error pages speak the reader's language in the site's layout."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from tracker.ops.errors import server_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language, text", [("ru", "Страница не найдена"), ("en", "Page not found")])
def test_a_missing_page_says_so_in_the_readers_language_in_the_sites_layout(client, language, text):
    response = client.get("/projects/NO-SUCH-001/", HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 404
    assert text in html and 'class="site-header"' in html and f'<html lang="{language}"' in html


@pytest.mark.parametrize("language, text", [("ru", "Ошибка сервера"), ("en", "Server error")])
def test_a_server_error_says_so_in_the_readers_language(language, text):
    with translation.override(language):
        page = server_error(RequestFactory().get("/"))
    html = page.content.decode()
    assert page.status_code == 500 and text in html and 'class="site-header"' in html and f'<html lang="{language}"' in html
