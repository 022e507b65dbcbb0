"""Gjenbrukskatalogen: the reuse catalogue of the Trøndelag kommuner."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the application: config, extensions, blueprints, CLI."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)

    from app.config import load_config

    load_config(app, test_config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # readable Norwegian in JSON

    from app import api, cli, errors, models, search  # noqa: F401 - models registers the tables
    from app.extensions import db, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    api.init_app(app)
    errors.init_app(app)  # after the Api: flask-smorest registers an HTTPException handler too
    search.init_app(app)
    cli.init_app(app)

    from app import security, web

    web.init_app(app)
    security.init_app(app)
    return app


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Let several gunicorn workers share one SQLite file: WAL, a busy timeout, foreign keys."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
