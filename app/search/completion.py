"""Type-ahead: complete what a user has typed so far with solution names, then words."""

from __future__ import annotations

from itertools import islice
from typing import NamedTuple

from whoosh.searching import Searcher

from app.search import parts
from app.search.analysis import words
from app.search.words import fold


class Completion(NamedTuple):
    """One type-ahead entry: the text, and the slug of the solution when it is a name."""

    text: str
    slug: str | None = None


MAX_TERM_CANDIDATES = 200
"""Words read for completing a prefix before ranking them by how many solutions use them."""


def complete(searcher: Searcher, index_key: str, prefix: str, limit: int = 10) -> list[Completion]:
    """Return up to ``limit`` completions of ``prefix``: solution names, then words.

    A name carries its solution's slug, so choosing it can open the solution; a name that
    several solutions share carries none (choosing it searches)."""
    typed = words(prefix)
    if not typed:
        return []
    reader = searcher.reader()
    key = " ".join(fold(w) for w in typed)
    if prefix[-1:].isspace():
        key += " "
    names = sorted(
        set(parts.names_starting_with(searcher, index_key, key, 5 * limit)),
        key=lambda item: (item[0] > 0, item[1].lower()),
    )
    slugs: dict[str, set[str]] = {}
    for _, name, slug in names:
        slugs.setdefault(name, set()).add(slug)
    found = [
        Completion(name, next(iter(s)) if len(s) == 1 and "" not in s else None)
        for name, s in list(slugs.items())[:limit]
    ]
    if len(found) < limit and not prefix[-1:].isspace():
        last = typed[-1].lower()
        head = prefix[: prefix.lower().rfind(last)]
        candidates = islice(reader.expand_prefix("spell", last), MAX_TERM_CANDIDATES)
        terms = sorted(
            (t.decode("utf-8") for t in candidates),
            key=lambda t: -reader.doc_frequency("spell", t),
        )
        for term in terms:
            text = f"{head}{term}"
            if term != last and text.lower() not in {f.text.lower() for f in found}:
                found.append(Completion(text))
            if len(found) == limit:
                break
    return found
