"""Webhooks: an organisation's HTTPS endpoints, and the queue of deliveries to them.

A delivery row is written when the webhook worker reads a history entry (the catalogue's event
log) that concerns the organisation; it stays ``pending`` until the receiver answers 2xx, so a
receiver that is down, or a worker killed mid-send, loses nothing: the row is sent again.
``log_positions`` holds how far each reader of the history has come.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow

if TYPE_CHECKING:
    from app.models.organisation import Organisation

WEBHOOK_TOPICS = ("solutions", "adoptions", "plans")
"""What a webhook can follow: the organisation's solutions, adoptions (its own and of its
solutions), and matches on its plans (another organisation plans the same solution)."""

DELIVERY_STATUSES = ("pending", "delivered", "failed")
"""``failed``: every attempt was refused; the organisation can send it again."""


class Webhook(db.Model):
    """One registered endpoint of one organisation; the secret signs every body sent to it."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(500))
    # The HMAC key: kept, since every delivery is signed with it; shown to its owner once.
    secret: Mapped[str] = mapped_column(String(100))
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Only history entries after this one reach the webhook (none from before it existed).
    from_history_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), default=0
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(300), default="")
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_outcome: Mapped[str | None] = mapped_column(String(12))  # delivered | failed attempt
    last_response: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str] = mapped_column(String(500), default="")

    organisation: Mapped[Organisation] = relationship()

    def __repr__(self) -> str:
        return f"<Webhook {self.id} org={self.organisation_id} {self.url}>"


class WebhookDelivery(db.Model):
    """One event body for one webhook, sent until the receiver takes it."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        # The worker's question: which pending deliveries are due?
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        # One delivery per webhook, event and history entry: a re-read entry adds no copy.
        Index("uq_webhook_deliveries_event", "webhook_id", "event", "history_id", unique=True),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(40))
    history_id: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    # The exact bytes sent (UTF-8 JSON), so every retry carries the same body and signature.
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # A worker that claims a delivery holds it until then; killed, the claim simply runs out.
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    response_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    webhook: Mapped[Webhook] = relationship()

    def __repr__(self) -> str:
        return f"<WebhookDelivery {self.id} {self.event} {self.status}>"


class LogPosition(db.Model):
    """How far one named reader of the history (the event log) has come."""

    __tablename__ = "log_positions"

    consumer: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<LogPosition {self.consumer} {self.position}>"
