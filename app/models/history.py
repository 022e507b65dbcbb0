"""The history (audit trail): who changed what, when, with the values before and after.

Recorded once, centrally, by session listeners beside the change log, so no use case (API, web
form, import, restore) can forget it:

1. ``after_flush`` notes which solutions, adoptions, benefits and organisations the flush
   added, changed or deleted; ``before_flush`` keeps the last state of what is being deleted
   (after the flush its rows, and its themes, are gone).
2. ``before_commit`` flushes what is left, takes a snapshot of each noted object as it now
   stands, compares it with the snapshot of that object's previous entry, and writes one
   ``history`` row per object and transaction, in the same transaction as the change. Several
   flushes of one use case (a build that flushes, then the commit) make one entry.

Who acted is not read from the request: the service layer's ``commit(actor=…)`` puts it in
``session.info`` just before committing (``set_actor``). A commit without one is the system
(the CLI, the data loader).

The rows keep copies (slug, names, the acting person's name) and have no foreign keys, so the
history outlives a deleted solution, a revoked token or a renamed organisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Index,
    Integer,
    String,
    event,
    insert,
    select,
    text,
)
from sqlalchemy.orm import Mapped, Session, UOWTransaction, mapped_column

from app.extensions import db
from app.models.base import utcnow
from app.models.changelog import CHANGE_LOG_LOCK

HISTORY_ACTIONS = ("created", "updated", "published", "restored", "deleted")
"""What an entry did to its object; ``published`` is a draft made public."""

ENTITY_TYPES = ("solution", "adoption", "benefit", "measurement", "cost", "organisation")
"""The kinds of object the history follows."""

ACTOR_KEY = "gk_history_actor"
"""``session.info`` key of whoever the next commit is attributed to."""

RESTORE_KEY = "gk_history_restored_from"
"""``session.info`` key of the entry a restore copies (the next solution entry says so)."""

_PENDING_KEY = "gk_history_pending"


class HistoryEntry(db.Model):
    """One change of one object, with its snapshot afterwards and the fields that changed."""

    __tablename__ = "history"
    __table_args__ = (
        # The listener looks up each changed object's previous entry by these two.
        Index("ix_history_entity", "entity_type", "entity_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    entity_type: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column(Integer)
    # The solution the change belongs to (itself, or the one an adoption/benefit is about).
    solution_id: Mapped[int | None] = mapped_column(Integer, index=True)
    solution_slug: Mapped[str | None] = mapped_column(String(120), index=True)
    label: Mapped[str] = mapped_column(String(300), default="")
    action: Mapped[str] = mapped_column(String(20))
    # {"field": [old, new]}; nested fields are dotted ("links.homepage", "contact.email").
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The whole object after the change (before it, for a deletion): what a restore copies.
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    version: Mapped[int | None] = mapped_column(Integer)
    restored_from_id: Mapped[int | None] = mapped_column(BigInteger)
    actor_type: Mapped[str] = mapped_column(String(10))  # user | token | system
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    token_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(300), default="")
    actor_organisation_id: Mapped[int | None] = mapped_column(Integer)
    actor_organisation: Mapped[str] = mapped_column(String(200), default="")

    def __repr__(self) -> str:
        return f"<HistoryEntry {self.id} {self.action} {self.entity_type}:{self.entity_id}>"


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def snapshot_amount(value: Decimal | float | None) -> str | None:
    """Return a number as snapshots keep it: two decimals, as the columns store them (120,
    120.0 in memory and 120.00 read back are one value, never a change)."""
    return None if value is None else format(Decimal(str(value)).quantize(Decimal("0.01")), "f")


_amount = snapshot_amount


def solution_snapshot(solution: Any) -> dict[str, Any]:
    """Return a solution as its history keeps it: the shape of the API's solution body."""
    return {
        "name": solution.name,
        "summary": solution.summary,
        "description": solution.description or "",
        "kind": solution.kind,
        "status": solution.status,
        "owner": solution.owner.slug if solution.owner else None,
        "themes": sorted(theme.slug for theme in solution.themes),
        "standards": sorted(standard.slug for standard in solution.standards),
        "tags": sorted(row.tag for row in solution.tag_rows),
        "vendor": solution.vendor,
        "vendor_organisation": (
            solution.vendor_organisation.slug if solution.vendor_organisation else None
        ),
        "licence": solution.licence,
        "links": {
            "homepage": solution.homepage_url,
            "documentation": solution.documentation_url,
            "source_code": solution.source_code_url,
        },
        "contact": {
            "name": solution.contact_name,
            "role": solution.contact_role,
            "email": solution.contact_email,
        },
        "adoption_cost": {
            "one_off_nok": _amount(solution.adoption_one_off_cost),
            "yearly_nok": _amount(solution.adoption_yearly_cost),
            "effort_hours": _amount(solution.adoption_effort_hours),
            "lead_time_weeks": solution.adoption_lead_time_weeks,
        },
        "retired_reason": getattr(solution, "retired_reason", None),
        "based_on": solution.based_on.slug if getattr(solution, "based_on", None) else None,
        "based_on_kind": getattr(solution, "based_on_kind", None),
        "is_draft": bool(getattr(solution, "is_draft", False)),
    }


def adoption_snapshot(adoption: Any) -> dict[str, Any]:
    """Return an adoption as its history keeps it."""
    return {
        "organisation": adoption.organisation.slug,
        "status": adoption.status,
        "since": _iso(adoption.since),
        "wanted_on": _iso(adoption.wanted_on),
        "notes": adoption.notes or "",
        "contact": {
            "name": adoption.contact_name,
            "role": adoption.contact_role,
            "email": adoption.contact_email,
        },
    }


def benefit_snapshot(benefit: Any) -> dict[str, Any]:
    """Return a benefit as its history keeps it."""
    return {
        "organisation": benefit.adoption.organisation.slug,
        "category": benefit.category,
        "unit": benefit.unit,
        "description": benefit.description or "",
        "baseline": _amount(benefit.baseline),
        "expected_value": _amount(benefit.expected_value),
        "realised_value": _amount(benefit.realised_value),
        "measured_on": _iso(benefit.measured_on),
        "method": benefit.method or "",
        "is_measured": bool(benefit.is_measured),
        "owner": benefit.owner or "",
        "indicator": benefit.indicator or "",
        "baseline_on": _iso(benefit.baseline_on),
        "target_on": _iso(benefit.target_on),
        "freed_time_use": benefit.freed_time_use or "",
        "review_on": _iso(benefit.review_on),
    }


def measurement_snapshot(measurement: Any) -> dict[str, Any]:
    """Return a measurement of a benefit as its history keeps it."""
    return {
        "organisation": measurement.benefit.adoption.organisation.slug,
        "benefit": measurement.benefit_id,
        "measured_on": _iso(measurement.measured_on),
        "value": _amount(measurement.value),
        "is_measured": bool(measurement.is_measured),
        "note": measurement.note or "",
    }


SHARE_PLACES = Decimal("0.000001")


def cost_snapshot(cost: Any) -> dict[str, Any]:
    """Return a cost of an adoption as its history keeps it."""
    return {
        "organisation": cost.adoption.organisation.slug,
        "kind": cost.kind,
        "category": cost.category,
        "unit": cost.unit,
        "amount": _amount(cost.amount),
        "effort_hours": _amount(cost.effort_hours),
        "payer": cost.payer,
        "payer_organisation": cost.payer_organisation.slug if cost.payer_organisation else None,
        "funding_source": cost.funding_source or "",
        "incurred_on": _iso(cost.incurred_on),
        "ends_on": _iso(cost.ends_on),
        "split_rule": cost.split_rule,
        "shares": {
            share.organisation.slug: format(
                Decimal(share.fraction).quantize(Decimal("0.000001")), "f"
            )
            for share in cost.shares
        },
        "description": cost.description or "",
    }


def organisation_snapshot(organisation: Any) -> dict[str, Any]:
    """Return an organisation as its history keeps it."""
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "kind": organisation.kind,
        "kommunenummer": organisation.kommunenummer,
        "orgnr": organisation.orgnr,
        "website": organisation.website,
        "email": organisation.email,
        "population": organisation.population,
        "members": sorted(m.kommunenummer or m.slug for m in organisation.members),
    }


def flatten(snapshot: dict[str, Any] | None, prefix: str = "") -> dict[str, Any]:
    """Return ``{"links.homepage": …}`` from ``{"links": {"homepage": …}}``."""
    flat: dict[str, Any] = {}
    for key, value in (snapshot or {}).items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list[Any]]:
    """Return ``{field: [old, new]}`` for every field whose value differs."""
    old, new = flatten(before), flatten(after)
    return {
        name: [old.get(name), new.get(name)]
        for name in sorted(set(old) | set(new))
        if old.get(name) != new.get(name)
    }


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
