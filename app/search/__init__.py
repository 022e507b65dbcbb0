"""Full-text search: a Whoosh index derived from the database (see ``indexer.py``).

This module is the facade the services use: one ``Reader`` per process and index folder, and
the calls that keep the index in step. Nothing here reads the Flask request.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import Flask, current_app

from app.search import indexer
from app.search.store import IndexState, IndexStore, Reader, SearchUnavailable

log = logging.getLogger(__name__)

_readers: dict[str, Reader] = {}


def init_app(app: Flask) -> None:
    """Register the search CLI and defaults."""
    app.config.setdefault("SEARCH_GAP_SETTLE_SECONDS", 30.0)
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


def _settle() -> timedelta:
    return timedelta(seconds=float(current_app.config["SEARCH_GAP_SETTLE_SECONDS"]))


def catch_up() -> int:
    """Apply pending change-log entries to the live index; raise SearchUnavailable on failure."""
    return indexer.catch_up(
        store(), timeout=float(current_app.config["SEARCH_WRITE_TIMEOUT"]), settle=_settle()
    )


def catch_up_quietly() -> None:
    """Catch up after a commit; a failure is logged, never raised (the change is committed)."""
    try:
        catch_up()
    except SearchUnavailable as exc:
        log.warning("search index not updated after commit: %s", exc)
    except Exception:
        log.exception("search index not updated after commit")


def fresh_reader() -> Reader:
    """Return the reader after applying anything the log holds that the index lacks."""
    current = reader()
    if indexer.is_behind(current.state()):
        catch_up()
    return current


def rebuild(progress: indexer.ProgressFn | None = None) -> int:
    """Build a fresh index from the database, swap it in, then catch up."""
    count = indexer.rebuild(store(), settle=_settle(), progress=progress or (lambda d, t: None))
    catch_up()
    return count


def check() -> list[str]:
    """Return the differences between the database and the live index."""
    return indexer.check(store())


__all__ = [
    "IndexState",
    "SearchUnavailable",
    "catch_up",
    "catch_up_quietly",
    "check",
    "fresh_reader",
    "rebuild",
    "reader",
    "store",
]
