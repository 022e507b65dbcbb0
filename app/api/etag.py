"""ETags from version numbers, and the If-Match rule of PUT, PATCH and DELETE."""

from __future__ import annotations

import re

from flask import request

from app.services.errors import PreconditionFailed, PreconditionRequired

IF_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "schema": {"type": "string"},
    "description": "The ETag of the resource as last read; 412 when it has changed since.",
}
"""OpenAPI description of the If-Match header that every change requires."""


def etag_header(version: int) -> dict[str, str]:
    """Return the ETag header of a resource at ``version``."""
    return {"ETag": f'"{version}"'}


def expected_version() -> int:
    """Return the version named by If-Match; 428 without the header, 412 if it names none."""
    header = request.headers.get("If-Match")
    if header is None:
        raise PreconditionRequired(
            "This change needs an 'If-Match' header with the ETag you last read."
        )
    match = re.fullmatch(r'\s*(?:W/)?"(\d{1,18})"\s*', header)
    if not match:
        raise PreconditionFailed("If-Match does not name a current ETag of this resource.")
    return int(match.group(1))
