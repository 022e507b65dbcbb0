"""API tokens: create (shown once), authenticate, revoke."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import TOKEN_ROLES, ApiToken
from app.models.base import as_utc, utcnow
from app.schemas.token import TokenNameSchema
from app.services.errors import InvalidData, NotAuthenticated, NotFound
from app.services.permissions import SYSTEM, Actor, require_acts_for, require_admin
from app.services.references import get_organisation

TOKEN_PREFIX = "gk_"  # noqa: S105 - a public marker, not a secret
"""Every token starts with this, so a leaked one is easy to recognise in logs and scanners."""

LAST_USED_RESOLUTION = timedelta(minutes=1)
"""``last_used_at`` is written at most this often per token, so reads stay free of writes."""


def hash_token(secret: str) -> str:
    """Return the stored form of a token (SHA-256: tokens are long random strings)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    organisation_ref: str, *, role: str = "publisher", name: str = "", actor: Actor = SYSTEM
) -> tuple[ApiToken, str]:
    """Create a token for an organisation; return it and the secret, which is not kept.

    An organisation's editors create publisher tokens for it; only an admin (or the CLI)
    creates admin tokens, which may change anything.
    """
    if role not in TOKEN_ROLES:
        raise InvalidData(
            "Validation failed.", {"role": [f"Must be one of {', '.join(TOKEN_ROLES)}."]}
        )
    name = _checked_name(name)
    organisation = get_organisation(organisation_ref)
    require_acts_for(actor, organisation.id, "manage API tokens")
    if role == "admin":
        require_admin(actor, "create admin tokens")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        organisation=organisation,
        role=role,
        name=name,
        prefix=secret[:10],
        token_hash=hash_token(secret),
    )
    db.session.add(token)
    db.session.commit()
    return token, secret


def _checked_name(name: str) -> str:
    """Return the token's name trimmed, or raise InvalidData naming the field ``name``."""
    try:
        return str(TokenNameSchema().load({"name": name})["name"]).strip()
    except ValidationError as exc:
        raise InvalidData("Validation failed.", exc.normalized_messages()) from None  # type: ignore[arg-type]


def authenticate(secret: str) -> Actor:
    """Return the actor of a bearer token, or raise NotAuthenticated."""
    token = db.session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == hash_token(secret))
        .options(selectinload(ApiToken.organisation))
    )
    if token is None or token.revoked_at is not None:
        raise NotAuthenticated("Unknown or revoked token.")
    now = utcnow()
    if token.last_used_at is None or now - as_utc(token.last_used_at) > LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.commit()
    return Actor(
        organisation_id=token.organisation_id,
        organisation_slug=token.organisation.slug,
        role=token.role,
        token_id=token.id,
    )


def _token_for(token_id: int, actor: Actor) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or not actor.may_act_for(token.organisation_id):
        # Another organisation's token does not exist for this actor: ids are not secrets,
        # but which tokens exist is none of their business.
        raise NotFound(f"No token with id {token_id}.")
    return token


def revoke_token(token_id: int, *, actor: Actor = SYSTEM) -> ApiToken:
    """Revoke a token (its organisation or an admin); it answers 401 from then on."""
    token = _token_for(token_id, actor)
    if token.role == "admin":
        require_admin(actor, "revoke admin tokens")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
    return token


def rename_token(token_id: int, name: str, *, actor: Actor = SYSTEM) -> ApiToken:
    """Give a token a new name (what it is used for)."""
    token = _token_for(token_id, actor)
    token.name = _checked_name(name)
    db.session.commit()
    return token


def list_tokens(organisation_ref: str | None = None) -> list[ApiToken]:
    """Return the tokens (of one organisation, or all), newest first."""
    query = select(ApiToken).options(selectinload(ApiToken.organisation))
    if organisation_ref:
        query = query.where(ApiToken.organisation_id == get_organisation(organisation_ref).id)
    return list(db.session.scalars(query.order_by(ApiToken.created_at.desc())))
