"""The web catalogue: server-rendered Norwegian pages (``web`` blueprint)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the pages."""
    from app.web.views import web

    app.register_blueprint(web)
