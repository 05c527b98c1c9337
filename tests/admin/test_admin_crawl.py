"""Every admin page an editor reaches, crawled in Russian, says everything in Russian:
no raw choice code (“stalled”, “far_eastern”) and no English interface string. The
record holds every choice of every field, so every label has a place to show; what the
record itself holds (names, English titles, references) is taken out of each page before
it is read."""

import datetime
import re
from collections import deque
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from ratings.models import Cycle, FederalDistrict, Rating
from tests.factories import add_evidence, add_partner, make_cycle, make_organization, make_project, make_region, make_source
from tracker.models import Evidence, NewsItem, Project, StatusChange
from tracker.models.common import DatePrecision
from tracker.models.organizations import OrganizationKind
from tracker.models.projects import Currency, ParticipationRole, Sector, StatusBasis
from tracker.models.sources import SourceKind, SourceLanguage
from tracker.status import history

pytestmark = pytest.mark.django_db

#: Latin words a Russian page may carry: file formats and codes that are the same in every
#: language, the language switch's "English" (a language is named in itself), a publisher
#: named in a help text, and Roman numerals of cycles.
FORMATS = {"csv", "xlsx", "ods", "json", "tsv", "xls", "html", "yaml", "docx", "odt"}
ALLOWED = {
    *FORMATS, *(name.upper() for name in FORMATS),
    "ISO", "URL", "UTF", "CN", "KZ", "RU", "UA", "BOM", "ID", "English", "Reuters", *Currency.values,
}
ROMAN = re.compile(r"^[IVXLC]+$")
#: The pages a crawl follows per path (a list's filters give hundreds of variants).
VARIANTS_PER_PATH = 3
MAX_PAGES = 400


class VisibleText(HTMLParser):
    """What a reader sees: text outside scripts and styles, button labels, titles,
    placeholders; not what the record puts into inputs."""

    SKIP = {"script", "style", "textarea", "template", "code"}  # <code>: column codes, as files head them

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.links, self.skipping = [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.SKIP:
            self.skipping += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])
        for name in ("title", "placeholder", "aria-label", "alt"):
            if attrs.get(name):
                self.parts.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


@pytest.fixture
def world(cycles, region):
    """A record with every choice of every field in use; cycle IV open."""
    other = make_region("Primorsky Krai", iso_code="RU-PRI", name_ru="Приморский край", slug="primorye",
                        federal_district=FederalDistrict.SIBERIAN)
    make_region("Moscow", iso_code="RU-MOW", name_ru="Москва", slug="moscow", federal_district=FederalDistrict.CENTRAL)
    make_cycle(4, title="Рейтинг, четвёртый выпуск")
    for n, cycle in enumerate(cycles):
        Rating.objects.create(region=region, cycle=cycle, score=3 + 3 * n)
    Rating.objects.create(region=other, cycle=cycles[2], score=2)
    sources = [make_source(f"Источник {n}", kind=kind, language=language, url=f"https://example.org/{n}")
               for n, (kind, language) in enumerate(zip(SourceKind, [*SourceLanguage, "ru", "en"]))]
    partners = [make_organization(f"Организация {n}", country=country, kind=kind)
                for n, (kind, country) in enumerate(zip(OrganizationKind, ["CN", "KZ", "", "CN", "RU", "CN"]))]
    statuses = list(Project.Status)
    for n, sector in enumerate(Sector):
        project = make_project(
            region if n % 2 else other, cycles[n % 3], reference=f"AMU-{n + 1:03d}", title_ru=f"Проект номер {n + 1}",
            title_en=f"Project number {n + 1}", sector=sector, amount=Decimal(10**9 * (n + 1)) if n % 3 == 0 else None,
            currency=Currency.values[n % 4] if n % 3 == 0 else "",
            announced_on=datetime.date(2018, 1 + n % 12, 1), announced_precision=DatePrecision.values[n % 4],
        )
        add_partner(project, partners[n % len(partners)], role=list(ParticipationRole)[n % len(ParticipationRole)])
        kind = list(Evidence.Kind)[n % len(Evidence.Kind)]
        evidence = add_evidence(project, cycles[2], kind=kind, occurred_on=datetime.date(2025, 11, 1),
                                source=sources[n % len(sources)], summary=f"Evidence number {n}.", summary_ru=f"Свидетельство {n}.")
        status = statuses[n % len(statuses)]
        if status != Project.Status.ANNOUNCED and cycles[2].pk:
            history.append_status_change(project, status, cycles[2], evidence=evidence,
                                         basis=list(StatusBasis)[n % len(StatusBasis)])
    now = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)
    items = [
        ("В Приморском крае введен в эксплуатацию «Проект номер 2», сообщила «Организация 1» 15 марта 2026 года.", "ru"),
        ("Project number 3 in Primorsky Krai was frozen in December 2025, Организация 2 said.", "en"),
        ("Der Bau hat begonnen.", "other"),
    ]
    for (text, language), decision in zip(items * 2, NewsItem.Decision.values + [NewsItem.Decision.NEW] * 2):
        NewsItem.objects.create(
            text=text, language=language, decision=decision, decided_at=None if decision == "new" else now,
            evidence=Evidence.objects.first() if decision == "linked" else None,
            project=Project.objects.first() if decision == "new_project" else None,
            source_name="Источник", url="https://example.org/news",
        )
    return Cycle.objects.get(number=4)


def record_strings():
    """Every text the record holds (names, titles, references, notes…), longest first."""
    texts = set()
    for model in apps.get_models():
        if model._meta.app_label not in ("tracker", "ratings", "audit", "auth") or not model._meta.managed:
            continue
        fields = [f.attname for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField)) and not f.choices]
        for row in model.objects.values_list(*fields) if fields else ():
            texts.update(value for value in row if isinstance(value, str) and len(value) > 1)
    # A news item is shown with the words the tracker found marked, so in pieces.
    for text in NewsItem.objects.values_list("text", flat=True):
        texts.update(re.findall(r"[A-Za-z][A-Za-z_'’]*", text))
    return sorted(texts, key=len, reverse=True)


def choice_codes():
    codes = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.choices and field.name != "country":  # countries are named; their codes are ISO
                codes.update(str(value) for value, _label in field.flatchoices if isinstance(value, str))
    return codes - ALLOWED


def crawl(client, start):
    seen_paths, seen, queue, pages = {}, set(), deque(start), {}
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code in (200, 302, 403), (url, response.status_code)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = VisibleText()
        parser.feed(response.content.decode())
        pages[url] = " ".join(parser.parts)
        for href in parser.links:
            link = urlsplit(href)
            if link.netloc or not link.path.startswith("/admin/") or link.path.startswith(("/admin/logout", "/admin/r/")):
                continue
            target = link.path + (f"?{link.query}" if link.query else "")
            variants = seen_paths.setdefault(re.sub(r"\d+", "N", link.path), set())
            if target in variants or len(variants) >= VARIANTS_PER_PATH:
                continue
            variants.add(target)
            queue.append(target)
    return pages


def english_words(text, strings):
    for value in strings:
        text = text.replace(value, " ")
    words = re.findall(r"[A-Za-z][A-Za-z_'’]*", text)
    return {word for word in words if word not in ALLOWED and not ROMAN.match(word) and len(word) > 1}


def test_every_admin_page_an_editor_reaches_speaks_russian(editor_client, world):
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    first = Project.objects.order_by("pk").first()
    start = [
        reverse("admin:index"),
        reverse("admin:tracker_followup_changelist"),
        reverse("admin:tracker_followup_progress"),
        reverse("admin:tracker_followup_review", args=[first.pk]),
        reverse("admin:tracker_project_history", args=[first.pk]),
        reverse("admin:tracker_project_import"),
        reverse("admin:tracker_project_export"),
        reverse("admin:password_change"),
        reverse("admin:tracker_newsitem_changelist"),
        reverse("admin:tracker_newsitem_import"),
        reverse("admin:tracker_newsitem_add"),
        *(reverse("admin:tracker_newsitem_decide", args=[item.pk]) for item in NewsItem.objects.all()),
    ]
    pages = crawl(editor_client, start)
    assert len(pages) > 60, sorted(pages)
    for name in ["tracker/project", "tracker/evidence", "tracker/statuschange", "tracker/organization", "tracker/source",
                 "tracker/participation", "ratings/region", "ratings/rating", "ratings/cycle", "audit/auditentry",
                 "tracker/newsitem"]:
        assert any(f"/admin/{name}/" in url for url in pages), name
    strings, codes = record_strings(), choice_codes()
    found = {}
    for url, text in pages.items():
        words = english_words(text, strings)
        if words:
            found[url] = sorted(words)
    raw = {url: sorted(set(words) & codes) for url, words in found.items() if set(words) & codes}
    assert not raw, f"raw choice codes: {raw}"
    assert not found, f"English words: {found}"
