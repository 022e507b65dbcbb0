"""The in-process references for search: plain Whoosh (library floor) and FTS5 (SQL floor).

Both answer the searches of ``bench/queries.py`` in this process, warmed as the workers were,
``rounds`` times each; their texts are the same solutions read from the kept catalogue.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import dataset
from bench.http_load import percentiles, timed
from bench.queries import FACET_SEARCHES, SEARCHES, SUGGESTS


class _Descriptions:
    """Descriptions read from the database when a hit needs one (as the endpoint does)."""

    def __init__(self, database: Path) -> None:
        self.connection = sqlite3.connect(database)

    def get(self, solution_id: str, default: str = "") -> str:
        from app.search.documents import plain_text

        row = self.connection.execute(
            "SELECT description FROM solutions WHERE id = ?", (int(solution_id),)
        ).fetchone()
        return plain_text(row[0]) if row else default


def raw_documents(folder: Path) -> list[dict[str, Any]]:
    """Return the solutions as documents of the plain schema (read before any clock starts)."""
    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from app.models import Solution
    from app.search.documents import document_load_options, plain_text

    env = dataset.env_for(folder)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
            "SEARCH_INDEX_DIR": env["SEARCH_INDEX_DIR"],
            "SECRET_KEY": "bench",
        }
    )
    documents = []
    with app.app_context():
        ids = list(db.session.scalars(select(Solution.id).order_by(Solution.id)))
        for start in range(0, len(ids), 1000):
            rows = db.session.scalars(
                select(Solution)
                .where(Solution.id.in_(ids[start : start + 1000]))
                .options(*document_load_options())
            )
            for s in rows:
                documents.append(
                    {
                        "id": str(s.id),
                        "name": s.name,
                        "summary": s.summary,
                        "description": plain_text(s.description),
                        "tags": ",".join(s.tags),
                        "kind": s.kind,
                        "status": s.status,
                        "owner": s.owner.slug,
                        "themes": ",".join(s.theme_slugs),
                        "standards": ",".join(s.standard_slugs),
                        "adopted_by": ",".join(a.organisation.slug for a in s.active_adoptions),
                        "adoption_count": s.adoption_count,
                    }
                )
            db.session.expunge_all()
        db.engine.dispose()
    return documents


def _by_group(search: Callable[[dict[str, Any]], Any], rounds: int) -> dict[str, dict]:
    groups = {**SEARCHES, **FACET_SEARCHES}
    for params_list in groups.values():  # warm, as the workers were warmed
        for params in params_list:
            search(params)
    times: dict[str, list[float]] = {}
    for _ in range(rounds):
        for group, params_list in groups.items():
            for params in params_list:
                times.setdefault(group, []).append(timed(lambda p=params: search(p)))
    figures = {group: percentiles(v) for group, v in times.items()}
    figures["all"] = percentiles([x for g in SEARCHES for x in times[g]])
    return figures


def raw_whoosh_figures(folder: Path, rounds: int) -> dict[str, Any]:
    """Time the searches and type-ahead with plain Whoosh on the kept catalogue's index."""
    from bench.raw import RawWhoosh

    live = Path(os.readlink(folder / "index" / "current"))
    raw = RawWhoosh(folder / "index" / live, _Descriptions(folder / "catalogue.sqlite"))
    for prefix in SUGGESTS:
        raw.suggest(prefix)
    suggest = [timed(lambda p=p: raw.suggest(p)) for _ in range(rounds) for p in SUGGESTS]
    return {"raw_search": _by_group(raw.search, rounds), "raw_suggest": percentiles(suggest)}


def fts5_build(path: Path, documents: list[dict[str, Any]]) -> dict[str, float]:
    """Build the FTS5 table of the same texts; return its build time."""
    from bench.fts5 import build

    return {"fts5_build_s": round(build(path, documents), 3)}


def fts5_figures(path: Path, rounds: int) -> dict[str, Any]:
    """Time the searches with FTS5 (hits, highlights and total; no facets)."""
    from bench.fts5 import Fts5

    return {"fts5_search": _by_group(Fts5(path).search, rounds)}
