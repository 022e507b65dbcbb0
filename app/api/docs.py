"""Serve the Swagger UI assets from the installed ``swagger_ui_bundle`` (no CDN)."""

from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle
from flask import Blueprint, Flask, send_from_directory
from werkzeug.wrappers import Response

ASSETS = Path(swagger_ui_bundle.swagger_ui_path)

assets = Blueprint("api_docs_assets", __name__)


@assets.route("/api/docs/assets/<path:filename>")
def swagger_asset(filename: str) -> Response:
    """Return one Swagger UI file."""
    return send_from_directory(ASSETS, filename, max_age=86400)


def init_app(app: Flask) -> None:
    """Register the asset route; keep Swagger UI from calling its online validator."""
    # Swagger UI fetches a badge from validator.swagger.io unless validatorUrl is null: the
    # docs must work without internet access.
    app.config.setdefault("OPENAPI_SWAGGER_UI_CONFIG", {"validatorUrl": None})
    app.register_blueprint(assets)
