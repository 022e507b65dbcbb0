"""The app's error dispatch: every exception to one status, answered as JSON or as a page.

Flask's error handlers are app-wide, so they live here, above both HTTP layers: the API's
requests get flask-smorest's JSON shape (``{"code": 422, "status": "Unprocessable Entity",
"message": "…", "errors": {"json": {"field": ["why"]}}}``, ``"query"`` for a read); every other
path goes to the page renderer the web layer registers with ``register_page_renderer`` (a
Norwegian HTML page). Neither layer imports the other.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, Response, jsonify, request
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from app.search import SearchUnavailable
from app.services.errors import DomainError, InvalidData

log = logging.getLogger(__name__)


PageRenderer = Callable[[int, str], Response]
_page_renderer: list[PageRenderer] = []


def register_page_renderer(renderer: PageRenderer) -> None:
    """Let the web layer render errors of non-API paths as pages."""
    _page_renderer[:] = [renderer]


def error_response(
    code: int,
    message: str,
    errors: dict[str, object] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Return a JSON error response."""
    payload: dict[str, object] = {
        "code": code,
        "status": HTTP_STATUS_CODES.get(code, "Error"),
        "message": message,
    }
    if errors:
        payload["errors"] = errors
    if not wants_json() and _page_renderer:
        response = _page_renderer[0](code, message)
    else:
        response = jsonify(payload)
    response.status_code = code
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def wants_json() -> bool:
    """Return whether the request is for the API (or asks for JSON)."""
    return request.path.startswith("/api") or request.path == "/healthz"


def handle_domain_error(exc: DomainError) -> Response:
    """Answer a domain error with its status and message."""
    errors: dict[str, object] | None = None
    if isinstance(exc, InvalidData):
        # A read has no body: what it got wrong is in the query (as webargs reports it).
        location = "query" if request.method in ("GET", "HEAD") else "json"
        errors = {location: exc.errors}
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return error_response(exc.status, exc.message, errors, headers)


def handle_search_unavailable(exc: SearchUnavailable) -> Response:
    """Answer 503 when the search index cannot be used."""
    return error_response(503, f"Search is unavailable: {exc}", headers={"Retry-After": "30"})


def handle_database_unavailable(exc: DBAPIError) -> Response:
    """Answer 503 when the database cannot be reached."""
    log.error("database unavailable: %s", exc)
    return error_response(
        503, "The database is unavailable; try again shortly.", headers={"Retry-After": "10"}
    )


def handle_http_exception(exc: HTTPException) -> Response:
    """Answer an HTTP error (404, 405, 413, 422 from webargs, …) as JSON."""
    data = getattr(exc, "data", {}) or {}
    code = exc.code or 500
    message = data.get("message") or exc.description or HTTP_STATUS_CODES.get(code, "Error")
    if code == 422 and not data.get("message"):
        message = "Validation failed: see 'errors' for each field."
    if code == 413:
        message = "The request body is larger than the catalogue accepts."
    errors = data.get("errors") or data.get("messages")
    # Keep the exception's own headers (405's Allow, 401's WWW-Authenticate, …), not its body's.
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    headers.update(data.get("headers") or {})
    return error_response(code, message, errors, headers)


def init_app(app: Flask) -> None:
    """Register the handlers (the web layer adds HTML for non-API paths)."""
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(SearchUnavailable, handle_search_unavailable)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(HTTPException, handle_http_exception)
