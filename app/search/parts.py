"""What prefixes find, kept in memory per segment: compound parts and solution names.

A Whoosh prefix query opens a posting reader for every word it expands to — hundreds for a
common head like ``helse`` — on every search. The words of names and tags are few, so each
segment keeps them in memory instead: its ``words`` and ``words_rev`` terms in sorted order
with their document numbers, read once per segment (segments never change). A prefix is then
a binary search and a union of arrays.

Type-ahead completes solution names the same way: each segment's names, keyed by their folded
words from each word on (``Digital byggesaksbehandling`` is found by ``digital b`` and by
``bygg``), sorted, read once from the stored names. Indexing those keys instead would write a
unique term per name and word — a sixth of a rebuild — for something this small.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from app.search.analysis import words
from app.search.postings import read_postings
from app.search.words import STOP_WORDS, fold

PART_FIELDS = ("words", "words_rev")
"""Terms-only fields of folded name and tag words, forwards and backwards."""

CACHE_SEGMENTS = 32
"""Segments whose words stay in memory."""


@dataclass
class SegmentParts:
    """One field's terms of one segment, sorted, with the documents of each."""

    terms: list[str]
    docs: list[np.ndarray]

    def with_prefix(self, prefix: str) -> list[np.ndarray]:
        """Return the document arrays of every term that starts with ``prefix``."""
        start = bisect_left(self.terms, prefix)
        found = []
        for i in range(start, len(self.terms)):
            if not self.terms[i].startswith(prefix):
                break
            found.append(self.docs[i])
        return found


def _read(leaf: IndexReader, fieldname: str) -> SegmentParts:
    terms: list[str] = []
    docs: list[np.ndarray] = []
    for btext in leaf.lexicon(fieldname):
        term = btext.decode("utf-8")
        terms.append(term)
        docs.append(read_postings(leaf, fieldname, term)[0])
    return SegmentParts(terms, docs)


_cache: OrderedDict[tuple[str, str, str], SegmentParts] = OrderedDict()
_lock = threading.Lock()


def _segment_parts(key: str, leaf: IndexReader, fieldname: str) -> SegmentParts:
    segment = leaf.segment()
    cache_key = (key, segment.segment_id() if segment else str(id(leaf)), fieldname)
    with _lock:
        parts = _cache.get(cache_key)
        if parts is None:
            parts = _cache[cache_key] = _read(leaf, fieldname)
            while len(_cache) > CACHE_SEGMENTS * len(PART_FIELDS):
                _cache.popitem(last=False)
        else:
            _cache.move_to_end(cache_key)
        return parts


def docs_with_prefix(searcher: Searcher, key: str, fieldname: str, prefix: str) -> np.ndarray:
    """Return the documents (searcher numbers; deleted ones included) with a word so begun.

    A document with several such words is listed once per word."""
    found = [
        docs + offset
        for sub, offset in searcher.leaf_searchers()
        for docs in _segment_parts(key, sub.reader(), fieldname).with_prefix(prefix)
    ]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int32)


NAME_STARTS = 6
"""A name is found from each of its first this many words."""


@dataclass
class SegmentNames:
    """One segment's completion keys, sorted, each with (word position, name, slug, document)."""

    keys: list[str]
    entries: list[tuple[int, str, str, int]]


def name_keys(name: str) -> list[tuple[str, int]]:
    """Return the completion keys of a name: its folded words from each word on, and where."""
    folded = [fold(word) for word in words(name)]
    return [
        (" ".join(folded[start:]), start)
        for start, word in enumerate(folded[:NAME_STARTS])
        if not (start and word in STOP_WORDS)
    ]


def _read_names(leaf: IndexReader) -> SegmentNames:
    rows: list[tuple[str, int, str, str, int]] = []
    for docnum in range(leaf.doc_count_all()):
        if leaf.is_deleted(docnum):
            continue
        stored = leaf.stored_fields(docnum)
        name, slug = stored.get("name"), stored.get("slug") or ""
        if name:
            rows.extend((key, start, name, slug, docnum) for key, start in name_keys(name))
    rows.sort()
    return SegmentNames([r[0] for r in rows], [r[1:] for r in rows])


_names: OrderedDict[tuple[str, str], SegmentNames] = OrderedDict()


def names_starting_with(
    searcher: Searcher, key: str, prefix: str, most: int
) -> list[tuple[int, str, str]]:
    """Return up to ``most`` (word position, name, slug) whose folded words from there begin
    so."""
    found: list[tuple[int, str, str]] = []
    for sub, _ in searcher.leaf_searchers():
        leaf = sub.reader()
        segment = leaf.segment()
        cache_key = (key, segment.segment_id() if segment else str(id(leaf)))
        with _lock:
            names = _names.get(cache_key)
            if names is None:
                names = _names[cache_key] = _read_names(leaf)
                while len(_names) > CACHE_SEGMENTS:
                    _names.popitem(last=False)
        i = bisect_left(names.keys, prefix)
        taken = 0
        while i < len(names.keys) and names.keys[i].startswith(prefix) and taken < most:
            position, name, slug, docnum = names.entries[i]
            if not leaf.is_deleted(docnum):  # deleted since the names were read
                found.append((position, name, slug))
                taken += 1
            i += 1
    return found
