"""Read the catalogue as a whole: newest and most reused solutions, themes and their solutions.

Read-only queries for the pages that give an overview (the front page, the theme pages); the
catalogue's figures are ``app.services.gains.catalogue_stats``. Counts are grouped in the
database, so the pages stay fast with many thousand solutions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import ACTIVE_ADOPTION_STATUSES, Adoption, Solution, Theme
from app.models.solution import solution_themes
from app.services.errors import NotFound


@dataclass(frozen=True)
class ThemeCount:
    """A theme and how many solutions it has."""

    theme: Theme
    count: int


def card_loader_options() -> list[Any]:
    """Return the eager loads a solution card needs: its owner and adoptions (for the count)."""
    return [selectinload(Solution.owner), selectinload(Solution.adoptions)]


def active_adoption_counts() -> Select[tuple[int, int]]:
    """Return a query of (solution_id, number of organisations using it) for use as a subquery."""
    return (
        select(Adoption.solution_id, func.count().label("users"))
        .where(Adoption.status.in_(ACTIVE_ADOPTION_STATUSES))
        .group_by(Adoption.solution_id)
    )


def newest_solutions(limit: int = 5) -> list[Solution]:
    """Return the most recently registered solutions."""
    return list(
        db.session.scalars(
            select(Solution)
            .options(*card_loader_options())
            # Ids grow with every registration, so the primary key gives the newest first
            # without sorting the whole table by created_at (which has no index).
            .order_by(Solution.id.desc())
            .limit(limit)
        )
    )


def _by_reuse(query: Select[tuple[Solution]]) -> Select[tuple[Solution]]:
    """Order solutions by how many organisations use them, most first, then by name."""
    counts = active_adoption_counts().subquery()
    return query.outerjoin(counts, counts.c.solution_id == Solution.id).order_by(
        func.coalesce(counts.c.users, 0).desc(), Solution.name, Solution.id
    )


def most_reused_solutions(limit: int = 5) -> list[Solution]:
    """Return the solutions that most organisations use (pilot or in use)."""
    query = _by_reuse(select(Solution).options(*card_loader_options()))
    return list(db.session.scalars(query.limit(limit)))


def theme_counts() -> list[ThemeCount]:
    """Return every theme with its number of solutions, by theme name."""
    counts = (
        select(solution_themes.c.theme_id, func.count().label("n"))
        # Through Solution, so drafts (hidden from every query on solutions) are not counted.
        .join(Solution, Solution.id == solution_themes.c.solution_id)
        .group_by(solution_themes.c.theme_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Theme, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.theme_id == Theme.id)
        .order_by(Theme.name)
    )
    return [ThemeCount(theme, count) for theme, count in rows]


def get_theme(slug: str) -> Theme:
    """Return the theme with this slug, or raise NotFound."""
    theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
    if theme is None:
        raise NotFound(f"No theme with slug '{slug}'.")
    return theme


def solutions_in_theme(
    theme: Theme, *, page: int = 1, page_size: int = 30
) -> tuple[list[Solution], int]:
    """Return one page of a theme's solutions, most reused first, and their total."""
    query = select(Solution).where(Solution.themes.any(Theme.id == theme.id))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(
        _by_reuse(query.options(*card_loader_options()))
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return list(rows), total
