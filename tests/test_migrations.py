"""The Alembic migrations build exactly the schema the models describe (SQLite and PostgreSQL)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import inspect

from app.extensions import db
from tests.conftest import MIGRATIONS


def test_one_head():
    script = ScriptDirectory(str(MIGRATIONS))
    assert len(script.get_heads()) == 1, script.get_heads()


def test_an_empty_database_migrated_to_head_matches_the_models(empty_app):
    with empty_app.app_context():
        assert inspect(db.engine).get_table_names() == []
        upgrade(directory=str(MIGRATIONS))
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": False}
            )
            diff = compare_metadata(context, db.metadata)
            tables = set(inspect(connection).get_table_names())
    assert diff == []
    assert tables == {t.name for t in db.metadata.sorted_tables} | {"alembic_version"}


def test_upgrading_twice_changes_nothing(empty_app):
    with empty_app.app_context():
        upgrade(directory=str(MIGRATIONS))
        first = {t: inspect(db.engine).get_columns(t) for t in inspect(db.engine).get_table_names()}
        upgrade(directory=str(MIGRATIONS))
        second = {
            t: inspect(db.engine).get_columns(t) for t in inspect(db.engine).get_table_names()
        }
    assert [c["name"] for c in first["solutions"]] == [c["name"] for c in second["solutions"]]
    assert first.keys() == second.keys()
