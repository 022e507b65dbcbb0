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

import numpy as np
from whoosh.searching import Searcher

from app.search import facets, parts, postings, query
from app.search.facets import (
    FacetIndex,
    bits_of,
    bits_of_mask,
    docnums_of,
    mask_of,
    membership,
)
from app.search.query import (
    COMPOUND_HEAD_BOOST,
    COMPOUND_TAIL_BOOST,
    MIN_PART_LENGTH,
    PART_BOOST,
    SEARCH_BOOSTS,
    SPLIT_BOOST,
    ParsedQuery,
    QueryWord,
)
from app.search.schema import FACET_FIELDS
from app.search.words import fold

SORTS = ("relevance", "newest", "most_adopted")
"""Orders of the results; an empty query sorts ``relevance`` as ``most_adopted``."""

TIE_BREAK_ADOPTED = 0.02
"""Relative score bonus of a solution someone uses: breaks near-ties towards reuse."""

TIE_BREAK_PRODUCTION = 0.01
"""Relative score bonus of a solution in production."""


@dataclass
class SearchRequest:
    """What to search: words, filters (index values per facet), order and page."""

    parsed: ParsedQuery
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20
    not_adopted_by: list[str] = field(default_factory=list)
    """Organisation slugs none of which may use a result (pilot or in use)."""
    min_adopters: int = 0
    """Fewest organisations that must use a result (0: no limit)."""
    freshness_days: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Freshness state → the confirmation days (ordinals, inclusive) that give it today; the
    rule (12 and 24 months) is the services', the engine only compares."""
    freshness: list[str] = field(default_factory=list)
    """States of ``freshness_days`` a result must be in (any of them)."""
    family: int | None = None
    """The family (id of its original) every result must belong to (None: any)."""
    collapse_families: bool = False
    """Show one result per family: the one that ranks first; the others are counted."""


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
    adoption_counts: dict[int, int] = field(default_factory=dict)
    """Solution id → organisations using it (pilot or in use), as indexed, for the hits."""
    not_adopted_counts: dict[str, int] = field(default_factory=dict)
    """Organisation slug → results it does not use: what adding it to ``not_adopted_by`` gives."""
    min_adopter_counts: dict[int, int] = field(default_factory=dict)
    """Each of ``MIN_ADOPTER_STEPS`` → results used by at least that many organisations."""
    freshness_counts: dict[str, int] = field(default_factory=dict)
    """Each state of ``freshness_days`` → results in it (the other filters applied)."""
    any_words: bool = False
    """True when no solution had every word and the hits are those with some of them."""
    family_others: dict[int, int] = field(default_factory=dict)
    """With ``collapse_families``: solution id of a hit → results of its family not shown."""
    ungrouped_total: int = 0
    """Results with every member of a family counted (``total`` without collapsing)."""
    grouped_total: int = 0
    """Results with one per family (``total`` when collapsing)."""


def _word_scores(searcher: Searcher, index: FacetIndex, word: QueryWord) -> np.ndarray:
    """Return one word's part of each document's score (0: the word does not match it)."""
    scores = np.zeros(index.size)
    postings.add_scores(searcher, index.key, _terms(word.stem, PART_BOOST), scores)
    if word.parts:  # a compound: also where each of its parts is found
        split = np.zeros(index.size)
        found = np.ones(index.size, dtype=bool)
        for part in word.parts:
            part_scores = np.zeros(index.size)
            postings.add_scores(searcher, index.key, _terms(part, PART_BOOST), part_scores)
            found &= part_scores > 0
            split += part_scores
        scores += np.where(found, split * SPLIT_BOOST, 0.0)
    folded = fold(word.raw)
    if len(folded) >= MIN_PART_LENGTH:
        for fieldname, text, bonus in (
            ("words", folded, COMPOUND_HEAD_BOOST),
            ("words_rev", folded[::-1], COMPOUND_TAIL_BOOST),
        ):
            docs = parts.docs_with_prefix(searcher, index.key, fieldname, text)
            scores[np.unique(docs)] += bonus  # once per document, however many words
    return scores


def _terms(term: str, part_boost: float) -> list[tuple[str, str, float]]:
    """Return (field, term, boost) of a stem in the stemmed fields and among compound parts."""
    return [*((f, term, boost) for f, boost in SEARCH_BOOSTS.items()), ("parts", term, part_boost)]


def _phrase_scores(searcher: Searcher, index: FacetIndex, phrase: list[QueryWord]) -> np.ndarray:
    """Return a quoted phrase's part of each document's score (0: no match)."""
    scores = np.zeros(index.size)
    q = query.phrase_query(phrase)
    context = searcher.context()
    for sub, offset in searcher.leaf_searchers():
        m = q.matcher(sub, context)
        while m.is_active():
            scores[m.id() + offset] = m.score()
            m.next()
    return scores


def _match(
    searcher: Searcher, index: FacetIndex, parsed: ParsedQuery, *, any_words: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Return (which documents match every word and phrase, their summed scores).

    Every part of a score is positive, so a document matches a word where its part is. With
    ``any_words`` a document matches when it has one of them, and one with more of the words
    always ranks above one with fewer (then by score)."""
    vectors = [_word_scores(searcher, index, w) for w in parsed.words]
    vectors += [_phrase_scores(searcher, index, p) for p in parsed.phrases]
    matched = vectors[0] > 0
    total = vectors[0]
    found = (vectors[0] > 0).astype(np.int32)
    for other in vectors[1:]:
        if any_words:
            matched |= other > 0
            found += other > 0
        else:
            matched &= other > 0
        total = total + other
    if any_words and total.size:
        total = total + found * (float(total.max()) + 1.0)
    return matched, total


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
    index: FacetIndex, sort: str, scores: np.ndarray, allowed: int, wanted: int
) -> list[tuple[int, float]]:
    """Return the best ``wanted`` (docnum, score) among the ``allowed`` documents.

    ``allowed`` (live, matching, filtered) also drops the old versions of replaced documents,
    which compound-part matching still reports."""
    docs = np.flatnonzero(mask_of(allowed, index.size))
    if sort != "relevance":
        _, rank = index.order(sort)
        keys = rank[docs]
        if len(docs) > wanted:
            docs = docs[np.argpartition(keys, wanted - 1)[:wanted]]
        docs = docs[np.argsort(rank[docs], kind="stable")]
        return [(int(d), float(scores[d])) for d in docs]
    adjusted = scores[docs] * index.tie_breaks(TIE_BREAK_ADOPTED, TIE_BREAK_PRODUCTION)[docs]
    if len(docs) > wanted:
        # Keep everything that ties with the wanted-th score, so ties are broken below, not
        # by where the partition happened to cut.
        floor = np.partition(adjusted, len(adjusted) - wanted)[len(adjusted) - wanted]
        keep = adjusted >= floor
        docs, adjusted = docs[keep], adjusted[keep]
    counts = index.adoptions()[docs]
    # Best score first; equal scores go to the more used solution, then the lower number.
    order = np.lexsort((docs, -counts, -adjusted))[:wanted]
    return [(int(docs[i]), float(adjusted[i])) for i in order]


FRESHNESS = "freshness"
"""The key of the freshness filter among the request's filter bitsets."""

FAMILY = "family"
"""The key of the family filter among the request's filter bitsets."""


def _sort_keys(index: FacetIndex, sort: str, scores: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """Return the position of each of ``docs`` in the result order (lower: shown first)."""
    if sort != "relevance":
        return index.order(sort)[1][docs]
    adjusted = scores[docs] * index.tie_breaks(TIE_BREAK_ADOPTED, TIE_BREAK_PRODUCTION)[docs]
    order = np.lexsort((docs, -index.adoptions()[docs], -adjusted))  # as ``_ranked`` orders
    keys = np.empty(len(docs), dtype=np.int64)
    keys[order] = np.arange(len(docs))
    return keys


def _collapse(
    index: FacetIndex, sort: str, scores: np.ndarray, allowed: int
) -> tuple[int, dict[int, int]]:
    """Return (``allowed`` with one document per family, docnum shown → relatives left out).

    Only documents with a relative in the index take part, so a catalogue with few families
    pays for few documents; the one kept is the one the result order shows first."""
    candidates = allowed & index.in_families()
    if not candidates:
        return allowed, {}
    docs = np.asarray(docnums_of(candidates), dtype=np.int64)
    docs = docs[np.argsort(_sort_keys(index, sort, scores, docs), kind="stable")]
    _, first, counts = np.unique(index.families()[docs], return_index=True, return_counts=True)
    kept = docs[first]
    dropped = np.setdiff1d(docs, kept, assume_unique=True)
    others = {int(d): int(n) - 1 for d, n in zip(kept, counts, strict=True) if n > 1}
    return allowed & ~bits_of(dropped, index.size), others


def _freshness_bits(index: FacetIndex, days: dict[str, tuple[int, int]]) -> dict[str, int]:
    """Return each freshness state's live documents, by their confirmation day."""
    if not days:
        return {}
    confirmed = index.confirmed_days()
    return {
        state: bits_of_mask((confirmed >= low) & (confirmed <= high)) & index.live
        for state, (low, high) in days.items()
    }


MIN_ADOPTER_STEPS = (1, 2, 3, 5, 10)
"""The "used by at least N" thresholds whose counts a search reports."""


def _not_used_by(index: FacetIndex, slugs: list[str]) -> int:
    """Return the live documents none of ``slugs`` uses (all live ones for no slugs)."""
    allowed = index.live
    users = index.values["adopted_by"]
    for slug in slugs:
        allowed &= ~users.get(slug, 0)
    return allowed


def _used_by_at_least(index: FacetIndex, n: int) -> int:
    """Return the documents used by at least ``n`` organisations (all live ones for n ≤ 0)."""
    return index.live if n <= 0 else bits_of_mask(index.adoptions() >= n) & index.live


def _adoption_counts(
    index: FacetIndex, allowed: int, before_min: int
) -> tuple[dict[str, int], dict[int, int]]:
    """Return the results each user does not use (within ``allowed``: the filters combine),
    and those used by at least each of ``MIN_ADOPTER_STEPS`` (within ``before_min``: a new
    threshold replaces the chosen one)."""
    total = allowed.bit_count()
    not_used = {
        slug: total - (allowed & bits).bit_count()
        for slug, bits in index.values["adopted_by"].items()
    }
    at_least = {
        n: (before_min & _used_by_at_least(index, n)).bit_count() for n in MIN_ADOPTER_STEPS
    }
    return not_used, at_least


def run(
    searcher: Searcher, index: FacetIndex, request: SearchRequest, *, any_words: bool = False
) -> Outcome:
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
    fresh = _freshness_bits(index, request.freshness_days)
    if request.freshness:
        filter_bits[FRESHNESS] = _union(fresh.get(state, 0) for state in request.freshness)
    if request.family is not None:
        filter_bits[FAMILY] = bits_of_mask(index.families() == request.family) & index.live

    scores = np.zeros(0)
    if parsed.is_empty:
        matches = index.live
    else:
        matched, scores = _match(searcher, index, parsed, any_words=any_words)
        matches = bits_of_mask(matched) & index.live
    if request.not_adopted_by:
        matches &= _not_used_by(index, request.not_adopted_by)
    before_min = matches
    for bits in filter_bits.values():
        before_min &= bits
    if request.min_adopters > 0:
        matches &= _used_by_at_least(index, request.min_adopters)
    found = before_min & matches
    # Facets count solutions; the hits (and their total) may show one per family. Grouping
    # costs only the documents that have a relative, so it is counted on every search.
    grouped, family_others = _collapse(index, sort, scores, found)
    allowed = grouped if request.collapse_families else found
    total = allowed.bit_count()

    facet_counts: dict[str, dict[str, int]] = {}
    for facet in FACET_FIELDS:
        base = matches
        for other, bits in filter_bits.items():
            if other != facet:
                base &= bits
        facet_counts[facet] = facets.count(index, base, facet)
    fresh_base = matches
    for other, bits in filter_bits.items():
        if other != FRESHNESS:
            fresh_base &= bits
    freshness_counts = {state: (fresh_base & bits).bit_count() for state, bits in fresh.items()}
    not_adopted_counts, min_adopter_counts = _adoption_counts(index, found, before_min)

    wanted = request.offset + request.limit
    if total == 0 or request.offset >= total:
        page: list[tuple[int, float]] = []
    elif parsed.is_empty:
        page = [
            (d, 0.0)
            for d in _page_of_order(index, sort, allowed, total, request.offset, request.limit)
        ]
    else:
        page = _ranked(index, sort, scores, allowed, wanted)[request.offset :]
    stored = searcher.reader().stored_fields
    ids = [int(stored(d)["id"]) for d, _ in page]
    return Outcome(
        total=total,
        hits=[(solution_id, score) for solution_id, (_, score) in zip(ids, page, strict=True)],
        facets=facet_counts,
        parsed=parsed,
        generation=index.generation,
        adoption_counts={
            solution_id: index.adoption_count[d]
            for solution_id, (d, _) in zip(ids, page, strict=True)
        },
        any_words=any_words,
        not_adopted_counts=not_adopted_counts,
        min_adopter_counts=min_adopter_counts,
        freshness_counts=freshness_counts,
        family_others={
            solution_id: family_others[d]
            for solution_id, (d, _) in zip(ids, page, strict=True)
            if d in family_others and request.collapse_families
        },
        ungrouped_total=found.bit_count(),
        grouped_total=grouped.bit_count(),
    )


def _union(parts: object) -> int:
    bits = 0
    for part in parts:  # type: ignore[attr-defined]
        bits |= part
    return bits


def search(searcher: Searcher, index: FacetIndex, request: SearchRequest) -> Outcome:
    """Search; when the words find nothing together, search their spelling correction, and
    when that finds nothing either, the solutions with some of the words (best with most),
    compound words counted as their parts."""
    outcome = run(searcher, index, request)
    if outcome.total or request.parsed.is_empty:
        return outcome
    suggestion = query.corrected(searcher, request.parsed)
    if suggestion is not None:
        retry = query.parse(suggestion)
        if not retry.is_empty:
            corrected = run(searcher, index, SearchRequest(retry, **_rest(request)))
            corrected.suggestion = suggestion
            if corrected.total or _parts(request.parsed) < 2:
                return corrected
        outcome.suggestion = suggestion
    loose = query.with_parts_apart(request.parsed, lambda term: _held(searcher, index, term))
    if _parts(loose) < 2:
        return outcome
    some = run(searcher, index, SearchRequest(loose, **_rest(request)), any_words=True)
    if not some.total:
        return outcome
    some.suggestion = outcome.suggestion
    return some


def _held(searcher: Searcher, index: FacetIndex, term: str) -> bool:
    """Return whether a live solution holds a stem, whole or as a compound part."""
    scores = np.zeros(index.size)
    postings.add_scores(searcher, index.key, _terms(term, PART_BOOST), scores)
    return bool(bits_of_mask(scores > 0) & index.live)


def _parts(parsed: ParsedQuery) -> int:
    """Return how many words and quoted phrases a query has."""
    return len(parsed.words) + len(parsed.phrases)


def _rest(request: SearchRequest) -> dict[str, object]:
    return {
        "filters": request.filters,
        "sort": request.sort,
        "offset": request.offset,
        "limit": request.limit,
        "not_adopted_by": request.not_adopted_by,
        "min_adopters": request.min_adopters,
        "freshness_days": request.freshness_days,
        "freshness": request.freshness,
        "family": request.family,
        "collapse_families": request.collapse_families,
    }
