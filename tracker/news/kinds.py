"""The evidence kind of a news item, from its wording and from what the record holds
(docs/domain.md "The four statuses" and the kinds of evidence).

Wording: phrases are matched by the keys of their words, so any case, number or tense
counts («подписали соглашение», «соглашение подписано»). Each kind has a weight; the
heaviest kind found wins: a denial over a follow-up over a setback over a remark that
something stays as it was («остаётся», "remains", «нет») over an effort over a result — a
result word in a sentence about talks or plans is what is talked about («переговоры о
поставках»). A result phrase near a word of plan («планируется запустить», «запуск
намечен») or after «не» does not count.

Context (`decide`): the status, as the record stood, of the project the item is most
likely about. A follow-up is any remark on a known project that reports neither a result
nor a setback, so an item about a known project with no deciding phrase is a follow-up; a
plant already launched that "operates" or «работает» has no new result either (silence
after launch is no stall, and no launch). An item in Russian or English with no phrase at
all and no known project is read the same way: a remark, neither result nor setback."""

from django.utils.translation import gettext_lazy as _

from tracker.models import Evidence, Project

from .phrases import PhraseIndex

K = Evidence.Kind

RULES = {
    K.CONTRADICTION: [
        "опровергнуть", "опровержение", "опровергать", "отрицать", "не соответствовать действительности",
        "назвать фейком", "deny", "denied", "denial", "refuted", "untrue", "false report",
    ],
    K.SETBACK: [
        "спор", "дефицит", "не произойти", "не сложиться", "реализовать не быть", "не всегда стабильный", "сложный сфера", "disputes", "slipping", "shortages", "not realised", "not always stable", "difficult",
        "заморозить", "заморожен", "приостановить", "приостановка", "отложить", "откладываться", "перенести срок",
        "срок сместиться", "сместиться на", "медленнее чем ожидаться", "медленный темп", "медленнее",
        "скромнее ожидаемого", "ниже ожидание", "слабее чем рассчитывать", "не оправдать", "снизиться",
        "снижаться", "сократиться", "упасть", "ограничивать ввоз", "ограничение", "менее стабильный",
        "не реализовать", "не быть реализовать", "не реализован", "не реализована", "не реализованы",
        "отказаться", "закрыть завод", "не возникнуть", "сорвать", "задержка", "зависеть от конъюнктура",
        "freeze", "frozen", "suspended", "postponed", "delayed", "shifted to", "slower than expected",
        "more slowly than expected", "less than expected", "more modest than expected", "below expectations",
        "declined", "fell", "falling", "restricted", "restrictions", "not implemented", "never implemented",
        "cancelled", "abandoned", "withdrew", "less stable", "depend heavily",
        "банкротство", "ликвидировать", "ликвидация", "санкция", "прекратить", "расторгнуть", "убыток",
        "не удаться", "не воплотить", "не быть воплотить", "трудность", "проблема", "bankrupt", "bankruptcy", "liquidated", "sanctions", "halted",
        "stopped", "losses", "failed", "difficulties", "problems",
    ],
    K.FOLLOW_UP: [
        "нет признак", "признак нет", "не найти", "в тот же состояние", "пока далеко", "неопределённость", "пилотный формат", "демонстрационный", "фрагментарный", "продолжать развиваться", "считаться", "называть успешный", "no signs", "no information", "fragmentary", "same state", "uncertain", "pilot", "demonstration", "continues to be developed", "most successful", "considered successful", "is promoted", "far from",
        "не обновляться", "не актуализироваться", "нет новость", "новость нет", "нет данные", "данные нет",
        "нет сведение", "сведение нет", "нет информация", "информация нет", "не поступать", "нет упоминание",
        "упоминание нет", "нет подтверждение", "подтверждение нет", "продолжение не получить",
        "не получить продолжение", "не получить развитие", "развитие не получить", "исчезнуть из повестка",
        "так и не", "до сих пор не", "пока не выйти", "не выйти за рамка", "стадия намерение", "стадия обсуждение",
        "нет прорыв", "прорыв нет", "не дать", "не дойти", "продолжать работать", "продолжить работать",
        "остаться в стадия", "сообщение не поступать", "no news", "no data", "no reports", "no updates",
        "no confirmation", "no continuation", "no mention", "no current mentions", "no breakthroughs",
        "vanished from the agenda", "has not", "have not", "did not", "still at the", "not turned into",
        "не сообщаться", "не появляться", "не появиться", "не подтверждаться", "пропасть из повестка",
        "исчезнуть", "стать меньше", "не перейти в стадия", "не перейти", "не перерасти", "не перерастать",
        "не стать", "малозаметный", "отрывочный", "далекий от", "пока мало", "преждевременно", "рано говорить",
        "not reported", "not been reported", "has become rarer", "noticeably rarer", "not very visible",
        "premature", "few", "far from implementation", "not confirmed", "no date",
        "неизвестно", "неясно", "неясный", "не упоминаться", "unclear", "unknown", "not mentioned",
        "not gone beyond", "continues to operate", "no sign", "no progress", "no clear", "remains at the stage",
    ],
    K.RESULT: [
        "строительство продолжаться", "продолжаться строительство", "строиться", "возведение", "расти", "расширяться", "начать летать", "покупатель", "войти в число поставщик", "under construction", "expanding", "being implemented", "buyers", "buying", "suppliers", "began flying",
        "ввести в эксплуатация", "ввести в строй", "ввод в эксплуатация", "заработать", "открыть", "открыться",
        "запустить", "начаться поставка", "начаться строительство", "начать строительство",
        "идти строительство", "вести строительство", "поставляться", "поставлять", "поставка продолжаться",
        "экспортировать", "выпускать", "производить", "выйти на",
        "выполняться", "реализоваться", "закончить монтаж", "завершить", "приобретать", "закупать", "вырасти",
        "работать", "начать работа", "возобновить", "commissioned", "began operating", "started operating",
        "opened", "launched", "started", "began", "supplied", "supplies", "exported", "produces",
        "resumed", "grew", "built", "completed", "operating", "delivered",
        "экспорт", "вывоз", "вывозить", "отгрузить", "отгружать", "отправить", "увеличиться", "увеличиваться",
        "позволить реализовать", "налаживать", "наладить", "расширять", "рекордный", "действовать",
        "продолжаться", "продолжать", "строительство", "сооружение", "реализовывать", "возобновиться",
        "continues", "continue", "construction", "поставка", "производство", "выпуск", "production", "output",
        "functioning", "increased", "rose", "shipments", "shipped", "sent", "deploying", "record", "operates", "implement",
    ],
    K.EFFORT: [
        "договориться", "продвигаться", "интересоваться", "изучать", "усилиться", "обсуждать", "agreed", "worked out", "interested", "explored",
        "подписать соглашение", "соглашение", "подписать меморандум", "меморандум", "договорённость",
        "договоренность", "переговоры", "планироваться", "планировать", "план", "намереваться", "намерение",
        "предполагаться", "предполагать", "представить", "обсуждаться", "обсудить", "изучаться", "прорабатываться",
        "предложить", "готовиться", "продвигать", "визит", "интерес", "рассматриваться", "намечен", "намечать",
        "signed", "agreement", "memorandum", "talks", "plans", "intends", "presented", "discussed", "studied",
        "offered", "prepared", "promoting", "visit", "interest", "proposed", "envisages", "negotiations",
        "обсуждение", "готовый вложиться", "готовый инвестировать", "попытка", "условиться", "заключить договор",
        "рассматривать", "ready to invest", "attempt", "under consideration", "being considered", "will start",
        "reached agreement", "agreements", "предусматривать", "инициатива", "презентовать", "договор",
        "initiative", "contract", "intend", "planned",
    ],
}
WEIGHTS = {K.CONTRADICTION: 5.0, K.SETBACK: 3.5, K.FOLLOW_UP: 4.0, K.EFFORT: 3.0, K.RESULT: 2.0}
#: Something stays as it was: a follow-up, lighter than a setback («остаётся замороженным»)
#: but heavier than the effort or result it speaks of («остаётся предметом переговоров»).
STILL = [
    "оставаться", "остаться", "сохраняться", "сохраниться", "нет", "remains", "remain", "no",
    "is described as", "is called", "называть",
]
STILL_WEIGHT = 3.2
#: Result phrases that say a thing runs: about a project already launched, no new result.
ONGOING = ["работать", "действовать", "operates", "operating", "functioning", "continues to operate"]
#: Words of plan or negation: a result phrase right after one is no result.
PLAN_WORDS = [
    "планироваться", "планировать", "план", "намечать", "намечен", "намереваться", "предполагаться",
    "ожидаться", "должен", "мочь", "будет", "бы", "не", "нет", "plan", "will", "would", "could", "expect",
    "not", "intend",
]
_WINDOW = 3


#: Why a kind was chosen when no phrase of the text decided it (shown on the decision screen).
KNOWN_NO_RESULT = _("about a known project, no new result")
LAUNCHED_RUNS = _("about a project already launched: it runs, no new result")
NO_PHRASE = _("no phrase of a result, an effort or a setback: a remark")


def _index():
    index = PhraseIndex(gap=2)
    for kind, phrases in RULES.items():
        for phrase in phrases:
            index.add(phrase, (kind, WEIGHTS[kind], phrase in ONGOING))
    for phrase in STILL:
        index.add(phrase, (K.FOLLOW_UP, STILL_WEIGHT, False))
    plans = PhraseIndex()
    for word in PLAN_WORDS:
        plans.add(word, True)
    return index, plans


_INDEX = None


def _matches(tokens, text):
    """(kind, weight, ongoing, match) of every phrase that counts."""
    global _INDEX
    if _INDEX is None:
        _INDEX = _index()
    index, plans = _INDEX
    planned = {m.first for m in plans.find(tokens, text)}
    found = []
    for match in index.find(tokens, text):
        kind, weight, ongoing = match.payload
        if kind == K.RESULT and planned & set(range(match.first - _WINDOW, match.last + _WINDOW + 1)):
            continue
        found.append((kind, weight, ongoing, match))
    return found


def _heaviest(found):
    """(kind, its first match, whether every result phrase says the thing runs), or Nones."""
    if not found:
        return None, None, False
    weight, kind = max((weight, kind) for kind, weight, _ongoing, _match in found)
    first = next(match for k, w, _ongoing, match in found if (k, w) == (kind, weight))
    runs = all(ongoing for k, _w, ongoing, _match in found if k == K.RESULT)
    return kind, first, runs


def detect(tokens, text):
    """The kind the wording alone suggests: (kind, deciding phrase, its span in the text),
    or (None, "", None) when no phrase of any kind is found."""
    kind, match, _runs = _heaviest(_matches(tokens, text))
    if kind is None:
        return None, "", None
    return kind, match.phrase, match.span(tokens)


def decide(tokens, text, status=None, readable=True):
    """(kind, deciding phrase, its span, reason) from the wording and the record: `status`
    is the status of the project the item is most likely about, as the record stood, or
    None when it is about no known project; `readable`: the text is in Russian or English.
    The reason says why when the context, not a phrase alone, decided."""
    kind, match, runs = _heaviest(_matches(tokens, text))
    if kind is None:
        if status is not None:
            return K.FOLLOW_UP, "", None, KNOWN_NO_RESULT
        return (K.FOLLOW_UP, "", None, NO_PHRASE) if readable else (None, "", None, "")
    if kind == K.RESULT and runs and status == Project.Status.LAUNCHED:
        return K.FOLLOW_UP, match.phrase, match.span(tokens), LAUNCHED_RUNS
    return kind, match.phrase, match.span(tokens), ""
