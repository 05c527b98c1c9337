"""The evidence kind a text's wording suggests, with the phrase that decided it
(docs/domain.md "The four statuses" and the kinds of evidence): phrases are matched by the
keys of their words, so any case, number or tense counts («подписали соглашение»,
«соглашение подписано»). Each kind has a weight; the heaviest kind found wins: a denial
over a follow-up over a setback over a result over an effort. A result phrase near a word
of plan («планируется запустить», «запуск намечен») or after «не» does not count."""

from tracker.models import Evidence

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
    ],
    K.FOLLOW_UP: [
        "нет признак", "признак нет", "не найти", "в тот же состояние", "пока далеко", "неопределённость", "пилотный формат", "демонстрационный", "фрагментарный", "продолжать развиваться", "считаться", "называть успешный", "no signs", "no information", "fragmentary", "same state", "uncertain", "pilot", "demonstration", "continues to be developed", "most successful", "considered", "is promoted", "far from",
        "не обновляться", "не актуализироваться", "нет новость", "новость нет", "нет данные", "данные нет",
        "нет сведение", "сведение нет", "нет информация", "информация нет", "не поступать", "нет упоминание",
        "упоминание нет", "нет подтверждение", "подтверждение нет", "продолжение не получить",
        "не получить продолжение", "не получить развитие", "развитие не получить", "исчезнуть из повестка",
        "так и не", "до сих пор не", "пока не выйти", "не выйти за рамка", "стадия намерение", "стадия обсуждение",
        "нет прорыв", "прорыв нет", "не дать", "не дойти", "продолжать работать", "продолжить работать",
        "остаться в стадия", "сообщение не поступать", "no news", "no data", "no reports", "no updates",
        "no confirmation", "no continuation", "no mention", "no current mentions", "no breakthroughs",
        "vanished from the agenda", "has not", "have not", "did not", "still at the", "not turned into",
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
    ],
    K.EFFORT: [
        "договориться", "продвигаться", "интересоваться", "изучать", "усилиться", "обсуждать", "agreed", "worked out", "interested", "explored",
        "подписать соглашение", "соглашение", "подписать меморандум", "меморандум", "договорённость",
        "договоренность", "переговоры", "планироваться", "планировать", "план", "намереваться", "намерение",
        "предполагаться", "предполагать", "представить", "обсуждаться", "обсудить", "изучаться", "прорабатываться",
        "предложить", "готовиться", "продвигать", "визит", "интерес", "рассматриваться", "намечен", "намечать",
        "signed", "agreement", "memorandum", "talks", "plans", "intends", "presented", "discussed", "studied",
        "offered", "prepared", "promoting", "visit", "interest", "proposed", "envisages", "negotiations",
    ],
}
WEIGHTS = {K.CONTRADICTION: 5.0, K.SETBACK: 3.5, K.FOLLOW_UP: 4.0, K.RESULT: 3.0, K.EFFORT: 2.0}
#: Words of plan or negation: a result phrase right after one is no result.
PLAN_WORDS = [
    "планироваться", "планировать", "план", "намечать", "намечен", "намереваться", "предполагаться",
    "ожидаться", "должен", "мочь", "будет", "не", "нет", "plan", "will", "expect", "not", "intend",
]
_WINDOW = 3


def _index():
    index = PhraseIndex(gap=2)
    for kind, phrases in RULES.items():
        for phrase in phrases:
            index.add(phrase, kind)
    plans = PhraseIndex()
    for word in PLAN_WORDS:
        plans.add(word, True)
    return index, plans


_INDEX = None


def detect(tokens, text):
    """(kind, deciding phrase, its span in the text), or (None, "", None) when no phrase
    of any kind is found."""
    global _INDEX
    if _INDEX is None:
        _INDEX = _index()
    index, plans = _INDEX
    planned = {m.first for m in plans.find(tokens, text)}
    scores, best = {}, {}
    for match in index.find(tokens, text):
        kind = match.payload
        if kind == K.RESULT and planned & set(range(match.first - _WINDOW, match.last + _WINDOW + 1)):
            continue
        scores[kind] = scores.get(kind, 0) + WEIGHTS[kind]
        best.setdefault(kind, match)
    if not scores:
        return None, "", None
    kind = max(scores, key=lambda k: (WEIGHTS[k], scores[k]))
    match = best[kind]
    return kind, match.phrase, match.span(tokens)
