"""Commit a use case's changes, then let the search index catch up.

The only ``commit()`` of the request path lives here. The change log rows were written by the
session listener in the same transaction (``app/models/changelog.py``); after the commit the
indexer applies them. A failure to index is logged and never fails the request: the change is
committed, and the next catch-up (on the next write or search) applies it.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app import search
from app.extensions import db
from app.services.errors import Conflict, PreconditionFailed

log = logging.getLogger(__name__)


def commit(conflict_message: str = "The change clashes with existing data.") -> None:
    """Commit the session; map races to 409/412; then bring the search index up to date."""
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict(conflict_message) from exc
    except StaleDataError as exc:
        db.session.rollback()
        raise PreconditionFailed(
            "The resource was changed by someone else meanwhile; read it again and retry."
        ) from exc
    search.catch_up_quietly()


def check_version(current: int, expected: int | None) -> None:
    """Raise PreconditionFailed unless the client's version is the current one."""
    if expected is not None and expected != current:
        raise PreconditionFailed(
            f"The resource is at version {current}, not {expected}: it was changed since you "
            "read it. Read it again, merge, and retry."
        )
