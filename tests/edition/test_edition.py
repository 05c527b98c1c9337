"""The edition drafted from the record (README "The edition"): what goes into each row
and how, in each format, and through the command and the cycle's admin page."""

import datetime
import io
import zipfile

import docx
import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from odf import opendocument, teletype
from odf import text as odf_text

from ratings.models import Rating
from tests.factories import add_evidence, make_cycle, make_project, make_rating, make_region, make_source
from tracker.edition import content, document
from tracker.models import Evidence
from tracker.status import history

pytestmark = pytest.mark.django_db
K = Evidence.Kind


@pytest.fixture
def record(cycles, region):
    """Cycle III of a small record: a region rated 7 (5 before), an earlier project that
    III followed up, an earlier one III was silent about, a new one with a result, and a
    place without a rating."""
    one, two, three = cycles
    make_rating(region, two, 5)
    make_rating(region, three, 7, commentary_ru="Регион остаётся лидером.", commentary_en="The region stays ahead.")
    low = make_region("Tver Oblast", iso_code="RU-TVE", name_ru="Тверская область", slug="tver")
    make_rating(low, two, 5)
    make_rating(low, three, 3)
    source = make_source("Рейтинг, третий выпуск", url="https://example.org/rating-3")
    bridge = make_project(region, one, reference="AMU-001", title_ru="Канатная дорога", title_en="Cable car")
    add_evidence(bridge, one, K.EFFORT, datetime.date(2022, 5, 1), source, summary="The cable car was announced.", summary_ru="Объявлено о канатной дороге")
    add_evidence(bridge, three, K.SETBACK, datetime.date(2025, 9, 1), source, summary="Opening moved to 2026.", summary_ru="Открытие перенесено на 2026 год.")
    conveyor = make_project(region, two, reference="AMU-002", title_ru="Угольный конвейер", title_en="Coal conveyor")
    add_evidence(conveyor, two, K.EFFORT, datetime.date(2024, 3, 1), source, summary="A coal conveyor was planned.", summary_ru="Планируется угольный конвейер.")
    plant = make_project(region, three, reference="AMU-003", title_ru="Завод", title_en="Plant")
    add_evidence(plant, three, K.RESULT, datetime.date(2026, 1, 1), source, summary="A plant opened.", summary_ru="Открыт завод.")
    add_evidence(plant, three, K.EFFORT, datetime.date(2025, 8, 1), source, summary="A memorandum was signed.", summary_ru="Подписан меморандум.")
    crimea = make_region("Crimea", iso_code="UA-43", name_ru="Республика Крым", slug="crimea")
    port = make_project(crimea, three, reference="CR-001", title_ru="Порт", title_en="Port")
    add_evidence(port, three, K.EFFORT, None, source, summary="Port talks were reported.", summary_ru="Сообщалось о переговорах о порте.")
    return three


def row_of(edition, name):
    for _heading, rows in edition.tiers:
        for row in rows:
            if row.region == name:
                return row
    return next(row for row in edition.unrated if row.region == name)


def test_a_row_reads_score_commentary_results_before_efforts_then_follow_ups_in_italics(record):
    edition = content.build(record, "ru")
    assert [heading for heading, _rows in edition.tiers] == ["ВЫСОКАЯ ПРОДУКТИВНОСТЬ", "НИЗКАЯ ПРОДУКТИВНОСТЬ"]
    row = row_of(edition, "Амурская область")
    assert row.heading == "Амурская область 7 (5)" and row.commentary == "Регион остаётся лидером."
    assert [(line.text, line.italic) for line in row.current] == [
        ("Открыт завод.", False),
        ("Подписан меморандум.", False),
        ("Открытие перенесено на 2026 год.", True),
        ("Новостей о проекте «Угольный конвейер» с 2024 года не поступало.", True),
    ]
    assert [line.text for line in row.earlier] == ["Объявлено о канатной дороге.", "Планируется угольный конвейер."]
    assert row_of(edition, "Тверская область").heading == "Тверская область 3 (5)"
    assert [row.region for row in edition.unrated] == ["Республика Крым"]


def test_the_summary_counts_tiers_and_names_the_largest_moves(record):
    summary = content.build(record, "ru").summary
    assert "Высокая продуктивность: 1 регион" in summary
    assert "Оценка 1 региона выросла. Больше всего: Амурская область (5 → 7)." in summary
    assert "Оценка 1 региона снизилась. Больше всего: Тверская область (5 → 3)." in summary


def test_english_edition_uses_the_english_texts(record):
    edition = content.build(record, "en")
    row = row_of(edition, "Amur Oblast")
    assert row.commentary == "The region stays ahead."
    assert row.current[-1].text == "No news of “Coal conveyor” has come since 2024."
    assert edition.tiers[0][0] == "HIGH PRODUCTIVITY"


def test_editors_choose_what_goes_in_and_efforts_beyond_the_limit_are_left_out_by_the_rule(record, region):
    plant = Evidence.objects.get(summary="A plant opened.")
    plant.in_edition = "no"
    plant.save()
    row = row_of(content.build(record, "ru"), "Амурская область")
    assert "Открыт завод." not in [line.text for line in row.current]
    with override_settings(TRACKER_EDITION_MAX_EFFORTS=0):
        row = row_of(content.build(record, "ru"), "Амурская область")
        assert "Подписан меморандум." not in [line.text for line in row.current]
        memo = Evidence.objects.get(summary="A memorandum was signed.")
        memo.in_edition = "yes"
        memo.save()
        row = row_of(content.build(record, "ru"), "Амурская область")
        assert "Подписан меморандум." in [line.text for line in row.current]


def test_docx_has_named_styles_real_italics_a_table_per_tier_and_footnotes(record):
    data = document(record, "docx", "ru", with_sources=True)
    doc = docx.Document(io.BytesIO(data))
    names = {style.name for style in doc.styles}
    assert {"Edition Title", "Edition Tier", "Edition Region", "Edition Event", "Edition Follow-up", "Edition Table"} <= names
    assert len(doc.tables) == 3  # high, low, places without a rating
    cell = doc.tables[0].rows[1].cells[2]
    italic = [run.text for p in cell.paragraphs for run in p.runs if run.style.name == "Edition Follow-up"]
    assert italic == ["Открытие перенесено на 2026 год.", "Новостей о проекте «Угольный конвейер» с 2024 года не поступало."]
    assert doc.styles["Edition Follow-up"].font.italic
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        notes = archive.read("word/footnotes.xml").decode()
        assert "Рейтинг, третий выпуск https://example.org/rating-3" in notes
        assert "footnotes.xml" in archive.read("word/_rels/document.xml.rels").decode()
        assert archive.read("word/document.xml").decode().count("<w:footnoteReference") == notes.count('<w:footnote w:id="') - 0


def test_odt_has_the_same_styles_italic_spans_and_real_footnotes(record):
    data = document(record, "odt", "ru", with_sources=True)
    doc = opendocument.load(io.BytesIO(data))
    spans = [teletype.extractText(span) for span in doc.getElementsByType(odf_text.Span)
             if span.getAttribute("stylename") == "Edition_20_Follow-up"]
    assert "Открытие перенесено на 2026 год." in spans
    names = {s.getAttribute("displayname") for s in doc.styles.childNodes if s.qname[1] == "style"}
    assert {"Edition Title", "Edition Tier", "Edition Region", "Edition Event", "Edition Follow-up"} <= names
    notes = doc.getElementsByType(odf_text.Note)
    assert notes and "Рейтинг, третий выпуск" in teletype.extractText(notes[0])


def test_a_draft_is_marked_on_every_page_in_each_format(record):
    draft = make_cycle(4)
    mark = "ПРОЕКТ — не для цитирования"
    doc = docx.Document(io.BytesIO(document(draft, "docx", "ru")))
    assert doc.sections[0].header.paragraphs[0].text == mark
    odt = opendocument.load(io.BytesIO(document(draft, "odt", "ru")))
    assert mark in teletype.extractText(odt.masterstyles)
    html = document(draft, "html", "ru").decode()
    assert 'class="draft-mark"' in html and mark in html and "position: fixed" in html
    published = document(record, "html", "ru").decode()
    assert "draft-mark\"" not in published and "Опубликован 1 июня 2026" in published


def test_html_is_printable_and_cites_sources_as_numbered_notes(record):
    html = document(record, "html", "ru", with_sources=True).decode()
    assert "size: A4 landscape" in html and "table-header-group" in html
    assert '<em class="edition-follow-up">Открытие перенесено на 2026 год.</em><sup><a href="#note-' in html
    assert '<a href="https://example.org/rating-3">' in html


def test_the_command_writes_the_edition_and_names_a_missing_cycle(record, tmp_path):
    path = tmp_path / "edition.docx"
    out, err = io.StringIO(), io.StringIO()
    call_command("edition", "--cycle", "III", "--format", "docx", "-o", str(path), stdout=out, stderr=err)
    assert docx.Document(str(path)).paragraphs[0].text == record.title
    assert "5/5" in err.getvalue()  # the progress bar
    with pytest.raises(CommandError, match="IX"):
        call_command("edition", "--cycle", "IX", stdout=io.StringIO(), stderr=io.StringIO())


def test_the_cycle_page_offers_the_edition_and_drafts_stay_with_editors(record, editor_client, researcher_client, client):
    draft = make_cycle(4)
    page = editor_client.get(reverse("admin:ratings_cycle_change", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    url = reverse("admin:ratings_cycle_edition", args=[draft.pk])
    assert f"{url}?format=docx&amp;language=ru" in page and "Выпуск (DOCX)" in page
    response = editor_client.get(url, {"format": "odt", "language": "en"})
    assert response.status_code == 200 and response["Content-Type"] == "application/vnd.oasis.opendocument.text"
    assert 'filename="edition-IV-en-draft.odt"' in response["Content-Disposition"]
    assert researcher_client.get(url).status_code == 403
    assert researcher_client.get(reverse("admin:ratings_cycle_edition", args=[record.pk])).status_code == 200
    assert client.get(url).status_code == 302  # to the login page
    assert editor_client.get(url, {"format": "pdf"}).status_code == 404


def test_one_news_item_recorded_for_several_projects_is_said_once(record, region, cycles):
    for reference in ("AMU-010", "AMU-011"):
        project = make_project(region, cycles[2], reference=reference)
        add_evidence(project, cycles[2], K.RESULT, datetime.date(2026, 2, 1), summary="Two plants opened.", summary_ru="Открыты два завода.")
    row = row_of(content.build(record, "ru"), "Амурская область")
    assert [line.text for line in row.current].count("Открыты два завода.") == 1


def test_edition_choices_and_commentary_come_from_spreadsheets_too(record, region):
    from tracker.spreadsheets.importer import import_datasets, read_dataset

    plant = Evidence.objects.get(summary="A plant opened.")
    plant.reference = "AMU-003-E1"
    plant.save()
    evidence = "reference,in_edition\nAMU-003-E1,не в выпуске\n"
    ratings = "region,cycle,score,commentary_ru\nRU-AMU,III,7,Новый комментарий.\n"
    report = import_datasets([
        ("evidence", read_dataset(evidence.encode(), "evidence.csv")),
        ("ratings", read_dataset(ratings.encode(), "ratings.csv")),
    ])
    assert not report.problems, report.problems
    row = row_of(content.build(record, "ru"), "Амурская область")
    assert row.commentary == "Новый комментарий." and "Открыт завод." not in [line.text for line in row.current]
    bad = import_datasets([("evidence", read_dataset(b"reference,in_edition\nAMU-003-E1,maybe\n", "evidence.csv"))])
    (problem,) = bad.problems
    assert problem.row == 2 and "maybe" in problem.message
