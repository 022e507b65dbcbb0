"""Bearer-token authentication of API writes."""

from __future__ import annotations

from flask import request

from app.services import tokens
from app.services.errors import NotAuthenticated
from app.services.permissions import Actor

BEARER_SECURITY = [{"bearerAuth": []}]
"""OpenAPI security requirement of a write operation."""


def current_actor() -> Actor:
    """Return the actor of the request's bearer token, or raise NotAuthenticated (401)."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise NotAuthenticated("This operation needs 'Authorization: Bearer <token>'.")
    return tokens.authenticate(secret.strip())
