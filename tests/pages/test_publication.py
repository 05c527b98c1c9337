"""Publication (docs/domain.md "Published cycles and the lock", tracker/pages/audience.py):
what an editor records in the open cycle stays out of every public page and export until
the cycle is published; editors see it marked as a draft and can check the public view;
publishing makes all of it public at once, and a cycle that cannot be published is
refused with a clear message, changing nothing."""

import datetime
import io
import re
import urllib.parse

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from audit.context import acting
from ratings.models import Cycle
from tests.factories import add_evidence, add_partner, make_cycle, make_organization, make_project, make_rating, make_region, make_source
from tracker.models import Evidence, Project, Release
from tracker.ops import releases
from tracker.status import history

S = Project.Status
pytestmark = pytest.mark.django_db

#: Words that exist only in what the editor records in cycle IV.
DRAFT_WORDS = ["Quasimorph", "Квазиморф", "Xylotrope", "Ксилотроп", "Zanzibarite", "Занзибарит", "Quokkafield", "Квоккафилд", "AMU-140"]


@pytest.fixture
def media(settings, tmp_path):
    """A release folder of this test's own, so "no file written" can be checked."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def published(cycles, region):
    """Cycles I–III published, with ratings, projects, evidence and status changes."""
    one, two, three = cycles
    primorye = make_region("Primorsky Krai", iso_code="RU-PRI", name_ru="Приморский край", slug="primorye")
    for cycle, score in zip(cycles, (8, 9, 9)):
        make_rating(region, cycle, score)
    make_rating(primorye, three, 6)
    source = make_source("Рейтинг, третий выпуск")
    heihe = make_organization("Heihe Company", country="CN")
    bridge = make_project(region, one, reference="AMU-901", title_ru="Мост через Амур", title_en="Amur bridge", sector="transport")
    add_partner(bridge, heihe)
    opened = add_evidence(bridge, two, kind=Evidence.Kind.RESULT, occurred_on=datetime.date(2023, 7, 1), source=source, summary="The bridge opened.")
    history.append_status_change(bridge, S.LAUNCHED, two, evidence=opened)
    terminal = make_project(region, two, reference="AMU-102", title_ru="Зерновой терминал", title_en="Grain terminal")
    add_evidence(terminal, three, kind=Evidence.Kind.EFFORT, source=source, summary="Works on the terminal were discussed.")
    plant = make_project(region, three, reference="AMU-103", title_ru="Соевый завод", title_en="Soy plant", sector="agriculture")
    quarry = make_project(primorye, two, reference="PRI-201", title_ru="Карьер", title_en="Quarry", sector="mining")
    return {
        "cycles": cycles, "region": region, "primorye": primorye, "source": source, "heihe": heihe,
        "bridge": bridge, "terminal": terminal, "plant": plant, "quarry": quarry,
    }


def record_drafts(world, editor):
    """Cycle IV, opened and filled by an editor: a new project, evidence on an existing one,
    a status change on another, a rating."""
    four = make_cycle(4)
    assert not four.is_published
    with acting(editor, "admin"):
        works = make_organization("Fengtaixing Holdings", country="CN")
        new = make_project(
            world["region"], four, reference="AMU-140", title_ru="Завод Квазиморф", title_en="Quasimorph works", sector="machinery",
        )
        add_partner(new, works)
        add_partner(new, world["heihe"])
        add_evidence(new, four, kind=Evidence.Kind.EFFORT, source=world["source"], summary="Xylotrope investors signed.", summary_ru="Инвесторы Ксилотроп подписали соглашение.")
        add_evidence(world["plant"], four, kind=Evidence.Kind.EFFORT, source=world["source"], summary="Quokkafield consultations resumed.", summary_ru="Консультации Квоккафилд возобновились.")
        shipped = add_evidence(
            world["terminal"], four, kind=Evidence.Kind.RESULT, occurred_on=datetime.date(2026, 9, 1), source=world["source"],
            summary="Zanzibarite shipments began.", summary_ru="Начались поставки Занзибарит.",
        )
        history.append_status_change(world["terminal"], S.LAUNCHED, four, evidence=shipped, by=editor)
        make_rating(world["region"], four, 7)
    world.update(four=four, new=new, works=works)
    return four


def public_urls(world):
    region, primorye = world["region"], world["primorye"]
    projects = reverse("tracker:project_list")
    unresolved = reverse("tracker:unresolved")
    return [
        reverse("tracker:overview"),
        reverse("tracker:overview") + "?cycle=III",
        reverse("tracker:overview") + "?cycle=II&sort=-change",
        projects,
        projects + "?export=csv",
        projects + "?export=json",
        projects + "?q=Quasimorph",
        projects + "?q=Квазиморф",
        projects + "?q=Xylotrope",
        projects + "?q=Ксилотроп",
        projects + "?q=Zanzibarite",
        projects + "?q=Quokkafield",
        projects + "?q=AMU-140",
        projects + "?q=Fengtaixing",
        projects + "?partner=Fengtaixing",
        projects + "?status=launched",
        projects + "?status=launched&export=csv",
        projects + "?status=announced",
        projects + "?first_cycle=IV",
        projects + "?first_cycle=4",  # the filters name cycles by number
        projects + "?first_cycle=4&export=csv",
        projects + "?evidence_in=IV",
        projects + "?evidence_in=4",
        projects + "?evidence_in=4&export=json",
        projects + "?as_of=3&status=launched",
        projects + "?as_of=4&status=launched",
        unresolved,
        unresolved + "?export=csv",
        unresolved + "?export=json",
        unresolved + "?cycle=III",
        unresolved + "?q=Quokkafield",
        reverse("tracker:region_list"),
        reverse("tracker:region_map"),
        reverse("tracker:region_map") + "?measure=change",
        reverse("tracker:region_map") + "?measure=follow_through&cycle=III",
        reverse("tracker:region_map") + "?measure=unresolved",
        region.get_absolute_url(),
        primorye.get_absolute_url(),
        world["bridge"].get_absolute_url(),
        world["terminal"].get_absolute_url(),
        world["plant"].get_absolute_url(),
        world["quarry"].get_absolute_url(),
        world["heihe"].get_absolute_url(),
        reverse("tracker:organization_list"),
    ]


XLSX_URLS = [reverse("tracker:project_list") + "?export=xlsx", reverse("tracker:unresolved") + "?export=xlsx"]

#: Pages that exist for nobody but those who see cycle IV.
DRAFT_ONLY_URLS = [
    "/?cycle=IV",
    "/unresolved/?cycle=IV",
    "/regions/?cycle=IV",
    "/regions/amur/?cycle=IV",
    "/map/?cycle=IV",
    "/map/?cycle=IV&measure=change",
    "/projects/AMU-140/",
]


def xlsx_rows(content):
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets]


def crawl(client, urls, language):
    pages = {}
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        pages[url] = response.getvalue()
    return pages


def count_shown(content):
    match = re.search(rb'<p class="count" role="status">(\d+)', content)
    return int(match.group(1)) if match else None


def assert_no_trace(pages, world):
    for url, content in pages.items():
        text = content.decode("utf-8-sig")
        asked = urllib.parse.unquote(url)  # a search page repeats its own query, nothing more
        for word in DRAFT_WORDS:
            if word not in asked:
                assert word not in text, (url, word)
        assert 'value="IV"' not in text and 'value="4"' not in text and ">IV<" not in text, url  # no cycle IV in any picker or filter
        assert "/projects/AMU-140/" not in text, url


def public_client(persona, researcher):
    client = Client()
    if persona == "researcher":
        client.force_login(researcher)
    return client


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("persona", ["anonymous", "researcher"])
def test_the_public_sees_no_trace_of_the_open_cycle(published, editor, researcher, persona, language):
    world = published
    urls = public_urls(world)
    client = public_client(persona, researcher)
    before = crawl(client, urls, language)
    before_xlsx = {url: xlsx_rows(content) for url, content in crawl(client, XLSX_URLS, language).items()}

    record_drafts(world, editor)
    after = crawl(client, urls, language)

    assert_no_trace(after, world)
    for url in urls:  # nothing moved at all: figures, rows, the cycle pickers, the exports
        assert after[url] == before[url], url
    for url, content in crawl(client, XLSX_URLS, language).items():
        assert xlsx_rows(content) == before_xlsx[url], url
    for url in DRAFT_ONLY_URLS:
        assert client.get(url, HTTP_ACCEPT_LANGUAGE=language).status_code == 404, url

    # The same, said outright: the terminal is still announced (its cycle-III status),
    # only the bridge is launched, the searches find nothing, the counts are those of III.
    terminal = after[world["terminal"].get_absolute_url()].decode()
    facts = terminal.split('<dl class="facts">')[1].split("</dl>")[0]
    assert "status-announced" in facts and "status-launched" not in facts
    assert 'class="draft"' not in terminal
    projects = reverse("tracker:project_list")
    assert count_shown(after[projects]) == 4
    assert count_shown(after[projects + "?status=launched"]) == 1
    assert b"AMU-901" in after[projects + "?status=launched"] and b"AMU-102" not in after[projects + "?status=launched"]
    for choice in ("first_cycle=IV", "first_cycle=4", "evidence_in=IV", "evidence_in=4"):
        # not a choice: refused with a message, no rows (the same before and after)
        assert count_shown(after[f"{projects}?{choice}"]) == 0, choice
        assert b'class="error"' in after[f"{projects}?{choice}"], choice
    assert count_shown(after[projects + "?as_of=4&status=launched"]) == 0
    for word in ("Quasimorph", "Xylotrope", "Zanzibarite", "Quokkafield", "AMU-140", "Fengtaixing"):
        assert count_shown(after[f"{projects}?q={word}"]) == 0, word
    assert count_shown(after[projects + "?partner=Fengtaixing"]) == 0
    assert after[projects + "?status=launched&export=csv"].decode("utf-8-sig").count("\n") == 2  # header and the bridge
    heihe = after[world["heihe"].get_absolute_url()].decode()
    assert "AMU-901" in heihe
    # The organisation of the draft project only: known only from drafts, it does not exist.
    works = client.get(world["works"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
    assert works.status_code == 404
    assert_no_trace({"works": works.getvalue()}, world)


def test_an_editor_sees_the_drafts_marked_and_can_switch_to_the_public_view(published, editor, editor_client, researcher_client):
    world = published
    record_drafts(world, editor)
    en = {"HTTP_ACCEPT_LANGUAGE": "en"}

    overview = editor_client.get("/", **en).getvalue().decode()
    assert "Draft data shown." in overview
    assert '<option value="IV" selected>IV — Edition 4 (draft)</option>' in overview
    listing = editor_client.get("/projects/", **en).getvalue().decode()
    assert count_shown(listing.encode()) == 5
    assert re.search(r'AMU-140</a>.*?IV <span class="draft">draft</span>', listing, re.S)
    terminal = editor_client.get(world["terminal"].get_absolute_url(), **en).getvalue().decode()
    facts = terminal.split('<dl class="facts">')[1].split("</dl>")[0]
    assert "status-launched" in facts
    assert "Zanzibarite shipments began." in terminal
    assert '<span class="draft">draft</span> Status → <span class="status status-launched">' in terminal
    assert "Quokkafield" in editor_client.get(world["plant"].get_absolute_url(), **en).getvalue().decode()
    assert "AMU-140" in editor_client.get("/projects/?q=Xylotrope", **en).getvalue().decode()
    assert "AMU-102" in editor_client.get("/projects/?evidence_in=4", **en).getvalue().decode()
    assert count_shown(editor_client.get("/projects/?first_cycle=4", **en).getvalue()) == 1
    for url in DRAFT_ONLY_URLS:
        assert editor_client.get(url, **en).status_code == 200, url
    russian = editor_client.get("/projects/AMU-140/", HTTP_ACCEPT_LANGUAGE="ru").getvalue().decode()
    assert "Показаны черновые данные." in russian and '<span class="draft">черновик</span>' in russian
    assert "Квазиморф" in russian and "Ксилотроп" in russian

    response = editor_client.post("/view/", {"mode": "public", "next": "/projects/"})
    assert response.status_code == 302 and response["Location"] == "/projects/"

    urls = public_urls(world)
    as_editor = crawl(editor_client, urls, "en")
    as_public = crawl(researcher_client, urls, "en")
    assert_no_trace(as_editor, world)
    banner = re.compile(rb'<div class="view-banner" role="status">.*?</div>', re.S)
    spaces = re.compile(rb"\s+")
    for url in urls:
        page = as_editor[url]
        if url.endswith(("export=csv", "export=json")):
            assert page == as_public[url], url
            continue
        assert b"Public view." in page, url
        assert b"Draft data shown." not in page, url
        # the banner aside, what readers see
        assert spaces.sub(b" ", banner.sub(b"", page)) == spaces.sub(b" ", as_public[url]), url
    for url in DRAFT_ONLY_URLS:
        assert editor_client.get(url).status_code == 404, url

    editor_client.post("/view/", {"mode": "drafts", "next": "/"})
    assert "AMU-140" in editor_client.get("/projects/", **en).getvalue().decode()


def test_a_reader_cannot_switch_to_the_drafts(published, editor, researcher_client, client):
    record_drafts(published, editor)
    for reader in (client, researcher_client):
        reader.post("/view/", {"mode": "drafts", "next": "/"})
        assert reader.get("/projects/AMU-140/").status_code == 404
        assert "AMU-140" not in reader.get("/projects/").getvalue().decode()


def assert_all_public(client, world):
    en = {"HTTP_ACCEPT_LANGUAGE": "en"}
    for url in DRAFT_ONLY_URLS:
        assert client.get(url, **en).status_code == 200, url
    new = client.get("/projects/AMU-140/", **en).getvalue().decode()
    assert "Quasimorph works" in new and "Xylotrope investors signed." in new
    assert 'class="draft"' not in new and "Draft data shown." not in new
    terminal = client.get(world["terminal"].get_absolute_url(), **en).getvalue().decode()
    facts = terminal.split('<dl class="facts">')[1].split("</dl>")[0]
    assert "status-launched" in facts and "Zanzibarite shipments began." in terminal
    assert "Quokkafield consultations resumed." in client.get(world["plant"].get_absolute_url(), **en).getvalue().decode()
    overview = client.get("/", **en).getvalue().decode()
    assert '<option value="IV" selected>IV — Edition 4</option>' in overview
    assert count_shown(client.get("/projects/", **en).getvalue()) == 5
    launched = client.get("/projects/?status=launched", **en).getvalue()
    assert count_shown(launched) == 2 and b"AMU-102" in launched
    for word in ("Quasimorph", "Xylotrope", "Zanzibarite", "Quokkafield", "Fengtaixing"):
        assert count_shown(client.get(f"/projects/?q={word}", **en).getvalue()) == 1, word
    assert count_shown(client.get("/projects/?first_cycle=4", **en).getvalue()) == 1
    assert count_shown(client.get("/projects/?evidence_in=4", **en).getvalue()) == 3
    assert count_shown(client.get("/projects/?as_of=3&status=launched", **en).getvalue()) == 1
    assert "AMU-140" in client.get("/projects/?export=csv").getvalue().decode("utf-8-sig")
    assert "AMU-140" in client.get(world["works"].get_absolute_url()).getvalue().decode()
    region = client.get("/regions/amur/?cycle=IV", **en).getvalue().decode()
    assert "AMU-140" in region


def test_publishing_the_open_cycle_makes_all_of_it_public(published, editor, researcher_client, client, media):
    world = published
    four = record_drafts(world, editor)
    assert client.get("/projects/AMU-140/").status_code == 404

    release = releases.publish(four, editor)

    four.refresh_from_db()
    assert four.is_published and four.published_on is not None
    assert release.cycle == four and release.created_by == editor
    for reader in (client, researcher_client):
        assert_all_public(reader, world)


def test_publishing_from_the_admin_confirmation_page(published, editor, superuser_client, client, media):
    world = published
    four = record_drafts(world, editor)
    url = reverse("admin:ratings_cycle_publish", args=[four.pk])

    changelist = superuser_client.get(reverse("admin:ratings_cycle_changelist"), HTTP_ACCEPT_LANGUAGE="en").getvalue().decode()
    assert f'href="{url}"' in changelist
    response = superuser_client.post(url, {"publish": "1"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302 and response["Location"] == reverse("admin:ratings_cycle_changelist")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Cycle IV is published; its release is at /releases/IV/."]
    four.refresh_from_db()
    assert four.is_published
    release = Release.objects.get(cycle=four)
    assert release.created_by.username == "boss"
    assert_all_public(client, world)
    # the confirmation page of a published cycle says so and offers nothing to submit
    page = superuser_client.get(url, HTTP_ACCEPT_LANGUAGE="en").getvalue().decode()
    assert "Cycle IV is published." in page and 'name="publish"' not in page


def test_the_confirmation_page_shows_what_will_become_public(published, editor, superuser_client, media):
    world = published
    four = record_drafts(world, editor)
    page = superuser_client.get(reverse("admin:ratings_cycle_publish", args=[four.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.getvalue().decode()
    expected = {
        "New projects": 1,  # AMU-140
        "Evidence rows": 3,
        "Status changes": 1,  # the terminal launched
        "Earlier announcements resolved": 1,  # the terminal
        "Earlier announcements still unresolved": 2,  # the soy plant and the quarry
        "Regions rated": 1,
    }
    for label, figure in expected.items():
        assert f"<li>{label}: <strong>{figure}</strong></li>" in text, label
    # The quarry had neither evidence nor a status change in IV: the worklist still lists it.
    assert "The worklist still lists 1 project as not reviewed in this cycle:" in text
    assert "<li>PRI-201 Quarry</li>" in text
    assert 'name="publish"' in text
    assert releases.preview(four) == {
        "new_projects": 1, "evidence": 3, "status_changes": 1, "resolved": 1, "unresolved": 2, "regions_rated": 1,
    }
    # Looking changes nothing.
    four.refresh_from_db()
    assert not four.is_published and not Release.objects.exists()


def test_only_those_allowed_to_publish_see_the_confirmation_page(published, editor, editor_client, media):
    four = record_drafts(published, editor)
    url = reverse("admin:ratings_cycle_publish", args=[four.pk])
    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, {"publish": "1"}).status_code == 403
    four.refresh_from_db()
    assert not four.is_published and not Release.objects.exists()


# -- bad input: refused with a clear message, nothing changes -------------------------------


def release_files(media):
    folder = media / "releases"
    return sorted(str(p.relative_to(media)) for p in folder.rglob("*")) if folder.exists() else []


def assert_unchanged(cycle, media, files=()):
    cycle.refresh_from_db()
    assert not cycle.is_published and cycle.published_on is None, cycle
    assert not Release.objects.filter(cycle=cycle).exists()
    assert release_files(media) == list(files)


def test_a_cycle_after_the_open_one_cannot_be_published(published, editor, superuser_client, media):
    four = record_drafts(published, editor)
    five = make_cycle(5, period_start=datetime.date(2027, 6, 1), period_end=datetime.date(2028, 5, 31))
    make_rating(published["region"], five, 5)

    with pytest.raises(ValidationError) as refused:
        releases.publish(five, editor)
    assert refused.value.messages == ["Only the open cycle, IV, can be published; cycle V comes after it."]
    assert_unchanged(five, media)
    assert_unchanged(four, media)

    response = superuser_client.post(reverse("admin:ratings_cycle_publish", args=[five.pk]), {"publish": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    text = response.getvalue().decode()
    assert "Only the open cycle, IV, can be published; cycle V comes after it." in text
    assert 'name="publish"' not in text  # no button to press
    assert_unchanged(five, media)
    assert_unchanged(four, media)


def test_a_cycle_without_ratings_cannot_be_published(published, editor, superuser_client, media):
    four = make_cycle(4)
    with acting(editor, "admin"):
        make_project(published["region"], four, reference="AMU-140", title_ru="Завод Квазиморф", title_en="Quasimorph works")

    with pytest.raises(ValidationError) as refused:
        releases.publish(four, editor)
    assert refused.value.messages == ["Cycle IV has no ratings yet; record the regions' scores first."]
    assert_unchanged(four, media)
    assert Client().get("/projects/AMU-140/").status_code == 404

    response = superuser_client.post(reverse("admin:ratings_cycle_publish", args=[four.pk]), {"publish": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Cycle IV has no ratings yet; record the regions&#x27; scores first." in response.getvalue().decode()
    assert_unchanged(four, media)


def test_a_cycle_cannot_be_published_twice(published, editor, superuser_client, media):
    four = record_drafts(published, editor)
    release = releases.publish(four, editor)
    four.refresh_from_db()
    published_on, files = four.published_on, release_files(media)
    assert len(files) == len(release.files) + 1  # the files and their folder

    with pytest.raises(ValidationError) as refused:
        releases.publish(four, editor, on=datetime.date(2030, 1, 1))
    assert refused.value.messages == ["Cycle IV is already published."]

    response = superuser_client.post(reverse("admin:ratings_cycle_publish", args=[four.pk]), {"publish": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Cycle IV is already published." in response.getvalue().decode()
    four.refresh_from_db()
    assert four.published_on == published_on
    assert Release.objects.count() == 1 and Release.objects.get().pk == release.pk
    assert release_files(media) == files


def test_publishing_cycles_in_turn(published, editor, media):
    """The published record has no gap: V can be published once IV is."""
    four = record_drafts(published, editor)
    five = make_cycle(5, period_start=datetime.date(2027, 6, 1), period_end=datetime.date(2028, 5, 31))
    make_rating(published["region"], five, 5)
    assert releases.open_cycle() == four
    releases.publish(four, editor)
    assert releases.open_cycle() == five
    assert releases.problems(five) == []
    releases.publish(five, editor)
    assert releases.open_cycle() is None
    assert list(Release.objects.order_by("cycle__number").values_list("cycle__number", flat=True)) == [4, 5]
    assert Cycle.objects.filter(is_published=False).count() == 0

