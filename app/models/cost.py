"""What adopting a solution costs: one-off and yearly costs of an adoption, and who pays.

A cost belongs to one adoption. When the adopter is a samarbeid (an inter-municipal
collaboration), the cost is carried for its members and split between them by a rule:
equally, by population (``Organisation.population``) or by explicit shares (``CostShare``)
that add up to the whole.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import Timestamps

if TYPE_CHECKING:
    from app.models.adoption import Adoption
    from app.models.organisation import Organisation

COST_KINDS = ("one_off", "yearly")
"""A one-off cost (an investment) or a cost that comes back every year (running cost)."""

COST_UNITS = {"one_off": "nok", "yearly": "nok_per_year"}
"""The unit of each kind of cost: the amounts are added up across adopters."""

COST_CATEGORIES = ("licence", "implementation", "training", "operation", "other")
"""What the money went to."""

COST_PAYERS = ("self", "samarbeid", "national", "other")
"""Who paid: the adopter itself, a samarbeid, national co-financing (DigiFin, Digdir), other."""

SPLIT_RULES = ("equal", "population", "custom")
"""How a samarbeid's cost is split between its members."""


class AdoptionCost(Timestamps, db.Model):
    """One cost of an adoption (``Kostnad``): money in NOK, internal effort in hours, or both."""

    __tablename__ = "adoption_costs"

    id: Mapped[int] = mapped_column(primary_key=True)
    adoption_id: Mapped[int] = mapped_column(
        ForeignKey("adoptions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(30))
    unit: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    effort_hours: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    payer: Mapped[str] = mapped_column(String(20), default="self")
    payer_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    funding_source: Mapped[str] = mapped_column(String(200), default="")
    incurred_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    split_rule: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    adoption: Mapped[Adoption] = relationship(back_populates="costs")
    payer_organisation: Mapped[Organisation | None] = relationship()
    shares: Mapped[list[CostShare]] = relationship(
        back_populates="cost", cascade="all, delete-orphan", order_by="CostShare.organisation_id"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<AdoptionCost {self.id} {self.kind} adoption={self.adoption_id}>"


class CostShare(db.Model):
    """One member's explicit share of a samarbeid's cost (split rule ``custom``)."""

    __tablename__ = "cost_shares"

    cost_id: Mapped[int] = mapped_column(
        ForeignKey("adoption_costs.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    fraction: Mapped[Decimal] = mapped_column(Numeric(9, 6))

    cost: Mapped[AdoptionCost] = relationship(back_populates="shares")
    organisation: Mapped[Organisation] = relationship()
