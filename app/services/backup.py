"""Back up the whole catalogue to one JSON file, and restore it into an empty database.

The backup is a copy of the database, not of what the API shows: every row of every table
(ids, versions and timestamps included; API tokens only as their hashes), so a restore gives
the same API output, the same ETags and working tokens. The change log is left out: it is the
search index's inbox, and a restore writes one fresh entry per solution instead, so every
instance's index catches up (this one rebuilds straight away).

A restore checks the whole file first (known tables and columns, values of the right type) and
writes it in one transaction; a file with any problem, or a database that is not empty,
changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Integer,
    Numeric,
    String,
    Table,
    bindparam,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError

from app import search
from app.extensions import db
from app.models.base import as_utc, utcnow
from app.models.changelog import SOLUTION, Change
from app.services.errors import Conflict, InvalidData

FORMAT = "gjenbrukskatalogen-backup"
VERSION = 1
SKIPPED_TABLES = frozenset({"changes", "alembic_version"})
"""The change log is derived (see the module docstring); Alembic keeps its own row."""

Progress = Callable[[str, int], None]


def tables() -> list[Table]:
    """Return the tables a backup holds, parents before children."""
    return [t for t in db.metadata.sorted_tables if t.name not in SKIPPED_TABLES]


def _dump_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def export_catalogue(path: Path, progress: Progress = lambda _t, _n: None) -> dict[str, int]:
    """Write every table to ``path`` as JSON; return the row count per table."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": utcnow().isoformat(),
        "tables": {},
    }
    counts: dict[str, int] = {}
    for table in tables():
        # Stored order, not key order: some API lists have no ORDER BY of their own (e.g. the
        # adoptions of a solution) and show rows as the table holds them; restoring the rows
        # in that order lets the restored catalogue answer exactly as the original did.
        rows = db.session.execute(select(table)).mappings()
        dumped = [{key: _dump_value(value) for key, value in row.items()} for row in rows]
        document["tables"][table.name] = dumped
        counts[table.name] = len(dumped)
        progress(table.name, len(dumped))
    db.session.rollback()
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(document, fh, ensure_ascii=False, indent=1)
    tmp.replace(path)
    return counts


def read_backup(path: Path) -> dict[str, Any]:
    """Read a backup file; InvalidData when it is not one."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidData("Not a catalogue backup.", {"(file)": [f"Not JSON: {exc}"]}) from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidData("Not a catalogue backup.", {"format": [f"Must be '{FORMAT}'."]})
    if document.get("version") != VERSION:
        raise InvalidData(
            "Unsupported backup version.", {"version": [f"This catalogue reads version {VERSION}."]}
        )
    if not isinstance(document.get("tables"), dict):
        raise InvalidData("Not a catalogue backup.", {"tables": ["Must be an object of tables."]})
    return document


def row_count(document: dict[str, Any]) -> int:
    """Return how many rows a backup holds."""
    return sum(len(rows) for rows in document["tables"].values() if isinstance(rows, list))


def _parse(column_type: Any, value: Any) -> Any:
    """Return ``value`` as the column's Python type; ValueError when it is not one."""
    if value is None:
        return None
    if isinstance(column_type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return date.fromisoformat(value)
    if isinstance(column_type, Numeric) and not isinstance(column_type, Integer):
        try:
            return Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueError("not a number") from exc
    if isinstance(column_type, Boolean):
        if not isinstance(value, bool):
            raise ValueError("not true or false")
        return value
    if isinstance(column_type, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("not an integer")
        return value
    if isinstance(column_type, String):
        if not isinstance(value, str):
            raise ValueError("not a string")
        if "\x00" in value or (column_type.length and len(value) > column_type.length):
            raise ValueError("not a valid string for this column")
        return value
    return value


def _checked_rows(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Return the rows by table, typed; InvalidData listing every problem."""
    known = {t.name: t for t in tables()}
    errors: dict[str, list[str]] = {}
    checked: dict[str, list[dict[str, Any]]] = {}
    for name, rows in document["tables"].items():
        table = known.get(name)
        if table is None:
            errors[f"tables.{name}"] = ["Unknown table."]
            continue
        if not isinstance(rows, list):
            errors[f"tables.{name}"] = ["Must be a list of rows."]
            continue
        typed_rows = []
        for n, row in enumerate(rows):
            where = f"tables.{name}[{n}]"
            if not isinstance(row, dict):
                errors[where] = ["Must be an object."]
                continue
            typed: dict[str, Any] = {}
            for key, value in row.items():
                column = table.columns.get(key)
                if column is None:
                    errors[f"{where}.{key}"] = ["Unknown column."]
                    continue
                try:
                    typed[key] = _parse(column.type, value)
                except (TypeError, ValueError) as exc:
                    errors[f"{where}.{key}"] = [f"Invalid value: {exc}."]
            for column in table.columns:
                if not column.nullable and typed.get(column.name) is None:
                    if column.name not in typed or typed[column.name] is None:
                        errors.setdefault(f"{where}.{column.name}", []).append("Required.")
            typed_rows.append(typed)
        checked[name] = typed_rows
    if errors:
        raise InvalidData("The backup is not valid; nothing was restored.", errors)
    return checked


def is_empty() -> bool:
    """Return whether no table of the backup holds a row."""
    return all(not db.session.scalar(select(func.count()).select_from(table)) for table in tables())


def restore_catalogue(
    document: dict[str, Any], progress: Progress = lambda _t, _n: None
) -> dict[str, int]:
    """Insert a backup into the empty database in one transaction; return the counts."""
    rows_by_table = _checked_rows(document)
    if not is_empty():
        raise Conflict(
            "The database is not empty; restore a backup only into a new, empty catalogue."
        )
    counts: dict[str, int] = {}
    try:
        for table in tables():
            rows = rows_by_table.get(table.name, [])
            if rows:
                _insert(table, rows)
            counts[table.name] = len(rows)
            progress(table.name, len(rows))
        _reset_sequences()
        ids = [row["id"] for row in rows_by_table.get("solutions", [])]
        if ids:
            now = utcnow()
            db.session.execute(
                insert(Change),
                [{"entity_type": SOLUTION, "entity_id": i, "created_at": now} for i in ids],
            )
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise InvalidData(
            "The backup is inconsistent (a reference or a unique value clashes); "
            "nothing was restored.",
            {"(file)": [str(exc.orig).splitlines()[0]]},
        ) from exc
    return counts


def _insert(table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert the rows of one table; references to rows of the same table are set afterwards.

    A solution may be based on another one with a higher id, so its reference can point forward.
    """
    own = [
        column.name
        for column in table.columns
        if any(key.column.table is table for key in column.foreign_keys)
    ]
    if not own:
        db.session.execute(insert(table), rows)
        return
    db.session.execute(insert(table), [{**row, **dict.fromkeys(own)} for row in rows])
    kept = [c.name for c in table.columns if c.onupdate is not None]  # updated_at stays as it was
    for name in own:
        linked = [row for row in rows if row.get(name) is not None]
        if linked:
            db.session.execute(
                update(table).where(table.c.id == bindparam("row_id")),
                [
                    {"row_id": row["id"], name: row[name], **{k: row.get(k) for k in kept}}
                    for row in linked
                ],
            )


def _reset_sequences() -> None:
    """Let PostgreSQL hand out ids after the restored ones (SQLite does that by itself)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in tables():
        column = table.columns.get("id")
        if column is None or not column.primary_key or not isinstance(column.type, Integer):
            continue
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )


def rebuild_search() -> int:
    """Build the search index from the restored database; return how many solutions."""
    return search.rebuild(None)
