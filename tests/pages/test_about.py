"""The "About the data" page and the organisations index: the published record only, in
the reader's language."""

import re

import pytest
from django.urls import reverse

from tests.factories import add_partner, make_cycle, make_organization, make_project
from tracker.ops.releases import release_published

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(cycles, region):
    draft = make_cycle(4)
    public = make_project(region, cycles[1], reference="AMU-001")
    second = make_project(region, cycles[2], reference="AMU-002")
    hidden = make_project(region, draft, reference="AMU-003")
    heihe = make_organization("Хэйхэ Трейдинг", country="CN", name_en="Heihe Trading")
    add_partner(public, heihe)
    add_partner(second, heihe)
    add_partner(public, make_organization("Алматы Стил", country="KZ", name_en="Almaty Steel"))
    add_partner(hidden, make_organization("Черновик Лтд", country="DE", name_en="Draft Ltd"))


def test_the_organisations_index_lists_public_partners_with_their_projects(client, partners):
    url = reverse("tracker:organization_list")
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Хэйхэ Трейдинг" in html and "Алматы Стил" in html and "Черновик" not in html
    assert "Германия" not in html  # a country known only from drafts is not offered
    assert html.index("Хэйхэ Трейдинг") < html.index("Алматы Стил")  # most projects first
    assert re.search(r'<td class="num"[^>]*>2</td>', html) and "2 организации" in html
    assert "Алматы" not in client.get(url, {"q": "хэйхэ"}, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    only_kz = client.get(url, {"country": "KZ"}, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Алматы Стил" in only_kz and "Хэйхэ" not in only_kz and ">Казахстан<" in only_kz
    by_name = client.get(url, {"sort": "name"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert by_name.index("Almaty Steel") < by_name.index("Heihe Trading") and 'aria-sort="ascending"' in by_name
    assert client.get(url, {"q": "x" * 5000}).status_code in (200, 400)


def test_about_says_what_the_figures_mean_as_of_the_latest_release_and_how_to_cite(client, cycles):
    release_published()
    ru = client.get(reverse("tracker:about"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "О данных" in ru and "по состоянию выпуска III" in ru and "Правило молчания" in ru
    assert "Трекер исполнения проектов регионов России с Китаем. Выпуск III" in ru and "@misc" in ru
    en = client.get(reverse("tracker:about"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "About the data" in en and "as of release III" in en and "4 years" in en
    assert reverse("tracker:about") in client.get(reverse("tracker:overview")).content.decode()
