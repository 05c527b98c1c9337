"""The API shows the published record only, to everyone, editors included: what the editors
record in cycle IV — a new project, evidence, a status change, a rating, even a release
written early — appears nowhere, and a project's status is its status at the end of III."""

import pytest

from tests.api.conftest import DRAFT_WORDS, api, results
from tracker.ops import releases

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/projects/", "/api/v1/regions/", "/api/v1/organizations/", "/api/v1/evidence/",
    "/api/v1/status-changes/", "/api/v1/unresolved/", "/api/v1/releases/", "/api/v1/cycles/",
]


def everything_the_api_says(client):
    """The text of every list, every record of them, and the schema."""
    texts = []
    for path in LISTS:
        for row in results(client, path):
            texts.append(str(row))
            if row.get("url"):
                texts.append(client.get(row["url"]).content.decode())
    texts.append(client.get("/api/v1/schema/", {"format": "json"}).content.decode())
    return "\n".join(texts)


@pytest.fixture
def early_release(drafts):
    """A release written for cycle IV before it is published."""
    release_published_cycles = releases.release_published()
    assert len(release_published_cycles) == 3
    return releases.make_release(drafts["four"])


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_no_draft_appears_anywhere_in_the_api(client, editor_client, drafts, early_release, who):
    reader = editor_client if who == "editor" else client
    said = everything_the_api_says(reader)
    assert "AMU-102" in said and "Heihe Company" in said
    for word in DRAFT_WORDS:
        assert word not in said, word
    assert [row["numeral"] for row in results(reader, "/api/v1/cycles/")] == ["I", "II", "III"]
    assert [row["cycle"] for row in results(reader, "/api/v1/releases/")] == ["I", "II", "III"]
    assert {row["cycle"] for row in results(reader, "/api/v1/evidence/")} <= {"I", "II", "III"}
    assert {row["cycle"] for row in results(reader, "/api/v1/status-changes/")} <= {"I", "II", "III"}


def test_the_status_shown_is_the_status_at_the_end_of_the_published_cycle(client, drafts):
    terminal = api(client, "/api/v1/projects/AMU-102/")
    assert (terminal["status"], terminal["basis"]) == ("stalled", "judgement")  # launched in the draft IV
    assert [entry["cycle"] for entry in terminal["timeline"]] == ["II", "III", "III"]
    launched = {row["reference"] for row in results(client, "/api/v1/projects/", {"status": "launched"})}
    assert launched == {"AMU-901"}
    stalled = {row["reference"] for row in results(client, "/api/v1/projects/", {"status": "stalled"})}
    assert stalled == {"AMU-102"}
    by_status = [row["reference"] for row in results(client, "/api/v1/projects/", {"ordering": "status"})]
    assert by_status.index("AMU-102") > by_status.index("AMU-901")  # "stalled" after "launched", not with it
    unresolved = {row["reference"] for row in results(client, "/api/v1/unresolved/")}
    assert unresolved == {"AMU-102", "NSK-050"}


def test_figures_count_the_published_record_only(client, drafts):
    amur = api(client, "/api/v1/regions/amur/")
    assert amur["project_count"] == 2
    assert [(r["cycle"], r["score"]) for r in amur["ratings"]] == [("I", 7), ("II", 8), ("III", 9)]
    heihe = api(client, f"/api/v1/organizations/{drafts['heihe'].pk}/")
    assert heihe["project_count"] == 2


@pytest.mark.parametrize(
    "path, params",
    [
        ("/api/v1/unresolved/", {"cycle": "IV"}),
        ("/api/v1/evidence/", {"cycle": "IV"}),
        ("/api/v1/status-changes/", {"cycle": "4"}),
        ("/api/v1/projects/", {"first_cycle": "IV"}),
        ("/api/v1/projects/", {"as_of": "IV", "status": "launched"}),
        ("/api/v1/projects/", {"evidence_in": "IV"}),
        ("/api/v1/cycles/IV/", {}),
        ("/api/v1/releases/IV/", {}),
    ],
)
def test_a_draft_cycle_answers_404_like_one_that_does_not_exist(client, drafts, early_release, path, params):
    draft = client.get(path, params, HTTP_ACCEPT_LANGUAGE="en")
    unknown = client.get(path.replace("IV", "XL"), {k: v.replace("IV", "XL").replace("4", "40") for k, v in params.items()}, HTTP_ACCEPT_LANGUAGE="en")
    assert draft.status_code == unknown.status_code == 404
    assert draft.json()["detail"].replace("IV", "?").replace("4", "?") == unknown.json()["detail"].replace("XL", "?").replace("40", "?")


def test_a_draft_project_answers_404_like_one_that_does_not_exist(client, editor_client, drafts):
    for reader in (client, editor_client):
        draft = reader.get("/api/v1/projects/AMU-140/", HTTP_ACCEPT_LANGUAGE="en")
        assert draft.status_code == 404
        assert draft.json() == {"detail": "There is no project “AMU-140” in the published record."}
    works = client.get(f"/api/v1/organizations/{drafts['works'].pk}/")
    assert works.status_code == 404
    assert api(client, "/api/v1/evidence/", {"project": "AMU-140"})["count"] == 0
    assert api(client, "/api/v1/projects/", {"q": "Quasimorph"})["count"] == 0
    assert api(client, "/api/v1/projects/", {"q": "Zanzibarite"})["count"] == 0
