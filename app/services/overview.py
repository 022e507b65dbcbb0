"""Read the catalogue as a whole: newest and most reused solutions, themes and their solutions.

Read-only queries for the pages that give an overview (the front page, the theme pages); the
catalogue's figures are ``app.services.gain_stats.catalogue_stats``. Counts are grouped in the
database, so the pages stay fast with many thousand solutions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ScalarSelect, Select, func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import ACTIVE_ADOPTION_STATUSES, Adoption, Organisation, Solution, Theme
from app.models.solution import solution_themes
from app.services.errors import NotFound
from app.services.position_cache import per_position


@dataclass(frozen=True)
class ThemeCount:
    """A theme and how many solutions it has."""

    theme: Theme
    count: int


@dataclass(frozen=True)
class SolutionCard:
    """What a solution card shows: a solution and how many organisations use it.

    The count comes from the database with the solution, so a list of cards never loads the
    adoptions themselves (a much reused solution has one per kommune). The card macro reads the
    same attributes from a card as from a ``Solution``.
    """

    solution: Solution
    adoption_count: int

    @property
    def id(self) -> int:
        """Return the solution's id."""
        return self.solution.id

    @property
    def slug(self) -> str:
        """Return the solution's slug."""
        return self.solution.slug

    @property
    def name(self) -> str:
        """Return the solution's name."""
        return self.solution.name

    @property
    def summary(self) -> str:
        """Return the solution's summary."""
        return self.solution.summary

    @property
    def kind(self) -> str:
        """Return the solution's kind."""
        return self.solution.kind

    @property
    def status(self) -> str:
        """Return the solution's status at its owner."""
        return self.solution.status

    @property
    def owner(self) -> Organisation:
        """Return the solution's owner."""
        return self.solution.owner

    @property
    def theme_slugs(self) -> list[str]:
        """Return the slugs of the solution's themes."""
        return self.solution.theme_slugs


def card_loader_options() -> list[Any]:
    """Return the eager loads a solution card needs: its owner and adoptions (for the count)."""
    return [selectinload(Solution.owner), selectinload(Solution.adoptions)]


def active_users() -> ScalarSelect[int]:
    """Return how many organisations use the solution of the enclosing query (pilot or in use).

    A correlated subquery: the database counts one solution's adoptions in the index on
    (solution_id, status), so the cost follows the solutions asked for, not the catalogue.
    """
    return (
        select(func.count())
        .select_from(Adoption)
        .where(Adoption.solution_id == Solution.id, Adoption.status.in_(ACTIVE_ADOPTION_STATUSES))
        .correlate(Solution)
        .scalar_subquery()
    )


def solution_cards(query: Select[tuple[Solution]]) -> list[SolutionCard]:
    """Return the solutions of ``query`` as cards, in its order, each with its count of users."""
    rows = db.session.execute(
        query.add_columns(active_users()).options(selectinload(Solution.owner))
    )
    return [SolutionCard(solution, users) for solution, users in rows]


def active_adoption_counts() -> Select[tuple[int, int]]:
    """Return a query of (solution_id, number of organisations using it) for use as a subquery."""
    return (
        select(Adoption.solution_id, func.count().label("users"))
        .where(Adoption.status.in_(ACTIVE_ADOPTION_STATUSES))
        .group_by(Adoption.solution_id)
    )


def newest_solutions(limit: int = 5) -> list[SolutionCard]:
    """Return the most recently registered solutions."""
    # Ids grow with every registration, so the primary key gives the newest first without
    # sorting the whole table by created_at (which has no index).
    return solution_cards(select(Solution).order_by(Solution.id.desc()).limit(limit))


def _by_reuse(query: Select[tuple[Any]]) -> Select[tuple[Any, int]]:
    """Add each solution's number of users to ``query`` and order by it, most first, then name."""
    counts = active_adoption_counts().subquery()
    users = func.coalesce(counts.c.users, 0)
    return (
        query.add_columns(users)
        .outerjoin(counts, counts.c.solution_id == Solution.id)
        .order_by(users.desc(), Solution.name, Solution.id)
    )


def most_reused_solutions(limit: int = 5) -> list[SolutionCard]:
    """Return the solutions that most organisations use (pilot or in use).

    Which they are is found once per catalogue position (it counts every adoption); the few
    solutions are then loaded by id.
    """
    return cards_of(per_position("most_reused", lambda: _most_reused_ids(limit), key=limit))


def cards_of(ranked: list[tuple[int, int]]) -> list[SolutionCard]:
    """Return cards of (solution id, number of users) pairs kept as plain ids, in their order,
    loading only those solutions (one gone since is left out)."""
    if not ranked:
        return []
    by_id = {
        solution.id: solution
        for solution in db.session.scalars(
            select(Solution)
            .where(Solution.id.in_([solution_id for solution_id, _ in ranked]))
            .options(selectinload(Solution.owner))
        )
    }
    return [
        SolutionCard(by_id[solution_id], users)
        for solution_id, users in ranked
        if solution_id in by_id
    ]


def _most_reused_ids(limit: int) -> list[tuple[int, int]]:
    """Return (solution id, number of users) of the most reused solutions, most first."""
    rows = db.session.execute(_by_reuse(select(Solution.id)).limit(limit))
    return [(solution_id, int(users)) for solution_id, users in rows]


def theme_counts() -> list[ThemeCount]:
    """Return every theme with its number of solutions, by theme name."""
    counts = per_position("theme_counts", _solutions_per_theme)
    themes = db.session.scalars(select(Theme).order_by(Theme.name))
    return [ThemeCount(theme, counts.get(theme.id, 0)) for theme in themes]


def _solutions_per_theme() -> dict[int, int]:
    """Return how many solutions each theme has, by theme id (themes without any left out)."""
    rows = db.session.execute(
        select(solution_themes.c.theme_id, func.count())
        # Through Solution, so drafts (hidden from every query on solutions) are not counted.
        .join(Solution, Solution.id == solution_themes.c.solution_id)
        .group_by(solution_themes.c.theme_id)
    )
    return {theme_id: int(count) for theme_id, count in rows}


def get_theme(slug: str) -> Theme:
    """Return the theme with this slug, or raise NotFound."""
    theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
    if theme is None:
        raise NotFound(f"No theme with slug '{slug}'.")
    return theme


def solutions_in_theme(
    theme: Theme, *, page: int = 1, page_size: int = 30
) -> tuple[list[SolutionCard], int]:
    """Return one page of a theme's solutions, most reused first, and their total."""
    query = select(Solution).where(Solution.themes.any(Theme.id == theme.id))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(
        _by_reuse(query)
        .options(selectinload(Solution.owner))
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return [SolutionCard(solution, users) for solution, users in rows], total


@dataclass
class ThemeAdopter:
    """An organisation that uses (or pilots) solutions of a theme, and how many."""

    organisation: Organisation
    solutions: int


def theme_adopters(theme: Theme) -> list[ThemeAdopter]:
    """Return the organisations using solutions of a theme (pilot or in use), most first."""
    count = func.count(func.distinct(Adoption.solution_id))
    rows = db.session.execute(
        select(Organisation, count)
        .join(Adoption, Adoption.organisation_id == Organisation.id)
        .join(solution_themes, solution_themes.c.solution_id == Adoption.solution_id)
        .where(
            solution_themes.c.theme_id == theme.id,
            Adoption.status.in_(ACTIVE_ADOPTION_STATUSES),
        )
        .group_by(Organisation.id)
        .order_by(count.desc(), Organisation.name)
    )
    return [ThemeAdopter(organisation, solutions) for organisation, solutions in rows]
