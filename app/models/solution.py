"""Solutions: what a kommune shares (system, process, service, ...)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    event,
    false,
)
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    mapped_column,
    relationship,
    with_loader_criteria,
)

from app.extensions import db
from app.models.base import Timestamps
from app.models.quality import Completeness, Freshness, completeness_of, freshness_of

if TYPE_CHECKING:
    from app.models.adoption import Adoption
    from app.models.organisation import Organisation
    from app.models.vocabulary import Standard, Theme

SOLUTION_KINDS = ("system", "process", "service", "integration", "automation", "template")
"""What kind of thing a solution is."""

SOLUTION_STATUSES = ("idea", "development", "pilot", "production", "retired")

LINEAGE_KINDS = ("based_on", "variant_of")

LINEAGE_MAX_DEPTH = 20
"""How many generations a family holds (a chain longer than this is not a family)."""
"""How a solution descends from another: built on it (isBasedOn) or a variant of it."""
"""Lifecycle status of a solution at its owner."""

solution_themes = Table(
    "solution_themes",
    db.metadata,
    Column("solution_id", ForeignKey("solutions.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
)

solution_standards = Table(
    "solution_standards",
    db.metadata,
    Column("solution_id", ForeignKey("solutions.id", ondelete="CASCADE"), primary_key=True),
    Column("standard_id", ForeignKey("standards.id", ondelete="CASCADE"), primary_key=True),
)


class SolutionTag(db.Model):
    """One free-text tag of a solution (a table, so listing by tag is an index lookup)."""

    __tablename__ = "solution_tags"

    solution_id: Mapped[int] = mapped_column(
        ForeignKey("solutions.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)


class Solution(Timestamps, db.Model):
    """A shared solution; ``version`` increases on every change and guards against lost updates."""

    __tablename__ = "solutions"
    __table_args__ = (
        # An organisation's solutions by name (its page), without sorting or reading them all.
        Index("ix_solutions_owner_name", "owner_id", "name"),
        # The catalogue's figures (published solutions by kind, status, owner) from the index
        # alone. Every query on solutions filters on is_draft, and SQLite would otherwise read
        # each row through the index on is_draft alone.
        Index("ix_solutions_draft_kind_status_owner", "is_draft", "kind", "status", "owner_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    vendor: Mapped[str | None] = mapped_column(String(200))
    vendor_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    licence: Mapped[str | None] = mapped_column(String(100))
    homepage_url: Mapped[str | None] = mapped_column(String(500))
    documentation_url: Mapped[str | None] = mapped_column(String(500))
    source_code_url: Mapped[str | None] = mapped_column(String(500))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_role: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    # What the owner reports it typically costs a newcomer to adopt the solution.
    adoption_one_off_cost: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    adoption_yearly_cost: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    adoption_effort_hours: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    adoption_lead_time_weeks: Mapped[int | None] = mapped_column(Integer)
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)
    # A draft is visible only to its organisation and admins, until it is published; see
    # ``_hide_drafts`` below for how every other query leaves it out.
    is_draft: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), index=True
    )
    # When the owner last said the entry is still true (every save by the owner says so too);
    # what "needs review" and "stale" are measured from (app/models/quality.py).
    last_confirmed_on: Mapped[date | None] = mapped_column(Date, index=True)
    # Lineage: the solution this one is based on or a variant of (publiccode.yml isBasedOn).
    based_on_id: Mapped[int | None] = mapped_column(
        ForeignKey("solutions.id", ondelete="SET NULL"), index=True
    )
    based_on_kind: Mapped[str | None] = mapped_column(String(20))
    # Why the owner retired it (required when the status becomes retired).
    retired_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    owner: Mapped[Organisation] = relationship(back_populates="solutions", foreign_keys=[owner_id])
    vendor_organisation: Mapped[Organisation | None] = relationship(
        foreign_keys=[vendor_organisation_id]
    )
    themes: Mapped[list[Theme]] = relationship(secondary=solution_themes, order_by="Theme.name")
    standards: Mapped[list[Standard]] = relationship(
        secondary=solution_standards, order_by="Standard.name"
    )
    tag_rows: Mapped[list[SolutionTag]] = relationship(
        cascade="all, delete-orphan", order_by=SolutionTag.tag
    )
    # In the order they were recorded: without an ORDER BY, PostgreSQL gives heap order,
    # which a restored backup (or a vacuum) changes.
    adoptions: Mapped[list[Adoption]] = relationship(
        back_populates="solution", cascade="all, delete-orphan", order_by="Adoption.id"
    )
    based_on: Mapped[Solution | None] = relationship(
        remote_side=[id], foreign_keys=[based_on_id], back_populates="derived"
    )
    derived: Mapped[list[Solution]] = relationship(
        back_populates="based_on", foreign_keys=[based_on_id], order_by="Solution.name"
    )

    # SQLAlchemy checks the version in every UPDATE (… WHERE version = :loaded), so two
    # writers that loaded the same version can never both succeed.
    __mapper_args__ = {"version_id_col": version}

    @property
    def tags(self) -> list[str]:
        """Return the tags as plain strings."""
        return [row.tag for row in self.tag_rows]

    @property
    def theme_slugs(self) -> list[str]:
        """Return the slugs of the themes."""
        return [theme.slug for theme in self.themes]

    @property
    def standard_slugs(self) -> list[str]:
        """Return the slugs of the standards."""
        return [standard.slug for standard in self.standards]

    @property
    def links(self) -> dict[str, str | None]:
        """Return the links as the API shows them."""
        return {
            "homepage": self.homepage_url,
            "documentation": self.documentation_url,
            "source_code": self.source_code_url,
        }

    @property
    def adoption_cost(self) -> dict[str, Decimal | int | None]:
        """Return what the owner reports adopting it costs, as the API shows it."""
        return {
            "one_off_nok": self.adoption_one_off_cost,
            "yearly_nok": self.adoption_yearly_cost,
            "effort_hours": self.adoption_effort_hours,
            "lead_time_weeks": self.adoption_lead_time_weeks,
        }

    @property
    def contact(self) -> dict[str, str | None]:
        """Return the contact person as the API shows it."""
        return {"name": self.contact_name, "role": self.contact_role, "email": self.contact_email}

    @property
    def active_adoptions(self) -> list[Adoption]:
        """Return the adoptions that are in pilot or in use."""
        return [a for a in self.adoptions if a.is_active]

    @property
    def adoption_count(self) -> int:
        """Return how many organisations use the solution (pilot or in use)."""
        return len(self.active_adoptions)

    def lineage_root(self) -> Solution:
        """Return the original this solution's family descends from (itself when none)."""
        root = self
        for _ in range(LINEAGE_MAX_DEPTH):
            if root.based_on is None:
                break
            root = root.based_on
        return root

    @property
    def freshness(self) -> Freshness:
        """Return how current the entry is today (current, needs review, stale)."""
        return freshness_of(self)

    @property
    def completeness(self) -> Completeness:
        """Return the share of recommended fields the entry has, and what it lacks."""
        return completeness_of(self)

    def __repr__(self) -> str:
        return f"<Solution {self.id} {self.slug!r}>"


INCLUDE_DRAFTS = "include_drafts"
"""Execution option of a query that may see drafts: ``select(…).execution_options(**{…: True})``.

Only the few reads that check who is asking set it (a solution for its own organisation, the
organisation's list of its solutions, a backup of everything)."""


@event.listens_for(Session, "do_orm_execute")
def _hide_drafts(state: ORMExecuteState) -> None:
    """Leave drafts out of every ORM query unless it asks for them with ``INCLUDE_DRAFTS``.

    One rule in one place: lists, search indexing, the matrix, feeds, exports, counts and the
    relationships loaded from their rows (an organisation's solutions) can never show a draft
    by forgetting a filter. Refreshing a loaded object and loading its relationships are left
    alone: a draft that was loaded on purpose stays usable.
    """
    if (
        state.is_select
        and not state.is_column_load
        and not state.is_relationship_load
        and not state.execution_options.get(INCLUDE_DRAFTS, False)
    ):
        state.statement = state.statement.options(
            with_loader_criteria(
                Solution, lambda cls: cls.is_draft.is_(False), include_aliases=True
            )
        )
