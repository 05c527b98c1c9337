"""Search by words: stems in Russian and English, relevance, marked words, and an index
that follows every write (on SQLite the FTS5 index and its triggers; on PostgreSQL the
GIN indexes read the tables themselves)."""

import pytest
from django.db import connection

from tests.factories import add_evidence, add_partner, make_cycle, make_organization, make_project
from tests.pages.test_publication import count_shown
from tracker.models import Evidence, Organization, Participation, Project, words
from tracker.models import search
from tracker.models.search import matching, rebuild
from tracker.spreadsheets.importer import import_datasets, read_dataset

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def found(text, up_to=None):
    return set(matching(Project.objects.all(), text, up_to=up_to).values_list("reference", flat=True))


def shown(client, text):
    return count_shown(client.get("/projects/", {"q": text}, **EN).content)


@pytest.fixture
def bridge(cycles, region):
    return make_project(region, cycles[0], reference="AMU-101", title_ru="Мост через Амур", title_en="Amur bridge")


def test_a_word_finds_its_other_forms_and_nothing_that_merely_contains_it(cycles, region, bridge):
    make_project(region, cycles[0], reference="AMU-102", title_ru="Центр недвижимости", title_en="Estate centre")
    make_project(region, cycles[0], reference="AMU-103", title_ru="Завод домостроения", title_en="House plant")
    assert found("мосты") == {"AMU-101"}
    assert found("мостом") == {"AMU-101"}
    assert found("мост") == {"AMU-101"}
    assert found("bridges") == {"AMU-101"}
    assert found("недвижимость") == {"AMU-102"}
    assert found("заводы домостроения") == {"AMU-103"}


def test_every_word_must_be_found_and_a_reference_is_found_whole(cycles, region, bridge):
    make_project(region, cycles[0], reference="AMU-104", title_ru="Речной порт", title_en="River port")
    assert found("мост амур") == {"AMU-101"}
    assert found("мост порт") == set()
    assert found("AMU-104") == {"AMU-104"}
    assert found("!!!") == set()


def test_titles_rank_above_partners_and_evidence(cycles, region):
    by_evidence = make_project(region, cycles[0], reference="EVI-001", title_ru="Логистический центр")
    add_evidence(by_evidence, cycles[0], summary="Terminal works.", summary_ru="Начаты работы на терминале.")
    by_partner = make_project(region, cycles[0], reference="PAR-001", title_ru="Склад")
    add_partner(by_partner, make_organization("Терминал Хэйхэ", name_en="Heihe Terminal"))
    make_project(region, cycles[0], reference="TIT-001", title_ru="Зерновой терминал", title_en="Grain terminal")
    ranked = matching(Project.objects.all(), "терминалы").order_by("search_rank", "reference")
    assert list(ranked.values_list("reference", flat=True)) == ["TIT-001", "PAR-001", "EVI-001"]


def test_the_projects_list_ranks_marks_the_words_and_shows_the_matching_summary(client, cycles, region):
    project = make_project(region, cycles[0], reference="SNP-001", title_ru="Склад", title_en="Warehouse")
    add_evidence(project, cycles[0], summary="The bridges were opened to traffic.", summary_ru="Мосты открыты.")
    make_project(region, cycles[0], reference="TOP-001", title_ru="Мост", title_en="Bridge")
    page = client.get("/projects/", {"q": "bridge"}, **EN).content.decode()
    assert page.index("TOP-001") < page.index("SNP-001")
    assert "<mark>Bridge</mark>" in page
    assert 'class="snippet">The <mark>bridges</mark> were opened' in page


def test_a_marked_title_is_still_escaped():
    assert str(words.highlight("<b>мосты</b> & co", "мост")) == "&lt;b&gt;<mark>мосты</mark>&lt;/b&gt; &amp; co"


def test_the_public_never_finds_a_project_by_its_draft_evidence(client, cycles, region, bridge):
    draft = make_cycle(4)
    add_evidence(bridge, draft, summary="Quokkafield signed.", summary_ru="Подписан Квоккафилд.")
    assert shown(client, "Quokkafield") == 0
    assert found("Quokkafield", up_to=3) == set()
    assert found("Quokkafield", up_to=4) == {"AMU-101"}
    draft.is_published = True
    draft.save()
    assert found("Quokkafield", up_to=4) == {"AMU-101"}
    assert shown(client, "Quokkafield") == 1


def test_the_index_follows_edits_deletions_and_renames(cycles, region, bridge):
    bridge.title_ru = "Паромная переправа"
    bridge.save()
    assert found("мост") == set() and found("переправы") == {"AMU-101"}
    evidence = add_evidence(bridge, cycles[1], summary="Ferry terminal opened.", summary_ru="Терминал открыт.")
    assert found("терминалы") == {"AMU-101"}
    Evidence.objects.filter(pk=evidence.pk).update(summary_ru="Причал открыт.", summary="Pier opened.")
    assert found("терминал") == set() and found("причалы") == {"AMU-101"}
    evidence.delete()
    assert found("причал") == set()
    partner = make_organization("Хэйлунцзянская компания", name_en="Heilongjiang Company")
    add_partner(bridge, partner)
    assert found("Heilongjiang") == {"AMU-101"}
    Organization.objects.filter(pk=partner.pk).update(name_en="Harbin Holding")
    assert found("Heilongjiang") == set() and found("Harbin") == {"AMU-101"}
    Participation.objects.filter(project=bridge).delete()
    assert found("Harbin") == set()
    Project.objects.filter(pk=bridge.pk).update(location="Благовещенск")
    assert found("Благовещенске") == {"AMU-101"}
    bridge.delete()
    assert found("Благовещенск") == set()


def test_bulk_writes_and_imports_are_indexed(cycles, region, bridge):
    Evidence.objects.bulk_create([
        Evidence(project=bridge, cycle=cycles[2], kind=Evidence.Kind.RESULT, summary="Spans assembled.",
                 summary_ru="Пролёты собраны.", source=add_evidence(bridge, cycles[0]).source)
    ])
    assert found("пролеты") == {"AMU-101"}
    header = "reference;region;title_ru;title_en;sector;first_cycle\n"
    rows = "".join(f"IMP-{n:03d};RU-AMU;Элеватор {n};Elevator {n};agriculture;II\n" for n in range(60))
    report = import_datasets([("projects", read_dataset((header + rows).encode(), "projects.csv"))])
    assert report.ok, report.problems
    assert len(found("элеваторы")) == 60


def test_a_rebuilt_index_holds_the_same_rows(cycles, region, bridge):
    add_evidence(bridge, cycles[1], summary_ru="Пролёты собраны.")
    add_evidence(bridge, make_cycle(4), summary_ru="Черновик.")
    tables = ("tracker_search", "tracker_search_public")
    with connection.cursor() as cursor:
        def rows():
            result = []
            for table in tables:
                columns = "titles, partners, evidence" if connection.vendor == "sqlite" else f"{table}::text"
                cursor.execute(f"SELECT rowid, {columns} FROM {table} ORDER BY rowid")
                result.append([(row[0], " ".join(row[1:])) for row in cursor.fetchall()])
            return result

        before = rows()
        rebuild()
        assert rows() == before
    assert [len(table) for table in before] == [Project.objects.count()] * 2
    assert "черновик" in before[0][0][1] and "черновик" not in before[1][0][1]


def test_a_bulk_load_writes_the_index_once_at_its_end(cycles, region, bridge):
    doomed = make_project(region, cycles[0], reference="AMU-109", title_ru="Склад зерна")
    with search.deferred():
        make_project(region, cycles[0], reference="AMU-110", title_ru="Элеватор на Зее")
        add_evidence(bridge, cycles[1], summary_ru="Пролёты собраны.")
        doomed.delete()
        assert found("элеваторы") == set()  # the triggers stand aside inside
    assert found("элеваторы") == {"AMU-110"} and found("пролеты") == {"AMU-101"}
    assert found("склад") == set()
    with connection.cursor() as cursor:
        for table in search.TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")
            assert cursor.fetchone()[0] == Project.objects.count()
    make_project(region, cycles[0], reference="AMU-111", title_ru="Паром")  # and are back after it
    assert found("паромы") == {"AMU-111"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row versions (xmin) are PostgreSQL's")
def test_a_write_that_changes_no_word_leaves_the_document_as_it_was(cycles, region, bridge):
    def version():
        with connection.cursor() as cursor:
            cursor.execute("SELECT xmin::text FROM tracker_search WHERE rowid = %s", [bridge.pk])
            return cursor.fetchone()[0]

    before = version()
    Project.objects.filter(pk=bridge.pk).update(amount=1000, currency="RUB")
    assert version() == before
    Project.objects.filter(pk=bridge.pk).update(title_ru="Мост через Зею")
    assert version() != before


def test_equally_relevant_projects_follow_in_the_order_they_were_entered(client, cycles, region):
    for reference in ("ZZZ-001", "AAA-001", "MMM-001"):
        make_project(region, cycles[0], reference=reference, title_ru="Склад угля", title_en="Coal depot")
    page = client.get("/projects/", {"q": "coal"}, **EN).content.decode()
    assert page.index("ZZZ-001") < page.index("AAA-001") < page.index("MMM-001")
    listed = client.get("/api/v1/projects/", {"q": "coal"}).json()["results"]
    assert [row["reference"] for row in listed] == ["ZZZ-001", "AAA-001", "MMM-001"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel workers are PostgreSQL's")
def test_a_search_is_counted_without_parallel_workers_and_nothing_else_is(client, cycles, region, bridge):
    from django.test.utils import CaptureQueriesContext

    def workers():
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            return cursor.fetchone()[0]

    before = workers()
    assert before != "0"
    for url in ("/projects/", "/api/v1/projects/"):
        with CaptureQueriesContext(connection) as queries:
            client.get(url, {"q": "мосты"})
        sql = [query["sql"] for query in queries.captured_queries]
        serial = next(n for n, text in enumerate(sql) if "set_config('max_parallel_workers_per_gather', '0'" in text)
        count = next(n for n, text in enumerate(sql) if "COUNT(*)" in text and "tracker_search" in text)
        assert serial < count, sql
        assert workers() == before  # the setting ended with its transaction
