"""Fixtures of the search tests: the example catalogue indexed once per module, for tests that
only read, and helpers for the tests that write."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app import create_app, search
from app.extensions import db
from app.services import catalogue
from app.services.search import SearchParams, SearchResult, search_solutions
from tests.conftest import DATA_DIR, PG_URL, _config, _reset_postgres


def load_example_solutions() -> None:
    """Add the example solutions of ``catalogue_data/`` the loader's way (in an app context)."""
    catalogue.build_solutions(DATA_DIR)
    db.session.commit()


@pytest.fixture(scope="module")
def example_app(
    base_template: Path | None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """Return an app with the example catalogue indexed, shared by a module's read-only tests."""
    root = tmp_path_factory.mktemp("example")
    if PG_URL:
        uri = PG_URL
    else:
        assert base_template is not None
        shutil.copy(base_template, root / "catalogue.sqlite")
        uri = f"sqlite:///{root / 'catalogue.sqlite'}"
    app = create_app(_config(uri, root / "index", root))
    with app.app_context():
        if PG_URL:
            _reset_postgres(app)
            catalogue.load_catalogue_data(DATA_DIR, with_solutions=False)
        load_example_solutions()
        search.rebuild()
    yield app
    with app.app_context():
        search.reader().close()
        db.session.remove()
        db.engine.dispose()


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
