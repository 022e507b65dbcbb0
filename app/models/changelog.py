"""The change log (outbox) that the search index follows.

Every flush that touches what search shows — a solution, its adoptions, the name of an
organisation, the label of a theme or standard — adds one row per affected solution to
``changes`` in the same transaction. The indexer applies the rows after the commit, so a
process that dies between commit and indexing loses nothing: the next catch-up applies them.
The listener sits on the session, so no service can forget to write the log. *Which* solutions
a flush affects is decided beside the document mapping, in ``app/search/documents.py``, which
hands its rule to ``follow``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, String, event, insert, text
from sqlalchemy.orm import Mapped, Session, UOWTransaction, mapped_column

from app.extensions import db
from app.models.base import utcnow

SOLUTION = "solution"
"""``entity_type`` of a change row: today the index holds solutions only."""


class Change(db.Model):
    """One committed change to a solution as search sees it; ``seq`` only grows."""

    __tablename__ = "changes"
    # AUTOINCREMENT: SQLite never hands out a seq again, even after old rows are pruned.
    __table_args__ = {"sqlite_autoincrement": True}

    # BigInteger on PostgreSQL, INTEGER PRIMARY KEY (a rowid alias) on SQLite.
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    entity_type: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<Change {self.seq} {self.entity_type}:{self.entity_id}>"


AffectedFn = Callable[[Session], set[int]]


@dataclass(frozen=True)
class _Dependencies:
    """What the search documents depend on, as ``app/search/documents.py`` declares it."""

    types: tuple[type, ...]
    affected: AffectedFn


_dependencies: list[_Dependencies] = []


def follow(types: tuple[type, ...], affected: AffectedFn) -> None:
    """Make the change log follow ``types``: ``affected(session)`` names the solutions a flush
    changes for search. The search package calls it once; what a search document depends on
    is decided there, beside the mapping from a solution to its document."""
    _dependencies[:] = [_Dependencies(types, affected)]


def _followed() -> _Dependencies:
    if not _dependencies:
        # Writing without the log would leave the index behind for good: fail the write.
        raise RuntimeError("The change log follows nothing: import app.search before writing.")
    return _dependencies[0]


CHANGE_LOG_LOCK = 0x676B5F6368616E67
"""PostgreSQL advisory lock key taken by every transaction that writes the change log."""


@event.listens_for(Session, "before_flush")
def _serialise_log_writers(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    """On PostgreSQL, let one transaction at a time write what the change log follows.

    A sequence hands out numbers at insert, not at commit, so two writers could commit seq 11
    before seq 10, and an indexer that has seen 11 would skip 10 for good. Holding a transaction
    advisory lock from the first write to the commit makes seqs commit in order: a seq missing
    below a visible one was rolled back. SQLite serialises writers by itself. The lock is taken
    before the flush writes anything, so no writer waits for it while holding row locks.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    searched = _followed().types
    if any(isinstance(o, searched) for o in (*session.new, *session.dirty, *session.deleted)):
        session.connection().execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHANGE_LOG_LOCK}
        )


@event.listens_for(Session, "after_flush")
def _record_changes(session: Session, flush_context: UOWTransaction) -> None:
    """Write one change row per affected solution, inside the flushing transaction."""
    ids = _followed().affected(session)
    if ids:
        now = utcnow()
        session.connection().execute(
            insert(Change),
            [{"entity_type": SOLUTION, "entity_id": i, "created_at": now} for i in sorted(ids)],
        )
