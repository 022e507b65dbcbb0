"""Turn what a user types into a Whoosh query, and correct its spelling.

No Whoosh query parser is involved: the text is split into words and quoted phrases, and every
other character (``* ? ~ ( ) : [ ] ^``) only separates words, so nothing a user types can be a
syntax error or an expensive wildcard. Each word must match (AND); a word matches if its stem is
in a text field (boosted name > summary > description, tags > context), if it is a part of a
compound word of any text field (``parts``, lower boost), if it is a compound whose parts are
each found (``SPLIT_BOOST``), or — for words of ``MIN_PART_LENGTH`` letters or more — if it
begins or ends a word of the name or tags (matched by ``app/search/parts.py``), which scores a
small constant. Words found whole rank above words found as parts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh.automata.lev import levenshtein_automaton
from whoosh.codec.base import Automata
from whoosh.query import And, Or, Phrase, Query, Term
from whoosh.searching import Searcher
from whoosh.support.levenshtein import damerau_levenshtein as distance

from app.search.analysis import stem, words
from app.search.compounds import split
from app.search.words import STOP_WORDS, fold

SEARCH_BOOSTS: dict[str, float] = {
    "name": 5.0,
    "summary": 2.5,
    "description": 1.0,
    "tags": 1.2,
    "context": 0.5,
}
"""Stemmed fields a word is searched in, with their boosts (name > summary > description)."""

PART_BOOST = 0.6
"""Boost of a word found as a part of a compound word in any text field (``parts``)."""

SPLIT_BOOST = 0.5
"""Share of the score a compound query word gets from its parts, each found on its own
(``barnehagesøknad`` → «barnehage» and «søknad»): below the word found whole."""

COMPOUND_HEAD_BOOST = 1.5
"""Constant score of a word that begins a longer word of the name or tags (``byggesak…``)."""

COMPOUND_TAIL_BOOST = 1.0
"""Constant score of a word that ends a longer word of the name or tags (``…behandling``)."""

MIN_PART_LENGTH = 4
"""Shortest word searched as a compound part (shorter prefixes match too much)."""

MAX_WORDS = 12
"""Words of a query beyond this many are ignored (each one costs a pass over the index)."""

MAX_QUERY_LENGTH = 200
"""Longest query text accepted (the API answers 422 beyond it)."""

OPERATORS = frozenset({"AND", "OR", "NOT"})
"""Upper-case operator words people type out of habit: ignored, every word must match anyway."""

_PHRASE = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class QueryWord:
    """One searchable word: as typed, its stem (the term of the stemmed fields), and the stems
    of its parts when it is a compound (``saksbehandlingssystem`` → saksbehandl, system)."""

    raw: str
    stem: str
    parts: tuple[str, ...] = ()


@dataclass
class ParsedQuery:
    """The searchable words and phrases of a query text."""

    text: str = ""
    words: list[QueryWord] = field(default_factory=list)
    phrases: list[list[QueryWord]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Return whether nothing searchable remains (an empty query browses everything)."""
        return not self.words and not self.phrases

    def all_words(self) -> list[QueryWord]:
        """Return the words and the words of the phrases."""
        return [*self.words, *(w for phrase in self.phrases for w in phrase)]


def _query_words(text: str) -> list[QueryWord]:
    found = []
    for raw in words(text):
        if raw in OPERATORS:
            continue
        term = stem(raw)
        if term is None or raw.lower() in STOP_WORDS:
            continue
        found.append(QueryWord(raw, term, _part_stems(raw)))
    return found


def _part_stems(raw: str) -> tuple[str, ...]:
    """Return the stems of a compound word's parts (stop words left out), or ()."""
    stems = (stem(part) for part in split(raw) if len(part) > 1)  # not the e- of «esignering»
    return tuple(dict.fromkeys(s for s in stems if s))


def parse(text: str) -> ParsedQuery:
    """Return the words and quoted phrases of ``text`` (never raises)."""
    text = text[:MAX_QUERY_LENGTH]
    parsed = ParsedQuery(text=text)
    budget = MAX_WORDS
    for phrase in _PHRASE.findall(text):
        found = _query_words(phrase)[:budget]
        budget -= len(found)
        if len(found) > 1:
            parsed.phrases.append(found)
        else:
            parsed.words.extend(found)
    rest = _PHRASE.sub(" ", text)
    parsed.words.extend(_query_words(rest)[: max(budget, 0)])
    # The same word twice adds nothing but cost.
    parsed.words = list({w.stem: w for w in parsed.words}.values())
    return parsed


def with_parts_apart(parsed: ParsedQuery, held: Callable[[str], bool]) -> ParsedQuery:
    """Return the query with each compound word replaced by its parts, as separate words,
    where some live solution holds one of them (``held(stem)``).

    For the any-word fallback: «bygningsvedlikehold» that nothing holds whole or in full is
    searched as «bygning» and «vedlikehold», «klimagassregnskap» as «klima», «gass» and
    «regnskap» (the hits with most of them first)."""
    found: list[QueryWord] = []
    for word in parsed.words:
        if word.parts and any(held(part) for part in word.parts):
            found.extend(_query_words(" ".join(_pieces_as_typed(word.raw))))
        else:
            found.append(word)
    return ParsedQuery(parsed.text, list({w.stem: w for w in found}.values()), parsed.phrases)


def _pieces_as_typed(raw: str) -> list[str]:
    """Return the parts of a compound as the user wrote them (``søknad``, not ``soknad``)."""
    pieces = [piece for piece in split(raw) if len(piece) > 1]
    lowered = raw.lower()
    folded = fold(lowered)
    if len(folded) != len(lowered):  # æ folds to two letters: keep the folded parts
        return pieces
    out, start = [], 0
    for piece in pieces:
        at = folded.find(piece, start)
        if at < 0:
            return pieces
        out.append(lowered[at : at + len(piece)])
        start = at + len(piece)
    return out


def stem_query(word: QueryWord) -> Query:
    """Return the query of one word's stem in every stemmed field, with the field boosts.

    Compound parts are matched apart from this query (``app/search/parts.py``)."""
    return Or([Term(f, word.stem, boost=b) for f, b in SEARCH_BOOSTS.items()])


def phrase_query(phrase: list[QueryWord]) -> Query:
    """Return the query of a quoted phrase: its words in a row in the name or summary, or all
    of them in the description (which keeps no word positions, see ``schema.py``)."""
    stems = [w.stem for w in phrase]
    return Or(
        [
            Phrase("name", stems, boost=SEARCH_BOOSTS["name"]),
            Phrase("summary", stems, boost=SEARCH_BOOSTS["summary"]),
            And([Term("description", s, boost=SEARCH_BOOSTS["description"]) for s in stems]),
        ]
    )


def _in_index(searcher: Searcher, term: str) -> bool:
    """Return whether a stemmed field or the compound parts hold ``term`` (deleted documents
    count too: a spelling correction needs no more)."""
    reader = searcher.reader()
    return any(reader.doc_frequency(f, term) for f in (*SEARCH_BOOSTS, "parts"))


def _is_known(searcher: Searcher, word: QueryWord) -> bool:
    """Return whether any field holds the word (as written, stemmed, as a part of a compound,
    as a compound head, or — a compound itself — each of its parts)."""
    reader = searcher.reader()
    folded = fold(word.raw)
    return bool(
        reader.doc_frequency("spell", word.raw.lower())
        or _in_index(searcher, word.stem)
        or (word.parts and all(_in_index(searcher, part) for part in word.parts))
        or (
            len(folded) >= MIN_PART_LENGTH
            and (
                next(reader.expand_prefix("words", folded), None)
                or next(reader.expand_prefix("words_rev", folded[::-1]), None)
            )
        )
    )


def _closest(searcher: Searcher, typed: str) -> str | None:
    """Return the indexed word closest to ``typed`` (fewest edits, then most used), or None."""
    maxdist = 2 if len(typed) >= 8 else 1
    prefix = 2 if len(typed) >= 5 else 1  # typos rarely touch the first letters; far fewer words
    reader = searcher.reader()
    # One Levenshtein automaton walks every segment's word list (Whoosh's terms_within would
    # build it again per segment; building it is most of a correction's time).
    automaton = levenshtein_automaton(typed, maxdist, prefix).to_dfa()
    candidates: set[str] = set()
    for sub, _ in searcher.leaf_searchers():
        leaf = sub.reader()
        if "spell" in leaf.indexed_field_names():
            candidates.update(Automata.find_matches(automaton, leaf.cursor("spell")))
    candidates.discard(typed)
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda w: (distance(w, typed), -reader.doc_frequency("spell", w), w),
    )


def corrected(searcher: Searcher, parsed: ParsedQuery) -> str | None:
    """Return the query text with unknown words replaced by the closest indexed words, or None.

    Only words no field holds are corrected (a rare word is not a typo). Corrections come from
    unstemmed words as written, because correcting a stem gives words nobody wrote.
    """
    replacements: dict[str, str] = {}
    for word in parsed.all_words():
        typed = word.raw.lower()
        if len(typed) < 3 or typed.isdigit() or _is_known(searcher, word):
            continue
        found = _closest(searcher, typed)
        if found:
            replacements[word.raw] = found
    if not replacements:
        return None
    return re.sub(
        r"\w+(?:\.?\w+)*",
        lambda m: replacements.get(m.group(0), m.group(0)),
        parsed.text,
    ).strip()
