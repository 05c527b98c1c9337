"""The date of the event a text reports, when it gives one: «15 марта 2026 г.», «в
декабре 2025 года», «в 2025 году», "15 March 2026", "March 15, 2026", "in December 2025",
2026-03-15, 15.03.2026 — each with how precisely it is known (day, month or year)."""

import datetime
import re
from dataclasses import dataclass

from tracker.models import DatePrecision

RU_MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}
EN_MONTHS = {
    name: number for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")], 1)
    for name in names
}
_RU_MONTH = r"(январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|августа?|сентябр[ья]|октябр[ья]|ноябр[ья]|декабр[ья]|" \
    r"январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре|декабре)"
_EN_MONTH = r"(" + "|".join(sorted(EN_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"((?:19|20)\d\d)"
PATTERNS = [
    (re.compile(rf"\b{_YEAR}-(\d\d)-(\d\d)\b"), "iso"),
    (re.compile(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)\b"), "dotted"),
    (re.compile(rf"\b(\d{{1,2}})\s+{_RU_MONTH}\s+{_YEAR}", re.IGNORECASE), "ru_day"),
    (re.compile(rf"\b{_RU_MONTH}\s+{_YEAR}\s*(?:г\.|год[ау]?)", re.IGNORECASE), "ru_month"),
    (re.compile(rf"\b(\d{{1,2}})\s+{_EN_MONTH}\s+{_YEAR}\b", re.IGNORECASE), "en_day"),
    (re.compile(rf"\b{_EN_MONTH}\s+(\d{{1,2}}),\s+{_YEAR}\b", re.IGNORECASE), "en_month_day"),
    (re.compile(rf"\b(?:in\s+|since\s+|by\s+){_EN_MONTH}\s+{_YEAR}\b", re.IGNORECASE), "en_month"),
    (re.compile(rf"\b{_EN_MONTH}\s+{_YEAR}\b"), "en_month"),
    (re.compile(rf"(?:\bв|\bс|\bк)\s+{_YEAR}\s*(?:г\.|году|года|гг?\.)", re.IGNORECASE), "ru_year"),
    (re.compile(rf"\bin\s+{_YEAR}\b", re.IGNORECASE), "en_year"),
]


@dataclass(frozen=True)
class FoundDate:
    date: datetime.date
    precision: str
    phrase: str
    span: tuple


def _ru_month(word):
    word = word.lower()
    for stem, number in sorted(RU_MONTHS.items(), key=lambda item: -len(item[0])):
        if word.startswith(stem):
            return number
    raise ValueError(word)


def _read(kind, groups):
    g = groups
    if kind == "iso":
        return datetime.date(int(g[0]), int(g[1]), int(g[2])), DatePrecision.DAY
    if kind == "dotted":
        return datetime.date(int(g[2]), int(g[1]), int(g[0])), DatePrecision.DAY
    if kind == "ru_day":
        return datetime.date(int(g[2]), _ru_month(g[1]), int(g[0])), DatePrecision.DAY
    if kind == "ru_month":
        return datetime.date(int(g[1]), _ru_month(g[0]), 1), DatePrecision.MONTH
    if kind == "en_day":
        return datetime.date(int(g[2]), EN_MONTHS[g[1].lower()], int(g[0])), DatePrecision.DAY
    if kind == "en_month_day":
        return datetime.date(int(g[2]), EN_MONTHS[g[0].lower()], int(g[1])), DatePrecision.DAY
    if kind == "en_month":
        return datetime.date(int(g[1]), EN_MONTHS[g[0].lower()], 1), DatePrecision.MONTH
    return datetime.date(int(g[0]), 1, 1), DatePrecision.YEAR


def find_date(text):
    """The first date the text gives, as precisely as it gives it, or None. Of dates at
    the same place the more precise reading wins («15 марта 2026 г.» over «2026 г.»)."""
    found = []
    for order, (pattern, kind) in enumerate(PATTERNS):
        for match in pattern.finditer(text or ""):
            try:
                date, precision = _read(kind, match.groups())
            except (ValueError, KeyError):
                continue
            found.append((match.start(), order, FoundDate(date, precision, match.group(), match.span())))
    if not found:
        return None
    return min(found, key=lambda item: (item[0], item[1]))[2]
