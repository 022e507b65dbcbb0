"""What every write request passes before its body is parsed.

1. A valid bearer token (401), so an anonymous client learns nothing about the resource or
   its own body: an anonymous PUT to a missing slug is 401, not 404 or 422.
2. A JSON object as the body of POST, PUT and PATCH (422 naming ``_schema`` otherwise), so a
   form post or a broken document is never read as an empty PATCH that succeeds.

Then webargs validates the fields (422), and the service checks existence (404), permission
(403), the If-Match version (428/412) and references (422), in that order.
"""

from __future__ import annotations

import json

from flask import g, request
from flask_smorest import Blueprint

from app.api.auth import authenticate_request
from app.services.errors import InvalidData

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
"""Methods that change something and need a token."""

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
"""Methods whose body is a JSON object."""


def protect_writes(blp: Blueprint) -> None:
    """Check the token and the body of every write to ``blp`` before anything else."""
    blp.before_request(_check_write)


def _check_write() -> None:
    if request.method not in WRITE_METHODS:
        return
    g.api_actor = authenticate_request()
    if request.method in BODY_METHODS:
        require_json_object()


def _not_json(message: str) -> InvalidData:
    return InvalidData("The request body is not a JSON object.", {"_schema": [message]})


def require_json_object() -> None:
    """Raise InvalidData (422) unless the body is a JSON object sent as JSON."""
    if not request.is_json:
        raise _not_json("Send a JSON object with 'Content-Type: application/json'.")
    try:
        # get_data is cached: webargs parses the same bytes afterwards, and decodes them as
        # strict UTF-8, so do the same here (json.loads of bytes would let a UTF-8-encoded
        # lone surrogate through, and webargs would then answer 400). A body over
        # MAX_CONTENT_LENGTH raises 413 here.
        body = json.loads(request.get_data(cache=True).decode("utf-8"))
    except (ValueError, RecursionError):  # bad UTF-8 is a ValueError too; deep nesting recurses
        raise _not_json("The body is not valid JSON (UTF-8).") from None
    if not isinstance(body, dict):
        raise _not_json(f"The body must be a JSON object, not {type(body).__name__}.")
