"""What stands next to a status on the public pages — how it is known, since when nothing
was heard, whether it is disputed — and what never reaches them (the editors' notes)."""

import csv
import datetime
import io
import json
import re

import pytest
from django.urls import reverse

from tests.factories import add_evidence, add_partner, make_organization, make_project, make_rating, make_source
from tracker.models import Evidence, Project, StatusChange
from tracker.spreadsheets.reports import PUBLIC_PROJECT_COLUMNS
from tracker.status import history

S = Project.Status
B = StatusChange.Basis
pytestmark = pytest.mark.django_db

#: Every editors' note in the world below: none may reach a public page or export.
EDITORS_NOTES = {
    "project": "EDNOTE-PROJECT",
    "status change": "EDNOTE-CHANGE",
    "rating": "EDNOTE-RATING",
    "region": "EDNOTE-REGION",
    "organization": "EDNOTE-ORGANIZATION",
    "source": "EDNOTE-SOURCE",
    "cycle": "EDNOTE-CYCLE",
}


@pytest.fixture
def world(cycles, region):
    one, two, three = cycles
    region.note = EDITORS_NOTES["region"]
    region.save()
    three.note = EDITORS_NOTES["cycle"]
    three.save()
    make_rating(
        region, three, 8, note=EDITORS_NOTES["rating"],
        public_note_ru="Оценка снижена за молчание.", public_note_en="Score lowered for silence.",
    )
    source = make_source("Рейтинг, третий выпуск", note=EDITORS_NOTES["source"])
    partner = make_organization("Heihe Trading", note=EDITORS_NOTES["organization"])

    # Announced from I, a claim in II and a denial in III: unresolved and disputed.
    disputed = make_project(
        region, one, reference="AMU-101", title_ru="Завод в Белогорске", title_en="Belogorsk plant",
        note=EDITORS_NOTES["project"],
        public_note_ru="Стороны расходятся в оценках.", public_note_en="The parties disagree.",
    )
    add_partner(disputed, partner)
    add_evidence(
        disputed, two, kind=Evidence.Kind.EFFORT, occurred_on=datetime.date(2024, 3, 1), source=source,
        summary="The governor said the plant would open.", summary_ru="Губернатор заявил об открытии завода.",
        attribution="according to the governor", attribution_ru="по словам губернатора",
    )
    add_evidence(
        disputed, three, kind=Evidence.Kind.CONTRADICTION, occurred_on=datetime.date(2025, 9, 1), source=source,
        summary="The investor denied any plans.", summary_ru="Инвестор опроверг планы.",
        attribution="according to Reuters",
    )

    # Efforts up to 2024, then only "no news": stalled, inferred from silence, in III.
    silent = make_project(region, one, reference="AMU-102", title_ru="Логистический центр", title_en="Logistics hub")
    add_evidence(silent, one, kind=Evidence.Kind.EFFORT, occurred_on=datetime.date(2022, 5, 1), source=source, summary="Talks began.")
    add_evidence(silent, two, kind=Evidence.Kind.EFFORT, occurred_on=datetime.date(2024, 8, 1), source=source, summary="Site chosen.")
    no_news = add_evidence(
        silent, three, kind=Evidence.Kind.FOLLOW_UP, occurred_on=datetime.date(2026, 1, 15), source=source,
        summary="No news of the hub.", summary_ru="Новостей о центре нет.",
    )
    history.append_status_change(
        silent, S.STALLED, three, evidence=no_news, basis=B.INFERRED, note=EDITORS_NOTES["status change"],
        public_note_ru="Выведено из молчания источников.", public_note_en="Inferred from the silence of the sources.",
    )

    # Launched in II on English-only evidence; a Russian-only report in III.
    english_only = make_project(region, one, reference="AMU-103", title_ru="Мост", title_en="Bridge")
    opened = add_evidence(
        english_only, two, kind=Evidence.Kind.RESULT, occurred_on=datetime.date(2024, 6, 1), source=source,
        summary="The bridge opened to traffic.",
    )
    history.append_status_change(english_only, S.LAUNCHED, two, evidence=opened)
    add_evidence(
        english_only, three, kind=Evidence.Kind.EFFORT, source=source, summary="", summary_ru="Начато расширение моста.",
    )
    return {"disputed": disputed, "silent": silent, "english_only": english_only, "partner": partner}


def english(client):
    client.cookies["django_language"] = "en"
    return client


def html_of(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 200, url
    return response.getvalue().decode()


def entry_for(html, reference):
    """The table row or list item that links to the project `reference` (each, in order)."""
    link = f'href="/projects/{reference}/"'
    found = []
    for tag in ("tr", "li"):
        for match in re.finditer(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html, re.DOTALL):
            if link in match.group(1) and f"<{tag}" not in match.group(1):
                found.append(match.group(1))
    assert found, f"{reference} is not listed"
    return found


def current_status(html):
    return re.search(r"<dd>(<span class=\"status.*?)</dd>", html, re.DOTALL).group(1)


def disputed_mark(word):
    return re.compile(rf'<span class="disputed" title="[^"]+">{word}</span>')


def listing_pages(world, region):
    """(url, query) of every page that lists AMU-101 with its marks."""
    return [
        (reverse("tracker:project_list"), {}),
        (region.get_absolute_url(), {}),
        (reverse("tracker:unresolved"), {"cycle": "III"}),
    ]


# -- disputed ------------------------------------------------------------------------------


@pytest.mark.parametrize("language, word", [("ru", "оспаривается"), ("en", "disputed")])
def test_disputed_mark_on_every_page_that_shows_the_project(client, world, region, language, word):
    if language == "en":
        english(client)
    mark = disputed_mark(word)
    for url, query in listing_pages(world, region):
        html = html_of(client, url, **query)
        for entry in entry_for(html, "AMU-101"):
            assert mark.search(entry), url
        for entry in entry_for(html, "AMU-102"):
            assert 'class="disputed"' not in entry, url
    assert mark.search(current_status(html_of(client, world["disputed"].get_absolute_url())))
    assert 'class="disputed"' not in current_status(html_of(client, world["silent"].get_absolute_url()))


def test_the_language_switch_link_turns_the_marks_english(client, world):
    url = world["disputed"].get_absolute_url()
    assert disputed_mark("оспаривается").search(current_status(html_of(client, url)))
    response = client.get(reverse("tracker:language", args=["en"]), {"next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert disputed_mark("disputed").search(current_status(html_of(client, url)))


def listed_on(client, url_name, **query):
    """The references a page lists (the unresolved page lists `rows`, the others a `page`)."""
    context = client.get(reverse(url_name), query).context
    return {p.reference for p in (context["rows"] if url_name == "tracker:unresolved" else context["page"])}


@pytest.mark.parametrize("url_name", ["tracker:project_list", "tracker:unresolved"])
def test_disputed_filter(client, world, url_name):
    listed = lambda value: listed_on(client, url_name, cycle="III", disputed=value)
    everything = listed_on(client, url_name, cycle="III")
    assert "AMU-101" in everything and len(everything) > 1
    assert listed("yes") == {"AMU-101"}
    assert "AMU-101" not in listed("no")
    assert listed("no") == everything - {"AMU-101"}


def test_public_csv_export_has_basis_and_disputed(client, world):
    response = client.get(reverse("tracker:project_list"), {"export": "csv"})
    rows = {r["reference"]: r for r in csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig")))}
    assert {"basis", "disputed"} <= set(next(iter(rows.values())))
    assert rows["AMU-101"]["disputed"] == "true"
    assert rows["AMU-102"]["disputed"] == "false"
    assert [rows[r]["basis"] for r in ("AMU-101", "AMU-102", "AMU-103")] == ["stated", "inferred", "stated"]
    filtered = client.get(reverse("tracker:project_list"), {"export": "csv", "disputed": "yes"})
    assert [r["reference"] for r in csv.DictReader(io.StringIO(filtered.getvalue().decode("utf-8-sig")))] == ["AMU-101"]


def test_unresolved_csv_export_has_basis_and_disputed(client, world):
    response = client.get(reverse("tracker:unresolved"), {"cycle": "III", "export": "csv"})
    rows = {r["reference"]: r for r in csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig")))}
    assert set(rows) == {"AMU-101", "AMU-102"}
    assert (rows["AMU-101"]["basis"], rows["AMU-101"]["disputed"]) == ("stated", "true")
    assert (rows["AMU-102"]["basis"], rows["AMU-102"]["disputed"]) == ("inferred", "false")


@pytest.mark.parametrize(
    "language, claim, denial, headings, claimed_by, denied_by",
    [
        (
            "ru", "Губернатор заявил об открытии завода.", "Инвестор опроверг планы.",
            ("Утверждение", "Опровержение или противоположное сообщение"),
            '<span lang="ru">по словам губернатора</span>',
            # only in English: shown, marked as such
            '<span lang="en">according to Reuters</span> <small class="fallback">(на английском)</small>',
        ),
        (
            "en", "The governor said the plant would open.", "The investor denied any plans.",
            ("Claim", "Denial or contrary report"),
            '<span lang="en">according to the governor</span>',
            '<span lang="en">according to Reuters</span> —',
        ),
    ],
)
def test_project_page_shows_the_claim_and_the_denial_side_by_side(client, world, language, claim, denial, headings, claimed_by, denied_by):
    if language == "en":
        english(client)
    html = html_of(client, world["disputed"].get_absolute_url())
    section = re.search(r'<section class="dispute".*?</section>', html, re.DOTALL).group(0)
    sides = re.findall(r'<div class="side"><h3>(.*?)</h3>(.*?)</div>', section, re.DOTALL)
    assert [heading for heading, _body in sides] == list(headings)
    (claims, denials) = (body for _heading, body in sides)
    assert claim in claims and claimed_by in claims and "Рейтинг, третий выпуск" in claims
    assert denial in denials and denied_by in denials
    assert denial not in claims and claim not in denials
    assert "Reuters" not in claims and "губернатор" not in denials.lower()
    other_attribution = "according to the governor" if language == "ru" else "по словам губернатора"
    assert other_attribution not in html


def test_no_dispute_section_without_a_contradiction(client, world):
    assert 'class="dispute"' not in html_of(client, world["silent"].get_absolute_url())


# -- basis ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, inferred, stated",
    [("ru", "выведено: нет новостей с 2024 г.", "по источнику"), ("en", "inferred: no news since 2024", "stated by the source")],
)
def test_inferred_status_says_since_when_nothing_was_heard(client, world, region, language, inferred, stated):
    """The year is that of the latest news that was not itself a follow-up (2024), not
    that of the "no news" report (2026)."""
    if language == "en":
        english(client)
    inferred_mark = f'<span class="basis basis-inferred">{inferred}</span>'
    stated_mark = f'<span class="basis basis-stated">{stated}</span>'
    for url, query in listing_pages(world, region):
        html = html_of(client, url, **query)
        for entry in entry_for(html, "AMU-102"):
            assert inferred_mark in entry, url
        for entry in entry_for(html, "AMU-101"):
            assert stated_mark in entry, url
    assert inferred_mark in current_status(html_of(client, world["silent"].get_absolute_url()))
    assert stated_mark in current_status(html_of(client, world["english_only"].get_absolute_url()))


def test_basis_filter(client, world):
    url = reverse("tracker:project_list")
    listed = lambda **query: {p.reference for p in client.get(url, query).context["page"]}
    assert listed(basis="inferred") == {"AMU-102"}
    assert listed(basis="stated") == {"AMU-101", "AMU-103"}
    assert listed(basis="judgement") == set()
    # at the end of cycle II the stall had not been inferred yet
    assert listed(basis="inferred", as_of="2") == set()
    assert listed(basis="stated", as_of="2") == {"AMU-101", "AMU-102", "AMU-103"}
    assert listed_on(client, "tracker:unresolved", cycle="III", basis="inferred") == {"AMU-102"}
    assert listed_on(client, "tracker:unresolved", cycle="III", basis="stated") == {"AMU-101"}


def test_a_judged_status_says_so(client, world, cycles):
    history.append_status_change(world["english_only"], S.DROPPED, cycles[2])  # no evidence: judgement
    html = html_of(client, world["english_only"].get_absolute_url())
    assert '<span class="basis basis-judgement">оценка редакции</span>' in current_status(html)
    assert {p.reference for p in client.get(reverse("tracker:project_list"), {"basis": "judgement"}).context["page"]} == {"AMU-103"}


# -- editors' notes and public notes --------------------------------------------------------


def public_pages(world, region):
    return [
        reverse("tracker:overview"),
        reverse("tracker:project_list"),
        reverse("tracker:unresolved"),
        reverse("tracker:region_list"),
        reverse("tracker:region_map"),
        region.get_absolute_url(),
        world["partner"].get_absolute_url(),
        *(world[key].get_absolute_url() for key in ("disputed", "silent", "english_only")),
    ]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_editors_notes_never_reach_a_public_page(client, world, region, language):
    if language == "en":
        english(client)
    for url in public_pages(world, region):
        html = html_of(client, url)
        for owner, note in EDITORS_NOTES.items():
            assert note not in html, f"the {owner}'s editors' note is on {url}"


@pytest.mark.parametrize(
    "language, project_note, change_note, rating_note",
    [
        ("ru", "Стороны расходятся в оценках.", "Выведено из молчания источников.", "Оценка снижена за молчание."),
        ("en", "The parties disagree.", "Inferred from the silence of the sources.", "Score lowered for silence."),
    ],
)
def test_public_notes_are_shown_in_the_readers_language(client, world, region, language, project_note, change_note, rating_note):
    if language == "en":
        english(client)
    assert f'<span lang="{language}">{project_note}</span>' in html_of(client, world["disputed"].get_absolute_url())
    assert f'<span lang="{language}">{change_note}</span>' in html_of(client, world["silent"].get_absolute_url())
    assert f'<span lang="{language}">{rating_note}</span>' in html_of(client, region.get_absolute_url(), cycle="III")


@pytest.mark.parametrize("extension", ["csv", "json"])
def test_public_export_never_holds_an_editors_note_but_holds_the_public_notes(client, world, extension):
    response = client.get(reverse("tracker:project_list"), {"export": extension})
    content = response.getvalue().decode("utf-8-sig")
    for owner, note in EDITORS_NOTES.items():
        assert note not in content, owner
    if extension == "csv":
        rows = list(csv.DictReader(io.StringIO(content)))
    else:
        rows = json.loads(content)
    assert list(rows[0]) == PUBLIC_PROJECT_COLUMNS
    assert "note" not in rows[0]
    by_reference = {r["reference"]: r for r in rows}
    assert by_reference["AMU-101"]["public_note_ru"] == "Стороны расходятся в оценках."
    assert by_reference["AMU-101"]["public_note_en"] == "The parties disagree."


# -- summaries in the reader's language -----------------------------------------------------


def test_russian_page_shows_the_russian_summary_and_english_page_the_english_one(client, world):
    url = world["disputed"].get_absolute_url()
    russian = html_of(client, url)
    assert '<span lang="ru">Губернатор заявил об открытии завода.</span>' in russian
    assert "The governor said the plant would open." not in russian
    english_html = html_of(english(client), url)
    assert '<span lang="en">The governor said the plant would open.</span>' in english_html
    assert "Губернатор заявил об открытии завода." not in english_html
    # both exist: neither is marked as a fallback
    assert '<span lang="ru">Губернатор заявил об открытии завода.</span> <small' not in russian
    assert '<span lang="en">The governor said the plant would open.</span> <small' not in english_html


def test_a_summary_in_one_language_only_is_shown_marked_on_the_other_languages_page(client, world):
    url = world["english_only"].get_absolute_url()
    russian = html_of(client, url)
    assert '<span lang="en">The bridge opened to traffic.</span> <small class="fallback">(на английском)</small>' in russian
    assert '<span lang="ru">Начато расширение моста.</span>' in russian
    assert "(на русском)" not in russian
    english_html = html_of(english(client), url)
    assert '<span lang="ru">Начато расширение моста.</span> <small class="fallback">(in Russian)</small>' in english_html
    assert '<span lang="en">The bridge opened to traffic.</span>' in english_html
    assert "(in English)" not in english_html



def test_disputed_means_the_same_in_the_marks_the_filter_and_the_export_of_an_earlier_cycle(client, world):
    """In cycle II the denial (recorded in III) is either known or not — but the same way
    on the row, in `?disputed=yes` and in the export."""
    url = reverse("tracker:unresolved")
    marked = {p.reference for p in client.get(url, {"cycle": "II"}).context["rows"] if p.disputed}
    filtered = listed_on(client, "tracker:unresolved", cycle="II", disputed="yes")
    exported = client.get(url, {"cycle": "II", "export": "csv"}).getvalue().decode("utf-8-sig")
    in_export = {r["reference"] for r in csv.DictReader(io.StringIO(exported)) if r["disputed"] == "true"}
    assert marked == filtered == in_export


def test_the_evidence_a_change_cites_is_marked_when_in_the_other_language(client, world):
    html = html_of(client, world["english_only"].get_absolute_url())
    citing = re.search(r'<p class="source">Со ссылкой на: (.*?)</p>', html, re.DOTALL).group(1)
    assert "The bridge opened to traffic." in citing
    assert "(на английском)" in citing
