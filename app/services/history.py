"""Read the history of a solution, and restore an earlier version of it.

The entries are written centrally by the session listeners in ``app/models/history_listeners.py``;
the one ``commit(actor=…)`` of ``app/services/transaction.py`` tells them who acted. This module
only reads them, checks who may see them (a draft's history is as private as the draft), and turns
an entry's snapshot back into a change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select

from app.extensions import db
from app.models import Solution
from app.models.history import RESTORE_KEY, HistoryEntry
from app.services.errors import InvalidData, NotFound
from app.services.permissions import Actor, require_admin


@dataclass
class SolutionHistory:
    """The entries of one solution, newest first; ``solution`` is None once it is deleted."""

    slug: str
    name: str
    solution: Solution | None
    entries: list[HistoryEntry]


def _may_see(viewer: Actor | None, owner_slug: str | None, owner_id: int | None) -> bool:
    if viewer is None:
        return False
    if viewer.is_admin:
        return True
    if owner_id is not None:
        return viewer.organisation_id == owner_id
    return owner_slug is not None and viewer.organisation_slug == owner_slug


def solution_history(slug: str, *, viewer: Actor | None = None) -> SolutionHistory:
    """Return the history of the solution with this slug, also after it was deleted.

    A draft's history (and a deleted draft's) is shown only to its organisation and admins;
    everyone else gets NotFound, as for the draft itself.
    """
    from app.services.solutions import find_solution

    solution = find_solution(slug, viewer=viewer)
    if solution is not None:
        solution_id, name = solution.id, solution.name
    else:
        last = db.session.scalar(
            select(HistoryEntry)
            .where(HistoryEntry.entity_type == "solution", HistoryEntry.solution_slug == slug)
            .order_by(HistoryEntry.id.desc())
            .limit(1)
        )
        if last is None or last.action != "deleted":
            raise NotFound(f"No solution with slug '{slug}'.")
        snapshot = last.snapshot or {}
        if snapshot.get("is_draft") and not _may_see(viewer, snapshot.get("owner"), None):
            raise NotFound(f"No solution with slug '{slug}'.")
        solution_id, name = last.entity_id, str(snapshot.get("name") or slug)
    entries = list(
        db.session.scalars(
            select(HistoryEntry)
            .where(HistoryEntry.solution_id == solution_id)
            .order_by(HistoryEntry.id.desc())
        )
    )
    return SolutionHistory(slug=slug, name=name, solution=solution, entries=entries)


def snapshot_at(entity_type: str, entity_id: int, version: int) -> dict[str, Any] | None:
    """Return the snapshot of an object as it was at ``version`` (None if not recorded)."""
    entry = db.session.scalar(
        select(HistoryEntry)
        .where(
            HistoryEntry.entity_type == entity_type,
            HistoryEntry.entity_id == entity_id,
            HistoryEntry.version == version,
        )
        .order_by(HistoryEntry.id.desc())
        .limit(1)
    )
    return entry.snapshot if entry is not None else None


def restore_version(
    slug: str, entry_id: int, *, actor: Actor, expected_version: int | None
) -> Solution:
    """Make a solution as it was after the history entry ``entry_id`` (admins only).

    The restore is an ordinary change, checked like any other (the version rule, the
    references still existing), and recorded as a new entry that names the one it copied.
    The draft state stays as it is now: restoring never hides or publishes a solution.
    """
    from app.schemas.solution import SolutionSchema
    from app.services.solutions import get_solution, update_solution

    require_admin(actor, "restore earlier versions")
    solution = get_solution(slug, viewer=actor)
    entry = db.session.get(HistoryEntry, entry_id)
    if (
        entry is None
        or entry.entity_type != "solution"
        or entry.entity_id != solution.id
        or not entry.snapshot
        or entry.action == "deleted"
    ):
        raise NotFound(f"The solution '{slug}' has no version {entry_id} to restore.")
    snapshot = {key: value for key, value in entry.snapshot.items() if key != "is_draft"}
    try:
        data = SolutionSchema().load(snapshot)
    except ValidationError as exc:
        messages = exc.normalized_messages()
        raise InvalidData("The earlier version is no longer valid.", messages) from None  # type: ignore[arg-type]
    data["is_draft"] = solution.is_draft
    db.session.info[RESTORE_KEY] = entry.id
    try:
        return update_solution(
            slug, data, actor=actor, expected_version=expected_version, partial=False
        )
    finally:
        db.session.info.pop(RESTORE_KEY, None)
