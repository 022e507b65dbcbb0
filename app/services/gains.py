"""Add up what reuse gains: per solution, per organisation and for the whole catalogue."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from statistics import median
from typing import Any

from sqlalchemy import case, distinct, func, select, union
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    ACTIVE_ADOPTION_STATUSES,
    BENEFIT_CATEGORIES,
    Adoption,
    AdoptionStatusChange,
    Benefit,
    Organisation,
    Solution,
    Theme,
)
from app.models.benefit import FIXED_UNITS
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


def theme_benefits(theme: Theme) -> BenefitSummary:
    """Return the benefits adopters report from the solutions of a LOS theme, with totals."""
    in_theme = select(solution_themes.c.solution_id).where(solution_themes.c.theme_id == theme.id)
    return summarise(_benefits(Adoption.solution_id.in_(in_theme)))


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


# --- The region's gains (the Gevinster page and its downloads) -------------------------------

TIMELINE_STATUSES = ACTIVE_ADOPTION_STATUSES
"""The statuses whose number of adoptions the timeline follows, year by year."""


@dataclass(frozen=True)
class ThemeGains:
    """What the solutions of one LOS theme gain: hours and kroner a year."""

    slug: str
    name: str
    hours: BenefitTotal
    kroner: BenefitTotal


@dataclass(frozen=True)
class SolutionGain:
    """One solution's realised (and expected) benefit of one category, over all adopters."""

    slug: str
    name: str
    realised: Decimal
    expected: Decimal | None  # None: no adopter has registered an expected value
    adopters: int  # adopters that report a realised value


@dataclass(frozen=True)
class TimelineYear:
    """How many adoptions had each status at the end of a year."""

    year: int
    counts: dict[str, int]


@dataclass(frozen=True)
class RegionGains:
    """Every figure of the Gevinster page."""

    benefits: list[BenefitTotal]
    adopters: int
    adopters_measured: int
    themes: list[ThemeGains]
    top: dict[str, list[SolutionGain]]  # category (time_saved, cost_saved) → best solutions
    timeline: list[TimelineYear]


@dataclass(frozen=True)
class GainEstimate:
    """What one more adopter of a solution may gain: the median of what its adopters realised."""

    category: str
    unit: str
    median: Decimal
    adopters: int


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _fixed_total(category: str, row: Sequence[Any] | None) -> BenefitTotal:
    expected, realised, count, measured = row or (0, 0, 0, 0)
    return BenefitTotal(
        category, FIXED_UNITS[category], Decimal(expected), Decimal(realised), count, measured
    )


def theme_benefit_totals() -> list[ThemeGains]:
    """Return hours and kroner a year by LOS theme, for every theme (zero where none).

    A benefit counts under each theme of its solution, so the themes add up to more than the
    region's total when solutions have several themes.
    """
    rows = db.session.execute(
        select(
            solution_themes.c.theme_id,
            Benefit.category,
            func.coalesce(func.sum(Benefit.expected_value), 0),
            func.coalesce(func.sum(Benefit.realised_value), 0),
            func.count(),
            func.count().filter(Benefit.is_measured.is_(True)),
        )
        .select_from(Benefit)
        .join(Benefit.adoption)
        .join(Adoption.solution)
        .join(solution_themes, solution_themes.c.solution_id == Solution.id)
        .where(Benefit.category.in_(FIXED_UNITS))
        .group_by(solution_themes.c.theme_id, Benefit.category)
    )
    sums = {(theme_id, category): rest for theme_id, category, *rest in rows}
    return [
        ThemeGains(
            slug,
            name,
            _fixed_total("time_saved", sums.get((theme_id, "time_saved"))),
            _fixed_total("cost_saved", sums.get((theme_id, "cost_saved"))),
        )
        for theme_id, slug, name in db.session.execute(
            select(Theme.id, Theme.slug, Theme.name).order_by(Theme.name)
        )
    ]


def top_solutions(category: str, limit: int = 10) -> list[SolutionGain]:
    """Return the solutions with the most realised benefit of a category (hours or kroner)."""
    realised = func.sum(Benefit.realised_value)
    reporting = case((Benefit.realised_value.is_not(None), Adoption.id))
    rows = db.session.execute(
        select(
            Solution.slug,
            Solution.name,
            realised,
            func.sum(Benefit.expected_value),
            func.count(distinct(reporting)),
        )
        .select_from(Benefit)
        .join(Benefit.adoption)
        .join(Adoption.solution)
        .where(Benefit.category == category)
        .group_by(Solution.id, Solution.slug, Solution.name)
        .having(realised > 0)
        .order_by(realised.desc(), Solution.name)
        .limit(limit)
    )
    return [
        SolutionGain(slug, name, Decimal(real), _decimal(expected), adopters)
        for slug, name, real, expected, adopters in rows
    ]


def adoption_timeline(until: date | None = None) -> list[TimelineYear]:
    """Return, for each year up to ``until`` (today), the adoptions in pilot and in use.

    The database turns each dated status change into +1 for the status entered and -1 for the
    one left, and adds them up by year; the running total of those is the count at year end.
    """
    until = until or date.today()
    change = AdoptionStatusChange
    previous = func.lag(change.status).over(
        partition_by=change.adoption_id, order_by=(change.changed_on, change.id)
    )
    steps = (
        select(
            func.extract("year", change.changed_on).label("year"),
            change.status.label("status"),
            previous.label("previous"),
        )
        .where(change.changed_on <= until)
        .subquery()
    )
    deltas = [
        func.sum(
            case((steps.c.status == status, 1), else_=0)
            - case((steps.c.previous == status, 1), else_=0)
        )
        for status in TIMELINE_STATUSES
    ]
    rows = {
        int(year): values
        for year, *values in db.session.execute(
            select(steps.c.year, *deltas).group_by(steps.c.year).order_by(steps.c.year)
        )
    }
    if not rows:
        return []
    running = dict.fromkeys(TIMELINE_STATUSES, 0)
    timeline = []
    for year in range(min(rows), until.year + 1):
        for status, delta in zip(TIMELINE_STATUSES, rows.get(year, ()), strict=False):
            running[status] += int(delta or 0)
        timeline.append(TimelineYear(year, dict(running)))
    return timeline


def _adopters_reporting() -> tuple[int, int]:
    """Return how many adoptions report benefits, and how many of those have measured them."""
    measured = case(
        (Benefit.is_measured.is_(True) & Benefit.realised_value.is_not(None), Benefit.adoption_id)
    )
    row = db.session.execute(
        select(func.count(distinct(Benefit.adoption_id)), func.count(distinct(measured)))
    ).one()
    return int(row[0]), int(row[1])


def region_gains(top: int = 10, until: date | None = None) -> RegionGains:
    """Return every figure of the Gevinster page (one aggregate query per figure)."""
    adopters, measured = _adopters_reporting()
    return RegionGains(
        benefits=_benefit_totals(),
        adopters=adopters,
        adopters_measured=measured,
        themes=theme_benefit_totals(),
        top={category: top_solutions(category, top) for category in FIXED_UNITS},
        timeline=adoption_timeline(until),
    )


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
            .where(
                Adoption.solution_id.in_(solution_ids),
                Benefit.category.in_(FIXED_UNITS),
                Benefit.realised_value.is_not(None),
            )
            .group_by(Adoption.solution_id, Adoption.id, Benefit.category)
        )
        for solution_id, category, value in rows:
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
