"""A crawl of the researchers' pages, from the overview along every same-site link, in
Russian and English, on a laptop (1366 px) and a phone (390 px), over a record with long
names in both languages. On each page: the page never scrolls sideways, no text reaches past
the right edge, no key cell (title, reference, region, score, status) is clipped or
squeezed, and on a phone every table row is a card with its column's labels, the sortable
tables keeping their sort links in sight."""

import datetime
import heapq
import itertools
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest

from tests.factories import add_evidence, add_partner, make_organization, make_project, make_rating, make_region, make_source
from tests.pages.test_browser import browser, page  # noqa: F401 (the Playwright fixtures)
from tracker.models import Evidence
from tracker.ops.releases import release_published
from tracker.status import history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["ru-RU", "en-US"]
WIDTHS = [1366, 390]
MOST_PAGES = 60
NOT_PAGES = ("/admin/", "/api/", "/language/", "/static/", "/media/", "/i18n/", "/view/", "/health/")
DOWNLOAD_KEYS = {"export", "format", "download"}
# Pages reached by a form rather than a link (the cycle picker, the filters, a search).
FORM_PAGES = ["/?cycle=II", "/unresolved/?cycle=II", "/projects/?q=мост", "/map/?measure=change"]


@pytest.fixture
def record(cycles, region):
    one, two, three = cycles
    yugra = make_region("Khanty-Mansi Autonomous Okrug – Yugra (a long English name of a region)", iso_code="RU-KHM",
                        name_ru="Ханты-Мансийский автономный округ — Югра (длинное название субъекта)", slug="yugra")
    for place, scores in ((region, (6, 9)), (yugra, (8, 3))):
        make_rating(place, two, scores[0])
        make_rating(place, three, scores[1])
    source = make_source("Рейтинг продуктивности взаимодействия регионов Российской Федерации с Китайской Народной Республикой. Третий выпуск", url="https://example.org/" + "long-path/" * 12)
    bridge = make_project(region, one, reference="AMU-901", title_ru="Автомобильный мост Благовещенск – Хэйхэ через Амур с очень длинным названием", title_en="Blagoveshchensk–Heihe road bridge over the Amur", sector="transport", amount=19000000000, currency="RUB")
    corporation = make_organization("Хэйлунцзянская мостостроительная корпорация с длинным названием", country="CN", name_en="Heilongjiang Provincial Bridge and Road Construction Investment Corporation")
    add_partner(bridge, corporation)
    result = add_evidence(bridge, two, kind=Evidence.Kind.RESULT, occurred_on=datetime.date(2024, 6, 1), source=source, summary="The bridge opened to traffic.", summary_ru="Мост открыт для движения.")
    history.append_status_change(bridge, "launched", two, evidence=result)
    make_project(region, two, reference="AMU-902", title_ru="Угольный конвейер через Амур", title_en="Coal conveyor", sector="mining")
    plant = make_project(yugra, one, reference="KHM-0001", title_ru="Газоперерабатывающий завод высокотехнологичного нефтегазохимического кластера «Югорский» с теплоэлектроцентралью и терминалом", title_en="Gas-processing plant of the high-technology petrochemical cluster “Yugorsky” with a combined heat and power station and a terminal", sector="mining", amount=123456789012, currency="CNY")
    add_partner(plant, corporation)
    add_partner(plant, make_organization("Китайская национальная нефтегазовая корпорация (CNPC)", country="CN", name_en="China National Petroleum Corporation"))
    stalled = add_evidence(plant, two, kind=Evidence.Kind.SETBACK, occurred_on=datetime.date(2024, 3, 1), source=source, summary="Work stopped.", summary_ru="Работы остановлены.")
    history.append_status_change(plant, "stalled", two, evidence=stalled)
    release_published()
    return bridge


PROBLEMS = """([narrow, wide]) => {
  const vw = window.innerWidth, problems = [];
  const name = el => `<${el.tagName.toLowerCase()}${el.getAttribute('class') ? ' class="' + el.getAttribute('class') + '"' : ''}> «${el.textContent.trim().slice(0, 50)}»`;
  const hidden = el => { for (let a = el; a; a = a.parentElement) { const s = getComputedStyle(a);
    if (s.display === 'none' || s.visibility === 'hidden' || s.clipPath !== 'none') return true; } return false; };
  const width = document.documentElement.scrollWidth;
  if (width > vw) problems.push(`the page is ${width} px wide`);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), range = document.createRange();
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    if (!text.textContent.trim()) continue;
    const el = text.parentElement, box = el.getBoundingClientRect();
    range.selectNodeContents(text);
    const right = Math.max(box.width ? box.right : 0, ...[...range.getClientRects()].map(r => r.right)) + scrollX;
    if ((right > vw + 1 || box.width > vw) && !hidden(el)) problems.push(`${name(el)} reaches ${Math.round(right)} px`);
  }
  for (const cell of document.querySelectorAll('td.key, th.key')) {
    if (hidden(cell)) continue;
    for (const el of [cell, ...cell.querySelectorAll('*')]) {
      const s = getComputedStyle(el), cut = s.overflowX !== 'visible' && (s.textOverflow === 'ellipsis' || el.scrollWidth > el.clientWidth + 1);
      if (cut || (el === cell && cell.scrollWidth > cell.clientWidth + 1)) problems.push(`${name(el)} is clipped`);
    }
    if (wide && cell.getBoundingClientRect().width < 40) problems.push(`${name(cell)} is squeezed to ${Math.round(cell.getBoundingClientRect().width)} px`);
  }
  for (const table of document.querySelectorAll('main table')) {
    const room = table.parentElement.clientWidth;
    if (table.offsetWidth > room + 1) problems.push(`${name(table)} is ${table.offsetWidth - room} px wider than its column`);
  }
  if (!narrow) return problems;
  for (const table of document.querySelectorAll('main table')) {
    const headers = [...table.querySelectorAll('thead th')].map(th => th.textContent.replace(/[▲▼]/g, '').trim());
    for (const row of table.querySelectorAll('tbody tr')) {
      const cells = [...row.children];
      if (cells.some(c => getComputedStyle(c).display !== 'block') && row.getBoundingClientRect().width > vw) problems.push(`${name(row)} is not a card`);
      cells.forEach((cell, i) => {
        if (cell.tagName !== 'TD' || cell.colSpan > 1) return;
        const label = cell.dataset.label || '', shown = getComputedStyle(cell, '::before').content;
        if (!label || (cells.length === headers.length && !label.includes(headers[i]))) problems.push(`${name(cell)} is labelled «${label}», its column «${headers[i]}»`);
        else if (!cell.classList.contains('head') && !shown.includes(label)) problems.push(`${name(cell)} does not show its label`);
      });
    }
    if (table.querySelector('tbody td') && table.querySelector('thead th') && !hidden(table.querySelector('thead tr')) !== table.classList.contains('sortable')) problems.push(`the header of ${name(table)} is ${table.classList.contains('sortable') ? 'hidden' : 'in sight'}`);
    for (const link of table.querySelectorAll('thead a')) if (hidden(link) || !link.getBoundingClientRect().width) problems.push(`the sort link ${name(link)} is out of reach`);
  }
  return problems;
}"""


def links_of(tab, origin):
    """The same-site pages a page links to: no downloads, no admin, no API, no language switch."""
    found = []
    for href in tab.eval_on_selector_all("a[href]:not([download])", "links => links.map(a => new URL(a.getAttribute('href'), location.href).href)"):
        url = urlsplit(href)
        keys = {key for key, _ in parse_qsl(url.query)}
        if f"{url.scheme}://{url.netloc}" != origin or url.path.startswith(NOT_PAGES) or "/files/" in url.path or keys & DOWNLOAD_KEYS:
            continue
        found.append(unquote(url.path + (f"?{url.query}" if url.query else "")))
    return found


def crawl(tab, origin, narrow):
    """Visit the pages reached from "/" (plain paths before their sorted, paged or filtered
    variants), at most MOST_PAGES; the problems of each, by page."""
    order = itertools.count()
    queue = [(0, next(order), path) for path in ["/"] + FORM_PAGES]
    seen, visited, problems = {path for _, _, path in queue}, [], {}
    while queue and len(visited) < MOST_PAGES:
        _, _, path = heapq.heappop(queue)
        response = tab.goto(origin + path)
        if response is None or not response.ok or "text/html" not in response.headers.get("content-type", ""):
            continue
        visited.append(path)
        found = tab.evaluate(PROBLEMS, [narrow, not narrow])
        if found:
            problems[path] = found
        for link in links_of(tab, origin):
            if link not in seen:
                seen.add(link)
                heapq.heappush(queue, (int("?" in link), next(order), link))
    return visited, problems


def test_every_page_fits_a_laptop_and_a_phone_in_both_languages(live_server, browser, record):  # noqa: F811
    everywhere = {}
    for language, width in itertools.product(LANGUAGES, WIDTHS):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale=language)
        visited, problems = crawl(context.new_page(), live_server.url, narrow=width < 640)
        context.close()
        must = ["/", "/projects/", "/unresolved/", "/regions/", "/map/", "/organizations/", "/releases/", "/about/",
                "/projects/AMU-901/", "/projects/KHM-0001/", "/regions/amur/", "/regions/yugra/", "/releases/III/",
                record.participations.first().organization.get_absolute_url()]
        assert not set(must) - set(visited), (language, width, set(must) - set(visited))
        if problems:
            everywhere[f"{language} {width} px"] = problems
    assert not everywhere, everywhere
