"""Commit a use case's changes, then let the search index catch up.

The only ``commit()`` of the request path lives here. The change log rows and the history entries
are written by session listeners in the same transaction (``app/models/changelog.py``,
``app/models/history_listeners.py``); after the commit the indexer applies the change log. A failure
to index is logged and never fails the request: the change is committed, and the next catch-up (on
the next write or search) applies it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app import search
from app.extensions import db
from app.models.history_listeners import set_actor
from app.services.errors import Conflict, DomainError, PreconditionFailed, PreconditionRequired
from app.services.permissions import Actor, actor_record

log = logging.getLogger(__name__)


def commit(
    conflict_message: str = "The change clashes with existing data.", *, actor: Actor | None
) -> None:
    """Commit the session; map races to 409/412; then bring the search index up to date.

    ``actor`` is who made the change: the history entries written in the same transaction
    (``app/models/history_listeners.py``) name them. ``None`` is the system (CLI, data loader). It
    is a required keyword, so no use case can forget to say who acted.
    """
    set_actor(db.session, actor_record(actor))
    session = db.session()
    # Keep what was committed loaded: the caller answers with it (its version is the one this
    # change produced). Expired, it would be read again and could show a change another
    # worker committed a moment later, with that change's version.
    session.expire_on_commit = False
    try:
        session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict(conflict_message) from exc
    except StaleDataError as exc:
        db.session.rollback()
        raise PreconditionFailed(
            "The resource was changed by someone else meanwhile; read it again and retry."
        ) from exc
    finally:
        session.expire_on_commit = True
    _reload_collections(session)
    # The catch-up reads (and rolls back) in a session of its own, so it leaves the committed
    # objects of this session as they are.
    with current_app.app_context():
        search.catch_up_quietly()


def _reload_collections(session: Session) -> None:
    """Expire the loaded collections, so they are read again in their order (tags by name…).

    Set in memory they hold the order a client sent; the columns stay as committed.
    """
    for obj in list(session.identity_map.values()):
        state = inspect(obj)
        loaded = [
            rel.key for rel in state.mapper.relationships if rel.uselist and rel.key in state.dict
        ]
        if loaded:
            session.expire(obj, loaded)


def flush(conflict_message: str) -> None:
    """Flush the session (new rows get their ids); a clash with a concurrent write is a 409.

    A use case looks for a duplicate before it adds a row, but another request can insert the
    same row between that look and this flush; the unique constraint then refuses it, and the
    client hears the same Conflict as when the duplicate was there first (not a 500).
    """
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict(conflict_message) from exc


@contextmanager
def all_or_nothing() -> Iterator[None]:
    """Roll the session back when a use case fails halfway through changing objects.

    A half-applied change (say, a new solution whose theme turned out unknown) must not be
    flushed by whatever query runs next, e.g. while the web form is shown again with its errors.
    """
    try:
        yield
    except DomainError:
        db.session.rollback()
        raise


def check_version(current: int, expected: int | None) -> None:
    """Raise unless the client names the current version of what it changes.

    ``None`` (the client sent no version, e.g. no If-Match) is PreconditionRequired; any other
    version is PreconditionFailed. Versions start at 1, so 0 stands for "a version that never
    matches" (an If-Match that names no version of ours). Services call this after the
    permission check, so a client that may not make the change hears that first.
    """
    if expected is None:
        raise PreconditionRequired(
            "This change needs the version you last read: send the resource's ETag in If-Match."
        )
    if expected != current:
        raise PreconditionFailed(
            f"The resource is at version {current}, and your If-Match names another: it was "
            "changed since you read it. Read it again, merge, and retry."
        )
