"""The reuse matrix: which kommune uses which solution, and how far it has come.

``adoption_matrix`` gives the kommuner × solutions grid of the matrix page; ``kommune_strip``
gives one row of it (every kommune for one solution), the compact visual on a solution page.
Only kommuner are columns: the matrix answers "which kommuner use this?"; other organisations
are listed on the solution page's table.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.models import Adoption, Organisation, Solution, Theme
from app.services.organisation_profiles import list_kommuner
from app.services.overview import active_adoption_counts, get_theme

ALONE_THRESHOLD = 1
"""A solution used by at most this many organisations "stands alone" (no reuse yet)."""


@dataclass(frozen=True)
class MatrixCell:
    """One kommune's relation to one solution: its adoption status (or None) and ownership."""

    kommune: Organisation
    status: str | None
    is_owner: bool


@dataclass(frozen=True)
class MatrixRow:
    """One solution with a cell per kommune."""

    solution: Solution
    cells: list[MatrixCell]
    users: int

    @property
    def stands_alone(self) -> bool:
        """Return whether no more than one organisation uses the solution."""
        return self.users <= ALONE_THRESHOLD


@dataclass(frozen=True)
class AdoptionMatrix:
    """A page of the matrix: the kommune columns, the solution rows, and paging."""

    kommuner: list[Organisation]
    rows: list[MatrixRow]
    total: int
    page: int
    page_size: int
    theme: Theme | None


def _cells(
    solution: Solution, kommuner: list[Organisation], statuses: dict[int, str]
) -> list[MatrixCell]:
    return [
        MatrixCell(kommune, statuses.get(kommune.id), kommune.id == solution.owner_id)
        for kommune in kommuner
    ]


def adoption_matrix(
    theme_slug: str | None = None, *, page: int = 1, page_size: int = 100
) -> AdoptionMatrix:
    """Return one page of the kommuner × solutions matrix, most used solutions first."""
    theme = get_theme(theme_slug) if theme_slug else None
    query = select(Solution)
    if theme is not None:
        query = query.where(Solution.themes.any(Theme.id == theme.id))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    counts = active_adoption_counts().subquery()
    users = func.coalesce(counts.c.users, 0)
    rows = db.session.execute(
        query.add_columns(users)
        .outerjoin(counts, counts.c.solution_id == Solution.id)
        .order_by(users.desc(), Solution.name, Solution.id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    kommuner = list_kommuner()
    statuses = _statuses([solution.id for solution, _ in rows])
    matrix_rows = [
        MatrixRow(solution, _cells(solution, kommuner, statuses[solution.id]), user_count)
        for solution, user_count in rows
    ]
    return AdoptionMatrix(kommuner, matrix_rows, total, page, page_size, theme)


def _statuses(solution_ids: list[int]) -> dict[int, dict[int, str]]:
    """Return solution id → organisation id → adoption status, for these solutions.

    Three columns in one query rather than every Adoption row: the most used solutions, which
    fill the first pages, have an adoption for nearly every kommune.
    """
    statuses: dict[int, dict[int, str]] = defaultdict(dict)
    if solution_ids:
        for solution_id, organisation_id, status in db.session.execute(
            select(Adoption.solution_id, Adoption.organisation_id, Adoption.status).where(
                Adoption.solution_id.in_(solution_ids)
            )
        ):
            statuses[solution_id][organisation_id] = status
    return statuses


def kommune_strip(solution: Solution) -> list[MatrixCell]:
    """Return one cell per kommune for ``solution``: the row of the matrix for one solution."""
    statuses = dict(
        db.session.execute(
            select(Adoption.organisation_id, Adoption.status).where(
                Adoption.solution_id == solution.id
            )
        ).all()
    )
    return _cells(solution, list_kommuner(), statuses)
