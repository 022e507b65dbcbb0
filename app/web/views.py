"""Pages of the web catalogue."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from werkzeug.wrappers import Response

web = Blueprint("web", __name__, template_folder="templates", static_folder="static")


@web.get("/")
def index() -> Response:
    """Front page (until the site is built: the API documentation)."""
    return redirect(url_for("api-docs.openapi_swagger_ui"))
