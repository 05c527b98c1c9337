"""No request answers 500: hostile query strings and addresses get 400 or 404 with a JSON
`detail` saying what is wrong; too many requests get 429 with Retry-After and the same in
words; a request out of time gets 503; the API only reads."""

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import translation

from tests.api.conftest import api

pytestmark = pytest.mark.django_db

HOSTILE = [
    "²", "٣", "9" * 40, "-" + "9" * 40, "1e400", "NaN", "inf", "-1", "0", " ", "x" * 1500,
    "'; DROP TABLE tracker_project; --", "<script>alert(1)</script>", "MMMMMMMMMM", "XYZ", "2025-13-45",
    "99999-01-01", "../../etc/passwd", "\u202e", "ё" * 300, "true,false", "-",
]
LISTS = [
    "/api/v1/projects/", "/api/v1/unresolved/", "/api/v1/evidence/", "/api/v1/status-changes/",
    "/api/v1/regions/", "/api/v1/organizations/", "/api/v1/releases/", "/api/v1/cycles/",
]


def parameters_of(client, path):
    document = api(client, "/api/v1/schema/", {"format": "json"})
    return [p["name"] for p in document["paths"][path]["get"].get("parameters", [])]


def refused(response):
    """The JSON `detail` of a 4xx answer."""
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail.strip()
    return detail


def test_every_parameter_of_every_list_survives_hostile_values(client, world):
    for path in LISTS:
        for name in parameters_of(client, path):
            for value in HOSTILE:
                response = client.get(path, {name: value})
                assert response.status_code in (200, 400, 404), (path, name, value, response.status_code)
                if response.status_code != 200:
                    refused(response)


@pytest.mark.parametrize(
    "path, params, status, words",
    [
        ("/api/v1/projects/", {"page": "9" * 30}, 404, "There is no page"),
        ("/api/v1/projects/", {"page": "-1"}, 404, "There is no page"),
        ("/api/v1/projects/", {"page_size": "-1"}, 400, "page_size: Give a whole number from 1 to 200."),
        ("/api/v1/projects/", {"page_size": "lots"}, 400, "page_size"),
        ("/api/v1/projects/", {"status": "finished"}, 400, "status: Select a valid choice."),
        ("/api/v1/projects/", {"ordering": "secret"}, 400, "ordering"),
        ("/api/v1/projects/", {"q": "x" * 10_000}, 400, "at most 40 parameters and 2000 characters"),
        ("/api/v1/projects/", {"q": "x" * 500}, 400, "q: Ensure this value has at most 200 characters"),
        ("/api/v1/projects/", {"q": "a b c d e f g h i"}, 400, "Search for at most 8 words"),
        ("/api/v1/projects/", {"region": "atlantis"}, 400, "region: Select a valid choice."),
        ("/api/v1/projects/", {"amount_min": "lots"}, 400, "amount_min: Enter a number."),
        ("/api/v1/projects/", {"announced_from": "2025-13-45"}, 400, "announced_from: Enter a valid date."),
        ("/api/v1/projects/", {"first_cycle": "XYZ"}, 404, "There is no cycle “XYZ”."),
        ("/api/v1/unresolved/", {"cycle": "XYZ"}, 404, "There is no cycle “XYZ”."),
        ("/api/v1/unresolved/", {"cycle": "9" * 40}, 404, "There is no cycle"),
        ("/api/v1/evidence/", {"kind": "rumour"}, 400, "kind: Select a valid choice."),
        ("/api/v1/regions/", {"borders_china": "maybe"}, 400, "borders_china"),
        ("/api/v1/organizations/", {"country": "ZZ"}, 400, "country"),
        ("/api/v1/projects/NOPE-1/", {}, 404, "There is no project “NOPE-1” in the published record."),
        ("/api/v1/regions/atlantis/", {}, 404, "There is no region “atlantis”."),
        ("/api/v1/organizations/" + "9" * 30 + "/", {}, 404, "There is no such address in the API"),
        ("/api/v1/cycles/0/", {}, 404, "There is no cycle “0”."),
        ("/api/v1/releases/MMMMMMMMMMMMMMMMMMMM/", {}, 404, "There is no release"),
        ("/api/v1/no-such-list/", {}, 404, "There is no such address in the API"),
        ("/api/v1/projects/", {"format": "xml"}, 404, "There is nothing at this address."),
    ],
)
def test_a_hostile_query_gets_a_4xx_with_a_clear_detail(client, world, path, params, status, words):
    response = client.get(path, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status
    assert words in refused(response)


def test_invalid_parameters_are_also_listed_one_by_one(client, world):
    body = client.get("/api/v1/projects/", {"status": "finished", "sector": "magic"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert set(body["errors"]) == {"status", "sector"}
    assert body["detail"].startswith("Invalid query parameters — ")


def test_a_nul_character_is_refused_before_the_api(client, world):
    assert client.get("/api/v1/projects/", {"q": "a\x00b"}).status_code == 400


def test_the_api_only_reads(client, world):
    for method in ("post", "put", "patch", "delete", "options"):
        response = getattr(client, method)("/api/v1/projects/", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 405, method
        assert refused(response) == "The API only reads: ask with GET."
    assert client.head("/api/v1/projects/").status_code == 200


def test_the_api_answers_in_json_only(client, world):
    response = client.get("/api/v1/projects/", HTTP_ACCEPT="text/csv", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 406
    assert refused(response) == "The API answers in JSON only: accept application/json."


def test_a_request_out_of_time_answers_503_in_json(client, world, settings):
    settings.TRACKER_PUBLIC_QUERY_SECONDS = 0.000001
    response = client.get("/api/v1/projects/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "would take more than" in refused(response)


def test_when_the_site_requires_login_so_does_the_api(client, researcher_client, world, settings):
    settings.TRACKER_REQUIRE_LOGIN = True
    response = client.get("/api/v1/projects/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "signed-in users only" in refused(response)
    assert researcher_client.get("/api/v1/projects/").status_code == 200


def test_too_many_requests_get_429_with_retry_after_and_when_to_try_again(client, world, settings):
    settings.TRACKER_API_ANON_PER_MINUTE = 2
    caches["default"].clear()
    assert client.get("/api/v1/cycles/").status_code == 200
    assert client.get("/api/v1/regions/").status_code == 200
    response = client.get("/api/v1/projects/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    assert 1 <= seconds <= 60
    assert refused(response) == f"You have sent too many requests. Try again in {seconds} seconds."
    russian = client.get("/api/v1/projects/", HTTP_ACCEPT_LANGUAGE="ru")
    with translation.override("ru"):
        expected = translation.ngettext(
            "You have sent too many requests. Try again in %(seconds)d second.",
            "You have sent too many requests. Try again in %(seconds)d seconds.",
            int(russian["Retry-After"]),
        ) % {"seconds": int(russian["Retry-After"])}
    assert russian.status_code == 429 and refused(russian) == expected
    spoofed = client.get("/api/v1/projects/", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert spoofed.status_code == 429  # a client-sent X-Forwarded-For does not make a new client


def test_signed_in_users_have_a_rate_of_their_own(client, researcher_client, world, settings):
    settings.TRACKER_API_ANON_PER_MINUTE, settings.TRACKER_API_USER_PER_MINUTE = 1, 3
    caches["default"].clear()
    assert [researcher_client.get("/api/v1/cycles/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert [client.get("/api/v1/cycles/").status_code for _ in range(2)] == [200, 429]
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.get("/api/v1/cycles/").status_code == 200  # another address, another count
