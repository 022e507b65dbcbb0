"""Slugs derived from names: lowercase ASCII (æ→ae, ø→o, å→a), unique, stable after creation."""

from __future__ import annotations

from slugify import slugify
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from app.extensions import db
from app.models.solution import INCLUDE_DRAFTS


def make_slug(name: str) -> str:
    """Return the slug of ``name``."""
    return slugify(name, max_length=100, word_boundary=True) or "losning"


def unique_slug(name: str, column: InstrumentedAttribute[str]) -> str:
    """Return the slug of ``name``, with -2, -3, ... appended while ``column`` already has it."""
    base = make_slug(name)
    # Drafts hold their slugs too (the models hide them from other queries).
    taken = set(
        db.session.scalars(
            select(column)
            .where(column.like(f"{base}%"))
            .execution_options(**{INCLUDE_DRAFTS: True})
        )
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
