"""The region's gains (the Gevinster page, /gevinster, and its downloads): hours and kroner by
LOS theme, the solutions with the most realised benefit and the adoptions year by year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import case, distinct, func, select

from app.extensions import db
from app.models import (
    ACTIVE_ADOPTION_STATUSES,
    Adoption,
    AdoptionStatusChange,
    Benefit,
    Solution,
    Theme,
)
from app.models.benefit import FIXED_UNITS
from app.models.solution import solution_themes
from app.services.gains import BenefitTotal, benefit_totals
from app.services.position_cache import per_position

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
    """Return every figure of the Gevinster page, computed once per catalogue position."""
    until = until or date.today()
    return per_position("region_gains", lambda: _region_gains(top, until), key=(top, until))


def _region_gains(top: int, until: date) -> RegionGains:
    """Compute the Gevinster page's figures (one aggregate query per figure)."""
    adopters, measured = _adopters_reporting()
    return RegionGains(
        benefits=benefit_totals(),
        adopters=adopters,
        adopters_measured=measured,
        themes=theme_benefit_totals(),
        top={category: top_solutions(category, top) for category in FIXED_UNITS},
        timeline=adoption_timeline(until),
    )
