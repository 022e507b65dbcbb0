"""Readers of the history, the catalogue's event log, each at its own position.

Every committed change writes history entries in its own transaction
(``app/models/history_listeners.py``), and their ids commit in order on both databases. Post-commit
work that must not be lost (today: webhooks) is a named consumer registered here: ``advance`` hands
it the entries after its position and moves the position in the same transaction as whatever the
consumer writes, so an entry is handled once, even when the process dies halfway or two workers run
at once. The search index follows its own log (``changes``) and keeps its position in the index.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import HistoryEntry, LogPosition
from app.models.base import utcnow

Consumer = Callable[[list[HistoryEntry]], None]
"""Handles a batch of entries inside the transaction that moves its position past them."""

_consumers: dict[str, Consumer] = {}

BATCH = 200
"""Entries one ``advance`` hands to its consumer."""


def register(name: str, consumer: Consumer) -> None:
    """Name a consumer of the history (one name, one position)."""
    _consumers[name] = consumer


def latest_entry_id() -> int:
    """Return the id of the newest history entry (0 when there is none)."""
    return int(db.session.scalar(select(func.max(HistoryEntry.id))) or 0)


def ensure_position(name: str) -> None:
    """Start ``name`` at the newest entry if it has no position yet (it never sees the past)."""
    if db.session.get(LogPosition, name) is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.execute(
                insert(LogPosition).values(
                    consumer=name, position=latest_entry_id(), updated_at=utcnow()
                )
            )
    except IntegrityError:
        pass  # another process started it a moment ago


def position(name: str) -> int | None:
    """Return how far ``name`` has come, or None before it first ran."""
    return db.session.scalar(select(LogPosition.position).where(LogPosition.consumer == name))


def advance(name: str, batch: int = BATCH) -> int:
    """Hand ``name`` the next entries after its position; return how many it handled.

    The position row is written first, so the transaction holds it (a row lock on PostgreSQL,
    the write lock on SQLite) while it reads and handles: a second worker waits, then sees the
    new position, and no entry is handled twice.
    """
    consumer = _consumers[name]
    db.session.rollback()  # start from a fresh transaction, so the reads below see the latest
    ensure_position(name)
    db.session.commit()
    try:
        db.session.execute(
            update(LogPosition).where(LogPosition.consumer == name).values(updated_at=utcnow())
        )
        start = int(position(name) or 0)
        entries = list(
            db.session.scalars(
                select(HistoryEntry)
                .where(HistoryEntry.id > start)
                .order_by(HistoryEntry.id)
                .limit(batch)
            )
        )
        if entries:
            consumer(entries)
            db.session.execute(
                update(LogPosition)
                .where(LogPosition.consumer == name)
                .values(position=entries[-1].id, updated_at=utcnow())
            )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return len(entries)


def drain(name: str) -> int:
    """Advance ``name`` until it has seen every committed entry; return how many it handled."""
    total = 0
    while handled := advance(name):
        total += handled
    return total
