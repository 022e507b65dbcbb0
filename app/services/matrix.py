"""The reuse matrix: which kommune uses which solution, and how far it has come.

``adoption_matrix`` gives the kommuner × solutions grid of the matrix page; ``kommune_strip``
gives one row of it (every kommune for one solution), the compact visual on a solution page.
Only kommuner are columns: the matrix answers "which kommuner use this?"; other organisations
are listed on the solution page's table.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Adoption, Organisation, Solution, Theme
from app.services.organisation_profiles import list_kommuner
from app.services.overview import active_adoption_counts, get_theme
from app.services.references import get_organisation

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


@dataclass(frozen=True)
class MatrixFilters:
    """What narrows the matrix: a theme, an owner, a kommune group, a status; and the order.

    ``group`` (a samarbeid's slug) keeps its member kommuner as the columns and the solutions
    one of them has any adoption of; ``status`` keeps the solutions one of the columns has in
    that status. ``sort`` is ``users`` (most used first), ``name``, or a kommunenummer: that
    kommune's column, in use first.
    """

    theme: str | None = None
    owner: str | None = None
    group: str | None = None
    status: str | None = None
    sort: str = "users"


STATUS_RANK = {"in_use": 0, "pilot": 1, "planned": 2, "considering": 3, "retired": 4}
"""The order of a kommune's column when the matrix is sorted by it (no adoption last)."""


def _columns(group: Organisation | None) -> list[Organisation]:
    kommuner = list_kommuner()
    if group is None:
        return kommuner
    members = {member.id for member in group.members}
    return [kommune for kommune in kommuner if kommune.id in members]


def _filtered(filters: MatrixFilters, columns: list[Organisation]) -> tuple[Any, Theme | None]:
    """Return the query of the matrix's solutions, and the theme it is narrowed to."""
    theme = get_theme(filters.theme) if filters.theme else None
    query = select(Solution)
    if theme is not None:
        query = query.where(Solution.themes.any(Theme.id == theme.id))
    if filters.owner:
        query = query.where(Solution.owner_id == get_organisation(filters.owner).id)
    column_ids = [kommune.id for kommune in columns]
    if filters.group:
        query = query.where(
            Solution.id.in_(
                select(Adoption.solution_id).where(Adoption.organisation_id.in_(column_ids))
            )
        )
    if filters.status:
        query = query.where(
            Solution.id.in_(
                select(Adoption.solution_id).where(
                    Adoption.status == filters.status, Adoption.organisation_id.in_(column_ids)
                )
            )
        )
    return query, theme


def _ordered(query: Any, users: Any, sort: str) -> Any:
    if sort == "name":
        return query.order_by(Solution.name, Solution.id)
    if sort != "users":
        kommune = get_organisation(sort)
        own = aliased(Adoption)
        rank = case(
            *((own.status == status, n) for status, n in STATUS_RANK.items()),
            else_=len(STATUS_RANK),
        )
        query = query.outerjoin(
            own, (own.solution_id == Solution.id) & (own.organisation_id == kommune.id)
        )
        return query.order_by(rank, users.desc(), Solution.name, Solution.id)
    return query.order_by(users.desc(), Solution.name, Solution.id)


def adoption_matrix(
    filters: MatrixFilters | None = None, *, page: int = 1, page_size: int | None = 100
) -> AdoptionMatrix:
    """Return one page of the kommuner × solutions matrix (``page_size=None``: every row);
    raise NotFound for an unknown theme, owner, group or sort kommune."""
    filters = filters or MatrixFilters()
    group = get_organisation(filters.group) if filters.group else None
    columns = _columns(group)
    query, theme = _filtered(filters, columns)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    counts = active_adoption_counts().subquery()
    users = func.coalesce(counts.c.users, 0)
    ordered = _ordered(
        query.add_columns(users).outerjoin(counts, counts.c.solution_id == Solution.id),
        users,
        filters.sort,
    )
    if page_size is not None:
        ordered = ordered.limit(page_size).offset((page - 1) * page_size)
    rows = db.session.execute(ordered).all()
    statuses = _statuses([solution.id for solution, _ in rows])
    matrix_rows = [
        MatrixRow(solution, _cells(solution, columns, statuses[solution.id]), user_count)
        for solution, user_count in rows
    ]
    return AdoptionMatrix(columns, matrix_rows, total, page, page_size or max(total, 1), theme)


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
