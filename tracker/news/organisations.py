"""The organisations a text names: the known ones by their Russian or English names and
abbreviations — exactly, or near enough for transliteration variants and case endings
(rapidfuzz: «Хэйлунцзян Фусян» and "Heilongjiang Fuxiang", «Газпром гелий сервиса») —
and names that look like organisations the tracker does not know yet (quoted names,
names with a legal form: «ООО «Амур Лес»», "NewNew Shipping Line Co.")."""

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from tracker.models import Organization

#: Legal forms, left out when names are compared.
LEGAL_FORMS = re.compile(
    r"\b(ооо|оао|зао|пао|ао|нао|гк|ltd|llc|inc|co|corp|plc|jsc|pjsc|ojsc|cjsc|gmbh)\b\.?", re.IGNORECASE
)
_QUOTES = re.compile(r"[«»\"“”„'’`]")
_NON_WORD = re.compile(r"[^\w]+")
#: The score (0–100) a window of the text must reach against a known name.
FUZZY_CUTOFF = 88
MAX_WINDOW = 6
#: Names are matched fuzzily within an item's first this many words (a long article's
#: lede and body), exactly in the rest: the fuzzy pass costs a comparison with every
#: known name per window.
FUZZY_WORDS = 1000
_QUOTED = re.compile(r"«([^«»]{2,80})»|\"([^\"]{2,80})\"|“([^”]{2,80})”")
_LATIN_NAME = re.compile(
    r"\b((?:[A-Z][\w&-]*\s+){1,4}(?:Co\.?|Ltd\.?|LLC|Inc\.?|Group|Corporation|Company|Holding|Line|Bank))\b"
)
_WITH_FORM = re.compile(r"\b(?:ООО|АО|ПАО|ОАО|ЗАО|компани[яиюей]+|групп[аыуой]+ компаний)\s+«([^«»]{2,80})»")


def normalise(name):
    name = _QUOTES.sub(" ", (name or "").lower().replace("ё", "е"))
    name = LEGAL_FORMS.sub(" ", name)
    return " ".join(_NON_WORD.sub(" ", name).split())


@dataclass
class FoundOrganization:
    organization: Organization
    score: float
    phrases: list = field(default_factory=list)
    spans: list = field(default_factory=list)


def _abbreviations(name):
    """Capital-letter abbreviations a name carries: «Российские железные дороги (РЖД)» →
    РЖД; a short name all in capitals is its own abbreviation (FAW)."""
    found = set(re.findall(r"\(([A-ZА-ЯЁ]{2,8})\)", name or ""))
    plain = _QUOTES.sub("", name or "").strip()
    if 2 <= len(plain) <= 8 and plain.isupper() and " " not in plain:
        found.add(plain)
    return found


class OrganizationFinder:
    def __init__(self, organizations):
        self.by_name, self.abbreviations = {}, {}
        for org in organizations:
            for name in (org.name, org.name_en):
                key = normalise(name)
                if len(key) >= 3:
                    self.by_name.setdefault(key, org)
                for short in _abbreviations(name):
                    self.abbreviations.setdefault(short, org)
        self.names = list(self.by_name)
        # Names by their number of words: a window is compared with names of about its length.
        by_words = {}
        for name in self.names:
            by_words.setdefault(name.count(" ") + 1, []).append(name)
        self.near = {
            words: [n for count in (words - 1, words, words + 1) for n in by_words.get(count, ())]
            for words in range(1, MAX_WINDOW + 1)
        }

    def _fuzzy(self, window, cache):
        if window not in cache:
            names = self.near.get(window.count(" ") + 1, ())
            cache[window] = process.extractOne(window, names, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        return cache[window]

    def _windows(self, tokens):
        for first, token in enumerate(tokens):
            if token.text.isdigit() or len(token.text) < 2:
                continue
            for last in range(first, min(first + MAX_WINDOW, len(tokens))):
                yield first, last

    def find(self, tokens, text):
        """The known organisations named, best match first; of two matches over the same
        words the better (then the longer) one counts."""
        hits = [(100.0, (t.start, t.end), self.abbreviations[t.text]) for t in tokens if t.text in self.abbreviations]
        if self.names:
            cache = {}
            for first, last in self._windows(tokens):
                start, end = tokens[first].start, tokens[last].end
                window = normalise(text[start:end])
                if len(window) < 4:
                    continue
                if window in self.by_name:
                    best = (window, 100.0)
                else:
                    best = self._fuzzy(window, cache) if first < FUZZY_WORDS else None
                if best is not None:
                    hits.append((best[1], (start, end), self.by_name[best[0]]))
        found, taken = {}, []
        for score, span, org in sorted(hits, key=lambda h: (-h[0], h[1][0] - h[1][1])):
            if any(s[0] < span[1] and span[0] < s[1] for s in taken):
                continue
            taken.append(span)
            entry = found.setdefault(org.pk, FoundOrganization(org, score))
            entry.phrases.append(text[span[0] : span[1]])
            entry.spans.append(span)
        return sorted(found.values(), key=lambda f: (-f.score, f.spans[0][0]))

    def unknown_names(self, text, known_spans, place_spans):
        """Names that look like organisations and match no known one (nor a place)."""
        taken = [*known_spans, *place_spans]
        names = []
        for pattern in (_WITH_FORM, _QUOTED, _LATIN_NAME):
            for match in pattern.finditer(text):
                span = match.span()
                name = next(g for g in match.groups() if g).strip()
                if any(s[0] < span[1] and span[0] < s[1] for s in taken) or name in names:
                    continue
                if normalise(name) in self.by_name:
                    continue
                names.append(name)
                taken.append(span)
        return names[:10]


def finder():
    return OrganizationFinder(Organization.objects.only("id", "name", "name_en"))
