"""The schema is the API's contract: every path it names answers, and every query parameter
it documents on a list does what it says — with a valid value it answers 200 and narrows
the results to the right ones."""

import pytest

from tests.api.conftest import api, results
from tracker.ops.releases import release_published

pytestmark = pytest.mark.django_db

EVERY_PROJECT = {"AMU-901", "AMU-102", "NSK-050", "PRI-201", "NSK-301"}
UNRESOLVED_IN_III = {"AMU-102", "NSK-050"}

#: For each list and parameter: the query, and the results it selects (by key).
PROJECT_FILTERS = {
    "q": ({"q": "terminal"}, {"AMU-102"}),
    "region": ({"region": "amur"}, {"AMU-901", "AMU-102"}),
    "federal_district": ({"federal_district": "siberian"}, {"NSK-050", "NSK-301"}),
    "sector": ({"sector": "energy"}, {"NSK-050"}),
    "status": ({"status": "stalled"}, {"AMU-102"}),
    "basis": ({"basis": "inferred"}, {"PRI-201"}),
    "disputed": ({"disputed": "yes"}, {"NSK-050"}),
    "first_cycle": ({"first_cycle": "II"}, {"AMU-102", "PRI-201"}),
    "partner": ({"partner": "Almaty"}, {"AMU-102"}),
    "partner_country": ({"partner_country": "CN"}, {"AMU-901", "NSK-050"}),
    "amount_min": ({"amount_min": "1000"}, {"AMU-102"}),
    "amount_max": ({"amount_max": "1000"}, {"AMU-901"}),
    "announced_from": ({"announced_from": "2023-01-01"}, {"AMU-102"}),
    "announced_to": ({"announced_to": "2023-01-01"}, {"AMU-901"}),
    "evidence_in": ({"evidence_in": "III"}, {"AMU-102"}),
    # `as_of` reads `status` at the end of another cycle: announced at the end of II.
    "as_of": ({"status": "announced", "as_of": "II"}, {"AMU-102", "NSK-050", "PRI-201"}),
}
UNRESOLVED_FILTERS = {
    "cycle": ({"cycle": "II"}, {"NSK-050"}),
    "q": ({"q": "terminal"}, {"AMU-102"}),
    "region": ({"region": "amur"}, {"AMU-102"}),
    "federal_district": ({"federal_district": "siberian"}, {"NSK-050"}),
    "sector": ({"sector": "energy"}, {"NSK-050"}),
    "status": ({"status": "stalled"}, {"AMU-102"}),
    "basis": ({"basis": "judgement"}, {"AMU-102"}),
    "disputed": ({"disputed": "yes"}, {"NSK-050"}),
    "first_cycle": ({"first_cycle": "1"}, {"NSK-050"}),
    "partner": ({"partner": "almaty"}, {"AMU-102"}),
    "partner_country": ({"partner_country": "CN"}, {"NSK-050"}),
    "amount_min": ({"amount_min": "1000"}, {"AMU-102"}),
    "amount_max": ({"amount_max": "10000"}, {"AMU-102"}),
    "announced_from": ({"announced_from": "2023-01-01"}, {"AMU-102"}),
    "announced_to": ({"announced_to": "2025-01-01"}, {"AMU-102"}),
    "evidence_in": ({"evidence_in": "II"}, {"NSK-050"}),
    "as_of": ({"status": "announced", "as_of": "II"}, UNRESOLVED_IN_III),
}
CASES = {
    "projects_list": PROJECT_FILTERS,
    "unresolved_list": UNRESOLVED_FILTERS,
    "evidence_list": {
        "cycle": ({"cycle": "III"}, {("AMU-102", "effort")}),
        "region": ({"region": "novosibirsk"}, {("NSK-050", "contradiction")}),
        "kind": ({"kind": "result"}, {("AMU-901", "result")}),
        "project": ({"project": "AMU-102"}, {("AMU-102", "effort")}),
    },
    "status_changes_list": {
        "cycle": ({"cycle": "III"}, {("NSK-301", "announced"), ("AMU-102", "stalled"), ("PRI-201", "dropped")}),
        "status": ({"status": "dropped"}, {("PRI-201", "dropped")}),
        "basis": ({"basis": "inferred"}, {("PRI-201", "dropped")}),
        "project": ({"project": "AMU-901"}, {("AMU-901", "announced"), ("AMU-901", "launched")}),
    },
    "regions_list": {
        "federal_district": ({"federal_district": "siberian"}, {"novosibirsk"}),
        "borders_china": ({"borders_china": "false"}, {"novosibirsk"}),
    },
    "organizations_list": {
        "q": ({"q": "almaty"}, {"Алматы Стил"}),
        "country": ({"country": "CN"}, {"Heihe Company"}),
        "kind": ({"kind": "state_company"}, {"Алматы Стил"}),
    },
    "releases_list": {},
    "cycles_list": {},
}
#: What identifies a result of each list.
KEYS = {
    "projects_list": lambda row: row["reference"],
    "unresolved_list": lambda row: row["reference"],
    "evidence_list": lambda row: (row["project"], row["kind"]),
    "status_changes_list": lambda row: (row["project"], row["status"]),
    "regions_list": lambda row: row["slug"],
    "organizations_list": lambda row: row["name"],
    "releases_list": lambda row: row["cycle"],
    "cycles_list": lambda row: row["numeral"],
}


def schema(client):
    return api(client, "/api/v1/schema/", {"format": "json"})


def list_operations(document):
    for path, item in document["paths"].items():
        operation = item["get"]
        if operation["operationId"].endswith("_list"):
            yield path, operation


def test_the_schema_says_what_the_api_is_and_lists_every_list(client, world, settings):
    settings.TRACKER_API_ANON_PER_MINUTE, settings.TRACKER_API_USER_PER_MINUTE = 60, 600
    document = schema(client)
    assert document["openapi"].startswith("3.")
    description = document["info"]["description"]
    for words in ("Published record only", "page_size", "`…_label`", "Russian by default", "60 requests a minute", "429"):
        assert words in description
    assert {operation["operationId"] for _path, operation in list_operations(document)} == set(CASES)
    for _path, operation in list_operations(document):
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), (operation["operationId"], parameter["name"])


def test_choices_are_enums_in_the_schema(client, world):
    document = schema(client)
    components = document["components"]["schemas"]
    assert components["ProjectStatusEnum"]["enum"] == ["announced", "stalled", "launched", "dropped"]
    assert "contradiction" in components["EvidenceKindEnum"]["enum"]
    projects = dict(list_operations(document))["/api/v1/projects/"]
    status = next(p for p in projects["parameters"] if p["name"] == "status")
    assert status["schema"]["enum"] == sorted(["announced", "stalled", "launched", "dropped"])


def test_every_documented_filter_of_every_list_narrows_its_results(client, world):
    release_published()
    for path, operation in list_operations(schema(client)):
        name = operation["operationId"]
        key = KEYS[name]
        everything = [key(row) for row in results(client, path)]
        assert len(everything) >= 2, name
        for parameter in operation.get("parameters", []):
            if parameter["name"] in ("page", "page_size"):
                continue  # test_ordering_and_pages_of_every_list
            if parameter["name"] == "ordering":  # the same results, the other way round
                assert [key(row) for row in results(client, path, {"ordering": "-reference"})] == everything[::-1]
                continue
            assert parameter["name"] in CASES[name], f"{name}: no test for the parameter {parameter['name']}"
            query, expected = CASES[name][parameter["name"]]
            found = {key(row) for row in results(client, path, query)}
            assert found == expected, (name, query, found)
            if parameter["name"] != "as_of":
                assert found < set(everything), (name, query)


def test_as_of_reads_the_status_at_the_end_of_another_cycle(client, world):
    now = {row["reference"] for row in results(client, "/api/v1/projects/", {"status": "announced"})}
    assert now == {"NSK-050", "NSK-301"}
    then = results(client, "/api/v1/projects/", {"status": "announced", "as_of": "II"})
    assert {row["reference"] for row in then} != now


def test_ordering_and_pages_of_every_list(client, world):
    release_published()
    for path, operation in list_operations(schema(client)):
        key = KEYS[operation["operationId"]]
        everything = [key(row) for row in results(client, path)]
        first = api(client, path, {"page_size": 1})
        second = api(client, path, {"page_size": 1, "page": 2})
        assert first["count"] == len(everything) and len(first["results"]) == 1, path
        assert [key(row) for row in first["results"] + second["results"]] == everything[:2], path
        assert first["next"] and first["previous"] is None and second["previous"]
    by_reference = [row["reference"] for row in results(client, "/api/v1/projects/", {"ordering": "-reference"})]
    assert by_reference == sorted(EVERY_PROJECT, reverse=True)
    by_amount = results(client, "/api/v1/projects/", {"amount_min": "1", "ordering": "-amount"})
    assert [row["reference"] for row in by_amount] == ["AMU-102", "AMU-901"]


def test_every_path_in_the_schema_answers_for_a_seeded_example(client, world):
    release_published()
    examples = {"reference": "AMU-901", "slug": "amur", "id": str(world["heihe"].pk), "numeral": "III"}
    document = schema(client)
    assert len(document["paths"]) == 13
    for path in document["paths"]:
        address = path.format(**examples)
        body = api(client, address)
        assert body, address
    bridge = api(client, "/api/v1/projects/AMU-901/")
    assert [entry["entry"] for entry in bridge["timeline"]] == ["status_change", "evidence", "status_change"]
    assert bridge["timeline"][1]["evidence"]["source"]["published_precision"] == "month"
    assert bridge["participants"][0]["name"] == "Heihe Company"
    assert api(client, "/api/v1/releases/III/")["citation"]["bibtex"].startswith("@misc{followup_tracker_iii")


def test_the_api_root_lists_the_lists_the_schema_and_the_docs(client, world):
    root = api(client, "/api/v1/")
    assert set(root) == {*(path.strip("/").split("/")[-1] for path, _op in list_operations(schema(client))), "schema", "docs"}
    for address in root.values():
        assert client.get(address).status_code == 200
