"""Hostile query strings and addresses on the researchers' pages: every one gets a page
or a message (200, 301/302, 400, 404, 503), never an error page, on both databases."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import add_evidence, add_partner, make_organization, make_project, make_rating, make_source
from tracker.models import Evidence

pytestmark = pytest.mark.django_db

#: Every parameter a public page reads.
PARAMETERS = [
    "cycle", "q", "region", "federal_district", "sector", "status", "as_of", "basis", "disputed",
    "first_cycle", "partner", "partner_country", "amount_min", "amount_max", "announced_from",
    "announced_to", "evidence_in", "ordering", "page", "sort", "export", "measure", "country", "headers", "next",
]

HOSTILE = [
    "²", "①", "٣", "𝟙", "\x00", "a\x00b", "%00", "9" * 40, "-" + "9" * 40, "1e400", "1e30", "NaN", "inf",
    "-1", "0", "", " ", "x" * 5000, "'; DROP TABLE tracker_project; --", "<script>alert(1)</script>",
    "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"), "IV", "MMMMMMMMMM", "2025-13-45",
    "99999-01-01", "../../etc/passwd", "\u202e", "ё" * 300,
]


@pytest.fixture
def world(cycles, region):
    one, two, three = cycles
    make_rating(region, three, 8)
    source = make_source("Рейтинг", url="https://example.org/rating")
    partner = make_organization("Heihe Company", country="CN")
    bridge = make_project(region, one, reference="AMU-901", title_ru="Мост", title_en="Bridge", amount=100, currency="USD")
    add_partner(bridge, partner)
    add_evidence(bridge, two, kind=Evidence.Kind.RESULT, occurred_on=datetime.date(2023, 7, 1), source=source, summary="Opened.")
    return {"bridge": bridge, "partner": partner}


def public_urls(world, region):
    return [
        reverse("tracker:overview"),
        reverse("tracker:project_list"),
        reverse("tracker:unresolved"),
        reverse("tracker:region_list"),
        reverse("tracker:region_map"),
        region.get_absolute_url(),
        world["bridge"].get_absolute_url(),
        world["partner"].get_absolute_url(),
        reverse("tracker:release_list"),
        reverse("tracker:organization_list"),
        reverse("tracker:about"),
    ]


ANSWERS = {200, 301, 302, 400, 404, 503}


def test_every_public_parameter_survives_hostile_values(client, world, region):
    """Every page with every parameter set to each value at once, then each parameter
    alone on the projects list (whose filters the unresolved report shares) and the
    organisations index."""
    for url in public_urls(world, region):
        for value in HOSTILE:
            response = client.get(url, {name: value for name in PARAMETERS})
            assert response.status_code in ANSWERS, (url, repr(value), response.status_code)
    for url in (reverse("tracker:project_list"), reverse("tracker:organization_list")):
        for name in PARAMETERS:
            for value in HOSTILE:
                response = client.get(url, {name: value})
                assert response.status_code in ANSWERS, (url, name, repr(value), response.status_code)


@pytest.mark.parametrize("value", ["²", "①", "٣", "𝟙"])
def test_a_unicode_digit_as_partner_is_a_name_not_an_id(client, world, value):
    for url in (reverse("tracker:project_list"), reverse("tracker:unresolved")):
        response = client.get(url, {"partner": value})
        assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/projects/AMU%00901/", "/projects/%00/", "/regions/amur%00/", "/organizations/99999999999999999999999/",
        "/releases/%00/", "/releases/III/files/%00", "/projects/" + "A" * 3000 + "/",
    ],
)
def test_hostile_addresses_get_404_or_400(client, world, path):
    assert client.get(path).status_code in {400, 404}


@pytest.mark.parametrize("path", ["/admin/tracker/project/?q=%00", "/admin/tracker/project/?region__id__exact=%00",
                                  "/admin/tracker/project/AMU%00901/change/", "/admin/tracker/evidence/?cycle__id__exact=²"])
def test_hostile_admin_addresses_never_answer_500(editor_client, world, path):
    assert editor_client.get(path).status_code in {200, 302, 400, 404}


def test_a_search_of_too_many_words_is_refused_with_a_message(client, world):
    response = client.get(reverse("tracker:project_list"), {"q": " ".join(["a"] * 100)}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "at most 8 words" in response.content.decode()
    assert response.context["count"] == 0


def test_a_too_long_query_string_is_refused(client, world):
    response = client.get(reverse("tracker:project_list") + "?" + "&".join(f"p{i}=1" for i in range(100)), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "at most 40 parameters" in response.content.decode()
