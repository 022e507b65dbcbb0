"""The Whoosh schema of the catalogue index and its Norwegian analysers.

Fields are named for what search does with them:
- ``name``, ``summary``, ``description``, ``tags``: bokmål stemming (``LanguageAnalyzer('no')``);
- ``name_ng``, ``tags_ng``: n-grams of the short fields, so ``byggesak`` finds
  "Byggesaksbehandling" (the stemmer does not split compounds);
- ``*_fold``: æ/ø/å folded (ø→o, å→a, æ→ae) for users who type without them;
- ``kind`` … ``adopted_by``: exact values for filters and facets;
- ``doctype`` tells solution documents from the one ``state`` document that records which
  change-log entries the index has applied (written in the same commit as the changes).
"""

from __future__ import annotations

from whoosh.analysis import (
    CharsetFilter,
    LanguageAnalyzer,
    LowercaseFilter,
    NgramFilter,
    RegexTokenizer,
)
from whoosh.fields import BOOLEAN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import charset_table_to_dict, default_charset

SCHEMA_VERSION = 1
"""Bump when the schema changes: an index with another version is rebuilt, never reused."""

_FOLD_MAP = charset_table_to_dict(default_charset)
_FOLD_MAP.update({ord("æ"): "ae", ord("Æ"): "ae", ord("ø"): "o", ord("Ø"): "o"})

NORWEGIAN = LanguageAnalyzer("no")
"""Bokmål: lowercase, stop words, Snowball stemming."""

FOLDED = RegexTokenizer() | LowercaseFilter() | CharsetFilter(_FOLD_MAP)
"""Lowercase with æøå and other accents folded to ASCII; no stemming."""

NGRAMS = RegexTokenizer() | LowercaseFilter() | CharsetFilter(_FOLD_MAP) | NgramFilter(3, 8)
"""3- to 8-character grams of each word (after folding), for parts of compound words."""


def build_schema() -> Schema:
    """Return a new schema object (Whoosh schemas must not be shared between indexes)."""
    return Schema(
        id=ID(unique=True, stored=True),
        doctype=ID(stored=True),
        slug=ID(stored=True),
        name=TEXT(analyzer=NORWEGIAN, stored=True, field_boost=4.0, spelling=True),
        name_ng=TEXT(analyzer=NGRAMS, phrase=False, field_boost=0.6),
        name_fold=TEXT(analyzer=FOLDED, phrase=False, field_boost=2.0),
        name_sort=ID(sortable=True),
        summary=TEXT(analyzer=NORWEGIAN, stored=True, field_boost=2.0),
        description=TEXT(analyzer=NORWEGIAN, field_boost=1.0),
        text_fold=TEXT(analyzer=FOLDED, phrase=False, field_boost=0.8),
        spell=TEXT(analyzer=FOLDED, phrase=False, spelling=True),
        tags=KEYWORD(commas=True, lowercase=True, scorable=True, stored=True, field_boost=1.0),
        tags_ng=TEXT(analyzer=NGRAMS, phrase=False, field_boost=0.4),
        kind=ID(stored=True, sortable=True),
        status=ID(stored=True, sortable=True),
        owner=ID(stored=True, sortable=True),
        themes=KEYWORD(commas=True, stored=True),
        standards=KEYWORD(commas=True, stored=True),
        adopted_by=KEYWORD(commas=True, stored=True),
        adoption_count=NUMERIC(int, stored=True, sortable=True),
        is_production=BOOLEAN(stored=True),
        updated=NUMERIC(int, bits=64, stored=True, sortable=True),
        created=NUMERIC(int, bits=64, stored=True, sortable=True),
        state=STORED(),
    )
