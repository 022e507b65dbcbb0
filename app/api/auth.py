"""Bearer-token authentication: required for API writes, optional for reads (drafts)."""

from __future__ import annotations

from flask import g, request

from app.services import tokens
from app.services.errors import NotAuthenticated
from app.services.permissions import Actor

BEARER_SECURITY = [{"bearerAuth": []}]
"""OpenAPI security requirement of a write operation."""

OPTIONAL_BEARER_SECURITY = [{}, {"bearerAuth": []}]
"""OpenAPI security of a read that a token widens (drafts): none, or a valid bearer token."""


def authenticate_request() -> Actor:
    """Return the actor of the request's bearer token, or raise NotAuthenticated (401)."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise NotAuthenticated("This operation needs 'Authorization: Bearer <token>'.")
    return tokens.authenticate(secret.strip())


def current_actor() -> Actor:
    """Return the actor of this request (authenticated once, by ``writes.protect_writes``)."""
    if "api_actor" not in g:
        g.api_actor = authenticate_request()
    actor: Actor = g.api_actor
    return actor


def optional_actor() -> Actor | None:
    """Return the actor of the request's bearer token if it sends one, else None.

    Reads are public; a token only lets its organisation (or an admin) see its drafts. A
    token that is sent but unknown or revoked is still a 401, not silently anonymous.
    """
    if not request.headers.get("Authorization"):
        return None
    return current_actor()
