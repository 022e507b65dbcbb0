"""Tables of solutions, adoptions and benefits for spreadsheets (filters as the solution list)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Adoption, Benefit, Solution
from app.services.solutions import SolutionFilters, filtered_query, solution_loader_options

SOLUTION_COLUMNS = (
    "slug",
    "name",
    "summary",
    "kind",
    "status",
    "owner",
    "owner_name",
    "themes",
    "standards",
    "tags",
    "vendor",
    "licence",
    "homepage",
    "documentation",
    "source_code",
    "contact_name",
    "contact_role",
    "contact_email",
    "adoption_count",
    "created_at",
    "updated_at",
)
ADOPTION_COLUMNS = (
    "solution",
    "solution_name",
    "organisation",
    "organisation_name",
    "kommunenummer",
    "status",
    "since",
    "wanted_on",
    "contact_name",
    "contact_role",
    "contact_email",
    "notes",
    "updated_at",
)
"""The adoption import reads the same columns (solution, status, since, wanted_on, contact_…,
notes)."""
BENEFIT_COLUMNS = (
    "id",
    "solution",
    "organisation",
    "category",
    "unit",
    "description",
    "baseline",
    "expected_value",
    "realised_value",
    "measured_on",
    "method",
    "is_measured",
)


@dataclass
class Table:
    """A named table: its columns and rows."""

    name: str
    columns: tuple[str, ...]
    rows: list[list[Any]]


def _solutions(filters: SolutionFilters) -> list[Solution]:
    query = filtered_query(filters).options(*solution_loader_options())
    return list(db.session.scalars(query.order_by(Solution.name, Solution.id)))


def _solution_row(s: Solution) -> Iterator[Any]:
    yield from (s.slug, s.name, s.summary, s.kind, s.status, s.owner.slug, s.owner.name)
    yield from (s.theme_slugs, s.standard_slugs, s.tags, s.vendor, s.licence)
    yield from (s.homepage_url, s.documentation_url, s.source_code_url)
    yield from (s.contact_name, s.contact_role, s.contact_email, s.adoption_count)
    yield from (s.created_at, s.updated_at)


def solutions_table(filters: SolutionFilters) -> Table:
    """Return the solutions matching ``filters``, one row each."""
    rows = [list(_solution_row(s)) for s in _solutions(filters)]
    return Table("solutions", SOLUTION_COLUMNS, rows)


def _adoptions(filters: SolutionFilters) -> list[Adoption]:
    ids = filtered_query(filters).with_only_columns(Solution.id)
    return list(
        db.session.scalars(
            select(Adoption)
            .where(Adoption.solution_id.in_(ids))
            .options(selectinload(Adoption.solution), selectinload(Adoption.organisation))
            .order_by(Adoption.solution_id, Adoption.organisation_id)
        )
    )


def adoptions_table(filters: SolutionFilters) -> Table:
    """Return the adoptions of the solutions matching ``filters``."""
    rows = [
        [
            a.solution.slug,
            a.solution.name,
            a.organisation.slug,
            a.organisation.name,
            a.organisation.kommunenummer,
            a.status,
            a.since,
            a.wanted_on,
            a.contact_name,
            a.contact_role,
            a.contact_email,
            a.notes,
            a.updated_at,
        ]
        for a in sorted(_adoptions(filters), key=lambda a: (a.solution.name, a.organisation.name))
    ]
    return Table("adoptions", ADOPTION_COLUMNS, rows)


def benefits_table(filters: SolutionFilters) -> Table:
    """Return the benefits of the adoptions of the solutions matching ``filters``."""
    ids = filtered_query(filters).with_only_columns(Solution.id)
    benefits = db.session.scalars(
        select(Benefit)
        .join(Benefit.adoption)
        .where(Adoption.solution_id.in_(ids))
        .options(
            selectinload(Benefit.adoption).selectinload(Adoption.solution),
            selectinload(Benefit.adoption).selectinload(Adoption.organisation),
        )
        .order_by(Benefit.id)
    )
    rows = [
        [
            b.id,
            b.adoption.solution.slug,
            b.adoption.organisation.slug,
            b.category,
            b.unit,
            b.description,
            b.baseline,
            b.expected_value,
            b.realised_value,
            b.measured_on,
            b.method,
            b.is_measured,
        ]
        for b in benefits
    ]
    return Table("benefits", BENEFIT_COLUMNS, rows)


TABLES = {"solutions": solutions_table, "adoptions": adoptions_table, "benefits": benefits_table}
"""The tables the export endpoints offer."""
