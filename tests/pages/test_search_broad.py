"""A search that finds more than BROAD projects (tracker/pages/search.py): the page counts
them up to BROAD and says there are more, lists those whose titles or partners hold the
words first, ranked, then the others in the order they were entered; the API counts
them all and pages through them in the same order. BROAD is lowered to a few projects."""

import re

import pytest

from tests.factories import add_evidence, add_partner, make_organization, make_project
from tracker.models import Project
from tracker.models.search import matching
from tracker.pages import search as page_search
from tracker.pages.search import RELEVANCE, BroadResults, SearchPaginator

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
RU = {"HTTP_ACCEPT_LANGUAGE": "ru"}


@pytest.fixture
def coal(cycles, region):
    """Three projects whose evidence alone holds "coal" (in the order entered), then a
    title and a partner that hold it — the title's the more relevant."""
    refs = []
    for n, summary in enumerate(["Coal once, among many other words about depots.", "Coal, coal, coal.", "Coal trains."]):
        project = make_project(region, cycles[0], reference=f"EVI-00{n + 1}", title_ru="Склад", title_en="Depot")
        add_evidence(project, cycles[0], summary=summary)
        refs.append(project.reference)
    partner = make_project(region, cycles[0], reference="PAR-001", title_ru="Порт", title_en="Port")
    add_partner(partner, make_organization("Coal Company", name_en="Coal Company"))
    make_project(region, cycles[0], reference="TIT-001", title_ru="Угольный склад", title_en="Coal depot")
    return ["TIT-001", "PAR-001", *refs]


def listed(content):
    return re.findall(r'<td class="key ref head"[^>]*><a href="[^"]+">([A-Z]+-\d+)</a>', content.decode())


def test_below_the_threshold_every_match_is_counted_and_ranked(client, coal):
    page = client.get("/projects/", {"q": "coal"}, **EN).content
    shown = listed(page)  # by relevance (the two one-mention summaries: bm25 and ts_rank differ)
    assert shown[:3] == ["TIT-001", "PAR-001", "EVI-002"] and sorted(shown[3:]) == ["EVI-001", "EVI-003"]
    assert b"5 projects match." in page


def test_past_the_threshold_the_page_counts_up_to_it_and_lists_heads_first(client, coal, monkeypatch):
    monkeypatch.setattr(page_search, "BROAD", 4)
    page = client.get("/projects/", {"q": "coal"}, **EN).content
    assert listed(page) == ["TIT-001", "PAR-001", "EVI-001", "EVI-002"]  # heads ranked, then by entry
    assert b"More than 4 projects match; the first 4 are listed." in page
    russian = client.get("/projects/", {"q": "coal"}, **RU).content.decode()
    assert "Условиям соответствует больше 4 проектов; показаны первые 4." in russian


def test_past_the_threshold_the_api_counts_every_match_in_the_same_order(client, coal, monkeypatch):
    monkeypatch.setattr(page_search, "BROAD", 4)
    first = client.get("/api/v1/projects/", {"q": "coal", "page_size": 3}).json()
    second = client.get("/api/v1/projects/", {"q": "coal", "page_size": 3, "page": 2}).json()
    assert first["count"] == 5
    refs = [row["reference"] for row in first["results"] + second["results"]]
    assert refs == ["TIT-001", "PAR-001", "EVI-001", "EVI-002", "EVI-003"]


def test_pages_of_broad_results_meet_where_the_heads_end(coal, monkeypatch):
    monkeypatch.setattr(page_search, "BROAD", 4)
    results = BroadResults(matching(Project.objects.all(), "coal").order_by(*RELEVANCE))
    whole = ["TIT-001", "PAR-001", "EVI-001", "EVI-002", "EVI-003"]
    for start in range(6):
        for stop in range(start, 7):
            assert [p.reference for p in results[start:stop]] == whole[start:stop], (start, stop)


def test_heads_that_are_themselves_too_many_follow_the_order_of_entry(coal, monkeypatch):
    monkeypatch.setattr(page_search, "BROAD", 1)
    results = BroadResults(matching(Project.objects.all(), "coal").order_by(*RELEVANCE))
    # PAR-001 was entered before TIT-001: two heads, more than BROAD, are not ranked
    assert [p.reference for p in results[0:5]] == ["PAR-001", "TIT-001", "EVI-001", "EVI-002", "EVI-003"]


def test_a_search_sorted_by_another_column_is_counted_up_to_the_threshold_and_sorted_so(coal, monkeypatch):
    monkeypatch.setattr(page_search, "BROAD", 4)
    paginator = SearchPaginator(matching(Project.objects.all(), "coal").order_by("-reference"), 50)
    assert (paginator.count, paginator.more) == (4, True)
    refs = [p.reference for p in paginator.page(1).object_list]
    assert refs == ["TIT-001", "PAR-001", "EVI-003", "EVI-002"]


def test_a_list_that_is_not_a_search_is_counted_whole(coal, monkeypatch):
    monkeypatch.setattr(page_search, "BROAD", 1)
    paginator = SearchPaginator(Project.objects.order_by("reference"), 50)
    assert (paginator.count, paginator.more) == (5, False)
