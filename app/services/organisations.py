"""Read organisations: kommuner, the fylkeskommune, collaborations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload, with_expression
from sqlalchemy.sql.base import ExecutableOption

from app.extensions import db
from app.models import ACTIVE_ADOPTION_STATUSES, Adoption, Organisation, Solution
from app.services.errors import NotFound
from app.services.permissions import Actor, require_admin
from app.services.references import get_organisation, organisation_query
from app.services.transaction import commit


@dataclass(frozen=True)
class OwnedSolution:
    """A solution as its owner's detail lists it."""

    slug: str
    name: str
    kind: str
    status: str
    adoption_count: int


@dataclass(frozen=True)
class SolutionRef:
    """The solution of an adoption, as far as a list of adoptions shows it."""

    slug: str
    name: str
    kind: str


@dataclass(frozen=True)
class UsedSolution:
    """An adoption as the adopting organisation's detail lists it."""

    solution: SolutionRef
    status: str
    since: date | None


@dataclass(frozen=True)
class OrganisationDetail:
    """An organisation (with its counts) and what it owns and uses, in the order of names.

    The lists may hold only the first rows (see ``get_organisation_detail``); the totals say
    how many there are in all.
    """

    organisation: Organisation
    solutions: list[OwnedSolution]
    adoptions: list[UsedSolution]
    solutions_total: int
    adoptions_total: int


def with_counts() -> tuple[ExecutableOption, ...]:
    """Return the loader options that count, in the same query, what an organisation shares
    (published solutions) and uses (pilot or in use)."""
    owned = (
        select(func.count(Solution.id))
        .where(Solution.owner_id == Organisation.id, Solution.is_draft.is_(False))
        .correlate(Organisation)
        .scalar_subquery()
    )
    used = (
        select(func.count(Adoption.id))
        .join(Solution, Solution.id == Adoption.solution_id)
        .where(
            Adoption.organisation_id == Organisation.id,
            Adoption.status.in_(ACTIVE_ADOPTION_STATUSES),
            Solution.is_draft.is_(False),
        )
        .correlate(Organisation)
        .scalar_subquery()
    )
    return (
        with_expression(Organisation.solution_count, owned),
        with_expression(Organisation.adoption_count, used),
    )


def list_organisations(
    kind: str | None = None, *, page: int = 1, page_size: int = 100
) -> tuple[list[Organisation], int]:
    """Return one page of organisations (kommuner by number first, then the rest by name),
    each with its counts."""
    query = select(Organisation)
    if kind:
        query = query.where(Organisation.kind == kind)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if (page - 1) * page_size >= total:
        return [], total  # past the end; a huge page number never reaches the database
    rows = db.session.scalars(
        query.options(selectinload(Organisation.members), *with_counts())
        .order_by(
            Organisation.kommunenummer.is_(None), Organisation.kommunenummer, Organisation.name
        )
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return list(rows), total


def get_organisation_with_counts(ref: str) -> Organisation:
    """Return one organisation by kommunenummer or slug, with its counts.

    Raise NotFound when there is none.
    """
    query = organisation_query(ref)
    organisation = (
        None
        if query is None
        else db.session.scalar(
            query.options(selectinload(Organisation.members), *with_counts()).execution_options(
                populate_existing=True  # an organisation already in the session gets its counts
            )
        )
    )
    if organisation is None:
        raise NotFound(f"No organisation with kommunenummer or slug '{ref}'.")
    return organisation


def get_organisation_detail(ref: str, *, limit: int | None) -> OrganisationDetail:
    """Return one organisation by kommunenummer or slug, with what it owns and uses.

    Each list holds its first ``limit`` rows by name (``None``: every row; 0: none). Lean
    queries of columns, no solution loaded as an object; the owned page is taken from the
    (owner, name) index before its adoptions are counted, so a national owner of 50,000
    solutions costs what its first page does. Raise NotFound when there is none.
    """
    organisation = get_organisation_with_counts(ref)
    uses = (
        select(Adoption.id)
        .join(Solution, Solution.id == Adoption.solution_id)
        .where(Adoption.organisation_id == organisation.id, Solution.is_draft.is_(False))
    )
    adoptions_total = db.session.scalar(select(func.count()).select_from(uses.subquery())) or 0
    if limit == 0:
        total = organisation.solution_count
        return OrganisationDetail(organisation, [], [], total, adoptions_total)
    owned_page = (
        select(Solution.id, Solution.slug, Solution.name, Solution.kind, Solution.status)
        .where(Solution.owner_id == organisation.id, Solution.is_draft.is_(False))
        .order_by(Solution.name, Solution.id)
        .limit(limit)
        .subquery()
    )
    users = (
        select(func.count(Adoption.id))
        .where(
            Adoption.solution_id == owned_page.c.id,
            Adoption.status.in_(ACTIVE_ADOPTION_STATUSES),
        )
        .correlate(owned_page)
        .scalar_subquery()
    )
    owned = db.session.execute(
        select(
            owned_page.c.slug, owned_page.c.name, owned_page.c.kind, owned_page.c.status, users
        ).order_by(owned_page.c.name, owned_page.c.id)
    )
    used = db.session.execute(
        select(Solution.slug, Solution.name, Solution.kind, Adoption.status, Adoption.since)
        .join(Adoption, Adoption.solution_id == Solution.id)
        .where(Adoption.organisation_id == organisation.id, Solution.is_draft.is_(False))
        .order_by(Solution.name, Solution.id)
        .limit(limit)
    )
    return OrganisationDetail(
        organisation=organisation,
        solutions=[OwnedSolution(*row) for row in owned],
        adoptions=[
            UsedSolution(SolutionRef(slug, name, kind), status, since)
            for slug, name, kind, status, since in used
        ],
        solutions_total=organisation.solution_count,
        adoptions_total=adoptions_total,
    )


def rename_organisation(ref: str, name: str, *, actor: Actor) -> Organisation:
    """Give an organisation a new name (kommune mergers, renamed collaborations); admin only.

    The change log marks every solution the organisation owns or uses, so search shows the
    new name everywhere.
    """
    require_admin(actor, "rename organisations")
    organisation = get_organisation(ref)
    organisation.name = name
    commit(actor=actor)
    return organisation
