"""SQLite's LIKE folds case for ASCII letters only, so «амур» would not find «Амурская».

On SQLite connections the tracker replaces LIKE with a Unicode-aware version; Django's
contains/icontains/startswith lookups (admin search included) then fold Cyrillic too.
"""

import functools
import re

from tracker.models import search, words


@functools.lru_cache(maxsize=512)
def _like_pattern(pattern, escape):
    parts, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if escape and char == escape and index + 1 < len(pattern):
            parts.append(re.escape(pattern[index + 1]))
            index += 2
            continue
        if char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
        index += 1
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def unicode_like(pattern, value, escape=None):
    if pattern is None or value is None:
        return None
    return _like_pattern(pattern, escape).fullmatch(str(value)) is not None


def install_unicode_like(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        raw = connection.connection
        raw.create_function("like", 2, unicode_like, deterministic=True)
        raw.create_function("like", 3, unicode_like, deterministic=True)


def install_search_words(sender, connection, **kwargs):
    """The function the search index's triggers call to turn text into keys (tracker/models/search.py)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(search.FUNCTION, -1, words.index_text, deterministic=True)
