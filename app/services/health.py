"""Is the catalogue usable: database reachable, search index readable."""

from __future__ import annotations

from sqlalchemy import text

from app import search
from app.extensions import db


def check_health() -> dict[str, str]:
    """Return the state of each part: 'ok' or what is wrong."""
    parts: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        parts["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - health reports, never raises
        db.session.rollback()
        parts["database"] = f"unavailable: {exc.__class__.__name__}"
    try:
        search.reader().searcher()
        parts["search"] = "ok"
    except search.SearchUnavailable as exc:
        parts["search"] = f"unavailable: {exc}"
    return parts
