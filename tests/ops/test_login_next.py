"""A login whose `next` points to another site lands on the site's home page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/admin/", "/\\evil.example"])
def test_a_login_with_next_on_another_site_lands_on_the_home_page(client, editor, cycles, next_url):
    login = f"{reverse('admin:login')}?next={next_url}"
    response = client.post(login, {"username": "editor", "password": "editor-pass-123", "next": next_url}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert response.status_code == 200


def test_a_login_with_next_on_this_site_goes_there(client, editor, cycles):
    login = f"{reverse('admin:login')}?next=/admin/tracker/project/"
    response = client.post(login, {"username": "editor", "password": "editor-pass-123", "next": "/admin/tracker/project/"})
    assert response["Location"] == "/admin/tracker/project/"
