"""The ``web`` blueprint that every page module adds its routes to."""

from __future__ import annotations

from flask import Blueprint

web = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/web",
)
