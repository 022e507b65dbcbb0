"""Helpers of the search tests (the example catalogue they read is ``example_app`` of
``tests/conftest.py``)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.services.search import SearchParams, SearchResult, search_solutions


def find(app: Flask, q: str = "", **params: Any) -> SearchResult:
    """Search through the service in an app context."""
    with app.app_context():
        result = search_solutions(SearchParams(q=q, **params))
        # Touch what the tests read, while the session is open.
        for hit in result.hits:
            _ = hit.solution.slug, hit.solution.name
        return result


def slugs(result: SearchResult) -> list[str]:
    """Return the slugs of the hits, in order."""
    return [hit.solution.slug for hit in result.hits]
