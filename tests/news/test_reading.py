"""Regions, organisations, kinds and dates as the matcher reads them from a text."""

import datetime

import pytest

from tracker.models import DatePrecision, Evidence, NewsItem, Project
from tracker.news import text as texts
from tracker.news.dates import find_date
from tracker.news.kinds import KNOWN_NO_RESULT, LAUNCHED_RUNS, NO_PHRASE, decide, detect
from tracker.news.phrases import tokenize
from tracker.news.proposals import Matcher

K = Evidence.Kind


def regions_of(text):
    return Matcher().propose(text).region_codes


@pytest.mark.parametrize("text", [
    "В Амурской области открыли мост.",
    "Амурская обл. получит новый терминал.",
    "Приамурье наращивает экспорт.",
    "В Благовещенске прошёл форум.",
    "The Amur Region governor visited Harbin.",
    "Blagoveshchensk hosted the forum.",
])
def test_amur_oblast_is_found_in_any_case_short_form_city_or_english(record, text):
    assert regions_of(text) == ["RU-AMU"]


def test_tatarstan_by_its_capital_in_the_locative(record):
    assert regions_of("В Казани подписали соглашение.") == ["RU-TA"]


def test_a_city_name_inside_a_longer_name_is_no_region(record):
    factories_region = record["amur"]
    assert regions_of("Заработал пункт пропуска Кани-Курган у Благовещенска") == [factories_region.iso_code]


def test_organisations_known_by_other_case_and_transliteration(record):
    proposal = Matcher().propose("Компания «Газпром гелий сервиса» и Heihe City Goverment подписали меморандум.")
    names = {found.organization.name for found in proposal.organizations}
    assert names == {"Газпром гелий сервис", "Правительство города Хэйхэ"}


def test_names_that_look_like_new_organisations(record):
    proposal = Matcher().propose("ООО «Амур Лес» подписало соглашение с NewNew Shipping Line Co.")
    assert "Амур Лес" in proposal.new_names
    assert any("NewNew Shipping Line" in name for name in proposal.new_names)


@pytest.mark.parametrize("text, kind, phrase", [
    ("Завод введен в эксплуатацию.", K.RESULT, "введен в эксплуатацию"),
    ("Подписано соглашение о строительстве.", K.EFFORT, "Подписано соглашение"),
    ("Новости о проекте не обновляются.", K.FOLLOW_UP, "не обновляются"),
    ("Проект заморожен.", K.SETBACK, "заморожен"),
    ("Работы идут медленнее, чем ожидалось.", K.SETBACK, "медленнее, чем ожидалось"),
    ("Власти КНР опровергли эти сообщения.", K.CONTRADICTION, "опровергли"),
    ("Запуск рейса планируется в 2027 году.", K.EFFORT, "планируется"),
    ("The plant was commissioned in May.", K.RESULT, "commissioned"),
    ("The ministry denied the report.", K.CONTRADICTION, "denied"),
])
def test_kind_and_the_phrase_that_decided_it(text, kind, phrase):
    found, deciding, _span = detect(tokenize(text), text)
    assert (found, deciding) == (kind, phrase)


@pytest.mark.parametrize("text, kind", [
    ("Переговоры о поставках газа продолжаются.", K.EFFORT),  # the result word is what is talked about
    ("Talks are under way on supplies of dairy products.", K.EFFORT),
    ("Завод остаётся крупнейшим экспортёром региона.", K.FOLLOW_UP),
    ("Проект остаётся замороженным.", K.SETBACK),
    ("Данных о строительстве завода за последний год нет.", K.FOLLOW_UP),
    ("Экспорт зерна в Китай продолжается.", K.RESULT),
    ("Завод, который позволил бы нарастить экспорт, так и не построен.", K.FOLLOW_UP),
])
def test_kind_by_the_wording(text, kind):
    assert detect(tokenize(text), text)[0] == kind


@pytest.mark.parametrize("text, status, kind, reason", [
    ("Завод в Алабуге.", Project.Status.ANNOUNCED, K.FOLLOW_UP, KNOWN_NO_RESULT),
    ("Завод в Алабуге.", None, K.FOLLOW_UP, NO_PHRASE),
    ("Завод работает.", Project.Status.LAUNCHED, K.FOLLOW_UP, LAUNCHED_RUNS),
    ("Завод работает.", Project.Status.ANNOUNCED, K.RESULT, ""),
    ("The plant was commissioned in May.", Project.Status.LAUNCHED, K.RESULT, ""),
])
def test_kind_by_the_wording_and_the_record(text, status, kind, reason):
    found, _phrase, _span, why = decide(tokenize(text), text, status)
    assert (found, why) == (kind, reason)


def test_the_known_projects_status_is_read_as_the_record_stood(record):
    from tracker.status.history import append_status_change

    append_status_change(record["bridge"], Project.Status.LAUNCHED, record["cycles"][2])
    text = "Правительство города Хэйхэ сообщает: автомобильный мост Благовещенск – Хэйхэ через Амур работает."
    assert Matcher().propose(text).kind == K.FOLLOW_UP
    assert Matcher(before=3).propose(text).kind == K.RESULT


@pytest.mark.parametrize("text, date, precision", [
    ("в декабре 2025 года заработал", datetime.date(2025, 12, 1), DatePrecision.MONTH),
    ("15 марта 2026 г. подписано", datetime.date(2026, 3, 15), DatePrecision.DAY),
    ("In December 2025 the checkpoint opened", datetime.date(2025, 12, 1), DatePrecision.MONTH),
    ("on 15 March 2026", datetime.date(2026, 3, 15), DatePrecision.DAY),
    ("published 2026-03-15", datetime.date(2026, 3, 15), DatePrecision.DAY),
    ("в 2025 году", datetime.date(2025, 1, 1), DatePrecision.YEAR),
])
def test_the_date_of_the_event(text, date, precision):
    found = find_date(text)
    assert (found.date, found.precision) == (date, precision)


def test_no_date_when_the_text_gives_none():
    assert find_date("Мост построен.") is None


def test_pasted_html_is_read_as_its_text():
    html = "<html><head><style>p{}</style><script>alert(1)</script></head><body><p>Мост&nbsp;<b>открыт</b></p><div>Второй абзац</div></body></html>"
    assert texts.clean(html) == "Мост открыт\nВторой абзац"


@pytest.mark.parametrize("text, language", [
    ("Мост через Амур открыт для движения.", NewsItem.Language.RUSSIAN),
    ("The bridge over the Amur was opened to traffic.", NewsItem.Language.ENGLISH),
    ("Die Brücke über den Amur wurde für den Verkehr freigegeben.", NewsItem.Language.OTHER),
    ("黑河大桥已通车。", NewsItem.Language.OTHER),
])
def test_language_by_letters_and_words(text, language):
    assert texts.language(text) == language


def test_a_third_language_gets_a_sensible_result(record):
    proposal = Matcher().propose("黑河大桥已通车。Die Brücke wurde eröffnet.")
    assert proposal.language == NewsItem.Language.OTHER
    assert proposal.kind is None and proposal.regions == []


def test_a_long_item_finds_names_fuzzily_in_its_first_words_and_exactly_after(record):
    from tracker.news.organisations import FUZZY_WORDS

    filler = "Делегация осмотрела площадку и провела встречу. " * (FUZZY_WORDS // 6 + 10)
    early = Matcher().propose("Компания «Газпром гелий сервиса» подписала меморандум. " + filler)
    assert [f.organization.name for f in early.organizations] == ["Газпром гелий сервис"]
    late = Matcher().propose(filler + " В проекте участвует Газпром гелий сервис, сообщил Haval.")
    assert {f.organization.name for f in late.organizations} == {"Газпром гелий сервис", "Haval"}
    fuzzy_late = Matcher().propose(filler + " Компания «Газпром гелий сервиса» подписала меморандум.")
    assert fuzzy_late.organizations == []
