"""Add up what reuse gains: per solution, per organisation and for the whole catalogue.

The sums of benefits by category and unit, of one solution's, one organisation's or one LOS
theme's adopters, and the catalogue's totals (which ``gain_stats`` and ``gains_dashboard``
show). Statistics are in ``gain_stats``; the region's Gevinster page in ``gains_dashboard``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import case, distinct, func, select
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


def _summary(*conditions: object, limit: int | None = None, offset: int = 0) -> BenefitSummary:
    """Return the totals of the benefits that meet ``conditions`` and ``limit`` of them (None:
    all) from ``offset`` on.

    The totals and adopters are added up by the database, so a big kommune's page (tens of
    thousands of benefits in a national catalogue) reads only what it lists.
    """
    totals = benefit_totals(*conditions)
    measured = case(
        (Benefit.is_measured.is_(True) & Benefit.realised_value.is_not(None), Benefit.adoption_id)
    )
    adopters, adopters_measured = db.session.execute(
        select(func.count(distinct(Benefit.adoption_id)), func.count(distinct(measured)))
        .join(Benefit.adoption)
        .where(*conditions)  # type: ignore[arg-type]
    ).one()
    count = sum(t.benefits for t in totals)
    # Past the end lists nothing; a huge offset never reaches the database (it would overflow).
    listed = (
        [] if limit == 0 or offset >= count else _benefits(*conditions, limit=limit, offset=offset)
    )
    return BenefitSummary(totals, int(adopters), int(adopters_measured), listed, count)


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


def benefit_totals(*conditions: object) -> list[BenefitTotal]:
    """Return the totals by (category, unit) of the benefits whose adoptions meet
    ``conditions`` (none: the catalogue's), added up by the database, in the order of
    BENEFIT_CATEGORIES."""
    query = select(
        Benefit.category,
        Benefit.unit,
        func.coalesce(func.sum(Benefit.expected_value), 0),
        func.coalesce(func.sum(Benefit.realised_value), 0),
        func.count(),
        func.count().filter(Benefit.is_measured.is_(True)),
    )
    if conditions:
        query = query.join(Benefit.adoption).where(*conditions)  # type: ignore[arg-type]
    rows = db.session.execute(query.group_by(Benefit.category, Benefit.unit))
    order = {category: n for n, category in enumerate(BENEFIT_CATEGORIES)}
    totals = [
        BenefitTotal(category, unit, Decimal(expected), Decimal(realised), count, measured)
        for category, unit, expected, realised, count, measured in rows
    ]
    return sorted(totals, key=lambda t: (order[t.category], t.unit))
