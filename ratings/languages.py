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
