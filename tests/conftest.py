"""Shared fixtures: a real database per test (SQLite, or PostgreSQL with TEST_DATABASE_URL),
a fresh search index per test, the Flask test client, and factories for tokens and solutions.

SQLite: a template database with the schema, vocabularies and organisations is made once per
session and copied for each test. PostgreSQL: the schema is migrated once per session; each
test empties every table and gets back the rows of the vocabularies and organisations that the
loader wrote for the worker's first test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Column, func, select, text

from app import create_app, search
from app.extensions import db
from app.models import Solution
from app.services import catalogue, solutions, tokens
from app.services.permissions import SYSTEM

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "catalogue_data"
MIGRATIONS = PROJECT_ROOT / "migrations"
IN_CI = os.environ.get("CI") == "true"


def _worker_database(url: str | None) -> str | None:
    """Give each pytest-xdist worker a database of its own beside TEST_DATABASE_URL's.

    Every test empties the database, so two workers must never share one. The worker's URL is
    also put back into the environment, for servers the tests start in subprocesses.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    import psycopg

    base, _, name = url.partition("?")[0].rpartition("/")
    own = f"{name}_{worker}"
    with psycopg.connect(
        url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (own,)).fetchone():
            c.execute(f'CREATE DATABASE "{own}"')
    os.environ["TEST_DATABASE_URL"] = f"{base}/{own}"
    return f"{base}/{own}"  # as given: tests also hand it to psycopg, which wants no "+psycopg"


PG_URL = _worker_database(os.environ.get("TEST_DATABASE_URL"))


def _config(uri: str, index_dir: Path, instance: Path) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": uri,
        "SEARCH_INDEX_DIR": str(index_dir),
        "SECRET_KEY": "test-secret",
        "SEARCH_GAP_SETTLE_SECONDS": 2.0,
        # The limiter stays on, with room for the suites that send hundreds of writes; the
        # limits themselves are tested in tests/accounts with small ones.
        "RATELIMIT_WRITES": "100000 per minute",
        # Webhooks go to the tests' own receivers on 127.0.0.1 (tests/webhook_receiver.py).
        "WEBHOOK_ALLOW_LOOPBACK": True,
        "WEBHOOK_TIMEOUT_SECONDS": 2.0,
    }


def _migrate(app: Flask) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=str(MIGRATIONS))


VACUUM_EVERY = 25
"""Resets between two VACUUMs of a worker's PostgreSQL database."""

_resets = 0


def _reset_postgres(app: Flask) -> None:
    """Empty every table and restart the id sequences.

    DELETE, children first, rather than TRUNCATE: on these small tables it takes ~20 ms
    where TRUNCATE takes ~400 ms (it rewrites files), which is most of a PostgreSQL run.
    DELETE leaves dead rows, and every test deletes and inserts the same keys again: without
    a VACUUM (this machine's server runs no autovacuum) each lookup by slug walks the dead
    index entries of all earlier tests, and the run slows as it goes. So every
    ``VACUUM_EVERY`` resets the worker's database is vacuumed (~0.3 s).
    """
    global _resets
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        for sequence in _sequences():
            db.session.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))
        db.session.commit()
        _resets += 1
        if _resets % VACUUM_EVERY == 1:  # the first reset too: dead rows of earlier runs
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("VACUUM"))


def _sequences() -> list[str]:
    return list(
        db.session.scalars(
            text(
                "SELECT sequence_name FROM information_schema.sequences "
                "WHERE sequence_schema = current_schema()"
            )
        )
    )


@dataclass
class _KeptRows:
    """Every row of a database state, and the id sequences those rows fill."""

    tables: dict[str, list[dict[str, Any]]]
    sequences: list[tuple[str, Column[Any]]]


_PG_KEPT: dict[str, _KeptRows] = {}
"""The states a PostgreSQL worker builds once and copies back: "base" (vocabularies and
organisations) and "example" (with the example catalogue on top)."""


def _keep_rows() -> _KeptRows:
    kept = _KeptRows({}, [])
    for table in db.metadata.sorted_tables:
        rows = [dict(row) for row in db.session.execute(table.select()).mappings()]
        if not rows:
            continue
        kept.tables[table.name] = rows
        for column in table.primary_key.columns:
            sequence = db.session.scalar(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": column.name},
            )
            if sequence:
                kept.sequences.append((sequence, column))
    return kept


def _put_back(kept: _KeptRows) -> None:
    for table in db.metadata.sorted_tables:  # parents first
        if table.name in kept.tables:
            db.session.execute(table.insert(), kept.tables[table.name])
    for sequence, column in kept.sequences:
        highest = select(func.max(column)).scalar_subquery()
        db.session.execute(select(func.setval(sequence, highest)))
    db.session.commit()


def _restore_postgres(app: Flask, state: str, build: Callable[[], None]) -> None:
    """Empty PostgreSQL and give it ``state``: built by ``build`` the first time in a worker
    (through the loader and services, as on SQLite), its rows kept, and copied back after
    that with one INSERT per table, the sequences set past them. The ids and every column are
    the loader's own; copying the example catalogue back takes ~50 ms where building it takes
    seconds."""
    _reset_postgres(app)
    with app.app_context():
        kept = _PG_KEPT.get(state)
        if kept is not None:
            _put_back(kept)
            return
        build()
        _PG_KEPT[state] = _keep_rows()


def _load_base() -> None:
    catalogue.load_catalogue_data(DATA_DIR, with_solutions=False)


def _load_example() -> None:
    _load_base()
    # The loader's own path (schemas, services), on top of the organisations.
    catalogue.build_solutions(DATA_DIR)
    db.session.commit()


def _restore_base_postgres(app: Flask) -> None:
    """Give PostgreSQL the base data of the SQLite template: vocabularies and organisations."""
    _restore_postgres(app, "base", _load_base)


@pytest.fixture(scope="session")
def base_template(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """Make the SQLite template (schema + vocabularies + organisations), or migrate PostgreSQL."""
    root = tmp_path_factory.mktemp("template")
    if PG_URL:
        app = create_app(_config(PG_URL, root / "index", root))
        with app.app_context():
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        _migrate(app)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        return None
    path = root / "base.sqlite"
    app = create_app(_config(f"sqlite:///{path}", root / "index", root))
    _migrate(app)
    with app.app_context():
        catalogue.load_catalogue_data(DATA_DIR, with_solutions=False)
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.engine.dispose()
    return path


@pytest.fixture
def app(base_template: Path | None, tmp_path: Path) -> Iterator[Flask]:
    """Return an app on a database with vocabularies and organisations, and an empty index."""
    if PG_URL:
        uri = PG_URL
    else:
        assert base_template is not None
        target = tmp_path / "catalogue.sqlite"
        shutil.copy(base_template, target)
        uri = f"sqlite:///{target}"
    app = create_app(_config(uri, tmp_path / "index", tmp_path))
    with app.app_context():
        if PG_URL:
            _restore_base_postgres(app)
        search.rebuild()
    yield app
    with app.app_context():
        search.reader().close()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def example_template(
    base_template: Path | None, tmp_path_factory: pytest.TempPathFactory
) -> Path | None:
    """Make the SQLite template with the example catalogue built in (None on PostgreSQL)."""
    if PG_URL:
        return None
    assert base_template is not None
    root = tmp_path_factory.mktemp("example-template")
    path = root / "example.sqlite"
    shutil.copy(base_template, path)
    app = create_app(_config(f"sqlite:///{path}", root / "index", root))
    with app.app_context():
        # The loader's own path (schemas, services), on top of the template's organisations.
        catalogue.build_solutions(DATA_DIR)
        db.session.commit()
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.remove()
        db.engine.dispose()
    return path


def _use_example(app: Flask, example_template: Path | None) -> None:
    """Put the example catalogue in ``app``'s database (built once per worker) and index it."""
    with app.app_context():
        if PG_URL:
            _restore_postgres(app, "example", _load_example)
        else:
            assert example_template is not None
            db.session.remove()
            db.engine.dispose()
            target = Path(db.engine.url.database or "")
            for suffix in ("-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            shutil.copy(example_template, target)
        search.rebuild()


@pytest.fixture
def catalogue_app(app: Flask, example_template: Path | None) -> Flask:
    """Return the app with the full example catalogue loaded and indexed."""
    _use_example(app, example_template)
    return app


@pytest.fixture(scope="module")
def example_app(
    example_template: Path | None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """Return an app with the example catalogue loaded and indexed, once per module.

    For tests that only read (pages, search, the fuzzer). A module that uses it must not also
    use the function-scoped ``app``: on PostgreSQL both would share the worker's database.
    """
    root = tmp_path_factory.mktemp("example")
    uri = PG_URL or f"sqlite:///{root / 'catalogue.sqlite'}"  # _use_example puts the file there
    app = create_app(_config(uri, root / "index", root))
    _use_example(app, example_template)
    yield app
    with app.app_context():
        search.reader().close()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return a test client of ``app``."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Return a CLI runner of ``app``."""
    return app.test_cli_runner()


@pytest.fixture
def make_token(app: Flask) -> Callable[..., str]:
    """Return a factory: ``make_token("5007", role="publisher")`` → the bearer secret."""

    def make(org: str = "5007", role: str = "publisher") -> str:
        with app.app_context():
            _, secret = tokens.create_token(org, role=role)
        return secret

    return make


def auth(secret: str, version: int | None = None) -> dict[str, str]:
    """Return request headers with the bearer token (and If-Match for ``version``)."""
    headers = {"Authorization": f"Bearer {secret}"}
    if version is not None:
        headers["If-Match"] = f'"{version}"'
    return headers


def solution_payload(**overrides: Any) -> dict[str, Any]:
    """Return a valid POST body for a solution owned by Namsos (5007)."""
    body: dict[str, Any] = {
        "name": "Digital startlånsøknad",
        "summary": "Søknad om startlån fra Husbanken, behandlet digitalt.",
        "description": "Innbyggeren søker på nett; saksbehandler får søknaden i fagsystemet.",
        "kind": "service",
        "status": "production",
        "owner": "5007",
        "themes": ["bygg-og-eiendom"],
    }
    body.update(overrides)
    return body


@pytest.fixture
def make_solution(app: Flask) -> Callable[..., str]:
    """Return a factory that registers a solution through the service; gives its slug."""

    def make(**overrides: Any) -> str:
        with app.app_context():
            data = solution_payload(**overrides)
            from app.schemas.solution import SolutionSchema

            solution: Solution = solutions.create_solution(
                SolutionSchema().load(data), actor=SYSTEM
            )
            return solution.slug

    return make


EMPTY_PG_SCHEMA = "gk_empty"
"""PostgreSQL schema of the ``empty_app`` fixture, beside (never in) the suite's own tables."""


@pytest.fixture
def empty_app(tmp_path: Path) -> Iterator[Flask]:
    """Return an app on a database without any table (for ``catalogue init`` and migrations).

    SQLite: a new file. PostgreSQL: a schema of its own on TEST_DATABASE_URL, first on the
    search path, dropped afterwards; the suite's tables in ``public`` stay untouched.
    """
    if PG_URL:
        from sqlalchemy import create_engine

        from app.config import normalise_database_url

        admin_engine = create_engine(normalise_database_url(PG_URL))
        drop = text(f"DROP SCHEMA IF EXISTS {EMPTY_PG_SCHEMA} CASCADE")
        with admin_engine.begin() as connection:
            connection.execute(drop)
            connection.execute(text(f"CREATE SCHEMA {EMPTY_PG_SCHEMA}"))
        config = _config(PG_URL, tmp_path / "index", tmp_path)
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_pre_ping": True,
            "connect_args": {"options": f"-csearch_path={EMPTY_PG_SCHEMA}"},
        }
    else:
        config = _config(f"sqlite:///{tmp_path / 'empty.sqlite'}", tmp_path / "index", tmp_path)
    config["CATALOGUE_DATA_DIR"] = str(DATA_DIR)
    app = create_app(config)
    yield app
    with app.app_context():
        search.reader().close()
        db.session.remove()
        db.engine.dispose()
    if PG_URL:
        with admin_engine.begin() as connection:
            connection.execute(drop)
        admin_engine.dispose()
