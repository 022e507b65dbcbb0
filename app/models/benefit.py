"""Benefits (gevinster) of adoptions, and the dated history of adoption statuses."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import Timestamps, utcnow

if TYPE_CHECKING:
    from app.models.adoption import Adoption

BENEFIT_CATEGORIES = (
    "time_saved",
    "cost_saved",
    "quality",
    "user_experience",
    "environment",
    "other",
)
"""What a benefit is about."""

FIXED_UNITS = {"time_saved": "hours_per_year", "cost_saved": "nok_per_year"}
"""The unit of the categories that are added up across adopters; the others name their own."""


class Benefit(Timestamps, db.Model):
    """A measured or expected gain of one adoption (``Gevinst``)."""

    __tablename__ = "benefits"

    id: Mapped[int] = mapped_column(primary_key=True)
    adoption_id: Mapped[int] = mapped_column(
        ForeignKey("adoptions.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(30), index=True)
    unit: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text, default="")
    baseline: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    expected_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    realised_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    measured_on: Mapped[date | None] = mapped_column(Date)
    method: Mapped[str] = mapped_column(Text, default="")
    is_measured: Mapped[bool] = mapped_column(Boolean, default=False)
    # The benefit plan (DFØ's gevinstrealisering): who answers for it, what is measured, from
    # which baseline (nullpunktsmåling) to which target (``expected_value``) by when, what
    # freed time goes to, and when it is next reviewed.
    owner: Mapped[str] = mapped_column(String(200), default="", server_default="")
    indicator: Mapped[str] = mapped_column(String(300), default="", server_default="")
    baseline_on: Mapped[date | None] = mapped_column(Date)
    target_on: Mapped[date | None] = mapped_column(Date)
    freed_time_use: Mapped[str] = mapped_column(Text, default="", server_default="")
    review_on: Mapped[date | None] = mapped_column(Date, index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    adoption: Mapped[Adoption] = relationship(back_populates="benefits")
    # ``realised_value`` and ``measured_on`` are the latest of these, kept by the service, so
    # every sum over realised values reads one column.
    measurements: Mapped[list[BenefitMeasurement]] = relationship(
        back_populates="benefit",
        cascade="all, delete-orphan",
        order_by=lambda: [BenefitMeasurement.measured_on, BenefitMeasurement.id],
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Benefit {self.id} {self.category} adoption={self.adoption_id}>"


class BenefitMeasurement(Timestamps, db.Model):
    """One dated, realised value of a benefit: several of them show progress toward the target."""

    __tablename__ = "benefit_measurements"

    id: Mapped[int] = mapped_column(primary_key=True)
    benefit_id: Mapped[int] = mapped_column(
        ForeignKey("benefits.id", ondelete="CASCADE"), index=True
    )
    measured_on: Mapped[date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    is_measured: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    benefit: Mapped[Benefit] = relationship(back_populates="measurements")

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<BenefitMeasurement {self.id} benefit={self.benefit_id} {self.measured_on}>"


class AdoptionStatusChange(db.Model):
    """One dated status of an adoption, so the catalogue can show how use spread over time."""

    __tablename__ = "adoption_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    adoption_id: Mapped[int] = mapped_column(
        ForeignKey("adoptions.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    changed_on: Mapped[date] = mapped_column(Date, index=True)
    # Why, where the organisation said so (required when it stops using the solution).
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    adoption: Mapped[Adoption] = relationship(back_populates="status_changes")

    def __repr__(self) -> str:
        return f"<AdoptionStatusChange {self.adoption_id} {self.status} {self.changed_on}>"
