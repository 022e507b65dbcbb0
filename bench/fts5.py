"""The SQL floor: SQLite FTS5 over the same texts, answering the same searches in-process.

One FTS5 table holds name, summary, description (plain text) and tags, with the filter values
beside them as UNINDEXED columns. A search is one MATCH with bm25 ordering, LIMIT 20, with
highlights of name and summary and a snippet of the description, plus a COUNT for the total;
browsing (no words) orders by adoptions. Every word is a prefix query (``byggesak*``), which
finds compound heads (``byggesaksbehandling``) but not tails (``behandling``), and there is no
stemming beyond that, no typo tolerance and no facet counts: it is a floor, not an equal.
"""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path
from typing import Any

PAGE_SIZE = 20

TEXT_COLUMNS = ("name", "summary", "description", "tags")
FILTER_COLUMNS = ("sid", "kind", "status", "owner", "themes", "standards", "adopted_by")
SINGLE_VALUED = {"kind": "kind", "status": "status", "owner": "owner"}
MULTI_VALUED = {"theme": "themes", "standard": "standards", "adopted_by": "adopted_by"}
"""Search filters → the column holding their values (comma-separated when multi-valued)."""

WEIGHTS = "10.0, 4.0, 1.0, 4.0"
"""bm25 weights of name, summary, description and tags: names count most, as in the index."""

_WORD = re.compile(r"\w+")


def build(path: Path, documents: list[dict[str, Any]]) -> float:
    """Create the FTS5 table in a new file and fill it; return the seconds it took."""
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    columns = ", ".join(
        [*TEXT_COLUMNS, *(f"{c} UNINDEXED" for c in FILTER_COLUMNS), "adoptions UNINDEXED"]
    )
    connection.execute(f"CREATE VIRTUAL TABLE solutions USING fts5({columns})")
    names = [*TEXT_COLUMNS, *FILTER_COLUMNS, "adoptions"]
    rows = [
        (
            *(d[c] for c in TEXT_COLUMNS),
            int(d["id"]),
            *(d[c] for c in FILTER_COLUMNS[1:]),
            d["adoption_count"],
        )
        for d in documents
    ]
    started = time.perf_counter()
    connection.executemany(
        f"INSERT INTO solutions ({', '.join(names)}) "  # noqa: S608 - built from constants
        f"VALUES ({', '.join('?' * len(names))})",
        rows,
    )
    connection.commit()
    seconds = time.perf_counter() - started
    connection.close()
    return seconds


def match_expression(text: str) -> str:
    """Return the FTS5 query of ``text``: every word a quoted prefix, all of them required."""
    return " ".join(f'"{word}"*' for word in _WORD.findall(text.lower()))


def _filters(params: dict[str, Any]) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    for name, value in params.items():
        if name not in SINGLE_VALUED | MULTI_VALUED:
            continue
        values = [value] if isinstance(value, str) else list(value)
        if name in SINGLE_VALUED:
            where.append(f"{SINGLE_VALUED[name]} IN ({', '.join('?' * len(values))})")
            args += values
        else:
            column = MULTI_VALUED[name]
            where.append(
                "(" + " OR ".join(f"instr(',' || {column} || ',', ?)" for _ in values) + ")"
            )
            args += [f",{v}," for v in values]
    return where, args


class Fts5:
    """Searches on the FTS5 file made by ``build``."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path)

    def search(self, params: dict[str, Any]) -> int:
        """Answer one search: 20 hits with highlights and the total; return the total."""
        where, args = _filters(params)
        offset = (int(params.get("page", 1)) - 1) * PAGE_SIZE
        expression = match_expression(params.get("q", ""))
        if expression:
            where.insert(0, "solutions MATCH ?")
            args.insert(0, expression)
            columns = (
                "sid, highlight(solutions, 0, '<mark>', '</mark>'), "
                "highlight(solutions, 1, '<mark>', '</mark>'), "
                "snippet(solutions, 2, '<mark>', '</mark>', '…', 24)"
            )
            order = f"bm25(solutions, {WEIGHTS})"
        else:
            columns = "sid, name, summary"
            order = "sid DESC" if params.get("sort") == "newest" else "adoptions DESC, sid"
        condition = f"WHERE {' AND '.join(where)}" if where else ""
        self.connection.execute(
            f"SELECT {columns} FROM solutions {condition} ORDER BY {order} "  # noqa: S608
            f"LIMIT {PAGE_SIZE} OFFSET {offset}",
            args,
        ).fetchall()
        (total,) = self.connection.execute(
            f"SELECT count(*) FROM solutions {condition}",  # noqa: S608 - built from constants
            args,
        ).fetchone()
        return int(total)
