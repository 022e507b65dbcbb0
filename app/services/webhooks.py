"""Webhooks: register (the secret is shown once), fan history entries out into deliveries, and
deliver them with retries.

Nothing here runs inside a write: a change commits its history entries, and the webhook worker
(``flask --app wsgi webhooks run``) later reads them as the ``webhooks`` consumer of the event
log (``app/services/event_log.py``) and queues one delivery per webhook and event. Deliveries
are sent outside any transaction; a refused one is retried with a doubling wait, and a worker
killed mid-send lets its claim run out, so the delivery is sent again (at least once: receivers
tell repeats by ``X-Gjenbruk-Delivery``).
"""

from __future__ import annotations

import ipaddress
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from marshmallow import ValidationError
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.limits import MAX_WEBHOOKS_PER_ORGANISATION
from app.models import Adoption, HistoryEntry, Organisation, Solution
from app.models.base import as_utc, utcnow
from app.models.webhook import WEBHOOK_TOPICS, Webhook, WebhookDelivery
from app.schemas.webhook import WebhookCreateSchema
from app.services import event_log, webhook_sender
from app.services.errors import InvalidData, NotFound
from app.services.permissions import SYSTEM, Actor, require_acts_for
from app.services.references import get_organisation
from app.services.shared_plans import PLAN_STATUSES

CONSUMER = "webhooks"
"""This reader's name in ``log_positions``."""

SECRET_PREFIX = "gkwh_"  # noqa: S105 - a public marker, not a secret

EVENT_HEADER = "X-Gjenbruk-Event"
DELIVERY_HEADER = "X-Gjenbruk-Delivery"

RECENT_DELIVERIES = 20
"""Deliveries /min-side and the API show per webhook."""


# --- registering ------------------------------------------------------------------------------


def check_url(url: str) -> str:
    """Return ``url`` if a webhook may call it, or raise InvalidData naming ``url`` and why.

    HTTPS only, with a host and no user name or password in it; never the catalogue's own
    machine (loopback) or a link-local address. Tests (``WEBHOOK_ALLOW_LOOPBACK``) may use plain
    HTTP to a receiver on this machine. Names are resolved, and checked again, at each delivery.
    """
    allow_loopback = bool(current_app.config["WEBHOOK_ALLOW_LOOPBACK"])
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        _bad_url("Must be a URL like https://mottak.kommune.no/webhook.")
    host = (parts.hostname or "").lower()
    if not host:
        _bad_url("Must be a URL like https://mottak.kommune.no/webhook.")
    if parts.username or parts.password:
        _bad_url("Must not contain a user name or password; the signature authenticates.")
    if port == 0:
        _bad_url("Must not name port 0.")
    loopback = webhook_sender.is_loopback_name(host)
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        reason = webhook_sender.refused_reason(address, allow_loopback)
        if reason:
            _bad_url(f"Must not be an address that {reason}.")
        loopback = address.is_loopback
    elif loopback and not allow_loopback:
        _bad_url("Must not point at the catalogue's own machine (loopback).")
    if parts.scheme != "https" and not (parts.scheme == "http" and allow_loopback and loopback):
        _bad_url(
            "Must start with https:// (deliveries are signed, but only TLS keeps them private)."
        )
    return url


def _bad_url(message: str) -> None:
    raise InvalidData("Validation failed.", {"url": [message]})


def create_webhook(
    organisation_ref: str, data: dict[str, Any], *, actor: Actor = SYSTEM
) -> tuple[Webhook, str]:
    """Register a webhook for an organisation; return it and its signing secret."""
    organisation = get_organisation(organisation_ref)
    require_acts_for(actor, organisation.id, "manage webhooks")
    try:
        loaded = WebhookCreateSchema().load(data)
    except ValidationError as exc:
        raise InvalidData("Validation failed.", exc.normalized_messages()) from None  # type: ignore[arg-type]
    url = check_url(loaded["url"])
    count = db.session.scalar(
        select(func.count(Webhook.id)).where(Webhook.organisation_id == organisation.id)
    )
    if (count or 0) >= MAX_WEBHOOKS_PER_ORGANISATION:
        raise InvalidData(
            "Validation failed.",
            {"url": [f"An organisation has at most {MAX_WEBHOOKS_PER_ORGANISATION} webhooks."]},
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    topics = [topic for topic in WEBHOOK_TOPICS if topic in loaded["topics"]]
    event_log.ensure_position(CONSUMER)
    hook = Webhook(
        organisation=organisation,
        url=url,
        secret=secret,
        topics=topics,
        from_history_id=event_log.latest_entry_id(),
        created_by=_actor_name(actor),
    )
    db.session.add(hook)
    db.session.commit()
    return hook, secret


def _actor_name(actor: Actor) -> str:
    if actor.is_system:
        return "system"
    return actor.credential


def get_webhook(webhook_id: int, *, actor: Actor, organisation_ref: str | None = None) -> Webhook:
    """Return a webhook the actor may manage, or raise NotFound (others' do not exist).

    With ``organisation_ref`` (the API's URL), the webhook must also be that organisation's.
    """
    if organisation_ref is not None:
        organisation = get_organisation(organisation_ref)
        require_acts_for(actor, organisation.id, "manage webhooks")
    hook = db.session.get(Webhook, webhook_id) if _storable_id(webhook_id) else None
    if organisation_ref is not None and hook is not None:
        if hook.organisation_id != organisation.id:
            hook = None
    if hook is None or not actor.may_act_for(hook.organisation_id):
        raise NotFound(f"No webhook with id {webhook_id}.")
    return hook


def _storable_id(value: int) -> bool:
    """Return False for an id no row can have (a URL may carry any integer; the database
    refuses those past 64 bits with an error, not an empty answer)."""
    return 0 < value < 2**63


def list_webhooks(organisation_ref: str, *, actor: Actor = SYSTEM) -> list[Webhook]:
    """Return an organisation's webhooks, oldest first (only to whoever acts for it)."""
    organisation = get_organisation(organisation_ref)
    require_acts_for(actor, organisation.id, "see webhooks")
    return list(
        db.session.scalars(
            select(Webhook)
            .where(Webhook.organisation_id == organisation.id)
            .options(selectinload(Webhook.organisation))
            .order_by(Webhook.id)
        )
    )


def delete_webhook(
    webhook_id: int, *, actor: Actor, organisation_ref: str | None = None
) -> Webhook:
    """Remove a webhook and what is queued for it; return it (gone from the database)."""
    hook = get_webhook(webhook_id, actor=actor, organisation_ref=organisation_ref)
    db.session.execute(
        WebhookDelivery.__table__.delete().where(WebhookDelivery.webhook_id == hook.id)
    )
    db.session.delete(hook)
    db.session.commit()
    return hook


def recent_deliveries(webhook: Webhook, limit: int = RECENT_DELIVERIES) -> list[WebhookDelivery]:
    """Return a webhook's newest deliveries."""
    return list(
        db.session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == webhook.id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )


def pending_count(webhook: Webhook) -> int:
    """Return how many deliveries wait to be sent to a webhook."""
    return int(
        db.session.scalar(
            select(func.count(WebhookDelivery.id)).where(
                WebhookDelivery.webhook_id == webhook.id, WebhookDelivery.status == "pending"
            )
        )
        or 0
    )


def ping(webhook_id: int, *, actor: Actor, organisation_ref: str | None = None) -> WebhookDelivery:
    """Queue a ``ping`` to a webhook, so its owner can see the receiver works."""
    hook = get_webhook(webhook_id, actor=actor, organisation_ref=organisation_ref)
    delivery = _delivery(
        hook, "ping", None, {"message": "Gjenbrukskatalogen sier hei.", "url": hook.url}
    )
    db.session.add(delivery)
    db.session.commit()
    return delivery


def retry_delivery(
    webhook_id: int, delivery_id: int, *, actor: Actor, organisation_ref: str | None = None
) -> WebhookDelivery:
    """Send a delivery again from now (a failed one gets a fresh round of attempts)."""
    hook = get_webhook(webhook_id, actor=actor, organisation_ref=organisation_ref)
    delivery = db.session.get(WebhookDelivery, delivery_id) if _storable_id(delivery_id) else None
    if delivery is None or delivery.webhook_id != hook.id:
        raise NotFound(f"No delivery with id {delivery_id} for webhook {webhook_id}.")
    if delivery.status != "delivered":
        delivery.status = "pending"
        delivery.attempts = 0
        delivery.next_attempt_at = utcnow()
        delivery.claimed_until = None
        db.session.commit()
    return delivery


# --- from history entries to deliveries -------------------------------------------------------


@dataclass(frozen=True)
class _Event:
    """One thing one organisation is told of."""

    organisation_slug: str
    topic: str
    name: str
    data: dict[str, Any]


def _entry_data(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "entity_type": entry.entity_type,
        "action": entry.action,
        "solution": {"slug": entry.solution_slug, "name": entry.label},
        "changes": entry.changes,
        "snapshot": entry.snapshot,
        "version": entry.version,
        "actor": {"name": entry.actor_name, "organisation": entry.actor_organisation},
    }


def _events(
    entry: HistoryEntry, owners: dict[int, str], plans: dict[int, list[str]]
) -> list[_Event]:
    """Return who is told what of one history entry."""
    snapshot = entry.snapshot or {}
    if entry.entity_type == "solution":
        told = {snapshot.get("owner"), *(entry.changes.get("owner") or [])}
        data = _entry_data(entry)
        return [
            _Event(slug, "solutions", f"solution.{entry.action}", data)
            for slug in sorted(s for s in told if s)
        ]
    if entry.entity_type != "adoption":
        return []
    adopter = snapshot.get("organisation")
    owner = owners.get(entry.solution_id or 0)
    data = _entry_data(entry)
    events = [
        _Event(slug, "adoptions", f"adoption.{entry.action}", {**data, "role": role})
        for slug, role in ((adopter, "adopter"), (owner, "owner"))
        if slug and not (role == "owner" and slug == adopter)
    ]
    joined_plan = (
        entry.action != "deleted"
        and snapshot.get("status") in PLAN_STATUSES
        and (entry.action == "created" or "status" in entry.changes)
    )
    partners = plans.get(entry.solution_id or 0, [])
    if joined_plan and adopter in partners and len(partners) >= 2:
        match = {
            "solution": {"slug": entry.solution_slug, "name": entry.label},
            "joined": {
                "organisation": adopter,
                "status": snapshot.get("status"),
                "wanted_on": snapshot.get("wanted_on"),
            },
            "partners": partners,
        }
        events += [_Event(slug, "plans", "plan.matched", match) for slug in partners]
    return events


def _owners_and_plans(solution_ids: set[int]) -> tuple[dict[int, str], dict[int, list[str]]]:
    owners = dict(
        db.session.execute(
            select(Solution.id, Organisation.slug)
            .join(Organisation, Solution.owner_id == Organisation.id)
            .where(Solution.id.in_(solution_ids))
        ).all()
    )
    plans: dict[int, list[str]] = {}
    rows = db.session.execute(
        select(Adoption.solution_id, Organisation.slug)
        .join(Organisation, Adoption.organisation_id == Organisation.id)
        .where(Adoption.solution_id.in_(solution_ids), Adoption.status.in_(PLAN_STATUSES))
        .order_by(Organisation.slug)
    )
    for solution_id, slug in rows:
        plans.setdefault(solution_id, []).append(slug)
    return owners, plans


def queue_entries(entries: list[HistoryEntry]) -> None:
    """The ``webhooks`` consumer: queue a delivery per webhook that follows an entry's event."""
    relevant = [e for e in entries if e.entity_type in ("solution", "adoption")]
    if not relevant:
        return
    hooks_by_slug: dict[str, list[Webhook]] = {}
    for hook in db.session.scalars(select(Webhook).options(selectinload(Webhook.organisation))):
        hooks_by_slug.setdefault(hook.organisation.slug, []).append(hook)
    if not hooks_by_slug:
        return
    owners, plans = _owners_and_plans({e.solution_id for e in relevant if e.solution_id})
    for entry in relevant:
        for event in _events(entry, owners, plans):
            for hook in hooks_by_slug.get(event.organisation_slug, []):
                if event.topic in hook.topics and entry.id > hook.from_history_id:
                    db.session.add(_delivery(hook, event.name, entry, event.data))


def _delivery(
    hook: Webhook, event: str, entry: HistoryEntry | None, data: dict[str, Any]
) -> WebhookDelivery:
    occurred = entry.created_at if entry is not None else utcnow()
    body = {
        "event": event,
        "occurred_at": as_utc(occurred).isoformat(),
        "organisation": hook.organisation.slug,
        "history_id": entry.id if entry is not None else None,
        "data": data,
    }
    return WebhookDelivery(
        webhook_id=hook.id,
        event=event,
        history_id=entry.id if entry is not None else None,
        body=json.dumps(body, ensure_ascii=False, sort_keys=True, default=str),
        status="pending",
        attempts=0,
        next_attempt_at=utcnow(),
        last_error="",
    )


event_log.register(CONSUMER, queue_entries)


# --- delivering -------------------------------------------------------------------------------


def retry_delay(attempts: int) -> timedelta:
    """Return the wait after the ``attempts``-th refused attempt (doubling, capped)."""
    config = current_app.config
    base = float(config["WEBHOOK_RETRY_BASE_SECONDS"])
    return timedelta(
        seconds=min(base * 2 ** max(attempts - 1, 0), float(config["WEBHOOK_RETRY_MAX_SECONDS"]))
    )


def retry_window() -> timedelta:
    """Return how long after its first attempt a refused delivery gets its last one."""
    attempts = int(current_app.config["WEBHOOK_MAX_ATTEMPTS"])
    return sum((retry_delay(n) for n in range(1, max(attempts, 1))), timedelta())


def _due(now: datetime, limit: int) -> list[int]:
    return list(
        db.session.scalars(
            select(WebhookDelivery.id)
            .where(
                WebhookDelivery.status == "pending",
                WebhookDelivery.next_attempt_at <= now,
                or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until < now),
            )
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(limit)
        )
    )


def _claim(delivery_id: int, now: datetime) -> bool:
    """Take a delivery for this worker until its claim runs out; False if another has it."""
    claim = now + timedelta(seconds=float(current_app.config["WEBHOOK_CLAIM_SECONDS"]))
    result = db.session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.status == "pending",
            or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until < now),
        )
        .values(claimed_until=claim, attempts=WebhookDelivery.attempts + 1)
    )
    db.session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def deliver_one(delivery_id: int) -> bool | None:
    """Send one due delivery; return True (taken), False (refused, retried later) or None
    (another worker has it)."""
    now = utcnow()
    if not _claim(delivery_id, now):
        return None
    delivery = db.session.get(WebhookDelivery, delivery_id)
    assert delivery is not None
    hook = delivery.webhook
    # Read all the send needs now: after the commit, touching the rows would load them again
    # and leave a transaction open while the receiver is asked.
    url, secret, event, body = hook.url, hook.secret, delivery.event, delivery.body.encode()
    config = current_app.config
    db.session.commit()
    answer = webhook_sender.send(
        url,
        body,
        {
            EVENT_HEADER: event,
            DELIVERY_HEADER: str(delivery_id),
            webhook_sender.SIGNATURE_HEADER: webhook_sender.signature(secret, body),
        },
        timeout=float(config["WEBHOOK_TIMEOUT_SECONDS"]),
        allow_loopback=bool(config["WEBHOOK_ALLOW_LOOPBACK"]),
    )
    done = utcnow()
    delivery.response_status = answer.status
    delivery.last_error = answer.error[:500]
    delivery.claimed_until = None
    if answer.delivered:
        delivery.status = "delivered"
        delivery.delivered_at = done
    elif delivery.attempts >= int(config["WEBHOOK_MAX_ATTEMPTS"]):
        delivery.status = "failed"
    else:
        delivery.next_attempt_at = done + retry_delay(delivery.attempts)
    hook.last_attempt_at = done
    hook.last_outcome = "delivered" if answer.delivered else "refused"
    hook.last_response = answer.status
    hook.last_error = answer.error[:500]
    db.session.commit()
    return answer.delivered


def deliver_due(limit: int = 100) -> dict[str, int]:
    """Send the deliveries that are due now; return how many were taken and refused."""
    db.session.rollback()
    counts = {"delivered": 0, "refused": 0}
    for delivery_id in _due(utcnow(), limit):
        outcome = deliver_one(delivery_id)
        if outcome is not None:
            counts["delivered" if outcome else "refused"] += 1
    return counts


def work_once() -> dict[str, int]:
    """Queue what the history holds, then send what is due: one round of the worker."""
    queued_entries = event_log.drain(CONSUMER)
    return {"entries": queued_entries, **deliver_due()}
