"""Type-ahead: complete what a user has typed so far with solution names, then words."""

from __future__ import annotations

from itertools import islice

from whoosh.searching import Searcher

from app.search import parts
from app.search.analysis import fold, words

MAX_TERM_CANDIDATES = 200
"""Words read for completing a prefix before ranking them by how many solutions use them."""


def complete(searcher: Searcher, index_key: str, prefix: str, limit: int = 10) -> list[str]:
    """Return up to ``limit`` completions of ``prefix``: solution names, then words."""
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
    found = list(dict.fromkeys(name for _, name in names))[:limit]
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
            if term != last and text.lower() not in {f.lower() for f in found}:
                found.append(text)
            if len(found) == limit:
                break
    return found
