"""Bilingual display: Russian first, English when the reader's language is English."""

from django.utils.translation import get_language


def reads_english():
    return (get_language() or "ru").startswith("en")


def bilingual(obj, russian, english):
    """The attribute `english` of `obj` for an English reader when it is filled in, else
    the attribute `russian` (or `english` when the Russian one is empty)."""
    if reads_english() and getattr(obj, english):
        return getattr(obj, english)
    return getattr(obj, russian) or getattr(obj, english)


class ReaderText(str):
    """A text in the reader's language or, failing that, in the other one: `language` is
    the language it is written in, `fallback` is true when that is not the reader's."""

    language = "ru"
    fallback = False


def reader_text(obj, russian, english):
    """docs/domain.md "Languages": the reader's language first, the other as a marked fallback."""
    wanted, other = ((english, "en"), (russian, "ru")) if reads_english() else ((russian, "ru"), (english, "en"))
    for position, (attribute, code) in enumerate((wanted, other)):
        value = getattr(obj, attribute) or ""
        if value:
            text = ReaderText(value)
            text.language, text.fallback = code, position == 1
            return text
    return ReaderText("")
