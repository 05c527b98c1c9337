"""Names never change with the language; labels and messages are in the reader's: Russian by
default, English with Accept-Language: en or the site's language cookie."""

import pytest
from django.conf import settings
from django.utils import translation

from tests.api.conftest import api

pytestmark = pytest.mark.django_db


def test_labels_are_in_russian_by_default(client, world):
    terminal = api(client, "/api/v1/projects/AMU-102/", language=None)
    assert (terminal["status"], terminal["status_label"]) == ("stalled", "застопорился")
    assert terminal["sector_label"] == "логистика" and terminal["basis_label"] == "оценка редакции"
    amur = api(client, "/api/v1/regions/amur/", language=None)
    assert amur["federal_district_label"] == "Дальневосточный"


def test_labels_are_in_english_with_accept_language_en(client, world):
    terminal = api(client, "/api/v1/projects/AMU-102/", language="en")
    assert (terminal["status"], terminal["status_label"]) == ("stalled", "stalled")
    assert terminal["basis_label"] == "editors' judgement"
    heihe = api(client, "/api/v1/organizations/", {"country": "CN"}, language="en")["results"][0]
    assert (heihe["country"], heihe["country_name"]) == ("CN", "China")


def test_the_language_cookie_chooses_the_language_too(client, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert api(client, "/api/v1/projects/AMU-102/", language=None)["status_label"] == "stalled"


def without_labels(value):
    if isinstance(value, dict):
        return {k: without_labels(v) for k, v in value.items() if not k.endswith("_label")}
    if isinstance(value, list):
        return [without_labels(v) for v in value]
    return value


def test_names_and_codes_are_the_same_in_either_language(client, world):
    russian = api(client, "/api/v1/projects/AMU-102/", language="ru")
    english = api(client, "/api/v1/projects/AMU-102/", language="en")
    assert list(russian) == list(english)
    assert without_labels(russian) == without_labels(english)
    assert russian["timeline"][1]["evidence"]["kind_label"] != english["timeline"][1]["evidence"]["kind_label"]


def test_refusals_speak_the_readers_language(client, world):
    for language in ("ru", "en"):
        response = client.get("/api/v1/unresolved/", {"cycle": "XYZ"}, HTTP_ACCEPT_LANGUAGE=language)
        with translation.override(language):
            expected = translation.gettext("There is no cycle “%(cycle)s”.") % {"cycle": "XYZ"}
        assert response.json() == {"detail": expected}
    response = client.get("/api/v1/projects/", {"status": "finished"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert "Выберите корректный вариант" in response.json()["detail"]


def test_the_schema_speaks_the_readers_language(client, world):
    russian = api(client, "/api/v1/schema/", {"format": "json"}, language="ru")
    assert russian["paths"]["/api/v1/projects/"]["get"]["summary"] == "Проекты"
    english = api(client, "/api/v1/schema/", {"format": "json"}, language="en")
    assert english["paths"]["/api/v1/projects/"]["get"]["summary"] == "Projects"
