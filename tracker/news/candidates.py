"""The projects a news item may be about, ranked, each with why (README "News inbox").

The pool (pool.py) holds the projects that share words with the item; each is then scored
on the record as it stood (`before` a cycle: its evidence of earlier cycles only):

- words: the item's words (lemmas and stems, tracker/models/words.py) found in the
  project's titles and location, its partners' names or its evidence, each weighted by how
  rare it is in the pool (a word every candidate has tells nothing) and by where it is found
  (titles most); names (Russian words the dictionary does not know, «Хэйхэ», and capitalised Latin words
  inside a sentence, "Udokan") count double;
- its region among the regions the item names (and against it, when it names others);
- its partners among the organisations the item names;
- its announced amount among the amounts the item gives.
"""

import math
from dataclasses import dataclass, field

from django.db.models import Q

from tracker.models import Evidence, Participation, Project, words

from .amounts import same_amount
from .pool import pool

#: A candidate at or above this score is a likely match; below it the item may be new.
THRESHOLD = 0.55
TOP = 5
FIELD_WEIGHTS = {"titles": 1.0, "partners": 0.8, "evidence": 0.6}
#: Words too common in news about Russia and China to tell projects apart.
STOPWORDS = frozenset(
    "в во на и с со по о об от к ко для из за до при что как а но не это этот тот также год "
    "проект компания китайский китай кнр россия российский регион область край республика "
    "сотрудничество развитие новый рамка участие который свой его её их быть стать мочь "
    "the of and in to a an is was were are for on with by from at as that this it its has "
    "have be been will which or not new project company china chinese russia russian region "
    "cooperation year".split()
)
STOP_KEYS = frozenset(key for word in STOPWORDS for key in words.keys(word))


@dataclass
class Candidate:
    project: Project
    score: float = 0.0
    words: list = field(default_factory=list)
    partners: list = field(default_factory=list)
    region: bool = False
    amount: bool = False
    last_evidence: Evidence = None

    @property
    def likely(self):
        return self.score >= THRESHOLD


def item_keys(tokens):
    """{key: (the word as written, its weight)} of the item's content words."""
    found = {}
    for index, token in enumerate(tokens):
        word = token.text.lower()
        if len(word) < 3 or word.isdigit():
            continue
        weight = 2.0 if words.is_name(word) or (token.capitalised and word.isascii() and index) else 1.0
        for key in token.keys - STOP_KEYS:
            if key not in found or found[key][1] < weight:
                found[key] = (token.text, weight)
    return found


def _records(ids, before):
    projects = Project.objects.filter(pk__in=ids).select_related("region")
    documents = {p.pk: {"titles": set(words.index_text(p.reference, p.title_ru, p.title_en, p.location).split()),
                        "partners": set(), "evidence": set()} for p in projects}
    partners = {}
    for pa in Participation.objects.filter(project_id__in=ids).select_related("organization"):
        org = pa.organization
        documents[pa.project_id]["partners"].update(words.index_text(org.name, org.name_en).split())
        partners.setdefault(pa.project_id, {})[org.pk] = org
    evidence = Evidence.objects.filter(project_id__in=ids).select_related("cycle")
    if before is not None:
        evidence = evidence.filter(cycle__number__lt=before)
    last = {}
    for e in evidence.order_by("cycle__number", "occurred_on", "pk"):
        documents[e.project_id]["evidence"].update(words.index_text(e.summary_ru, e.summary).split())
        last[e.project_id] = e
    return projects, documents, partners, last


def _word_score(keys, document, df, size):
    total, matched = 0.0, []
    for key, (written, weight) in keys.items():
        where = [name for name in FIELD_WEIGHTS if key in document[name]]
        if where:
            idf = math.log((size + 1) / (df[key] + 0.5))
            total += weight * idf * max(FIELD_WEIGHTS[name] for name in where)
            matched.append(written)
    return total, matched


def rank(tokens, *, regions=(), organizations=(), amounts=(), before=None, top=TOP):
    """The `top` candidates, best first. `regions` and `organizations` are the ids the
    item names; `amounts` the amounts it gives; `before` a cycle number or None."""
    keys = item_keys(tokens)
    ids = pool(list(keys)[:60], [w for w, _ in keys.values()][:60], before=before, regions=list(regions))
    if not ids:
        return []
    projects, documents, partners, last = _records(ids, before)
    df = {key: sum(1 for d in documents.values() if any(key in d[f] for f in FIELD_WEIGHTS)) for key in keys}
    scored = []
    for project in projects:
        raw, matched = _word_score(keys, documents[project.pk], df, len(documents))
        candidate = Candidate(project, words=matched, last_evidence=last.get(project.pk))
        candidate.partners = [o.display_name for pk, o in partners.get(project.pk, {}).items() if pk in organizations]
        candidate.region = project.region_id in regions
        candidate.amount = bool(project.amount) and any(same_amount(a, project.amount, project.currency) for a in amounts)
        candidate.score = _combine(raw, candidate, bool(regions))
        if candidate.score > 0:
            scored.append(candidate)
    scored.sort(key=lambda c: (-c.score, c.project.reference))
    return scored[:top]


def _combine(raw, candidate, regions_named):
    """A score from 0 to 1: the words' evidence saturating, moved by region, partners and
    amount."""
    score = 0.6 * raw / (raw + 8.0)
    if candidate.region:
        score += 0.25
    elif regions_named:
        score -= 0.15
    score += min(0.3, 0.2 * len(candidate.partners))
    if candidate.amount:
        score += 0.1
    if not candidate.words and not candidate.partners:
        return 0.0
    return round(max(0.0, min(1.0, score)), 3)
