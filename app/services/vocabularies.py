"""Read the vocabularies: LOS themes and national standards."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Standard, Theme


def list_themes() -> list[Theme]:
    """Return the themes by name."""
    return list(db.session.scalars(select(Theme).order_by(Theme.name)))


def list_standards() -> list[Standard]:
    """Return the standards by name."""
    return list(db.session.scalars(select(Standard).order_by(Standard.name)))
