"""Catalogue-wide figures, computed once per catalogue position and kept by each process.

The front page, ``GET /stats`` and Gevinster show figures of the whole catalogue: aggregates
over every solution and adoption, which grow with the catalogue (most of a second at 100,000
solutions). They change only when something is written, so each process keeps the last answer
of each figure beside the *catalogue position* it was computed at, and computes afresh when the
position has moved.

The position is the newest history entry and the newest change-log row, each with its time.
Every write through the services records a history entry (``app/models/history_listeners.py``),
and the change log follows every change that search sees, so any committed write, in any
process, moves the position. The times make it a fingerprint of the database, not a counter:
a restored backup, or a test's fresh database, that reaches the same ids holds other times.

Never stale, in the two ways it could be:

- the position is read *before* the figure is computed, so a write that commits meanwhile
  makes the next request compute again (a figure may be labelled older than it is, never
  newer);
- a session holding writes it has not committed yet (flushed or pending) sees figures nobody
  else does: it computes without the cache and keeps nothing.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any, NamedTuple, TypeVar

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from app.extensions import db
from app.models.changelog import Change
from app.models.history import HistoryEntry

T = TypeVar("T")

EXTENSION = "gk_position_cache"
"""Where an app keeps its figures (in ``app.extensions``): name → key → (position, value)."""
ORGANISATIONS_KEPT = 64
"""Of a small figure kept per organisation (a few ids: suggestions, the first cards, a page of
shared plans), the answers of this many organisations asked for last are kept."""

_WRITTEN = "gk_written_uncommitted"


class Position(NamedTuple):
    """Where the catalogue's writes have got to."""

    history_id: int
    history_at: datetime | None
    change_seq: int
    change_at: datetime | None


def catalogue_position() -> Position:
    """Return the catalogue's position: its newest history entry and change-log row (one query).

    Each part is the last row of a primary-key index, so the cost does not grow with the
    catalogue.
    """
    row = db.session.execute(
        select(
            *_newest(HistoryEntry.id, HistoryEntry.created_at),
            *_newest(Change.seq, Change.created_at),
        )
    ).one()
    return Position(int(row[0] or 0), row[1], int(row[2] or 0), row[3])


def _newest(key: Any, at: Any) -> tuple[Any, Any]:
    """Return the key and time of a table's newest row, as two scalar subqueries."""
    newest = select(key, at).order_by(key.desc()).limit(1).subquery()
    return select(newest.c[0]).scalar_subquery(), select(newest.c[1]).scalar_subquery()


def has_uncommitted_writes(session: Session) -> bool:
    """Return whether ``session`` holds writes that others cannot see yet."""
    return bool(session.new or session.dirty or session.deleted or session.info.get(_WRITTEN))


def per_position(name: str, compute: Callable[[], T], *, key: Hashable = (), keep: int = 1) -> T:
    """Return ``compute()``, kept by this process until the catalogue's position moves.

    ``name`` names the figure; ``key`` holds what else the figure depends on (its arguments,
    an organisation, today's date, a configured rate). Of each name the answers of the
    ``keep`` keys asked for last are kept (one by default: a catalogue-wide figure), so a
    figure per organisation holds a bounded number of them however many organisations are
    asked for. The answer is shared by every request of the process until it is replaced: it
    must be plain data (no ORM objects, which belong to one session) and must not be changed
    by its callers.
    """
    session = db.session()
    if has_uncommitted_writes(session):
        return compute()
    position = catalogue_position()
    held: dict[str, OrderedDict[Hashable, tuple[Position, Any]]] = (
        current_app.extensions.setdefault(EXTENSION, {})
    )
    answers = held.setdefault(name, OrderedDict())
    kept = answers.get(key)
    if kept is not None and kept[0] == position:
        answers.move_to_end(key)
        return kept[1]  # type: ignore[no-any-return]
    value = compute()
    answers[key] = (position, value)
    answers.move_to_end(key)
    while len(answers) > keep:
        answers.popitem(last=False)
    return value


@event.listens_for(Session, "after_flush")
def _note_written(session: Session, _flush_context: Any) -> None:
    session.info[_WRITTEN] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_written(session: Session, transaction: SessionTransaction) -> None:
    # Only the outermost transaction: releasing a savepoint makes nothing visible to others.
    if transaction.parent is None:
        session.info.pop(_WRITTEN, None)


__all__ = [
    "EXTENSION",
    "ORGANISATIONS_KEPT",
    "Position",
    "catalogue_position",
    "has_uncommitted_writes",
    "per_position",
]
