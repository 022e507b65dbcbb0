"""The benchmark's catalogue: a SQLite database of N synthetic solutions, made once and kept.

Generating 100,000 solutions through the services takes a while, so a database is kept per
(size, seed) in the data folder and reused by later runs; the search index is always rebuilt
(that is one of the figures).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.synthetic import generate

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_FILE_VERSION = 6
"""Bump when the generator changes, so old databases are not reused."""


def env_for(
    folder: Path, *, database_url: str | None = None, index_dir: Path | None = None
) -> dict[str, str]:
    """Return the environment of catalogue processes on the benchmark's database.

    By default the kept SQLite catalogue in ``folder`` and its index; the HTTP runs point the
    processes at a working copy (or PostgreSQL) and an index of their own instead.
    """
    import os

    return {
        **os.environ,
        "DATABASE_URL": database_url or f"sqlite:///{folder / 'catalogue.sqlite'}",
        "SEARCH_INDEX_DIR": str(index_dir or folder / "index"),
        "SECRET_KEY": "bench",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def prepare(
    folder: Path, size: int, seed: int, log: Callable[[str], None] = print
) -> dict[str, float]:
    """Make (or reuse) the database of ``size`` solutions in ``folder``; return its figures."""
    marker = folder / "dataset.json"
    wanted = {"size": size, "seed": seed, "version": DATA_FILE_VERSION}
    if marker.exists() and json.loads(marker.read_text()).get("wanted") == wanted:
        log(f"reusing the catalogue of {size} solutions in {folder}")
        _migrate(folder)
        return json.loads(marker.read_text())["figures"]
    folder.mkdir(parents=True, exist_ok=True)
    for stale in ("catalogue.sqlite", "catalogue.sqlite-wal", "catalogue.sqlite-shm"):
        (folder / stale).unlink(missing_ok=True)
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.services import catalogue

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'catalogue.sqlite'}",
            "SEARCH_INDEX_DIR": str(folder / "index"),
            "SECRET_KEY": "bench",
        }
    )
    with app.app_context():
        # Slugs are lowercase, so a case-sensitive LIKE means the same; it lets SQLite use the
        # slug index for ``unique_slug``'s prefix query instead of scanning every solution,
        # which makes generating 100,000 solutions hours faster.
        event.listen(db.engine, "connect", _case_sensitive_like)
        db.engine.dispose()
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        catalogue.load_catalogue_data(PROJECT_ROOT / "catalogue_data", with_solutions=False)
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if done % 5000 == 0 or done == total:
                log(f"  generated {done}/{total} solutions ({time.perf_counter() - started:.0f} s)")

        adoptions = generate(size, seed=seed, progress=progress)
        seconds = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    figures = {"generate_s": round(seconds, 1), "adoptions": adoptions}
    marker.write_text(json.dumps({"wanted": wanted, "figures": figures}))
    return figures


def prepare_example(folder: Path, log: Callable[[str], None] = print) -> dict[str, float]:
    """Load the example catalogue of ``catalogue_data/`` into ``folder`` (as ``catalogue init``
    does for ``make run``); made anew each time, it takes seconds. Return its figures."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in ("catalogue.sqlite", "catalogue.sqlite-wal", "catalogue.sqlite-shm"):
        (folder / stale).unlink(missing_ok=True)
    shutil.rmtree(folder / "index", ignore_errors=True)
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "catalogue", "init"],
        cwd=PROJECT_ROOT,
        env=env_for(folder),
        capture_output=True,
        check=True,
    )
    connection = sqlite3.connect(folder / "catalogue.sqlite")
    try:
        solutions, adoptions = connection.execute(
            "SELECT (SELECT count(*) FROM solutions), (SELECT count(*) FROM adoptions)"
        ).fetchone()
    finally:
        connection.close()
    log(f"  the example catalogue: {solutions} solutions, {adoptions} adoptions")
    return {"solutions": solutions, "adoptions": adoptions}


def _case_sensitive_like(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA case_sensitive_like = ON")
    cursor.close()


def _migrate(folder: Path) -> None:
    """Bring a kept database to the current schema (as ``catalogue init`` would)."""
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=PROJECT_ROOT,
        env=env_for(folder),
        capture_output=True,
        check=True,
    )


REBUILD = """
import json, time
from app import create_app, search
app = create_app()
with app.app_context():
    started = time.perf_counter()
    count = search.rebuild()
    print(json.dumps({"count": count, "seconds": time.perf_counter() - started}))
"""


def rebuild(folder: Path, env: dict[str, str] | None = None) -> dict[str, float]:
    """Rebuild the index in a fresh process (as ``flask search rebuild`` does); return timings.

    ``env`` (default: the kept catalogue in ``folder``) says which database and index.
    """
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", REBUILD],
        cwd=PROJECT_ROOT,
        env=env or env_for(folder),
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return {"rebuild_s": figures["seconds"], "rebuild_wall_s": wall, "count": figures["count"]}
