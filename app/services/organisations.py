"""Read organisations: kommuner, the fylkeskommune, collaborations."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Organisation
from app.services.references import get_organisation


def list_organisations(
    kind: str | None = None, *, page: int = 1, page_size: int = 100
) -> tuple[list[Organisation], int]:
    """Return one page of organisations (kommuner by number first, then the rest by name)."""
    query = select(Organisation)
    if kind:
        query = query.where(Organisation.kind == kind)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
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
    """Return one organisation by kommunenummer or slug, or raise NotFound."""
    return get_organisation(ref)
