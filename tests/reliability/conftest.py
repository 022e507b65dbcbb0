"""Fixtures of the reliability tests: the example catalogue served in-process for the fuzzer,
and tokens of each role."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask

from app import create_app, search
from app.extensions import db
from app.services import catalogue, tokens
from tests.conftest import DATA_DIR, PG_URL, _config, _reset_postgres


@dataclass(frozen=True)
class Tokens:
    """Bearer secrets of a publisher (Trondheim) and an admin."""

    publisher: str
    admin: str


@pytest.fixture(scope="module")
def example_app(
    base_template: Path | None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """Return an app with the example catalogue loaded and indexed, shared by a module."""
    root = tmp_path_factory.mktemp("reliability")
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
        catalogue.build_solutions(DATA_DIR)
        db.session.commit()
        search.rebuild()
    yield app
    with app.app_context():
        search.reader().close()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def role_tokens(example_app: Flask) -> Tokens:
    """Return a publisher token of Trondheim (5001) and an admin token."""
    with example_app.app_context():
        _, publisher = tokens.create_token("5001", role="publisher")
        _, admin = tokens.create_token("5001", role="admin")
    return Tokens(publisher=publisher, admin=admin)
