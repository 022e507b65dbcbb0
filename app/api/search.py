"""/api/v1/search: full-text search with facets, and type-ahead suggestions."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from app.api import Blueprint
from app.api.responses import documents_errors
from app.schemas.search import (
    SearchQueryArgsSchema,
    SearchResultSchema,
    SuggestionsSchema,
    SuggestQueryArgsSchema,
)
from app.services import search as service

blp = Blueprint(
    "search",
    __name__,
    description=(
        "Search solutions in Norwegian (stemming, compounds, typos) with facet counts, and "
        "complete what a user types."
    ),
)


@blp.route("/search")
class Search(MethodView):
    """Search the catalogue."""

    @blp.arguments(SearchQueryArgsSchema, location="query")
    @blp.response(200, SearchResultSchema)
    @documents_errors(blp, 503)
    def get(self, args: dict[str, Any]) -> service.SearchResult:
        """Search solutions by text and filters, with facets"""
        return service.search_solutions(service.SearchParams(**args), load_adoptions=False)


@blp.route("/search/suggest")
class Suggest(MethodView):
    """Type-ahead."""

    @blp.arguments(SuggestQueryArgsSchema, location="query")
    @blp.response(200, SuggestionsSchema)
    @documents_errors(blp, 503)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Complete the beginning of a search (up to 10 suggestions)"""
        found = service.suggest(args["q"])
        return {
            "q": args["q"],
            "suggestions": [c.text for c in found],
            "solutions": [c.slug for c in found],
        }
