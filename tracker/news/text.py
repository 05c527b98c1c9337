"""A news item's text as editors paste it: HTML stripped (a page copied from a browser),
entities read, spaces folded; its language decided by its letters."""

import html
import re

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tracker.models.news import MAX_NEWS_CHARS, NewsItem

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_BLOCK = re.compile(r"<\s*(br|/p|/div|/li|/h[1-6]|/tr)\b[^>]*>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")
_LINES = re.compile(r"\s*\n\s*")
_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")
_LATIN = re.compile(r"[a-zA-Z]")
_LATIN_WORD = re.compile(r"[a-zA-Z]+")
#: Common English words: a Latin text with few of them is in a third language.
ENGLISH_WORDS = frozenset(
    "the of and in to a is was were are for on with by from at as that this it its has have "
    "be been will an which or not new said into over after about their china chinese russia "
    "russian region project plant".split()
)


def looks_like_html(text):
    return bool(_TAG.search(text or ""))


def clean(text):
    """The plain text of a pasted item: tags dropped (scripts and styles with their
    content), block ends kept as line breaks, entities read, runs of spaces folded."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if looks_like_html(text):
        text = _BLOCK.sub("\n", text)
        text = nh3.clean(text, tags=set(), clean_content_tags={"script", "style"})
    text = html.unescape(text)
    lines = [_SPACES.sub(" ", line).strip() for line in _LINES.split(text)]
    return "\n".join(line for line in lines if line)


def language(text):
    """ru when most letters are Cyrillic, en when most are Latin and common English words
    are among them, else other (Chinese, German…; or no letters at all)."""
    cyrillic, latin = len(_CYRILLIC.findall(text)), len(_LATIN.findall(text))
    letters = sum(1 for ch in text if ch.isalpha())
    if not letters:
        return NewsItem.Language.OTHER
    if cyrillic >= 0.5 * letters:
        return NewsItem.Language.RUSSIAN
    if latin >= 0.5 * letters:
        latin_words = [w.lower() for w in _LATIN_WORD.findall(text)]
        common = sum(1 for w in latin_words if w in ENGLISH_WORDS)
        if len(latin_words) < 4 or common >= 0.08 * len(latin_words):
            return NewsItem.Language.ENGLISH
    return NewsItem.Language.OTHER


def checked(text):
    """The cleaned text, or ValidationError naming what is wrong (empty, too long)."""
    if len(text or "") > MAX_NEWS_CHARS * 20:
        raise ValidationError(too_long(len(text)), code="too_long")
    plain = clean(text)
    if not plain:
        raise ValidationError(_("The text is empty: paste the news item’s text."), code="empty")
    if len(plain) > MAX_NEWS_CHARS:
        raise ValidationError(too_long(len(plain)), code="too_long")
    return plain


def too_long(length):
    return _(
        "The text has %(length)s characters; a news item holds at most %(limit)s. "
        "Paste the part of the page that is the news item."
    ) % {"length": f"{length:,}".replace(",", " "), "limit": f"{MAX_NEWS_CHARS:,}".replace(",", " ")}
