"""Score a word's postings with BM25F as arrays: the same sums Whoosh makes, all at once.

Whoosh scores a match through a tree of matcher objects: several method calls and a field-
length lookup per posting, about 5 µs each in CPython — 40 ms for a common word at 10,000
solutions, half a second at 100,000. Here a term's postings are read a block at a time into
arrays (kept in a cache, since popular words are searched again and again), field lengths are
read once per segment, and the BM25F formula runs over whole arrays with numpy, adding into
one score per document of the generation. The scores are Whoosh's (``tests/search`` compares
them).

Reading blocks uses ``W3LeafMatcher`` internals of the pinned ``Whoosh-Reloaded==2.7.5``; any
other matcher (inlined postings, another codec) is read through the public per-posting API.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Iterable

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.reading import IndexReader, TermNotFound
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

CACHE_POSTINGS = 8_000_000
"""Postings kept decoded across searches (about 64 MB): the most recently searched terms."""

CACHE_LENGTHS = 64
"""(segment, field) length arrays kept."""

_BYTE_LENGTHS = np.array([byte_to_length(b) if b else 1 for b in range(256)], dtype=np.float32)

Postings = tuple[np.ndarray, np.ndarray]
"""(document numbers as int32, weights as float32) of one term in one segment."""


def read_postings(leaf: IndexReader, fieldname: str, text: str) -> Postings:
    """Return a term's (document numbers, weights) in one segment, deleted documents included."""
    ids, weights = array("i"), array("f")
    try:
        m = leaf.postings(fieldname, text)
    except TermNotFound:
        return _arrays(ids, weights)
    # Deleted documents are masked out later with the generation's live bitset.
    while hasattr(m, "child") and not isinstance(m, W3LeafMatcher):
        m = m.child
    if isinstance(m, W3LeafMatcher) and hasattr(m, "_next_block"):
        while m.is_active():
            m._read_ids()
            m._read_weights()
            ids.extend(m._ids)
            weights.extend(m._weights)
            m._next_block()
    else:
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            m.next()
    return _arrays(ids, weights)


def _arrays(ids: array, weights: array) -> Postings:
    return np.frombuffer(ids, dtype=np.int32), np.frombuffer(weights, dtype=np.float32)


def _lengths(leaf: IndexReader, fieldname: str) -> np.ndarray:
    """Return the length of ``fieldname`` in every document of a segment."""
    count = leaf.doc_count_all()
    perdoc = getattr(leaf, "_perdoc", None)
    reader = None
    if perdoc is not None and hasattr(perdoc, "_cached_reader"):
        reader = perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
    if reader is not None:
        codes = np.fromiter((reader[d] for d in range(count)), dtype=np.uint8, count=count)
        return _BYTE_LENGTHS[codes]
    return np.array(
        [leaf.doc_field_length(d, fieldname, 1) or 1 for d in range(count)], dtype=np.float32
    )


class _Cache:
    """Decoded postings and field lengths of segments, least recently used out first."""

    def __init__(self) -> None:
        self.postings: OrderedDict[tuple[str, ...], Postings] = OrderedDict()
        self.size = 0
        self.lengths: OrderedDict[tuple[str, ...], np.ndarray] = OrderedDict()
        self.lock = threading.Lock()

    def postings_of(self, segment: str, leaf: IndexReader, field: str, text: str) -> Postings:
        key = (segment, field, text)
        with self.lock:
            found = self.postings.get(key)
            if found is not None:
                self.postings.move_to_end(key)
                return found
        found = read_postings(leaf, field, text)
        with self.lock:
            self.postings[key] = found
            self.size += len(found[0])
            while self.size > CACHE_POSTINGS and len(self.postings) > 1:
                _, (old, _) = self.postings.popitem(last=False)
                self.size -= len(old)
        return found

    def lengths_of(self, segment: str, leaf: IndexReader, field: str) -> np.ndarray:
        key = (segment, field)
        with self.lock:
            found = self.lengths.get(key)
            if found is not None:
                self.lengths.move_to_end(key)
                return found
        found = _lengths(leaf, field)
        with self.lock:
            self.lengths[key] = found
            while len(self.lengths) > CACHE_LENGTHS:
                self.lengths.popitem(last=False)
        return found


_cache = _Cache()


def segment_key(leaf: IndexReader, key: str) -> str:
    """Return the cache key of one segment of the index in folder ``key``."""
    segment = leaf.segment()
    return f"{key}/{segment.segment_id() if segment else id(leaf)}"


def add_scores(
    searcher: Searcher,
    key: str,
    terms: Iterable[tuple[str, str, float]],
    scores: np.ndarray,
) -> None:
    """Add the BM25F score of each (field, term, boost) to ``scores`` (one per document)."""
    weighting = searcher.weighting
    assert isinstance(weighting, BM25F)
    k1 = weighting.K1
    for fieldname, text, boost in terms:
        b = weighting._field_B.get(fieldname, weighting.B)
        idf = searcher.idf(fieldname, text)
        avgfl = searcher.avg_field_length(fieldname) or 1
        factor = idf * boost * (k1 + 1)
        flat, per_length = k1 * (1 - b), k1 * b / avgfl
        for sub, offset in searcher.leaf_searchers():
            leaf = sub.reader()
            segment = segment_key(leaf, key)
            ids, weights = _cache.postings_of(segment, leaf, fieldname, text)
            if not len(ids):
                continue
            lengths = _cache.lengths_of(segment, leaf, fieldname)
            # A term lists each document once, so the indexed add below adds each score once.
            scores[ids + offset] += factor * weights / (weights + flat + per_length * lengths[ids])
