"""The researchers' pages, as an anonymous visitor sees them."""

import csv
import re
import datetime
import io
import json

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import add_evidence, add_partner, make_organization, make_project, make_rating, make_source
from tracker.models import Evidence, Project
from tracker.status import history

S = Project.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cycles, region):
    one, two, three = cycles
    make_rating(region, two, 9)
    make_rating(region, three, 8, note="Trade grew.")
    source = make_source("Рейтинг, третий выпуск", url="https://example.org/rating")
    heihe = make_organization("Heihe Company", country="CN")
    bridge = make_project(region, one, reference="AMU-901", title_ru="Мост Благовещенск – Хэйхэ", title_en="Blagoveshchensk–Heihe bridge", sector="transport", amount=100, currency="USD")
    add_partner(bridge, heihe)
    e = add_evidence(bridge, two, kind=Evidence.Kind.RESULT, occurred_on=datetime.date(2023, 7, 1), source=source, summary="The bridge opened to traffic.")
    history.append_status_change(bridge, S.LAUNCHED, two, evidence=e)
    conveyor = make_project(region, two, reference="AMU-002", title_ru="Угольный конвейер", title_en="Coal conveyor", sector="mining")
    add_evidence(conveyor, three, kind=Evidence.Kind.FOLLOW_UP, source=source, summary="No news of the conveyor.")
    make_project(region, three, reference="AMU-003", title_ru="<script>alert(1)</script> Завод", title_en="Plant", sector="machinery")
    return {"bridge": bridge, "conveyor": conveyor, "heihe": heihe}


def pages(world, region):
    return [
        reverse("tracker:overview"),
        reverse("tracker:overview") + "?cycle=II&sort=-change",
        reverse("tracker:project_list"),
        reverse("tracker:project_list") + "?partner=heihe&as_of=3&ordering=-amount",
        reverse("tracker:unresolved"),
        reverse("tracker:unresolved") + f"?region={region.slug}&page=2",
        reverse("tracker:region_list"),
        reverse("tracker:region_map"),
        reverse("tracker:region_map") + "?measure=unresolved&cycle=II",
        region.get_absolute_url(),
        world["bridge"].get_absolute_url(),
        world["heihe"].get_absolute_url(),
        reverse("tracker:organization_list"),
        reverse("tracker:organization_list") + "?q=heihe&sort=name",
        reverse("tracker:about"),
    ]


def test_every_page_opens_for_an_anonymous_visitor(client, world, region):
    for url in pages(world, region):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<h1>" in response.getvalue().decode()


def test_one_setting_makes_the_whole_site_require_login(client, world, region, settings):
    settings.TRACKER_REQUIRE_LOGIN = True
    for url in pages(world, region):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


def test_unknown_cycle_project_and_region_are_404(client, world):
    assert client.get(reverse("tracker:overview") + "?cycle=IX").status_code == 404
    assert client.get(reverse("tracker:project_detail", args=["NOPE-001"])).status_code == 404
    assert client.get(reverse("tracker:region_detail", args=["atlantis"])).status_code == 404


def test_filters_change_the_count(client, world):
    url = reverse("tracker:project_list")
    assert client.get(url).context["count"] == 3
    assert client.get(url, {"sector": "mining"}).context["count"] == 1
    assert client.get(url, {"status": "launched"}).context["count"] == 1
    assert client.get(url, {"status": "announced", "as_of": "2"}).context["count"] == 1  # AMU-003 came later
    assert client.get(url, {"status": "launched", "as_of": "1"}).context["count"] == 0
    assert client.get(url, {"first_cycle": "3"}).context["count"] == 1
    assert client.get(url, {"partner_country": "CN"}).context["count"] == 1
    assert client.get(url, {"partner": world["heihe"].pk}).context["count"] == 1
    assert client.get(url, {"amount_min": "50"}).context["count"] == 1
    assert client.get(url, {"evidence_in": "3"}).context["count"] == 1
    assert client.get(url, {"federal_district": "far_eastern"}).context["count"] == 3
    assert client.get(url, {"region": "amur"}).context["count"] == 3


@pytest.mark.parametrize("term, expected", [
    ("МОСТ", "AMU-901"),          # Cyrillic, other case
    ("conveyor", "AMU-002"),      # English title
    ("heihe company", "AMU-901"), # partner name
    ("traffic", "AMU-901"),       # evidence summary
])
def test_search_covers_titles_evidence_and_partners_in_both_languages(client, world, term, expected):
    page = client.get(reverse("tracker:project_list"), {"q": term})
    assert [p.reference for p in page.context["page"]] == [expected]


def test_unresolved_page_lists_earlier_unfinished_projects(client, world):
    page = client.get(reverse("tracker:unresolved"), {"cycle": "III"})
    assert [p.reference for p in page.context["rows"]] == ["AMU-002"]
    html = page.getvalue().decode()
    assert "Coal conveyor" in html or "Угольный конвейер" in html


@pytest.mark.parametrize("extension", ["csv", "xlsx", "json"])
def test_exports_hold_exactly_the_filtered_rows(client, world, extension):
    response = client.get(reverse("tracker:project_list"), {"sector": "mining", "export": extension})
    assert response.status_code == 200
    if extension == "csv":
        rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
        references = [r["reference"] for r in rows]
    elif extension == "json":
        references = [r["reference"] for r in json.loads(response.getvalue())]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
        references = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert references == ["AMU-002"]


def test_unresolved_export(client, world):
    response = client.get(reverse("tracker:unresolved"), {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert [(r["reference"], r["silent"]) for r in rows] == [("AMU-002", "false")]


def test_project_timeline_merges_evidence_and_changes_with_linked_sources(client, world):
    html = client.get(world["bridge"].get_absolute_url()).getvalue().decode()
    timeline = html[html.index('<ol class="timeline">'):]
    assert timeline.index("The bridge opened to traffic.") < timeline.index("status-launched")
    assert 'href="https://example.org/rating"' in html
    assert "Heihe Company" in html


def test_html_in_titles_shows_as_text(client, world):
    for url in [reverse("tracker:project_list"), reverse("tracker:project_detail", args=["AMU-003"])]:
        html = client.get(url).getvalue().decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_region_page_shows_scores_rate_and_unresolved(client, world, region):
    page = client.get(region.get_absolute_url(), {"cycle": "III"})
    assert page.context["rate"] == 50  # of two earlier announcements, the bridge launched
    assert [p.reference for p in page.context["unresolved"]] == ["AMU-002"]
    assert "<svg" in page.getvalue().decode()


def test_language_switch_changes_data_and_labels(client, world):
    url = world["conveyor"].get_absolute_url()
    assert "Угольный конвейер" in client.get(url).getvalue().decode().split("<h1>")[1]
    client.post(reverse("set_language"), {"language": "en", "next": url})
    html = client.get(url).getvalue().decode()
    assert "Coal conveyor" in html.split("<h1>")[1]
    assert 'lang="en"' in html


def test_pages_fetch_nothing_from_the_internet(client, world, region):
    for url in pages(world, region):
        html = client.get(url).getvalue().decode()
        external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
        # Only links out to cited sources are allowed; no script, style, font or image.
        assert all("example.org/rating" in url for url in external), external
        assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?://', html)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queries_per_page_do_not_grow_with_the_number_of_rows(client, world, region, cycles):
    urls = pages(world, region)
    before = {url: _queries(client, url) for url in urls}
    source = make_source("More")
    for i in range(30):
        project = make_project(region, cycles[1], reference=f"MOR-{i:03d}")
        add_partner(project, make_organization(f"Partner {i}"))
        add_evidence(project, cycles[2], source=source)
        history.append_status_change(project, S.STALLED, cycles[2])
    world["heihe"].participations.create(project=Project.objects.get(reference="MOR-001"), role="investor")
    after = {url: _queries(client, url) for url in urls}
    assert after == before
