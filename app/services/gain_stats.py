"""Statistics of the catalogue and its gains: the catalogue-wide figures (GET /stats, the front
page, Gevinster) and the median gain one more adopter of a solution may expect."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import median
from typing import Any

from sqlalchemy import func, select, union

from app.extensions import db
from app.models import ACTIVE_ADOPTION_STATUSES, Adoption, Benefit, Organisation, Solution, Theme
from app.models.benefit import FIXED_UNITS
from app.services.gains import BenefitTotal, benefit_totals
from app.services.position_cache import per_position


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


def catalogue_stats() -> CatalogueStats:
    """Return the figures of the whole catalogue (GET /stats, the front page, Gevinster).

    Computed once per catalogue position (``position_cache``): never stale after a write.
    """
    return per_position("catalogue_stats", _catalogue_stats)


def _catalogue_stats() -> CatalogueStats:
    """Compute the catalogue's figures: each is one aggregate query, so the cost does not grow
    with rows loaded into Python (but the database's does, with the catalogue)."""
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
        benefits=benefit_totals(),
        reuse_ratio=round((reused or 0) / solutions, 3) if solutions else 0.0,
    )


@dataclass(frozen=True)
class GainEstimate:
    """What one more adopter of a solution may gain: the median of what its adopters realised."""

    category: str
    unit: str
    median: Decimal
    adopters: int


@dataclass(frozen=True)
class GainEstimates:
    """Estimated gains of several solutions, and their sum by category."""

    by_solution: dict[int, list[GainEstimate]]
    totals: dict[str, Decimal]


def estimate_gains(solution_ids: Sequence[int]) -> GainEstimates:
    """Return, per solution, the median realised hours and kroner a year per adopter.

    Only adopters that report a realised value count; each adopter's values of a category are
    added up first (by the database), then the median is taken over the adopters. The totals
    add up the medians: what taking all these solutions in use may gain, by category.
    """
    per_adopter: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    if solution_ids:
        rows = db.session.execute(
            select(Adoption.solution_id, Benefit.category, func.sum(Benefit.realised_value))
            .select_from(Benefit)
            .join(Benefit.adoption)
            # Only by solution: with the category in the query too, SQLite starts from every
            # benefit of the category (most of them) rather than from these few solutions'.
            .where(Adoption.solution_id.in_(solution_ids), Benefit.realised_value.is_not(None))
            .group_by(Adoption.solution_id, Adoption.id, Benefit.category)
        )
        for solution_id, category, value in rows:
            if category in FIXED_UNITS:
                per_adopter[(solution_id, category)].append(Decimal(value))
    by_solution: dict[int, list[GainEstimate]] = {}
    totals: dict[str, Decimal] = {}
    for category, unit in FIXED_UNITS.items():
        for solution_id in solution_ids:
            values = per_adopter.get((solution_id, category))
            if values:
                estimate = GainEstimate(category, unit, median(values), len(values))
                by_solution.setdefault(solution_id, []).append(estimate)
                totals[category] = totals.get(category, Decimal(0)) + estimate.median
    return GainEstimates(by_solution, totals)
