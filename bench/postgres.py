"""A copy of the benchmark's SQLite catalogue in PostgreSQL, for the same measurements there.

The copy is made afresh on every run, so the writes of one run never reach the next:

1. empty the database's ``public`` schema and mark it with a ``bench_copy`` table (only a
   database so marked, or an empty one: one with other tables and no marker is refused);
2. migrate it with ``flask --app wsgi db upgrade`` (the schema production gets);
3. copy every table of the app's metadata in foreign-key order, through SQLAlchemy Core with
   the app's own column types, so booleans, times and JSON convert as the app expects;
4. move each id sequence past the copied ids, and note the source in the marker.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, Integer, create_engine, inspect, select, text

from bench.dataset import PROJECT_ROOT

BATCH = 5000
"""Rows per INSERT batch."""

MARKER = "bench_copy"
"""Table that says the database holds a benchmark copy (and may be emptied)."""


def _engine(url: str) -> Engine:
    from app.config import normalise_database_url

    return create_engine(normalise_database_url(url), connect_args={"options": "-c timezone=UTC"})


def _empty(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    if tables and MARKER not in tables:
        raise SystemExit(
            f"refusing to empty {engine.url.render_as_string(hide_password=True)}: it holds "
            f"tables ({', '.join(sorted(tables)[:5])}, …) but no {MARKER} marker. "
            "Give DATABASE_URL a database of its own for the benchmark."
        )
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
        # Marked before anything else, so a copy that fails halfway may still be emptied.
        connection.execute(text(f"CREATE TABLE {MARKER} (source text, copied_at timestamptz)"))


def _migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        check=True,
    )


def copy_catalogue(
    sqlite_file: Path, url: str, env: dict[str, str], log: Callable[[str], None] = print
) -> dict[str, float]:
    """Copy the catalogue in ``sqlite_file`` into the PostgreSQL database at ``url``."""
    import app.models  # noqa: F401 - registers the tables on the metadata
    from app.extensions import db

    started = time.perf_counter()
    target = _engine(url)
    source = create_engine(f"sqlite:///{sqlite_file}")
    _empty(target)
    _migrate(env)
    counts: dict[str, int] = {}
    with source.connect() as reading, target.begin() as writing:
        for table in db.metadata.sorted_tables:
            result = reading.execute(select(table)).mappings()
            count = 0
            while batch := [dict(row) for row in result.fetchmany(BATCH)]:
                writing.execute(table.insert(), batch)
                count += len(batch)
            counts[table.name] = count
            for column in table.primary_key.columns:
                if isinstance(column.type, Integer) and (
                    column.autoincrement is True
                    or (column.autoincrement == "auto" and len(table.primary_key.columns) == 1)
                ):
                    writing.execute(
                        text(
                            "SELECT setval(pg_get_serial_sequence(:t, :c), "  # noqa: S608
                            f'(SELECT coalesce(max("{column.name}"), 0) + 1 FROM "{table.name}"), '
                            "false)"
                        ),
                        {"t": table.name, "c": column.name},
                    )
        writing.execute(
            text(f"INSERT INTO {MARKER} VALUES (:source, now())"),  # noqa: S608 - a constant
            {"source": str(sqlite_file)},
        )
    with target.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()
    source.dispose()
    target.dispose()
    seconds = round(time.perf_counter() - started, 1)
    log(f"   copied {sum(counts.values())} rows of {len(counts)} tables in {seconds} s")
    return {"pg_copy_s": seconds, "pg_rows": sum(counts.values())}
