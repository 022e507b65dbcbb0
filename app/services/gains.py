"""Add up what reuse gains: per solution, per organisation and for the whole catalogue.

The sums of benefits by category and unit, of one solution's, one organisation's or one LOS
theme's adopters, and the catalogue's totals (which ``gain_stats`` and ``gains_dashboard``
show). Statistics are in ``gain_stats``; the region's Gevinster page in ``gains_dashboard``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import BENEFIT_CATEGORIES, Adoption, Benefit, Theme
from app.models.solution import solution_themes
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
    """The benefits themselves: every one, or the first of them when the caller set a limit."""
    count: int = 0
    """How many benefits the totals add up (``benefits`` may list fewer)."""


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


def _summary(*conditions: object, limit: int | None = None, offset: int = 0) -> BenefitSummary:
    """Return the totals of the benefits that meet ``conditions`` and ``limit`` of them (None:
    all) from ``offset`` on.

    The totals are added up from plain rows of the figures, not from loaded benefits, so a big
    kommune's page (thousands of benefits in a national catalogue) loads only what it lists.
    """
    figures = db.session.execute(
        select(
            Benefit.category,
            Benefit.unit,
            Benefit.expected_value,
            Benefit.realised_value,
            Benefit.is_measured,
            Benefit.adoption_id,
        )
        .join(Benefit.adoption)
        .where(*conditions)  # type: ignore[arg-type]
    ).all()
    adopters = {row.adoption_id for row in figures}
    measured = {
        row.adoption_id for row in figures if row.is_measured and row.realised_value is not None
    }
    # Past the end lists nothing; a huge offset never reaches the database (it would overflow).
    listed = (
        []
        if limit == 0 or offset >= len(figures)
        else _benefits(*conditions, limit=limit, offset=offset)
    )
    return BenefitSummary(add_up(figures), len(adopters), len(measured), listed, len(figures))


def _benefits(*conditions: object, limit: int | None, offset: int) -> list[Benefit]:
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
            .limit(limit)
            .offset(offset or None)
        )
    )


def solution_benefits(slug: str) -> BenefitSummary:
    """Return the benefits all adopters of a solution report, with totals."""
    solution = get_solution(slug)
    return _summary(Adoption.solution_id == solution.id)


def organisation_benefits(ref: str, *, limit: int | None = None, offset: int = 0) -> BenefitSummary:
    """Return the benefits an organisation reports from the solutions it uses, with totals over
    all of them (and only ``limit`` benefits listed from ``offset`` on, when given)."""
    organisation = get_organisation(ref)
    return _summary(Adoption.organisation_id == organisation.id, limit=limit, offset=offset)


def theme_benefits(theme: Theme, *, limit: int | None = None) -> BenefitSummary:
    """Return the benefits adopters report from the solutions of a LOS theme, with totals
    (and only the first ``limit`` benefits listed, when given)."""
    in_theme = select(solution_themes.c.solution_id).where(solution_themes.c.theme_id == theme.id)
    return _summary(Adoption.solution_id.in_(in_theme), limit=limit)


def benefit_totals() -> list[BenefitTotal]:
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
