"""Resolve the references clients send: organisations, themes, standards."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select

from app.extensions import db
from app.models import Organisation, Solution, Standard, Theme
from app.schemas.validators import KOMMUNENUMMER, SLUG
from app.services.errors import InvalidData, NotFound


def is_slug(value: str) -> bool:
    """Return whether ``value`` has the form of a slug.

    Anything else names nothing, so it is not looked up at all: a NUL byte from a URL would
    otherwise be a database error on PostgreSQL.
    """
    return len(value) <= 200 and SLUG.fullmatch(value) is not None


def is_organisation_ref(ref: str) -> bool:
    """Return whether ``ref`` has the form of a kommunenummer or a slug (what may be looked up:
    anything else, a NUL byte say, names no organisation and must not reach the database)."""
    return bool(KOMMUNENUMMER.fullmatch(ref)) or is_slug(ref)


def organisation_query(ref: str) -> Select[tuple[Organisation]] | None:
    """Return the query of the organisation with this kommunenummer or slug (None: no such ref)."""
    if KOMMUNENUMMER.fullmatch(ref):
        return select(Organisation).where(Organisation.kommunenummer == ref)
    if is_slug(ref):
        return select(Organisation).where(Organisation.slug == ref)
    return None


def find_organisation(ref: str) -> Organisation | None:
    """Return the organisation with this kommunenummer or slug, or None."""
    query = organisation_query(ref)
    return None if query is None else db.session.scalar(query)


def get_organisation(ref: str) -> Organisation:
    """Return the organisation with this kommunenummer or slug, or raise NotFound."""
    organisation = find_organisation(ref)
    if organisation is None:
        raise NotFound(f"No organisation with kommunenummer or slug '{ref}'.")
    return organisation


def resolve_organisation(ref: str, field: str) -> Organisation:
    """Return the organisation a request field names, or raise InvalidData on that field."""
    return resolve_organisations([ref], field)[ref]


def resolve_organisations(refs: Sequence[str], field: str) -> dict[str, Organisation]:
    """Return the organisations that request fields name, by ref, in two queries at most.

    The bulk form of ``resolve_organisation`` (a load of many adoptions looks them up once);
    an unknown ref raises InvalidData on ``field``, naming the first one.
    """
    wanted = list(dict.fromkeys(refs))
    numbers = [ref for ref in wanted if KOMMUNENUMMER.fullmatch(ref)]
    slugs = [ref for ref in wanted if not KOMMUNENUMMER.fullmatch(ref) and is_slug(ref)]
    found: dict[str, Organisation] = {}
    if numbers:
        query = select(Organisation).where(Organisation.kommunenummer.in_(numbers))
        found.update({row.kommunenummer: row for row in db.session.scalars(query)})
    if slugs:
        query = select(Organisation).where(Organisation.slug.in_(slugs))
        found.update({row.slug: row for row in db.session.scalars(query)})
    for ref in wanted:
        if ref not in found:
            raise InvalidData(
                "Validation failed.",
                {field: [f"Unknown organisation '{ref}' (give a kommunenummer or a slug)."]},
            )
    return found


def resolve_solution(slug: str, field: str) -> Solution:
    """Return the solution a request field names, or raise InvalidData on that field."""
    solution = (
        db.session.scalar(select(Solution).where(Solution.slug == slug)) if is_slug(slug) else None
    )
    if solution is None:
        raise InvalidData("Validation failed.", {field: [f"Unknown solution '{slug}'."]})
    return solution


def _resolve_slugs(model: type[Theme] | type[Standard], slugs: Sequence[str], field: str) -> list:
    wanted = list(dict.fromkeys(slugs))
    looked_up = [slug for slug in wanted if is_slug(slug)]
    found = {
        row.slug: row for row in db.session.scalars(select(model).where(model.slug.in_(looked_up)))
    }
    unknown = [slug for slug in wanted if slug not in found]
    if unknown:
        raise InvalidData(
            "Validation failed.",
            {field: [f"Unknown {field[:-1]}: {', '.join(unknown)}."]},
        )
    return [found[slug] for slug in wanted]


def resolve_themes(slugs: Sequence[str]) -> list[Theme]:
    """Return the themes with these slugs, or raise InvalidData naming the unknown ones."""
    return _resolve_slugs(Theme, slugs, "themes")


def resolve_standards(slugs: Sequence[str]) -> list[Standard]:
    """Return the standards with these slugs, or raise InvalidData naming the unknown ones."""
    return _resolve_slugs(Standard, slugs, "standards")
