"""Read the vocabularies: LOS themes and national standards."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Standard, Theme
from app.services.errors import NotFound
from app.services.permissions import Actor, require_admin
from app.services.transaction import commit


def list_themes() -> list[Theme]:
    """Return the themes by name."""
    return list(db.session.scalars(select(Theme).order_by(Theme.name)))


def list_standards() -> list[Standard]:
    """Return the standards by name."""
    return list(db.session.scalars(select(Standard).order_by(Standard.name)))


def rename_theme(slug: str, name: str, *, actor: Actor) -> Theme:
    """Give a theme a new label (LOS renames one now and then); admin only.

    The change log marks every solution with the theme, so search shows the new label.
    """
    require_admin(actor, "rename themes")
    theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
    if theme is None:
        raise NotFound(f"No theme with slug '{slug}'.")
    theme.name = name
    commit(actor=actor)
    return theme
