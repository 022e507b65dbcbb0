"""The Whoosh schema of the catalogue index.

Fields are named for what search does with them:
- ``name``, ``summary``, ``description``, ``tags``, ``context`` (names of the themes,
  standards and owner): bokmål, folded and stemmed (``app/search/analysis.py``); boosts are
  given at query time (``app/search/query.py``), so tuning them needs no rebuild; only name
  and summary keep word positions (for "quoted phrases"), which halves the cost of indexing
  descriptions;
- ``words`` / ``words_rev`` (terms only): the folded words of the short fields (name, tags)
  forwards and backwards, so a prefix query finds compound parts: ``byggesak`` →
  "Byggesaksbehandling", ``behandling`` → "Byggesaksbehandling" — one term per word, far
  cheaper to index than n-grams;
- ``parts``: the stems of the parts of every compound word of the text fields, split with a
  fixed lexicon (``app/search/compounds.py``): «lekkasje» → «Vannlekkasjevarsling»,
  «byggesak» → a summary that says «byggesaksbehandling»; scored (BM25) at a lower boost than
  the whole words, so whole-word matches rank first;
- ``spell`` (terms only): the same words as written, for did-you-mean and completion
  (unstemmed, because correcting a stem gives words nobody wrote; unfolded, because people
  read the suggestions);
- ``kind`` … ``adopted_by``, ``vendor`` (the vendor's name as the page shows it): exact values
  for filters and facets; vendor and product names are also words of ``context`` and
  ``words`` (a coordinator types «Visma» or «Komtek»);
- ``adoption_sort``, ``created``, ``name_sort``: per-document columns for sorting (not indexed:
  numeric fields would index a dozen range terms per value that nothing queries);
- ``confirmed``: the day the owner last confirmed the entry (``date.toordinal()``, 0: never), a
  column the freshness facet compares with today's limits, so the states change with the
  calendar and nothing is re-indexed;
- ``family``: the id of the original a solution's family descends from (its own id when it
  has no lineage), a column search collapses a family by;
- ``slug``, ``adoption_count``, ``updated``: stored only, for ``search check``;
- ``doctype`` tells solution documents from the one ``state`` document that records which
  change-log entries the index has applied (written in the same commit as the changes).
"""

from __future__ import annotations

from whoosh import columns, formats
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, FieldType, Schema

from app.search.analysis import FOLDED, LOWERCASE, PARTS, REVERSED, STEMMED

SCHEMA_VERSION = 10
"""Bump when the schema changes: an index with another version is rebuilt, never reused."""

FACET_FIELDS: dict[str, str] = {
    "kind": "kind",
    "status": "status",
    "theme": "themes",
    "standard": "standards",
    "owner": "owner",
    "adopted_by": "adopted_by",
    "vendor": "vendor",
}
"""Facet (and filter) name → the index field that holds its values."""


def terms_only(analyzer: object) -> FieldType:
    """Return a field that only records which documents hold a term (no scores, no lengths).

    For fields that are matched or looked up but never ranked by BM25: less to write per word.
    """
    return FieldType(formats.Existence(), analyzer, scorable=False, stored=False)


def build_schema() -> Schema:
    """Return a new schema object (Whoosh schemas must not be shared between indexes)."""
    return Schema(
        id=ID(unique=True, stored=True),
        doctype=ID(stored=True),
        slug=STORED(),
        name=TEXT(analyzer=STEMMED, stored=True),
        summary=TEXT(analyzer=STEMMED, stored=True),
        description=TEXT(analyzer=STEMMED, phrase=False),
        tags=TEXT(analyzer=STEMMED, stored=True, phrase=False),
        context=TEXT(analyzer=STEMMED, phrase=False),
        parts=TEXT(analyzer=PARTS, phrase=False),
        words=terms_only(FOLDED),
        words_rev=terms_only(REVERSED),
        spell=terms_only(LOWERCASE),
        name_sort=COLUMN(columns.VarBytesColumn()),
        kind=ID(stored=True),
        status=ID(stored=True),
        owner=ID(stored=True),
        vendor=ID(stored=True),
        themes=KEYWORD(commas=True, stored=True),
        standards=KEYWORD(commas=True, stored=True),
        adopted_by=KEYWORD(commas=True, stored=True),
        adoption_count=STORED(),
        adoption_sort=COLUMN(columns.NumericColumn("i")),
        created=COLUMN(columns.NumericColumn("q")),
        confirmed=COLUMN(columns.NumericColumn("i")),
        family=COLUMN(columns.NumericColumn("q")),
        updated=STORED(),
        state=STORED(),
    )
