"""Run a search on one index generation: matches, facet counts, order, page, suggestion.

The words are matched once, collecting every matching document with its score (BM25F of the
stemmed fields, ``app/search/postings.py``, plus a constant for compound parts,
``app/search/parts.py``); filters
and facet counts are then bitset operations on the generation's cached value bitsets
(``app/search/facets.py``): the counts of a facet use the text matches with every *other*
facet's filter applied, so a user sees how many a widened facet would give. Browsing (no
words) needs no matching at all: the generation keeps its documents presorted.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from whoosh.searching import Searcher

from app.search import facets, parts, postings, query
from app.search.analysis import fold
from app.search.facets import FacetIndex, bits_of, docnums_of, membership
from app.search.query import (
    COMPOUND_HEAD_BOOST,
    COMPOUND_TAIL_BOOST,
    MIN_PART_LENGTH,
    SEARCH_BOOSTS,
    ParsedQuery,
    QueryWord,
)
from app.search.schema import FACET_FIELDS

SORTS = ("relevance", "newest", "most_adopted")
"""Orders of the results; an empty query sorts ``relevance`` as ``most_adopted``."""

TIE_BREAK_ADOPTED = 0.02
"""Relative score bonus of a solution someone uses: breaks near-ties towards reuse."""

TIE_BREAK_PRODUCTION = 0.01
"""Relative score bonus of a solution in production."""

TIE_BREAK_MAX = TIE_BREAK_ADOPTED + TIE_BREAK_PRODUCTION
"""The most the tie-breaks raise a score, relatively."""


@dataclass
class SearchRequest:
    """What to search: words, filters (index values per facet), order and page."""

    parsed: ParsedQuery
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20


@dataclass
class Outcome:
    """What a search found: the page of (solution id, score), total, facets, suggestion.

    ``generation`` names the index generation searched: what is derived from it may be cached
    until it changes.
    """

    total: int
    hits: list[tuple[int, float]]
    facets: dict[str, dict[str, int]]
    suggestion: str | None = None
    parsed: ParsedQuery | None = None
    generation: tuple[object, ...] = ()


def _word_scores(searcher: Searcher, key: str, word: QueryWord, scored: bool) -> dict[int, float]:
    """Return the documents one word matches, with its part of their score."""
    scores: dict[int, float] = {}
    if scored:
        terms = [(f, word.stem, boost) for f, boost in SEARCH_BOOSTS.items()]
        postings.add_scores(searcher, key, terms, scores)
    else:
        found: set[int] = set()
        postings.add_matches(searcher, key, [(f, word.stem) for f in SEARCH_BOOSTS], found)
        scores = dict.fromkeys(found, 0.0)
    folded = fold(word.raw)
    if len(folded) >= MIN_PART_LENGTH:
        for fieldname, text, bonus in (
            ("words", folded, COMPOUND_HEAD_BOOST),
            ("words_rev", folded[::-1], COMPOUND_TAIL_BOOST),
        ):
            for d in set(parts.docs_with_prefix(searcher, key, fieldname, text)):
                scores[d] = scores.get(d, 0.0) + bonus
    return scores


def _phrase_scores(searcher: Searcher, phrase: list[QueryWord], scored: bool) -> dict[int, float]:
    """Return the documents a quoted phrase matches, with its part of their score."""
    scores: dict[int, float] = {}
    q = query.phrase_query(phrase)
    context = searcher.context() if scored else searcher.boolean_context()
    for sub, offset in searcher.leaf_searchers():
        m = q.matcher(sub, context)
        while m.is_active():
            scores[m.id() + offset] = m.score() if scored else 0.0
            m.next()
    return scores


def _match(
    searcher: Searcher, key: str, parsed: ParsedQuery, scored: bool
) -> tuple[list[int], list[float]]:
    """Return every document matching all words and phrases, with their summed scores."""
    parts_scores = [_word_scores(searcher, key, w, scored) for w in parsed.words]
    parts_scores += [_phrase_scores(searcher, p, scored) for p in parsed.phrases]
    parts_scores.sort(key=len)  # intersect from the rarest word
    combined = parts_scores[0]
    for other in parts_scores[1:]:
        combined = {d: s + other[d] for d, s in combined.items() if d in other}
    return list(combined), list(combined.values())


def _page_of_order(
    index: FacetIndex, sort: str, allowed: int, total: int, offset: int, limit: int
) -> list[int]:
    """Return one page of the ``allowed`` documents in a presorted order."""
    order, rank = index.order(sort)
    if allowed == index.live:
        return order[offset : offset + limit]
    wanted = offset + limit
    # Few allowed: sort just them. Many: walk the order until the page is full.
    if total * total < wanted * len(order):
        chosen = heapq.nsmallest(wanted, docnums_of(allowed), key=rank.__getitem__)
        return chosen[offset:]
    data = membership(allowed, index.size)
    page: list[int] = []
    for d in order:
        if data[d >> 3] >> (d & 7) & 1:
            if offset:
                offset -= 1
                continue
            page.append(d)
            if len(page) == limit:
                break
    return page


def _ranked(
    index: FacetIndex,
    sort: str,
    docs: list[int],
    scores: list[float],
    allowed: int,
    wanted: int,
) -> list[tuple[int, float]]:
    """Return the best ``wanted`` matches (docnum, score) among the allowed ones.

    ``allowed`` (live, matching, filtered) also drops the old versions of replaced documents
    that compound-part matching reports."""
    data = membership(allowed, index.size)
    keep = [i for i, d in enumerate(docs) if data[d >> 3] >> (d & 7) & 1]
    if sort != "relevance":
        _, rank = index.order(sort)
        best = heapq.nsmallest(wanted, keep, key=lambda i: rank[docs[i]])
        return [(docs[i], scores[i] if scores else 0.0) for i in best]
    # The tie-breaks raise a score by at most TIE_BREAK_MAX, so only matches within that of
    # the wanted-th raw score can reach the page: adjust those, not every match.
    top = heapq.nlargest(wanted, (scores[i] for i in keep))
    floor = top[-1] / (1 + TIE_BREAK_MAX) if top else 0.0
    prod = membership(index.production, index.size)
    count = index.adoption_count

    def adjusted(i: int) -> float:
        d = docs[i]
        bonus = TIE_BREAK_ADOPTED * (count[d] > 0) + TIE_BREAK_PRODUCTION * (
            prod[d >> 3] >> (d & 7) & 1
        )
        return scores[i] * (1 + bonus)

    near = [i for i in keep if scores[i] >= floor]
    best = heapq.nlargest(wanted, near, key=lambda i: (adjusted(i), count[docs[i]]))
    return [(docs[i], adjusted(i)) for i in best]


def run(searcher: Searcher, index: FacetIndex, request: SearchRequest) -> Outcome:
    """Search one generation; ``request.filters`` hold index values (slugs, codes)."""
    parsed = request.parsed
    sort = request.sort
    if parsed.is_empty and sort == "relevance":
        sort = "most_adopted"
    filter_bits: dict[str, int] = {}
    for facet, values in request.filters.items():
        if values:
            by_value = index.values[facet]
            filter_bits[facet] = _union(by_value.get(v, 0) for v in values)

    docs: list[int] = []
    scores: list[float] = []
    if parsed.is_empty:
        matches = index.live
    else:
        docs, scores = _match(searcher, index.key, parsed, scored=sort == "relevance")
        matches = bits_of(docs, index.size) & index.live

    allowed = matches
    for bits in filter_bits.values():
        allowed &= bits
    total = allowed.bit_count()

    facet_counts: dict[str, dict[str, int]] = {}
    for facet in FACET_FIELDS:
        base = matches
        for other, bits in filter_bits.items():
            if other != facet:
                base &= bits
        facet_counts[facet] = facets.count(index, base, facet)

    wanted = request.offset + request.limit
    if total == 0 or request.offset >= total:
        page: list[tuple[int, float]] = []
    elif parsed.is_empty:
        page = [
            (d, 0.0)
            for d in _page_of_order(index, sort, allowed, total, request.offset, request.limit)
        ]
    else:
        page = _ranked(index, sort, docs, scores, allowed, wanted)[request.offset :]
    stored = searcher.reader().stored_fields
    hits = [(int(stored(d)["id"]), score) for d, score in page]
    return Outcome(
        total=total,
        hits=hits,
        facets=facet_counts,
        parsed=parsed,
        generation=index.generation,
    )


def _union(parts: object) -> int:
    bits = 0
    for part in parts:  # type: ignore[attr-defined]
        bits |= part
    return bits


def search(searcher: Searcher, index: FacetIndex, request: SearchRequest) -> Outcome:
    """Search; when the words find nothing, search their spelling correction instead."""
    outcome = run(searcher, index, request)
    if outcome.total or request.parsed.is_empty:
        return outcome
    suggestion = query.corrected(searcher, request.parsed)
    if suggestion is None:
        return outcome
    retry = query.parse(suggestion)
    if not retry.is_empty:
        outcome = run(searcher, index, SearchRequest(retry, **_rest(request)))
    outcome.suggestion = suggestion
    return outcome


def _rest(request: SearchRequest) -> dict[str, object]:
    return {
        "filters": request.filters,
        "sort": request.sort,
        "offset": request.offset,
        "limit": request.limit,
    }
