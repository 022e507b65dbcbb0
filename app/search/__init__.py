"""Full-text search: a Whoosh index derived from the database (see ``indexer.py``).

This module is the facade the rest of the app uses (a test in tests/test_layers.py keeps it
the only door): one ``Reader`` per process and index folder, the calls that keep the index in
step, and the few names callers need to build a search and show its hits. Nothing here reads
the Flask request.
"""

from __future__ import annotations

import logging
import os

from flask import Flask, current_app

from app.search import completion, engine, facets, indexer, whoosh_fixes
from app.search.completion import Completion
from app.search.documents import plain_text
from app.search.engine import SORTS, Outcome, SearchRequest
from app.search.highlight import Highlighter
from app.search.query import MAX_QUERY_LENGTH, ParsedQuery, parse
from app.search.schema import FACET_FIELDS
from app.search.store import IndexState, IndexStore, Reader, SearchUnavailable, release_files

log = logging.getLogger(__name__)

whoosh_fixes.apply()

READ_CATCH_UP_TIMEOUT = 5.0
"""Seconds a search waits for the write lock to apply pending changes before it answers from
the index as it is (a busy lock means another process is applying them right now)."""

PARALLEL_REBUILD_FROM = 5000
"""Rebuilds of at least this many solutions index with two processes (one per core here)."""

_readers: dict[str, Reader] = {}


def init_app(app: Flask) -> None:
    """Register the search CLI."""
    from app.search.cli import search_cli

    app.cli.add_command(search_cli)


def store() -> IndexStore:
    """Return the index store of the current app."""
    return IndexStore(current_app.config["SEARCH_INDEX_DIR"])


def reader() -> Reader:
    """Return this process's reader of the current app's index."""
    root = str(current_app.config["SEARCH_INDEX_DIR"])
    if root not in _readers:
        _readers[root] = Reader(IndexStore(root))
    return _readers[root]


def catch_up(timeout: float | None = None) -> int:
    """Apply pending change-log entries to the live index; raise SearchUnavailable on failure."""
    if timeout is None:
        timeout = float(current_app.config["SEARCH_WRITE_TIMEOUT"])
    return indexer.catch_up(store(), timeout=timeout)


def catch_up_quietly() -> None:
    """Catch up after a commit; a failure is logged, never raised (the change is committed)."""
    try:
        catch_up()
    except SearchUnavailable as exc:
        log.warning("search index not updated after commit: %s", exc)
    except Exception:
        log.exception("search index not updated after commit")


def fresh_reader() -> Reader:
    """Return the reader after applying anything the log holds that the index lacks.

    Raises SearchUnavailable when there is no usable index; a busy write lock is not an error
    (whoever holds it is applying the same log), the search then reads the index as it is.
    """
    current = reader()
    if indexer.is_behind(current.state()):
        try:
            catch_up(READ_CATCH_UP_TIMEOUT)
        except SearchUnavailable as exc:
            if current.store.live_dir() is None:
                raise
            log.warning("searching a lagging index: %s", exc)
    return current


def search(request: SearchRequest) -> Outcome:
    """Search the up-to-date index; raise SearchUnavailable when it cannot be read."""
    current = fresh_reader()
    try:
        searcher = current.searcher()
        index = facets.facet_index(searcher, str(current.store.root))
        return engine.search(searcher, index, request)
    except SearchUnavailable:
        raise
    except Exception as exc:
        raise _unreadable(current, exc) from exc


def complete(prefix: str, limit: int = 10) -> list[Completion]:
    """Return completions of ``prefix`` from the index; raise SearchUnavailable if unusable."""
    current = reader()
    try:
        return completion.complete(current.searcher(), str(current.store.root), prefix, limit)
    except SearchUnavailable:
        raise
    except Exception as exc:
        raise _unreadable(current, exc) from exc


def _unreadable(current: Reader, exc: Exception) -> SearchUnavailable:
    """Log a failure to read the index and return the error to raise.

    A damaged segment shows up only when it is read. The database is intact, so the answer is
    a rebuild; the traceback is logged in case the fault is ours rather than the files'.
    """
    log.exception("search index unreadable")
    release_files(exc, current.store.root)
    current.close()
    return SearchUnavailable(
        f"The search index is unreadable ({exc.__class__.__name__}); "
        "run `flask --app wsgi search rebuild`."
    )


def rebuild(progress: indexer.ProgressFn | None = None) -> int:
    """Build a fresh index from the database, swap it in, then catch up."""
    total = solution_count()
    count = indexer.rebuild(
        store(),
        progress=progress or (lambda done, total: None),
        procs=2 if total >= PARALLEL_REBUILD_FROM and (os.cpu_count() or 1) > 1 else 1,
    )
    catch_up()
    return count


def solution_count() -> int:
    """Return how many solutions the database holds (what a rebuild will index)."""
    return indexer.solution_count()


def check() -> list[str]:
    """Return the differences between the database and the live index."""
    return indexer.check(store())


__all__ = [
    "FACET_FIELDS",
    "MAX_QUERY_LENGTH",
    "SORTS",
    "Completion",
    "Highlighter",
    "IndexState",
    "Outcome",
    "ParsedQuery",
    "SearchRequest",
    "SearchUnavailable",
    "parse",
    "plain_text",
    "catch_up",
    "catch_up_quietly",
    "check",
    "complete",
    "fresh_reader",
    "rebuild",
    "reader",
    "search",
    "store",
]
