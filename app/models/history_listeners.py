"""The session listeners that write the history (``app/models/history.py``) on flush.

Recorded once, centrally, beside the change log, so no use case (API, web form, import,
restore) can forget it:

1. ``after_flush`` notes which solutions, adoptions, benefits and organisations the flush
   added, changed or deleted; ``before_flush`` keeps the last state of what is being deleted
   (after the flush its rows, and its themes, are gone).
2. ``before_commit`` flushes what is left, takes a snapshot of each noted object as it now
   stands (``app/models/snapshots.py``), compares it with the snapshot of that object's
   previous entry, and writes one ``history`` row per object and transaction, in the same
   transaction as the change. Several flushes of one use case (a build that flushes, then
   the commit) make one entry.

Who acted is not read from the request: the service layer's ``commit(actor=…)`` puts it in
``session.info`` just before committing (``set_actor``). A commit without one is the system
(the CLI, the data loader).

The listeners are registered on import; ``app/models/__init__.py`` imports this module, so
they are registered once, with the models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, insert, select, text
from sqlalchemy.orm import Session, UOWTransaction

from app.models.base import utcnow
from app.models.changelog import CHANGE_LOG_LOCK
from app.models.history import ACTOR_KEY, RESTORE_KEY, HistoryEntry
from app.models.snapshots import (
    adoption_snapshot,
    benefit_snapshot,
    cost_snapshot,
    diff,
    measurement_snapshot,
    organisation_snapshot,
    solution_snapshot,
)

_PENDING_KEY = "gk_history_pending"


@dataclass
class _Noted:
    """One object a transaction changed, until the commit writes its entry."""

    entity_type: str
    obj: Any
    created: bool = False
    deleted: bool = False
    last_state: dict[str, Any] | None = None
    context: dict[str, Any] = field(default_factory=dict)


def _entity_type(obj: Any) -> str | None:
    from app.models.adoption import Adoption
    from app.models.benefit import Benefit, BenefitMeasurement
    from app.models.cost import AdoptionCost
    from app.models.organisation import Organisation
    from app.models.solution import Solution

    for model, name in (
        (Solution, "solution"),
        (Adoption, "adoption"),
        (Benefit, "benefit"),
        (BenefitMeasurement, "measurement"),
        (AdoptionCost, "cost"),
        (Organisation, "organisation"),
    ):
        if isinstance(obj, model):
            return name
    return None


def _snapshot(entity_type: str, obj: Any) -> dict[str, Any]:
    return {
        "solution": solution_snapshot,
        "adoption": adoption_snapshot,
        "benefit": benefit_snapshot,
        "measurement": measurement_snapshot,
        "cost": cost_snapshot,
        "organisation": organisation_snapshot,
    }[entity_type](obj)


def _context(entity_type: str, obj: Any) -> dict[str, Any]:
    """Return the solution an object belongs to, and a label for the history page."""
    if entity_type == "solution":
        return {"solution": obj, "label": obj.name}
    if entity_type == "adoption":
        return {"solution": obj.solution, "label": obj.organisation.name}
    if entity_type in ("benefit", "cost"):
        adoption = obj.adoption
        return {"solution": adoption.solution, "label": adoption.organisation.name}
    if entity_type == "measurement":
        adoption = obj.benefit.adoption
        return {"solution": adoption.solution, "label": adoption.organisation.name}
    return {"solution": None, "label": obj.name}


def _pending(session: Session) -> dict[tuple[str, int], _Noted]:
    pending: dict[tuple[str, int], _Noted] = session.info.setdefault(_PENDING_KEY, {})
    return pending


@event.listens_for(Session, "before_flush")
def _keep_last_state(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    """Snapshot what is about to be deleted while its rows (and its themes) still exist."""
    if not session.deleted:
        return
    with session.no_autoflush:
        for obj in session.deleted:
            entity_type = _entity_type(obj)
            if entity_type is None or obj.id is None:
                continue
            noted = _pending(session).setdefault(
                (entity_type, obj.id), _Noted(entity_type=entity_type, obj=obj)
            )
            noted.last_state = _snapshot(entity_type, obj)
            noted.context = _context(entity_type, obj)
            noted.context["solution_id"] = getattr(noted.context["solution"], "id", None)
            noted.context["solution_slug"] = getattr(noted.context["solution"], "slug", None)


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, flush_context: UOWTransaction) -> None:
    """Note every followed object this flush added, changed or deleted."""
    from app.models.solution import SolutionTag

    pending = _pending(session)
    tag_owners: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, SolutionTag):
            tag_owners.add(obj.solution_id)
            continue
        entity_type = _entity_type(obj)
        if entity_type is None:
            continue
        if obj in session.dirty and not session.is_modified(obj):
            continue
        noted = pending.setdefault((entity_type, obj.id), _Noted(entity_type=entity_type, obj=obj))
        noted.obj = obj
        if obj in session.new:
            noted.created = True
        if obj in session.deleted:
            noted.deleted = True
    if tag_owners:
        # A tag added or removed changes its solution even when the solution row did not.
        from app.models.solution import Solution

        for solution_id in tag_owners:
            if ("solution", solution_id) not in pending:
                solution = session.get(Solution, solution_id)
                if solution is not None:
                    pending[("solution", solution_id)] = _Noted("solution", solution)


def set_actor(session: Session, actor: dict[str, Any] | None) -> None:
    """Attribute the session's next commit to ``actor`` (keys: type, user_id, token_id, …)."""
    session.info[ACTOR_KEY] = actor


def _actor_columns(session: Session) -> dict[str, Any]:
    """Return the actor columns of the entries of this commit, with names copied in."""
    from app.models.organisation import Organisation
    from app.models.token import ApiToken
    from app.models.user import User

    actor = session.info.get(ACTOR_KEY) or {"type": "system"}
    columns: dict[str, Any] = {
        "actor_type": actor.get("type", "system"),
        "user_id": actor.get("user_id"),
        "token_id": actor.get("token_id"),
        "actor_name": "",
        "actor_organisation_id": actor.get("organisation_id"),
        "actor_organisation": "",
    }
    if columns["user_id"] is not None:
        user = session.get(User, columns["user_id"])
        columns["actor_name"] = user.display_name if user else ""
    elif columns["token_id"] is not None:
        token = session.get(ApiToken, columns["token_id"])
        columns["actor_name"] = token.name if token else ""
    if columns["actor_organisation_id"] is not None:
        organisation = session.get(Organisation, columns["actor_organisation_id"])
        columns["actor_organisation"] = organisation.name if organisation else ""
    return columns


def _previous_snapshots(
    session: Session, keys: list[tuple[str, int]]
) -> dict[tuple[str, int], Any]:
    """Return the snapshot of the latest entry of each object (one query per entity type)."""
    found: dict[tuple[str, int], Any] = {}
    by_type: dict[str, list[int]] = {}
    for entity_type, entity_id in keys:
        by_type.setdefault(entity_type, []).append(entity_id)
    table = HistoryEntry.__table__
    for entity_type, ids in by_type.items():
        for start in range(0, len(ids), 500):
            rows = session.connection().execute(
                select(table.c.entity_id, table.c.snapshot)
                .where(
                    table.c.entity_type == entity_type,
                    table.c.entity_id.in_(ids[start : start + 500]),
                )
                .order_by(table.c.id)
            )
            for entity_id, snapshot in rows:
                found[(entity_type, entity_id)] = snapshot  # ordered by id: the last one wins
    return found


@event.listens_for(Session, "before_commit")
def _write_entries(session: Session) -> None:
    """Write one history row for each object the transaction changed."""
    # Commit calls this hook before its own final flush: flush here, so the changes of that
    # flush are noted too and the snapshots below are the state being committed.
    if session.new or session.dirty or session.deleted:
        session.flush()
    if not session.info.get(_PENDING_KEY):
        session.info.pop(ACTOR_KEY, None)
        session.info.pop(RESTORE_KEY, None)
        return
    pending: dict[tuple[str, int], _Noted] = session.info.pop(_PENDING_KEY, {})
    restored_from = session.info.pop(RESTORE_KEY, None)
    deleted_solutions = {
        entity_id for (kind, entity_id), n in pending.items() if kind == "solution" and n.deleted
    }
    # An object created and deleted in one transaction never existed for anyone else.
    noted = [(key, n) for key, n in pending.items() if not (n.created and n.deleted)]
    previous = _previous_snapshots(session, [key for key, _ in noted])
    now = utcnow()
    rows: list[dict[str, Any]] = []
    with session.no_autoflush:
        for (entity_type, entity_id), item in noted:
            if item.deleted:
                if item.last_state is None:
                    continue  # deleted by a cascade the flush found: its parent's entry says it
                context = item.context
                if entity_type != "solution" and context.get("solution_id") in deleted_solutions:
                    continue  # the solution's own entry stands for its adoptions and benefits
                snapshot = item.last_state
                changes = diff(previous.get((entity_type, entity_id), snapshot), None)
                action = "deleted"
                version = None
            else:
                snapshot = _snapshot(entity_type, item.obj)
                context = _context(entity_type, item.obj)
                context["solution_id"] = getattr(context["solution"], "id", None)
                context["solution_slug"] = getattr(context["solution"], "slug", None)
                before = None if item.created else previous.get((entity_type, entity_id))
                changes = diff(before, snapshot)
                if item.created:
                    action = "created"
                elif entity_type == "solution" and restored_from is not None:
                    action = "restored"
                elif entity_type == "solution" and changes.get("is_draft") == [True, False]:
                    action = "published"
                else:
                    action = "updated"
                if not changes and action == "updated":
                    continue  # touched, nothing changed (e.g. a PUT of the same values)
                version = getattr(item.obj, "version", None)
            rows.append(
                {
                    "created_at": now,
                    "entity_type": entity_type,
                    "entity_id": entity_id,
                    "solution_id": context.get("solution_id"),
                    "solution_slug": context.get("solution_slug"),
                    "label": (context.get("label") or "")[:300],
                    "action": action,
                    "changes": changes,
                    "snapshot": snapshot,
                    "version": version,
                    "restored_from_id": restored_from if action == "restored" else None,
                }
            )
        if rows:
            _serialise_history_writers(session)
            actor = _actor_columns(session)
            session.connection().execute(insert(HistoryEntry), [{**row, **actor} for row in rows])
    session.info.pop(ACTOR_KEY, None)


def _serialise_history_writers(session: Session) -> None:
    """On PostgreSQL, hold the change-log lock from taking history ids to the commit.

    The history is also an event log that readers follow by id (``app/services/event_log.py``);
    like the change log's seqs, its ids must commit in order, or a reader that has seen id 11
    would skip an id 10 that commits later. Transactions that touch searched objects already
    hold the lock (taken again here, which PostgreSQL allows); a benefit or cost takes it here.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.connection().execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHANGE_LOG_LOCK}
        )


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    """Drop what a rolled-back transaction noted; its changes never happened."""
    session.info.pop(_PENDING_KEY, None)
    session.info.pop(ACTOR_KEY, None)
    session.info.pop(RESTORE_KEY, None)
