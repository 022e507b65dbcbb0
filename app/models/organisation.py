"""Organisations: kommuner, the fylkeskommune, collaborations and other public bodies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from app.extensions import db
from app.models.base import Timestamps

if TYPE_CHECKING:
    from app.models.adoption import Adoption
    from app.models.solution import Solution

ORGANISATION_KINDS = ("kommune", "fylkeskommune", "samarbeid", "other")
"""Kinds of organisation; shown as Kommune, Fylkeskommune, Samarbeid, Annen offentlig virksomhet."""

collaboration_members = Table(
    "collaboration_members",
    db.metadata,
    Column(
        "collaboration_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("member_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
)


class Organisation(Timestamps, db.Model):
    """A publisher or user of solutions."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    kommunenummer: Mapped[str | None] = mapped_column(String(4), unique=True)
    orgnr: Mapped[str | None] = mapped_column(String(9), unique=True)
    website: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(254))
    # Public reference data (SSB's population on 1 January): splits a samarbeid's costs
    # between its members by population. Not shipped yet: None until it is loaded.
    population: Mapped[int | None] = mapped_column(Integer)

    members: Mapped[list[Organisation]] = relationship(
        secondary=collaboration_members,
        primaryjoin=lambda: Organisation.id == collaboration_members.c.collaboration_id,
        secondaryjoin=lambda: Organisation.id == collaboration_members.c.member_id,
        back_populates="collaborations",
        order_by=lambda: Organisation.kommunenummer,
    )
    collaborations: Mapped[list[Organisation]] = relationship(
        secondary=collaboration_members,
        primaryjoin=lambda: Organisation.id == collaboration_members.c.member_id,
        secondaryjoin=lambda: Organisation.id == collaboration_members.c.collaboration_id,
        back_populates="members",
        order_by=lambda: Organisation.name,
    )
    solutions: Mapped[list[Solution]] = relationship(
        back_populates="owner", order_by="Solution.name", foreign_keys="Solution.owner_id"
    )
    adoptions: Mapped[list[Adoption]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Adoption.id"
    )

    # Counted in the query that loads the organisation (services/organisations.py), never by
    # loading what it owns and uses: Trondheim may own thousands of solutions.
    solution_count: Mapped[int | None] = query_expression()
    """Published solutions it owns; None unless the query asked for it."""
    adoption_count: Mapped[int | None] = query_expression()
    """Solutions it uses (pilot or in use); None unless the query asked for it."""

    @property
    def member_refs(self) -> list[str]:
        """Return the members as references (kommunenummer, else slug)."""
        return [m.kommunenummer or m.slug for m in self.members]

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.slug!r}>"
