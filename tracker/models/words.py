"""Words as search reads them, folded to lower case with ё read as е:

- a Russian word the pymorphy3 dictionary knows is its lemma — «мосты», «мостом» and «мост»
  are «мост», «терминале» and «терминал» are «терминал», «недвижимости» is «недвижимость»
  (a word read two ways, such as «стали», is both of its likely lemmas);
- a Russian word it does not know (a name: «Хэйхэ», «Хэйлунцзяна») is its Russian Snowball
  stem, words in Latin letters their English Snowball stem ("bridges" is "bridg"), numbers
  are as they are.

The SQLite search index (tracker/models/search.py) stores these `keys`. PostgreSQL's index
stems with its `russian` configuration (the same two Snowball stemmers), where one Russian
word may have two stems («терминал» is «термина», «терминалы» «терминал»), so a searched
Russian word is sent to it as every form of its lexeme (`query_terms`). The pages mark the
words of a text whose keys a search holds (`highlight`), whichever the database."""

import functools
import re

import pymorphy3
import Stemmer
from django.utils.html import escape
from django.utils.safestring import mark_safe

WORD = re.compile(r"[^\W_]+")
CYRILLIC = re.compile(r"[а-яё]")
_RUSSIAN = Stemmer.Stemmer("russian")
_ENGLISH = Stemmer.Stemmer("english")
#: A pasted page of text is read up to here (the search box takes far less).
MAX_TEXT = 200_000
#: Words of a search read (the researchers' search box takes fewer: pages/limits.py).
MAX_TERMS = 16
#: A lemma of a word counts when its readings' score is at least this share of the best lemma's.
PARSE_SHARE = 0.1


@functools.cache
def _morph():
    return pymorphy3.MorphAnalyzer()


def _likely(word):
    """The dictionary's readings of `word` whose lemma is likely: the readings' scores summed
    per lemma, each lemma kept whose sum is at least PARSE_SHARE of the best one's."""
    by_lemma = {}
    for parse in _morph().parse(word):
        if parse.is_known:
            by_lemma.setdefault(parse.normal_form, []).append(parse)
    scores = {lemma: sum(p.score for p in parses) for lemma, parses in by_lemma.items()}
    best = max(scores.values(), default=0)
    return [parses[0] for lemma, parses in by_lemma.items() if scores[lemma] >= best * PARSE_SHARE]


@functools.lru_cache(maxsize=200_000)
def keys(word):
    """The index's tokens for one lower-case word (usually one)."""
    if word.isdigit():
        return (word,)
    if not CYRILLIC.search(word):
        return (_ENGLISH.stemWord(word),)
    word = word.replace("ё", "е")
    lemmas = tuple(dict.fromkeys(p.normal_form.replace("ё", "е") for p in _likely(word)))
    return lemmas or (_RUSSIAN.stemWord(word),)


@functools.lru_cache(maxsize=50_000)
def is_name(word):
    """Whether a lower-case Russian word is likely a name: one the dictionary does not
    know («хэйхэ»)."""
    if word.isdigit() or not CYRILLIC.search(word):
        return False
    return not _likely(word.replace("ё", "е"))


@functools.lru_cache(maxsize=10_000)
def forms(word):
    """The lower-case `word` and, for a Russian word the dictionary knows, every form of
    its likely lexemes (all cases and numbers)."""
    found = {word}
    if CYRILLIC.search(word) and not word.isdigit():
        for parse in _likely(word.replace("ё", "е")):
            found.update(form.word for form in parse.lexeme)
    return tuple(sorted(found))


def tokens(text):
    return WORD.findall((text or "")[:MAX_TEXT].lower())


def index_text(*texts):
    """The keys of every word of `texts`, in order, separated by spaces (None is skipped)."""
    return " ".join(key for text in texts if text for word in tokens(str(text)) for key in keys(word))


def _parts(text):
    """The words of a search, in order and without repeats: (the word as typed, its parts)
    — `AMU-2023-001` has three parts."""
    seen = {}
    for part in (text or "").split():
        parts = tuple(tokens(part))
        if parts and parts not in seen:
            seen[parts] = part
    return [(typed, parts) for parts, typed in seen.items()][:MAX_TERMS]


def query_keys(text):
    """A search as the SQLite index reads it: each word a list of alternatives, each
    alternative a tuple of keys that follow one another."""
    terms = []
    for _typed, parts in _parts(text):
        if len(parts) == 1:
            terms.append([(key,) for key in keys(parts[0])])
        else:
            terms.append([tuple(keys(part)[0] for part in parts)])
    return terms


def query_terms(text):
    """A search as PostgreSQL reads it: each word a list of alternatives — every form of
    a known Russian word, else the word as typed (its parts read as a phrase)."""
    return [list(forms(parts[0])) if len(parts) == 1 else [typed] for typed, parts in _parts(text)]


def key_set(text):
    """Every key a search for `text` finds."""
    return {key for term in query_keys(text) for alternative in term for key in alternative}


def highlight(text, query):
    """`text`, escaped, with each word whose keys the search `query` holds in <mark>."""
    wanted = key_set(query)
    text = "" if text is None else str(text)
    if not wanted or not text:
        return escape(text)
    out, last = [], 0
    for match in WORD.finditer(text):
        if wanted.intersection(keys(match.group().lower())):
            out.append(escape(text[last : match.start()]))
            out.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))
