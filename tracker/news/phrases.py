"""Finding phrases in a text by the keys of their words (lemmas and stems:
tracker/models/words.py), so that «в Амурской области» finds «Амурская область» and
«подписали соглашение» finds «подписано соглашение»."""

from dataclasses import dataclass

from tracker.models import words


@dataclass(frozen=True)
class Token:
    text: str  # as written
    start: int  # offsets in the text
    end: int
    keys: frozenset

    @property
    def capitalised(self):
        return self.text[:1].isupper()


def tokenize(text):
    """The words of `text` with their offsets and keys."""
    return [
        Token(m.group(), m.start(), m.end(), frozenset(words.keys(m.group().lower())))
        for m in words.WORD.finditer(text[: words.MAX_TEXT])
    ]


def phrase_keys(phrase):
    """The keys of each word of a phrase, in order: a tuple of frozensets."""
    return tuple(frozenset(words.keys(word)) for word in words.tokens(phrase))


@dataclass(frozen=True)
class Match:
    first: int  # token indexes, inclusive
    last: int
    payload: object
    phrase: str  # the words of the text that matched

    def span(self, tokens):
        return tokens[self.first].start, tokens[self.last].end


class PhraseIndex:
    """Phrases (each with a payload) looked up by the keys of their first word. `gap`
    words may stand between two words of a phrase («подписано трёхстороннее соглашение»)."""

    def __init__(self, gap=0):
        self.gap = gap
        self.by_first = {}

    def add(self, phrase, payload):
        keys = phrase_keys(phrase)
        if keys:
            for key in keys[0]:
                self.by_first.setdefault(key, []).append((keys, payload))

    def _end(self, tokens, start, keys):
        """The index of the token that ends `keys` matched from `start`, or None."""
        position = start
        for wanted in keys[1:]:
            for step in range(1, self.gap + 2):
                if position + step < len(tokens) and wanted & tokens[position + step].keys:
                    position += step
                    break
            else:
                return None
        return position

    def find(self, tokens, text, overlap=False):
        """Every match, longest first at each place; without `overlap` a word belongs to
        one match only."""
        found, taken = [], -1
        for index, token in enumerate(tokens):
            if index <= taken and not overlap:
                continue
            options = {id(o): o for key in token.keys for o in self.by_first.get(key, ())}.values()
            best = None
            for keys, payload in sorted(options, key=lambda o: -len(o[0])):
                end = self._end(tokens, index, keys)
                if end is not None and (best is None or end > best.last):
                    best = Match(index, end, payload, text[token.start : tokens[end].end])
            if best is not None:
                found.append(best)
                taken = best.last
        return found
