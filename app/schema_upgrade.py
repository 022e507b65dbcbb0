"""Bring the database schema up to date with the migrations (``migrations/``, Alembic).

``catalogue init`` and ``catalogue import`` (restoring a backup) both start here, so either
works on a brand-new, empty database.
"""

from __future__ import annotations

from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
"""The Alembic migrations of the schema."""


def upgrade_schema() -> None:
    """Create or migrate the schema of the app's database to the newest revision."""
    from flask_migrate import upgrade

    upgrade(directory=str(MIGRATIONS))
