"""Resolve the references clients send: organisations, themes, standards."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import select

from app.extensions import db
from app.models import Organisation, Standard, Theme
from app.services.errors import InvalidData, NotFound


def find_organisation(ref: str) -> Organisation | None:
    """Return the organisation with this kommunenummer or slug, or None."""
    column = Organisation.kommunenummer if re.fullmatch(r"\d{4}", ref) else Organisation.slug
    return db.session.scalar(select(Organisation).where(column == ref))


def get_organisation(ref: str) -> Organisation:
    """Return the organisation with this kommunenummer or slug, or raise NotFound."""
    organisation = find_organisation(ref)
    if organisation is None:
        raise NotFound(f"No organisation with kommunenummer or slug '{ref}'.")
    return organisation


def resolve_organisation(ref: str, field: str) -> Organisation:
    """Return the organisation a request field names, or raise InvalidData on that field."""
    organisation = find_organisation(ref)
    if organisation is None:
        raise InvalidData(
            "Validation failed.",
            {field: [f"Unknown organisation '{ref}' (give a kommunenummer or a slug)."]},
        )
    return organisation


def _resolve_slugs(model: type[Theme] | type[Standard], slugs: Sequence[str], field: str) -> list:
    wanted = list(dict.fromkeys(slugs))
    found = {
        row.slug: row for row in db.session.scalars(select(model).where(model.slug.in_(wanted)))
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
