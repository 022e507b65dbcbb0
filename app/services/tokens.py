"""API tokens: create (shown once), authenticate, revoke."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import TOKEN_ROLES, ApiToken
from app.models.base import as_utc, utcnow
from app.services.errors import InvalidData, NotAuthenticated, NotFound
from app.services.permissions import Actor
from app.services.references import get_organisation

TOKEN_PREFIX = "gk_"  # noqa: S105 - a public marker, not a secret
"""Every token starts with this, so a leaked one is easy to recognise in logs and scanners."""

LAST_USED_RESOLUTION = timedelta(minutes=1)
"""``last_used_at`` is written at most this often per token, so reads stay free of writes."""


def hash_token(secret: str) -> str:
    """Return the stored form of a token (SHA-256: tokens are long random strings)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    organisation_ref: str, *, role: str = "publisher", name: str = ""
) -> tuple[ApiToken, str]:
    """Create a token for an organisation; return it and the secret, which is not kept."""
    if role not in TOKEN_ROLES:
        raise InvalidData(
            "Validation failed.", {"role": [f"Must be one of {', '.join(TOKEN_ROLES)}."]}
        )
    organisation = get_organisation(organisation_ref)
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


def revoke_token(token_id: int) -> ApiToken:
    """Revoke a token; it answers 401 from then on."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"No token with id {token_id}.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
    return token


def list_tokens(organisation_ref: str | None = None) -> list[ApiToken]:
    """Return the tokens (of one organisation, or all), newest first."""
    query = select(ApiToken).options(selectinload(ApiToken.organisation))
    if organisation_ref:
        query = query.where(ApiToken.organisation_id == get_organisation(organisation_ref).id)
    return list(db.session.scalars(query.order_by(ApiToken.created_at.desc())))
