"""Whole-page cache of the researchers' pages: served while the data is unchanged, never
after a write, never to signed-in users, per language."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_cycles, make_project, make_region
from tracker.pages import cache as pagecache
from tracker.models import Project
from tracker.spreadsheets.importer import import_datasets, read_dataset
from tracker.status import history

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(settings):
    settings.TRACKER_PAGE_CACHE = True
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def data(db):
    cycles = make_cycles(3)
    region = make_region(iso_code="RU-AMU", slug="amur")
    project = make_project(region, cycles[0], reference="AMU-001", title_ru="Мост", title_en="Bridge")
    return cycles, region, project


def test_second_request_is_served_from_the_cache(client, cache_on, data):
    url = reverse("tracker:project_list")
    first, second = client.get(url), client.get(url)
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert first.content == second.content


@pytest.mark.django_db(transaction=True)
def test_a_write_is_visible_on_the_next_request(client, cache_on, data):
    cycles, region, project = data
    url = reverse("tracker:project_detail", args=["AMU-001"])
    client.get(url)
    before = pagecache.data_version()
    history.append_status_change(project, Project.Status.LAUNCHED, cycles[2])
    assert pagecache.data_version() > before
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert b"status-launched" in response.content


@pytest.mark.django_db(transaction=True)
def test_the_version_is_raised_once_per_transaction_after_it_commits(data):
    cycles, region, project = data
    before = pagecache.data_version()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        history.append_status_change(project, Project.Status.STALLED, cycles[1])
        make_project(region, cycles[2], reference="AMU-002")
        if connection.vendor == "postgresql":  # SQLite raises it inside, committed with the data
            assert pagecache.data_version() == before  # not yet: the writes are not committed
    raised = [q for q in queries if "tracker_dataversion" in q["sql"] and q["sql"].startswith("UPDATE")]
    assert len(raised) == 1
    assert pagecache.data_version() == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_bulk_import_raises_the_data_version(client, cache_on, data):
    url = reverse("tracker:project_list")
    client.get(url)
    rows = ["reference,region,title_ru,sector,first_cycle"] + [f"BLK-{i:03d},RU-AMU,Проект {i},energy,II" for i in range(210)]
    report = import_datasets([("projects", read_dataset("\n".join(rows).encode(), "projects.csv"))])
    assert report.ok
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "211" in response.content.decode()


def test_a_dry_run_leaves_the_cache_valid(client, cache_on, data):
    url = reverse("tracker:project_list")
    client.get(url)
    rows = ["reference,region,title_ru,sector,first_cycle"] + [f"DRY-{i:03d},RU-AMU,Проект {i},energy,II" for i in range(210)]
    import_datasets([("projects", read_dataset("\n".join(rows).encode(), "projects.csv"))], dry_run=True)
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_signed_in_users_and_exports_are_never_cached(client, cache_on, data, researcher):
    url = reverse("tracker:project_list")
    assert "X-Page-Cache" not in client.get(url, {"export": "csv"})
    client.force_login(researcher)
    assert "X-Page-Cache" not in client.get(url)
    assert "X-Page-Cache" not in client.get(url)


def test_each_language_has_its_own_copy(client, cache_on, data):
    url = reverse("tracker:project_detail", args=["AMU-001"])
    assert "Мост" in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url)
    assert english["X-Page-Cache"] == "miss"
    assert "Bridge" in english.content.decode()


def test_language_links_set_the_cookie_and_go_back(client, data):
    page = reverse("tracker:project_detail", args=["AMU-001"])
    response = client.get(reverse("tracker:language", args=["en"]), {"next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Bridge" in client.get(page).content.decode()
    away = client.get(reverse("tracker:language", args=["ru"]), {"next": "https://evil.example/"})
    assert away["Location"] == "/"
    unknown = client.get(reverse("tracker:language", args=["xx"]))
    assert settings.LANGUAGE_COOKIE_NAME not in unknown.cookies


def test_pages_hold_no_per_visitor_token(client, cache_on, data):
    content = client.get(reverse("tracker:overview")).content.decode()
    assert "csrfmiddlewaretoken" not in content


def test_health_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("tracker:health"))
    assert response.status_code == 200 and response.content == b"ok\n"
