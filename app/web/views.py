"""Site pages: the front page, the about page and the OpenSearch description."""

from __future__ import annotations

from flask import render_template, request, url_for
from werkzeug.wrappers import Response

from app.models import SOLUTION_KINDS
from app.services import gain_stats, overview
from app.web.blueprint import web

NEWEST_COUNT = 5
"""How many of the newest solutions the front page lists."""

MOST_REUSED_COUNT = 5
"""How many of the most reused solutions the front page lists."""

SUGGEST_URL = "/sok/forslag"
"""The type-ahead the search boxes' script calls (``?q=prefix``): the site's OpenSearch
suggestions, whose links open a solution when a suggestion is its name."""


# A template global (not a context variable), so macros imported without context see it too.
web.add_app_template_global(SUGGEST_URL, "suggest_url")


@web.get("/")
def index() -> str:
    """Show the front page: search, the catalogue in figures, newest and most reused, browse."""
    return render_template(
        "web/index.html",
        stats=gain_stats.catalogue_stats(),
        newest=overview.newest_solutions(NEWEST_COUNT),
        most_reused=overview.most_reused_solutions(MOST_REUSED_COUNT),
        themes=overview.theme_counts(),
        kinds=SOLUTION_KINDS,
    )


@web.get("/om")
def about() -> str:
    """Explain the catalogue, how to publish with the API, and the embeddable search box."""
    return render_template("web/about.html", site_url=request.url_root.rstrip("/"))


@web.get("/opensearch.xml")
def opensearch() -> Response:
    """Describe the search for the browser's search bar (OpenSearch 1.1)."""
    body = render_template(
        "web/opensearch.xml",
        search_url=url_for("web.search", _external=True),
        suggest_url=url_for("web.opensearch_suggestions", _external=True),
        icon_url=url_for("web.static", filename="favicon.svg", _external=True),
    )
    return Response(body, mimetype="application/opensearchdescription+xml")
