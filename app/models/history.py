"""The history (audit trail): who changed what, when, with the values before and after.

This module holds the table (``HistoryEntry``) and its constants. The entries are recorded
once, centrally, by the session listeners in ``app/models/history_listeners.py``, so no use
case (API, web form, import, restore) can forget it; what an entry keeps of each object (its
snapshot) and the changes between two snapshots are made in ``app/models/snapshots.py``.

The rows keep copies (slug, names, the acting person's name) and have no foreign keys, so the
history outlives a deleted solution, a revoked token or a renamed organisation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import utcnow

HISTORY_ACTIONS = ("created", "updated", "published", "restored", "deleted")
"""What an entry did to its object; ``published`` is a draft made public."""

ENTITY_TYPES = ("solution", "adoption", "benefit", "measurement", "cost", "organisation")
"""The kinds of object the history follows."""

ACTOR_KEY = "gk_history_actor"
"""``session.info`` key of whoever the next commit is attributed to."""

RESTORE_KEY = "gk_history_restored_from"
"""``session.info`` key of the entry a restore copies (the next solution entry says so)."""


class HistoryEntry(db.Model):
    """One change of one object, with its snapshot afterwards and the fields that changed."""

    __tablename__ = "history"
    __table_args__ = (
        # The listener looks up each changed object's previous entry by these two.
        Index("ix_history_entity", "entity_type", "entity_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    entity_type: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column(Integer)
    # The solution the change belongs to (itself, or the one an adoption/benefit is about).
    solution_id: Mapped[int | None] = mapped_column(Integer, index=True)
    solution_slug: Mapped[str | None] = mapped_column(String(120), index=True)
    label: Mapped[str] = mapped_column(String(300), default="")
    action: Mapped[str] = mapped_column(String(20))
    # {"field": [old, new]}; nested fields are dotted ("links.homepage", "contact.email").
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The whole object after the change (before it, for a deletion): what a restore copies.
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    version: Mapped[int | None] = mapped_column(Integer)
    restored_from_id: Mapped[int | None] = mapped_column(BigInteger)
    actor_type: Mapped[str] = mapped_column(String(10))  # user | token | system
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    token_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(300), default="")
    actor_organisation_id: Mapped[int | None] = mapped_column(Integer)
    actor_organisation: Mapped[str] = mapped_column(String(200), default="")

    def __repr__(self) -> str:
        return f"<HistoryEntry {self.id} {self.action} {self.entity_type}:{self.entity_id}>"
