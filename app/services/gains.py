"""Add up what reuse gains: per solution, per organisation and for the whole catalogue."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, union
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    ACTIVE_ADOPTION_STATUSES,
    BENEFIT_CATEGORIES,
    Adoption,
    Benefit,
    Organisation,
    Solution,
    Theme,
)
from app.services.references import get_organisation
from app.services.solutions import get_solution


@dataclass
class BenefitTotal:
    """The sum of the benefits of one category and unit."""

    category: str
    unit: str
    expected: Decimal = Decimal(0)
    realised: Decimal = Decimal(0)
    benefits: int = 0
    measured: int = 0


@dataclass
class BenefitSummary:
    """Benefits with their totals and how many adopters stand behind them."""

    totals: list[BenefitTotal]
    adopters: int
    adopters_measured: int
    benefits: list[Benefit] = field(default_factory=list)


def add_up(benefits: Iterable[Benefit]) -> list[BenefitTotal]:
    """Return the totals by (category, unit), in the order of BENEFIT_CATEGORIES."""
    totals: dict[tuple[str, str], BenefitTotal] = {}
    for benefit in benefits:
        key = (benefit.category, benefit.unit)
        total = totals.setdefault(key, BenefitTotal(*key))
        total.expected += benefit.expected_value or 0
        total.realised += benefit.realised_value or 0
        total.benefits += 1
        total.measured += int(benefit.is_measured)
    order = {category: n for n, category in enumerate(BENEFIT_CATEGORIES)}
    return sorted(totals.values(), key=lambda t: (order[t.category], t.unit))


def summarise(benefits: list[Benefit]) -> BenefitSummary:
    """Return the summary of these benefits."""
    adopters = {b.adoption_id for b in benefits}
    measured = {b.adoption_id for b in benefits if b.is_measured and b.realised_value is not None}
    return BenefitSummary(add_up(benefits), len(adopters), len(measured), benefits)


def _benefits(*conditions: object) -> list[Benefit]:
    return list(
        db.session.scalars(
            select(Benefit)
            .join(Benefit.adoption)
            .where(*conditions)  # type: ignore[arg-type]
            .options(
                selectinload(Benefit.adoption).selectinload(Adoption.organisation),
                selectinload(Benefit.adoption).selectinload(Adoption.solution),
            )
            .order_by(Benefit.adoption_id, Benefit.id)
        )
    )


def solution_benefits(slug: str) -> BenefitSummary:
    """Return the benefits all adopters of a solution report, with totals."""
    solution = get_solution(slug)
    return summarise(_benefits(Adoption.solution_id == solution.id))


def organisation_benefits(ref: str) -> BenefitSummary:
    """Return the benefits an organisation reports from the solutions it uses, with totals."""
    organisation = get_organisation(ref)
    return summarise(_benefits(Adoption.organisation_id == organisation.id))


@dataclass
class CatalogueStats:
    """Catalogue-wide figures."""

    solutions: int
    solutions_by_kind: list[dict[str, object]]
    solutions_by_status: list[dict[str, object]]
    solutions_by_theme: list[dict[str, object]]
    adoptions: int
    adoptions_by_status: list[dict[str, object]]
    organisations_taking_part: int
    kommuner_taking_part: int
    kommuner: int
    benefits: list[BenefitTotal]
    reuse_ratio: float


def _counts(rows: Iterable[Any]) -> list[dict[str, object]]:
    return [{"value": value, "count": count} for value, count in sorted(rows)]


def _benefit_totals() -> list[BenefitTotal]:
    """Return the catalogue's benefit totals, added up by the database."""
    rows = db.session.execute(
        select(
            Benefit.category,
            Benefit.unit,
            func.coalesce(func.sum(Benefit.expected_value), 0),
            func.coalesce(func.sum(Benefit.realised_value), 0),
            func.count(),
            func.count().filter(Benefit.is_measured.is_(True)),
        ).group_by(Benefit.category, Benefit.unit)
    )
    order = {category: n for n, category in enumerate(BENEFIT_CATEGORIES)}
    totals = [
        BenefitTotal(category, unit, Decimal(expected), Decimal(realised), count, measured)
        for category, unit, expected, realised, count, measured in rows
    ]
    return sorted(totals, key=lambda t: (order[t.category], t.unit))


def catalogue_stats() -> CatalogueStats:
    """Return the figures of the whole catalogue (GET /stats, the front page, Gevinster).

    Every figure is one aggregate query, so the cost does not grow with rows loaded into Python.
    """
    session = db.session
    active = Adoption.status.in_(ACTIVE_ADOPTION_STATUSES)
    solutions = session.scalar(select(func.count()).select_from(Solution)) or 0
    by_kind = session.execute(select(Solution.kind, func.count()).group_by(Solution.kind))
    by_status = session.execute(select(Solution.status, func.count()).group_by(Solution.status))
    by_theme = session.execute(
        select(Theme.slug, func.count(Solution.id)).join(Solution.themes).group_by(Theme.slug)
    )
    by_adoption_status = session.execute(
        select(Adoption.status, func.count()).group_by(Adoption.status)
    ).all()
    reused = session.scalar(
        select(func.count())
        .select_from(Adoption)
        .join(Adoption.solution)
        .where(active, Adoption.organisation_id != Solution.owner_id)
    )
    taking_part = union(
        select(Solution.owner_id.label("id")),
        select(Adoption.organisation_id.label("id")).where(active),
    ).subquery()
    part_kinds = session.execute(
        select(Organisation.kind, func.count())
        .where(Organisation.id.in_(select(taking_part.c.id)))
        .group_by(Organisation.kind)
    ).all()
    kommuner = session.scalar(
        select(func.count()).select_from(Organisation).where(Organisation.kind == "kommune")
    )
    return CatalogueStats(
        solutions=solutions,
        solutions_by_kind=_counts(by_kind.all()),
        solutions_by_status=_counts(by_status.all()),
        solutions_by_theme=_counts(by_theme.all()),
        adoptions=sum(count for _, count in by_adoption_status),
        adoptions_by_status=_counts(by_adoption_status),
        organisations_taking_part=sum(count for _, count in part_kinds),
        kommuner_taking_part=sum(count for kind, count in part_kinds if kind == "kommune"),
        kommuner=kommuner or 0,
        benefits=_benefit_totals(),
        reuse_ratio=round((reused or 0) / solutions, 3) if solutions else 0.0,
    )
