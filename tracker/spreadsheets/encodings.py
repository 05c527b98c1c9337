"""The text encoding of a CSV or JSON file, worked out rather than asked for."""

import codecs
import re

import charset_normalizer
from django.utils.translation import gettext as _

from .errors import SpreadsheetError

# What people send: UTF-8 (Excel's "CSV UTF-8" starts with a BOM), UTF-16 with its BOM
# (Excel's "Unicode text"; without it too, when that can be told) and the ANSI code
# pages of Russian and of Western Windows (Windows-1252 also reads Latin-1 text, which it
# extends). KOI8-R is not read, but it is a candidate, so that its Russian is recognised
# (and refused) instead of being read as Windows-1251.
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CODE_PAGES_READ = ("cp1251", "cp1252")
_CANDIDATES = [*_CODE_PAGES_READ, "koi8_r"]
_SAMPLE = 1 << 18  # bytes of non-ASCII lines that decide the code page
_WORD = re.compile(r"[^\W\d_]+")


def decode_text(content, filename):
    """The text of a CSV or JSON file in whichever accepted encoding it is written.

    When the encoding cannot be told with confidence the file is refused with a message
    naming the encodings read: a wrong guess would store mojibake such as “Cafй crиme”."""
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            try:
                return content.decode(encoding)
            except UnicodeDecodeError:
                raise _unknown_encoding(filename) from None
    if b"\x00" in content:
        text = _utf16_without_bom(content)
        if text is not None:
            return text
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    encoding = _code_page(_sample(content))
    if encoding is not None:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:  # a byte this code page lacks, past the sample
            pass
    raise _unknown_encoding(filename)


def _utf16_without_bom(content):
    """The text of UTF-16 written without its BOM, when the bytes can be nothing else;
    else None.

    Text in any 8-bit encoding has no NUL bytes, while UTF-16 has one in every ASCII
    character (the digits, delimiters and line breaks of any CSV). Read in the right
    byte order, at least half of such a file's characters are Latin, Cyrillic or
    punctuation; read in the wrong one (or 8-bit text read as UTF-16) nearly every
    character falls in the blocks of East Asian scripts instead."""
    if len(content) % 2:
        return None
    readings = []
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            continue
        letters = [c for c in text[:_SAMPLE] if not c.isspace()]
        near = sum(1 for c in letters if c < "\u0530" or "\u2000" <= c < "\u2190")
        if letters and 2 * near >= len(letters):
            readings.append(text)
    return readings[0] if len(readings) == 1 else None


def _sample(content):
    """The header and the lines holding non-ASCII bytes, up to _SAMPLE bytes.

    A file has one encoding, and only its non-ASCII text tells which: charset-normalizer
    looks at a few chunks of what it is given, which in a big file of mostly ASCII
    rows could all miss the one row in Russian."""
    lines = content.splitlines(keepends=True)
    picked, size = lines[:1], 0
    for line in lines[1:]:
        if not line.isascii():
            picked.append(line)
            size += len(line)
            if size > _SAMPLE:
                break
    return b"".join(picked)[:_SAMPLE]


def _code_page(sample):
    """Windows-1251 or Windows-1252, or None when the sample's reading is not certain."""
    readings = [
        match
        for match in charset_normalizer.from_bytes(sample, cp_isolation=_CANDIDATES)
        if not _reads_like_another_code_page(str(match), match.encoding)
    ]
    if len(readings) > 1 and str(readings[0]) != str(readings[1]) and _undecided(*readings[:2]):
        return None
    if readings and readings[0].encoding in _CODE_PAGES_READ:
        return readings[0].encoding
    return None


def _reads_like_another_code_page(text, encoding):
    """Whether this reading looks like Russian or Western text read in the wrong code page.

    charset-normalizer alone is not enough: with a few words it finds several readings
    equally good, and it may prefer a Windows-1252 reading of Russian. But a wrong
    reading across scripts leaves a mark on words: Russian read as Windows-1252 becomes
    words of accented letters only (“Мост” → “Ìîñò”), and Western words read as a
    Cyrillic code page mix Latin and Cyrillic (“Café” → “Cafй”). Words of one letter
    tell nothing; a reading is dropped when at least half of the others look wrong,
    which forgives the odd Latin letter typed into a Russian word. Windows-1251 and
    KOI8-R both read as Cyrillic: telling them apart is charset-normalizer's part."""
    words = [word for word in set(_WORD.findall(text)) if len(word) > 1 and not word.isascii()]
    mixed = sum(1 for word in words if any(letter.isascii() for letter in word))
    odd = len(words) - mixed if encoding == "cp1252" else mixed
    return bool(words) and 2 * odd >= len(words)


def _undecided(first, second):
    """charset-normalizer's own notion of a difficult decision between two readings."""
    return abs(first.chaos - second.chaos) < 0.005 and abs(first.coherence - second.coherence) <= 0.02


def _unknown_encoding(filename):
    return SpreadsheetError(
        _(
            "The text encoding of “%(filename)s” could not be recognised with confidence. "
            "The tracker reads UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1251 "
            "and Windows-1252 (Latin-1): save the file as “CSV UTF-8” and import it again."
        )
        % {"filename": filename}
    )
