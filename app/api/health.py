"""GET /healthz: 200 when the database and the search index are usable, else 503."""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify
from werkzeug.wrappers import Response

from app.services.health import check_health

health = Blueprint("health", __name__)


@health.get("/healthz")
def healthz() -> tuple[Response, int]:
    """Report the state of the database and the search index."""
    parts = check_health()
    ok = all(state == "ok" for state in parts.values())
    return jsonify({"status": "ok" if ok else "unavailable", **parts}), 200 if ok else 503


def init_app(app: Flask) -> None:
    """Register the route."""
    app.register_blueprint(health)
