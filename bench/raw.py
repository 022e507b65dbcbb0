"""The raw engine: plain Whoosh doing the same job, for the figures beside the catalogue's.

"Same job" means the same answer: the same parsed query, 20 stored hits, the six facets counted
with Whoosh's own ``sorting.Count`` (with every *other* filter applied, so a filtered facet
needs its own search), and highlights of name, summary and description with Whoosh's own
highlighter. Rebuild: the same solutions' texts into a plain Whoosh schema (the stock
``LanguageAnalyzer('no')``), one writer, texts already in memory (no database).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from whoosh import index, sorting
from whoosh.analysis import LanguageAnalyzer
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.highlight import HtmlFormatter
from whoosh.query import And, Or, Prefix, Term

from app.search.query import (
    COMPOUND_HEAD_BOOST,
    COMPOUND_TAIL_BOOST,
    MIN_PART_LENGTH,
    ParsedQuery,
    parse,
    phrase_query,
    stem_query,
)
from app.search.schema import FACET_FIELDS
from app.search.words import fold

MULTI_VALUED = {"themes", "standards", "adopted_by"}


def to_whoosh(parsed: ParsedQuery) -> Any:
    """Return the catalogue's query as one plain Whoosh query (compound parts as prefixes)."""
    parts = []
    for word in parsed.words:
        subs = [stem_query(word)]
        folded = fold(word.raw)
        if len(folded) >= MIN_PART_LENGTH:
            subs.append(Prefix("words", folded, boost=COMPOUND_HEAD_BOOST))
            subs.append(Prefix("words_rev", folded[::-1], boost=COMPOUND_TAIL_BOOST))
        parts.append(Or(subs))
    parts += [phrase_query(p) for p in parsed.phrases]
    return parts[0] if len(parts) == 1 else And(parts)


class RawWhoosh:
    """Plain Whoosh on the catalogue's index folder."""

    def __init__(self, index_dir: Path, descriptions: dict[str, str]) -> None:
        ix = index.open_dir(str(index_dir))
        self.searcher = ix.searcher()
        self.descriptions = descriptions

    def _facets(self, names: list[str]) -> sorting.Facets:
        facets = sorting.Facets()
        for name in names:
            field = FACET_FIELDS[name]
            facets.add_field(field, maptype=sorting.Count, allow_overlap=field in MULTI_VALUED)
        return facets

    @staticmethod
    def _filter(filters: dict[str, list[str]], but: str = "") -> Any:
        parts = [
            Or([Term(FACET_FIELDS[name], value) for value in values])
            for name, values in filters.items()
            if values and name != but
        ]
        return And(parts) if parts else None

    def search(self, params: dict[str, Any]) -> int:
        """Answer one search the plain Whoosh way; return the total."""
        parsed = parse(params.get("q", ""))
        filters = {
            name: [v] if isinstance(v, str) else list(v)
            for name, v in params.items()
            if name in FACET_FIELDS
        }
        page = int(params.get("page", 1))
        if parsed.is_empty:
            q: Any = Term("doctype", "solution")
            order: dict[str, Any] = {"sortedby": "adoption_sort", "reverse": True}
            if params.get("sort") == "newest":
                order = {"sortedby": "created", "reverse": True}
        else:
            q, order = to_whoosh(parsed), {}
        results = self.searcher.search_page(
            q,
            page,
            pagelen=20,
            filter=self._filter(filters),
            groupedby=self._facets([f for f in FACET_FIELDS if f not in filters]),
            terms=True,
            **order,
        )
        for name in FACET_FIELDS:
            if name in filters:  # its own count ignores its own filter: another search
                other = self.searcher.search(
                    q,
                    limit=1,
                    filter=self._filter(filters, but=name),
                    groupedby=self._facets([name]),
                )
                other.groups(FACET_FIELDS[name])
            else:
                results.results.groups(FACET_FIELDS[name])
        results.results.formatter = HtmlFormatter(tagname="mark")
        for hit in results:
            fields = hit.fields()
            if not parsed.is_empty:
                hit.highlights("name")
                hit.highlights("summary")
                hit.highlights("description", text=self.descriptions.get(fields["id"], ""))
        return results.total

    def suggest(self, prefix: str) -> list[str]:
        """Complete the last word of ``prefix`` from the index's words, most used first."""
        reader = self.searcher.reader()
        last = prefix.split()[-1].lower()
        terms = [
            t.decode()
            for _, t in zip(range(200), reader.expand_prefix("spell", last), strict=False)
        ]
        return sorted(terms, key=lambda t: -reader.doc_frequency("spell", t))[:10]


def plain_schema() -> Schema:
    """Return the schema a plain Whoosh catalogue would start with."""
    norwegian = LanguageAnalyzer("no")
    return Schema(
        id=ID(unique=True, stored=True),
        name=TEXT(analyzer=norwegian, stored=True),
        summary=TEXT(analyzer=norwegian, stored=True),
        description=TEXT(analyzer=norwegian),
        tags=KEYWORD(commas=True, lowercase=True),
        kind=ID(stored=True),
        status=ID(stored=True),
        owner=ID(stored=True),
        themes=KEYWORD(commas=True, stored=True),
        standards=KEYWORD(commas=True, stored=True),
        adopted_by=KEYWORD(commas=True, stored=True),
        adoption_count=NUMERIC(int, stored=True, sortable=True),
    )


def bulk_index(folder: Path, documents: list[dict[str, Any]]) -> float:
    """Index ``documents`` into a plain schema with one writer; return the seconds it took."""
    folder.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(folder), plain_schema())
    started = time.perf_counter()
    writer = ix.writer(limitmb=256)
    for doc in documents:
        writer.add_document(**doc)
    writer.commit()
    seconds = time.perf_counter() - started
    ix.close()
    return seconds
