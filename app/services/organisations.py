"""Read organisations: kommuner, the fylkeskommune, collaborations."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Adoption, Organisation, Solution
from app.services.errors import NotFound
from app.services.permissions import Actor, require_admin
from app.services.references import get_organisation, organisation_query
from app.services.transaction import commit


def list_organisations(
    kind: str | None = None, *, page: int = 1, page_size: int = 100
) -> tuple[list[Organisation], int]:
    """Return one page of organisations (kommuner by number first, then the rest by name)."""
    query = select(Organisation)
    if kind:
        query = query.where(Organisation.kind == kind)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if (page - 1) * page_size >= total:
        return [], total  # past the end; a huge page number never reaches the database
    rows = db.session.scalars(
        query.options(
            selectinload(Organisation.members),
            selectinload(Organisation.solutions),
            selectinload(Organisation.adoptions),
        )
        .order_by(
            Organisation.kommunenummer.is_(None), Organisation.kommunenummer, Organisation.name
        )
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return list(rows), total


def get_organisation_detail(ref: str) -> Organisation:
    """Return one organisation by kommunenummer or slug, with what it owns and uses.

    Raise NotFound when there is none.
    """
    query = organisation_query(ref)
    organisation = (
        None
        if query is None
        else db.session.scalar(
            query.options(
                selectinload(Organisation.members),
                selectinload(Organisation.solutions).selectinload(Solution.adoptions),
                selectinload(Organisation.adoptions).selectinload(Adoption.solution),
            )
        )
    )
    if organisation is None:
        raise NotFound(f"No organisation with kommunenummer or slug '{ref}'.")
    return organisation


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
