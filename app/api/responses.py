"""Documented error responses shared by the API blueprints."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_smorest import Blueprint

ERROR_TEXT = {
    401: "Missing, unknown or revoked token.",
    403: "The token's organisation may not make this change.",
    404: "Not found.",
    409: "Clashes with existing data (e.g. a duplicate).",
    412: "The resource changed since it was read (stale If-Match).",
    413: "The request body is larger than the catalogue accepts.",
    422: "Invalid input; 'errors' names each field and why.",
    428: "If-Match is required.",
    503: "The search index or database is unavailable for now.",
}
"""Description of each error status in the OpenAPI document."""


def documents_errors(blp: Blueprint, *codes: int) -> Callable[[Any], Any]:
    """Return a decorator that documents these error responses (JSON error shape)."""

    def decorate(func: Any) -> Any:
        for code in codes:
            func = blp.alt_response(code, schema=ERROR_SCHEMA, description=ERROR_TEXT[code])(func)
        return func

    return decorate


ERROR_SCHEMA = "Error"
"""flask-smorest's registered error component (``{code, status, message, errors}``)."""
