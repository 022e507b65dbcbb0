"""Adoptions: one organisation's use of one solution."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import Timestamps

if TYPE_CHECKING:
    from app.models.benefit import AdoptionStatusChange, Benefit
    from app.models.cost import AdoptionCost
    from app.models.organisation import Organisation
    from app.models.solution import Solution

ADOPTION_STATUSES = ("considering", "planned", "pilot", "in_use", "retired")
"""How far an organisation has come with a solution."""

ACTIVE_ADOPTION_STATUSES = ("pilot", "in_use")
"""Statuses that count as using a solution (adoption counts, "most adopted")."""


class Adoption(Timestamps, db.Model):
    """An organisation's use of a solution (``Bruk``); unique per (organisation, solution)."""

    __tablename__ = "adoptions"
    __table_args__ = (
        UniqueConstraint("organisation_id", "solution_id"),
        # Who uses what, read from the index alone: one organisation's (or one solution's)
        # adoptions of some statuses. They also keep SQLite's planner off the index on status
        # alone, which matches most of the table.
        Index("ix_adoptions_organisation_status", "organisation_id", "status", "solution_id"),
        Index("ix_adoptions_solution_status", "solution_id", "status", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    solution_id: Mapped[int] = mapped_column(
        ForeignKey("solutions.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), index=True)
    since: Mapped[date | None] = mapped_column(Date)
    # Considering or planning it: when the organisation wants it in place (None: not said).
    wanted_on: Mapped[date | None] = mapped_column(Date)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_role: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    organisation: Mapped[Organisation] = relationship(back_populates="adoptions")
    solution: Mapped[Solution] = relationship(back_populates="adoptions")
    benefits: Mapped[list[Benefit]] = relationship(
        back_populates="adoption", cascade="all, delete-orphan", order_by="Benefit.id"
    )
    costs: Mapped[list[AdoptionCost]] = relationship(
        back_populates="adoption", cascade="all, delete-orphan", order_by="AdoptionCost.id"
    )
    status_changes: Mapped[list[AdoptionStatusChange]] = relationship(
        back_populates="adoption",
        cascade="all, delete-orphan",
        order_by="[AdoptionStatusChange.changed_on, AdoptionStatusChange.id]",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_active(self) -> bool:
        """Return whether the organisation uses the solution (pilot or in use)."""
        return self.status in ACTIVE_ADOPTION_STATUSES

    @property
    def contact(self) -> dict[str, str | None]:
        """Return the contact person as the API shows it."""
        return {"name": self.contact_name, "role": self.contact_role, "email": self.contact_email}

    def __repr__(self) -> str:
        return f"<Adoption {self.id} org={self.organisation_id} solution={self.solution_id}>"
