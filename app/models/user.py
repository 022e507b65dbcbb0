"""People who sign in to the web catalogue, and the record of failed logins that slows guessing."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow

if TYPE_CHECKING:
    from app.models.organisation import Organisation

USER_ROLES = ("editor", "admin")
"""An editor changes its own organisation's data (like a publisher token); an admin anything."""


class User(db.Model):
    """An account. The password is kept only as an Argon2 hash; SSO-only accounts have none."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lowercased, so "Kari@Namsos.kommune.no" and "kari@namsos.kommune.no" are one account.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="editor")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of every session cookie: raising it (new password, deactivation) ends the sessions
    # that were signed in before, on every worker, without a server-side session store.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    organisation: Mapped[Organisation] = relationship()

    @property
    def is_admin(self) -> bool:
        """Return whether the user administers the whole catalogue."""
        return self.role == "admin"

    @property
    def display_name(self) -> str:
        """Return the name, or the email when no name is given."""
        return self.name or self.email

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email!r} {self.role}>"


class LoginThrottle(db.Model):
    """Failed logins for one email address, whether or not an account has that address.

    Keyed by a hash of the address, so the table neither reveals which addresses have accounts
    nor keeps the addresses people mistyped. Kept in the database so every worker sees it.
    """

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
