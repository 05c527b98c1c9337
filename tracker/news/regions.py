"""The regions a text names: a region's Russian name in any case and its short forms
(«в Амурской области», «Амурская обл.»), its English name ("Amur Oblast", "Amur Region"),
its main city and its common other names (places.py)."""

import re
from collections import Counter
from dataclasses import dataclass, field

from ratings.models import Region

from .phrases import PhraseIndex
from .places import CAPITALISED_ONLY, ENGLISH_KINDS, OTHER_NAMES, SHORT_FORMS

_BRACKETS = re.compile(r"\s*\(([^)]*)\)")


def russian_names(name):
    """The Russian name and its short forms: «Амурская область», «Амурская обл»."""
    names = {name}
    for long, shorts in SHORT_FORMS:
        if long in name:
            names.update(name.replace(long, short) for short in shorts)
        for short in shorts:
            if name.endswith(" " + short):
                names.add(name[: -len(short)] + long)
    return names


def english_names(name):
    """"Sakha Republic (Yakutia)" → itself without the brackets, and "Yakutia"; "Amur
    Oblast" → "Amur Region" too; "Republic of Karelia" → "Karelia"."""
    names = {_BRACKETS.sub("", name).strip(), *_BRACKETS.findall(name)}
    for base in list(names):
        for kind, others in ENGLISH_KINDS:
            if base.endswith(" " + kind):
                names.update(base[: -len(kind)] + other for other in others)
        if base.startswith("Republic of "):
            names.add(base[len("Republic of "):])
        for suffix in (" Republic", " Autonomous Okrug", " Autonomous Oblast"):
            if base.endswith(suffix) and len(base) > len(suffix) + 3:
                names.add(base[: -len(suffix)] + (" Okrug" if "Okrug" in suffix else ""))
    return {n for n in names if n}


@dataclass
class FoundRegion:
    region: Region
    mentions: int = 0
    phrases: list = field(default_factory=list)
    spans: list = field(default_factory=list)


class RegionFinder:
    def __init__(self, regions):
        self.index = PhraseIndex()
        for region in regions:
            names = set(russian_names(region.name_ru)) | english_names(region.name_en)
            russian, english = OTHER_NAMES.get(region.iso_code, ([], []))
            names.update(russian + english)
            for name in names:
                self.index.add(name, (region, name in CAPITALISED_ONLY))

    def find(self, tokens, text):
        """The regions named, most mentioned first (then first named)."""
        found = {}
        for match in self.index.find(tokens, text):
            region, capitalised_only = match.payload
            if capitalised_only and not _stands_alone(tokens, match, text):
                continue
            entry = found.setdefault(region.pk, FoundRegion(region))
            entry.mentions += 1
            entry.phrases.append(match.phrase)
            entry.spans.append(match.span(tokens))
        order = Counter({pk: (f.mentions, -f.spans[0][0]) for pk, f in found.items()})
        return [found[pk] for pk, _ in order.most_common()]


def _stands_alone(tokens, match, text):
    token = tokens[match.first]
    before = text[token.start - 1 : token.start] if token.start else ""
    after = text[tokens[match.last].end : tokens[match.last].end + 1]
    return token.capitalised and before not in ("-", "–") and after not in ("-", "–")


def finder():
    return RegionFinder(Region.objects.only("id", "name_ru", "name_en", "iso_code"))
