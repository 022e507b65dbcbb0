"""The change log (outbox) that the search index follows.

Every flush that touches what search shows — a solution, its adoptions, the name of an
organisation, the label of a theme or standard — adds one row per affected solution to
``changes`` in the same transaction. The indexer applies the rows after the commit, so a
process that dies between commit and indexing loses nothing: the next catch-up applies them.
The listener sits on the session, so no service can forget to write the log.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    Integer,
    String,
    event,
    insert,
    inspect,
    select,
    text,
)
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


def _changed(obj: Any, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def affected_solution_ids(session: Session) -> set[int]:
    """Return the ids of the solutions whose search document this flush changes."""
    from app.models.adoption import Adoption
    from app.models.organisation import Organisation
    from app.models.solution import Solution, SolutionTag, solution_standards, solution_themes
    from app.models.vocabulary import Standard, Theme

    ids: set[int] = set()
    renamed_orgs: list[int] = []
    relabelled_themes: list[int] = []
    relabelled_standards: list[int] = []
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Solution):
            ids.add(obj.id)
        elif isinstance(obj, Adoption | SolutionTag):
            ids.add(obj.solution_id)
        elif isinstance(obj, Organisation) and obj not in session.new:
            if obj in session.deleted or _changed(obj, "name", "slug", "kommunenummer"):
                renamed_orgs.append(obj.id)
        elif isinstance(obj, Theme) and obj not in session.new:
            if obj in session.deleted or _changed(obj, "name", "slug"):
                relabelled_themes.append(obj.id)
        elif isinstance(obj, Standard) and obj not in session.new:
            if obj in session.deleted or _changed(obj, "name", "slug"):
                relabelled_standards.append(obj.id)
    if renamed_orgs:
        ids.update(session.scalars(select(Solution.id).where(Solution.owner_id.in_(renamed_orgs))))
        ids.update(
            session.scalars(
                select(Solution.id).where(Solution.vendor_organisation_id.in_(renamed_orgs))
            )
        )
        ids.update(
            session.scalars(
                select(Adoption.solution_id).where(Adoption.organisation_id.in_(renamed_orgs))
            )
        )
    if relabelled_themes:
        ids.update(
            session.scalars(
                select(solution_themes.c.solution_id).where(
                    solution_themes.c.theme_id.in_(relabelled_themes)
                )
            )
        )
    if relabelled_standards:
        ids.update(
            session.scalars(
                select(solution_standards.c.solution_id).where(
                    solution_standards.c.standard_id.in_(relabelled_standards)
                )
            )
        )
    ids.discard(None)  # type: ignore[arg-type]
    return ids


CHANGE_LOG_LOCK = 0x676B5F6368616E67
"""PostgreSQL advisory lock key taken by every transaction that writes the change log."""


@cache
def _searched_types() -> tuple[type, ...]:
    """Return the models whose changes reach the change log."""
    from app.models.adoption import Adoption
    from app.models.organisation import Organisation
    from app.models.solution import Solution, SolutionTag
    from app.models.vocabulary import Standard, Theme

    return (Solution, SolutionTag, Adoption, Organisation, Theme, Standard)


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
    searched = _searched_types()
    if any(isinstance(o, searched) for o in (*session.new, *session.dirty, *session.deleted)):
        session.connection().execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHANGE_LOG_LOCK}
        )


@event.listens_for(Session, "after_flush")
def _record_changes(session: Session, flush_context: UOWTransaction) -> None:
    """Write one change row per affected solution, inside the flushing transaction."""
    ids = affected_solution_ids(session)
    if ids:
        now = utcnow()
        session.connection().execute(
            insert(Change),
            [{"entity_type": SOLUTION, "entity_id": i, "created_at": now} for i in sorted(ids)],
        )
