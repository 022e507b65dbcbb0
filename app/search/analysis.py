"""Norwegian text analysis: the analysers of the index and the same steps for query words.

Index and query must turn a word into the same term, so both use the functions here:
- ``STEMMED``: lowercase, bokmål stop words dropped, æ/ø/å and accents folded, Snowball bokmål
  stem — ``Søknader``, ``søknad`` and ``soknad`` all become ``soknad``;
- ``FOLDED``: lowercase and folded, unstemmed: compound heads by prefix query;
- ``REVERSED``: folded and written backwards, so a prefix query finds the tail of a compound
  (``behandling`` in ``byggesaksbehandling``) without indexing n-grams;
- ``LOWERCASE``: lowercase words as written: spelling corrections and completions (unfolded,
  so suggestions read as people write them);
- ``PARTS``: the stems of the parts of compound words (``app/search/compounds.py``), so
  «lekkasje» finds «Vannlekkasjevarsling» in any text field.

Each analyser does its steps in one pass with a cache of the words it has seen: the same steps
as Whoosh's ``RegexTokenizer | LowercaseFilter | StopFilter | CharsetFilter | StemFilter``
chain (stems come from Whoosh's own Snowball stemmer), but a word is worked out once rather
than passed through five generators every time — indexing is where a rebuild spends its time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Token, Tokenizer
from whoosh.lang.snowball.norwegian import NorwegianStemmer

from app.search.compounds import all_parts
from app.search.words import FOLD_MAP, STOP_WORDS, WORD, fold

CACHE_WORDS = 200_000
"""Distinct words an analyser remembers (about 20 MB); the cache starts over when full."""

_stemmer = NorwegianStemmer()


def _stemmed_term(word: str) -> str | None:
    lowered = word.lower()
    if lowered in STOP_WORDS:  # the list holds the unfolded forms (på, før, så)
        return None
    return _stemmer.stem(lowered.translate(FOLD_MAP))


class WordAnalyzer(Tokenizer):
    """Split text into words and map each to its term in one pass (``None``: a stop word)."""

    def __init__(self, name: str, term: Callable[[str], str | None]) -> None:
        self.name = name
        self.term = term
        self._cache: dict[str, str | None] = {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WordAnalyzer) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"WordAnalyzer({self.name!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Whoosh pickles the schema into the index: store the name, never the cache.
        return (_analyzer_named, (self.name,))

    def lookup(self, word: str) -> str | None:
        """Return the term of one word (cached)."""
        cache = self._cache
        try:
            return cache[word]
        except KeyError:
            if len(cache) >= CACHE_WORDS:
                cache.clear()
            term = cache[word] = self.term(word)
            return term

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        """Yield one reused Token per word (Whoosh's tokenizer protocol)."""
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        lookup = self.lookup
        pos = start_pos
        matches = WORD.finditer(value) if tokenize else [re.match(r".*", value, re.S)]
        for match in matches:
            word = match.group()
            term = lookup(word)
            if term is None:
                if removestops:
                    continue
                token.stopped, token.text = True, word.lower()
            else:
                token.stopped, token.text = False, term
            token.boost = 1.0
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = pos
                pos += 1
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


class PartAnalyzer(WordAnalyzer):
    """Map each compound word to the stems of its parts (``app/search/compounds.py``).

    ``Vannlekkasjevarsling`` → vannlekkasj, vann, lekkasj, varsling; a word that is not a
    compound gives nothing. The parts field is searched beside the stemmed fields, at a lower
    boost, so a word found whole ranks above the same word found inside a compound."""

    def __init__(self, name: str) -> None:
        super().__init__(name, _stemmed_term)
        self._parts: dict[str, tuple[str, ...]] = {}

    def parts_of(self, word: str) -> tuple[str, ...]:
        """Return the stems of a word's parts (cached; stop words and the word's stem left out)."""
        cache = self._parts
        try:
            return cache[word]
        except KeyError:
            if len(cache) >= CACHE_WORDS:
                cache.clear()
            own = self.lookup(word)
            stems = {_stemmed_term(part) for part in all_parts(word)} - {None, own}
            # One letter (the e- of «esignering») finds nothing worth finding.
            found = cache[word] = tuple(sorted(s for s in stems if s and len(s) > 1))
            return found

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        **kwargs: Any,
    ) -> Iterator[Token]:
        """Yield a Token per part of each compound word (Whoosh's tokenizer protocol)."""
        kwargs.pop("keeporiginal", None)  # a part is not in the text: there is no original
        token = Token(positions, chars, **kwargs)
        parts_of = self.parts_of
        pos = start_pos
        for match in WORD.finditer(value) if tokenize else [re.match(r".*", value, re.S)]:
            for part in parts_of(match.group()):
                token.stopped, token.text, token.boost = False, part, 1.0
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar = start_char + match.start()
                    token.endchar = start_char + match.end()
                yield token
            pos += 1


def _reversed(word: str) -> str:
    return fold(word)[::-1]


STEMMED = WordAnalyzer("stemmed", _stemmed_term)
"""Bokmål words folded and stemmed: name, summary, description, tags, context."""

FOLDED = WordAnalyzer("folded", fold)
"""Words lowercased and folded, unstemmed: compound heads by prefix query."""

REVERSED = WordAnalyzer("reversed", _reversed)
"""Folded words written backwards: compound tails by prefix query."""

LOWERCASE = WordAnalyzer("lowercase", str.lower)
"""Words lowercased, as written: spelling corrections and completions."""

PARTS = PartAnalyzer("parts")
"""The stems of the parts of compound words: every text field, for words found inside them."""

_ANALYZERS = {a.name: a for a in (STEMMED, FOLDED, REVERSED, LOWERCASE, PARTS)}


def _analyzer_named(name: str) -> WordAnalyzer:
    """Return the analyser an index's pickled schema names."""
    return _ANALYZERS[name]


@lru_cache(maxsize=100_000)
def stem(word: str) -> str | None:
    """Return the index term of one word in a stemmed field, or None for a stop word."""
    return STEMMED.lookup(word)


def words(text: str) -> list[str]:
    """Return the words of ``text`` as the analysers split them."""
    return WORD.findall(text)
