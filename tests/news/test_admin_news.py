"""The news inbox in the admin: adding an item, the decision screen, its three doors, the
audit trail, and what it says about bad input."""

import io

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from tracker.models import Evidence, NewsItem, Participation, Project, Source
from tracker.models.news import MAX_NEWS_CHARS

TEXT = "В декабре 2025 года заработал мост Благовещенск – Хэйхэ через Амур, сообщило правительство города Хэйхэ."


@pytest.fixture(autouse=True)
def in_english(editor_client):
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def item(record):
    return NewsItem.objects.create(text=TEXT, language=NewsItem.Language.RUSSIAN, source_name="Амурская правда",
                                   url="https://example.org/news/1")


def test_pasting_an_item_opens_its_decision_screen(record, editor_client):
    response = editor_client.post(reverse("admin:tracker_newsitem_add"), {"text": f"<p>{TEXT}</p>", "source_name": "ТАСС", "url": ""})
    item = NewsItem.objects.get()
    assert response.url == reverse("admin:tracker_newsitem_decide", args=[item.pk])
    assert item.text == TEXT and item.language == NewsItem.Language.RUSSIAN


@pytest.mark.parametrize("text, message", [
    ("   ", "This field is required"),
    ("<p> </p><script>x()</script>", "The text is empty"),
    ("слово " * (MAX_NEWS_CHARS // 5), "a news item holds at most"),
    ("x" * 5_000_000, "a news item holds at most"),
])
def test_empty_or_huge_text_is_refused_with_a_message(record, editor_client, text, message):
    response = editor_client.post(reverse("admin:tracker_newsitem_add"), {"text": text}, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not NewsItem.objects.exists()


def test_decision_screen_shows_the_words_candidates_and_three_buttons(item, editor_client):
    before = AuditEntry.objects.count()
    page = editor_client.get(reverse("admin:tracker_newsitem_decide", args=[item.pk])).content.decode()
    assert 'class="news-region">Благовещенск</mark>' in page
    assert 'class="news-organization">правительство города Хэйхэ</mark>' in page
    assert 'class="news-kind">заработал</mark>' in page
    assert 'class="news-date">декабре 2025 года</mark>' in page
    assert "AMU-901" in page and "Evidence for this project" in page
    assert "New project" in page and "Dismiss" in page
    assert "Something was observed" in page  # the candidate’s last evidence
    assert AuditEntry.objects.count() == before
    item.refresh_from_db()
    assert item.decision == NewsItem.Decision.NEW


def test_evidence_form_is_prefilled_and_saving_it_links_the_item(item, record, editor_client, editor):
    page = editor_client.get(reverse("admin:tracker_newsitem_decide", args=[item.pk])).content.decode()
    start = page.index(reverse("admin:tracker_evidence_add"))
    url = page[start : page.index('"', start)].replace("&amp;", "&")
    form = editor_client.get(url)
    initial = form.context["adminform"].form.initial
    assert initial["project"] == str(record["bridge"].pk) and initial["kind"] == Evidence.Kind.RESULT
    assert initial["cycle"] == str(record["cycles"][3].pk) and initial["occurred_on"] == "2025-12-01"
    assert not Evidence.objects.filter(cycle=record["cycles"][3]).exists()
    data = {key: initial[key] for key in ("project", "cycle", "kind", "occurred_on", "precision", "summary_ru")}
    response = editor_client.post(url, {**data, "summary": "", "source": "", "in_edition": ""})
    assert response.status_code == 302, response.context["adminform"].form.errors
    evidence = Evidence.objects.get(cycle=record["cycles"][3])
    assert evidence.source.url == "https://example.org/news/1" and evidence.source.kind == Source.Kind.MEDIA
    item.refresh_from_db()
    assert item.decision == NewsItem.Decision.LINKED and item.evidence == evidence
    assert item.decided_by == editor and item.decided_at is not None
    entry = AuditEntry.objects.filter(model="tracker.NewsItem", object_id=str(item.pk), action="update").get()
    assert entry.user == editor and entry.changes["decision"] == ["new", "linked"]


def test_new_project_form_is_prefilled_with_region_title_and_partners(item, record, editor_client):
    page = editor_client.get(reverse("admin:tracker_newsitem_decide", args=[item.pk])).content.decode()
    start = page.index(reverse("admin:tracker_project_add"))
    url = page[start : page.index('"', start)].replace("&amp;", "&")
    form = editor_client.get(url)
    initial = form.context["adminform"].form.initial
    assert initial["region"] == str(record["amur"].pk) and initial["reference"] == "AMU-902"
    assert initial["title_ru"].startswith("В декабре 2025 года заработал мост")
    formsets = {f.formset.prefix: f.formset for f in form.context["inline_admin_formsets"]}
    assert [f.initial["organization"] for f in formsets["participations"].forms] == [record["heihe"].pk]
    assert Project.objects.count() == 4
    data = {
        "reference": "AMU-902", "title_ru": "Новый мост", "title_en": "", "region": record["amur"].pk, "location": "",
        "sector": Project.Sector.TRANSPORT, "first_cycle": record["cycles"][3].pk, "version": "1",
        "participations-TOTAL_FORMS": "1", "participations-INITIAL_FORMS": "0",
        "participations-0-organization": record["heihe"].pk, "participations-0-role": "partner",
        "evidence-TOTAL_FORMS": "0", "evidence-INITIAL_FORMS": "0",
        "status_changes-TOTAL_FORMS": "0", "status_changes-INITIAL_FORMS": "0",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    project = Project.objects.get(reference="AMU-902")
    assert Participation.objects.filter(project=project, organization=record["heihe"]).exists()
    item.refresh_from_db()
    assert item.decision == NewsItem.Decision.NEW_PROJECT and item.project == project


def test_dismiss_records_who_and_when_and_cannot_be_repeated(item, editor_client, editor):
    url = reverse("admin:tracker_newsitem_dismiss", args=[item.pk])
    assert editor_client.get(url).status_code == 403
    editor_client.post(url)
    item.refresh_from_db()
    assert item.decision == NewsItem.Decision.DISMISSED and item.decided_by == editor
    editor_client.post(url)
    page = editor_client.get(reverse("admin:tracker_newsitem_decide", args=[item.pk])).content.decode()
    assert "Already decided" in page and "Evidence for this project" not in page


def test_researchers_do_not_see_the_inbox(item, researcher_client):
    assert researcher_client.get(reverse("admin:tracker_newsitem_decide", args=[item.pk])).status_code == 403


def upload(client, name, content):
    return client.post(reverse("admin:tracker_newsitem_import"), {"file": io.BytesIO(content) | _named(name)})


def _named(name):
    class Named:
        def __ror__(self, stream):
            stream.name = name
            return stream
    return Named()


def test_import_adds_every_row(record, editor_client):
    content = "дата,источник,ссылка,текст\n01.12.2025,ТАСС,https://tass.ru/1,Мост открыт\n,,,<b>The bridge</b> opened\n".encode()
    response = upload(editor_client, "news.csv", content)
    assert response.status_code == 302
    items = NewsItem.objects.order_by("id")
    assert [(i.text, i.language) for i in items] == [("Мост открыт", "ru"), ("The bridge opened", "en")]
    assert str(items[0].occurred_on) == "2025-12-01"


@pytest.mark.parametrize("content, message", [
    (b"date,title\n2025-12-01,Bridge\n", "has no column “text”"),
    ("text,date\nМост открыт,вчера\n,2025-12-01\n".encode(), "row 3, column “text”: The text is empty"),
    ("text,url\nМост,not a link\n".encode(), "row 2, column “url”"),
    (b"\x00\x01garbage", "news.csv"),
])
def test_a_bad_file_imports_nothing_and_names_row_and_column(record, editor_client, content, message):
    response = upload(editor_client, "news.csv", content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not NewsItem.objects.exists()


@pytest.mark.parametrize("language, reason", [
    ("en", "follow-up (about a known project, no new result)"),
    ("ru", "отслеживание (об известном проекте, нового результата нет)"),
])
def test_the_decision_screen_says_why_when_the_record_decided_the_kind(record, editor_client, language, reason):
    text = "Мост Благовещенск – Хэйхэ через Амур и правительство города Хэйхэ в новом обзоре."
    news = NewsItem.objects.create(text=text, language=NewsItem.Language.RUSSIAN)
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    page = editor_client.get(reverse("admin:tracker_newsitem_decide", args=[news.pk])).content.decode()
    assert reason in page
    assert 'class="news-kind"' not in page
