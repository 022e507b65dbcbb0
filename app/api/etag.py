"""ETags from version numbers, and the If-Match rule of PUT, PATCH and DELETE."""

from __future__ import annotations

import re

from flask import request

IF_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "schema": {"type": "string"},
    "description": "The ETag of the resource as last read; 412 when it has changed since.",
}
"""OpenAPI description of the If-Match header that every change requires."""

ETAG_HEADER = {
    "ETag": {
        "description": "The resource's version; send it back in If-Match to change it.",
        "schema": {"type": "string", "example": '"3"'},
    }
}
"""OpenAPI description of the ETag header of a changeable resource."""

ETAG = re.compile(r'\s*(?:W/)?"(\d{1,18})"\s*')
"""An ETag as ``etag_header`` writes it (weak or strong: the version is the same)."""


def etag_header(version: int) -> dict[str, str]:
    """Return the ETag header of a resource at ``version``."""
    return {"ETag": f'"{version}"'}


def expected_version() -> int | None:
    """Return the version If-Match names, for the service to check after the permissions.

    ``None`` without the header (the service answers 428); ``0``, a version never handed out,
    when the header names no ETag of ours, e.g. ``*`` or a list (the service answers 412).
    This API wants the one ETag the client read, so two editors never overwrite each other.
    """
    header = request.headers.get("If-Match")
    if header is None:
        return None
    match = ETAG.fullmatch(header)
    return int(match.group(1)) if match else 0
