"""The rating and region tables sort both ways by each column, without JavaScript, with a
visible arrow and aria-sort on the active column; changes carry a real minus sign."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_rating, make_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def ratings(cycles, region):
    two, three = cycles[1], cycles[2]
    tver = make_region("Tver Oblast", iso_code="RU-TVE", name_ru="Тверская область", slug="tver")
    make_region("Omsk Oblast", iso_code="RU-OMS", name_ru="Омская область", slug="omsk")  # not rated
    make_rating(region, two, 5)
    make_rating(region, three, 7)
    make_rating(tver, two, 5)
    make_rating(tver, three, 3)


def names(html):
    return re.findall(r'<td[^>]*><a href="/regions/[^"]+">([^<]+)</a></td>', html)


def test_the_rating_table_sorts_both_ways_and_says_how(client, ratings):
    url = reverse("tracker:overview")
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'<th scope="col" aria-sort="descending"><a href="\?sort=score">Score <span class="sort-arrow" aria-hidden="true">▼</span>', html)
    assert names(html) == ["Amur Oblast", "Tver Oblast"]
    html = client.get(url, {"sort": "score"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'aria-sort="ascending"' in html and names(html) == ["Tver Oblast", "Amur Oblast"]
    html = client.get(url, {"sort": "-change"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'<td class="num"[^>]*>\+2</td>', html) and re.search('<td class="num"[^>]*>\u22122</td>', html)
    assert names(html) == ["Amur Oblast", "Tver Oblast"]


def test_the_regions_table_sorts_by_each_column_with_unrated_regions_last(client, ratings):
    url = reverse("tracker:region_list")
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'aria-sort="ascending"' in html and names(html) == ["Amur Oblast", "Omsk Oblast", "Tver Oblast"]
    html = client.get(url, {"sort": "-score"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert names(html) == ["Amur Oblast", "Tver Oblast", "Omsk Oblast"]
    html = client.get(url, {"sort": "score"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert names(html) == ["Tver Oblast", "Amur Oblast", "Omsk Oblast"]
    assert client.get(url, {"sort": "'; DROP"}).status_code == 200
