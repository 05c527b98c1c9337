"""What one public request may cost: a time budget for its queries, bounded downloads."""

import csv
import io
import time

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import make_project
from tracker.pages.limits import OutOfTime, query_budget

pytestmark = pytest.mark.django_db

SLOW_SQL = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
    "SELECT count(*) FROM (SELECT x FROM c LIMIT 300000000) AS t",
    "postgresql": "SELECT pg_sleep(5)",
}


def test_a_query_running_past_the_budget_is_stopped_on_either_database():
    started = time.monotonic()
    with pytest.raises(OutOfTime):
        with query_budget(0.2):
            with connection.cursor() as cursor:
                cursor.execute(SLOW_SQL[connection.vendor])
                cursor.fetchall()
    assert time.monotonic() - started < 1.5


def test_the_budget_is_lifted_after_the_request():
    with query_budget(5):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "0"
        cursor.execute(SLOW_SQL["sqlite"].replace("300000000", "300000"))  # runs to the end
        assert cursor.fetchone()[0] == 300000


def test_a_page_out_of_time_answers_503_with_a_message_in_the_readers_language(client, cycles, settings):
    settings.TRACKER_PUBLIC_QUERY_SECONDS = 0.000001
    response = client.get(reverse("tracker:project_list"), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 503
    assert "Запрос выполнялся слишком долго" in response.content.decode()
    assert response["Retry-After"]


def test_a_download_of_more_rows_than_the_limit_is_refused_with_a_message(client, cycles, region, settings):
    for n in range(4):
        make_project(region, cycles[0], reference=f"AMU-{n:03}")
    settings.TRACKER_PUBLIC_EXPORT_MAX_ROWS = 3
    for extension in ("csv", "xlsx", "json"):
        response = client.get(reverse("tracker:project_list"), {"export": extension}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400
        assert "These filters select 4 rows; a download holds at most 3" in response.content.decode()
    response = client.get(reverse("tracker:project_list"), {"export": "csv", "q": "AMU-001"})
    assert response.status_code == 200


def test_a_streamed_csv_is_the_file_written_whole(client, cycles, region):
    from tracker.spreadsheets.formats import CSV
    from tracker.spreadsheets.reports import public_projects_dataset
    from tracker.models import Project

    for n in range(2500):  # more than two chunks
        make_project(region, cycles[0], reference=f"AMU-{n:04}", title_en=f"=cmd|{n}")
    response = client.get(reverse("tracker:project_list"), {"export": "csv"})
    assert response.streaming
    streamed = response.getvalue()
    whole = CSV().export_data(public_projects_dataset(Project.objects.order_by("reference"), 3))
    assert streamed == whole.encode("utf-8")
    rows = list(csv.DictReader(io.StringIO(streamed.decode("utf-8-sig"))))
    assert len(rows) == 2500 and rows[0]["title_en"] == "'=cmd|0"


def test_a_client_with_a_page_being_rendered_gets_429_for_another_render_and_others_do_not(client, cycles):
    from django.test import RequestFactory

    from tracker.pages.limits import render_slot

    busy = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
    with render_slot(busy) as free:
        assert free
        refused = client.get(reverse("tracker:project_list"), REMOTE_ADDR="127.0.0.1")
        assert refused.status_code == 429 and refused["Retry-After"]
        assert client.get(reverse("tracker:project_list"), REMOTE_ADDR="10.0.0.9").status_code == 200
    assert client.get(reverse("tracker:project_list"), REMOTE_ADDR="127.0.0.1").status_code == 200
