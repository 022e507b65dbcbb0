"""Relevance on the example catalogue: nDCG@10 and zero-hit rate, beside two references.

``python -m bench.relevance`` loads ``catalogue_data/`` into a scratch SQLite database, builds
the catalogue's index, and answers every query of ``bench/relevance_judgements.yaml`` three ways
in this process:

- **catalogue**: the search service, as the page and the API answer (compound words, the
  any-word fallback, spelling correction of a query that finds nothing);
- **plain Whoosh**: Whoosh's default analyser (``StandardAnalyzer``: lowercase, English stop
  words, no stemming) over name, summary, description, tags and the theme, standard, owner
  and vendor names, queried with its ``MultifieldParser`` (every word required);
- **SQLite FTS5**: the default ``unicode61`` tokenizer over the same text, every word required
  and a prefix (``bygg*``), ranked by ``bm25``.

nDCG@10 uses the graded judgements (gain ``2^grade - 1``, log2 discount); the ideal ranking is
every judged solution sorted by grade. A query "has zero hits" when a system returns nothing.
``--json FILE`` writes every figure, per query too.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
JUDGEMENTS = ROOT / "bench" / "relevance_judgements.yaml"
DEPTH = 10
"""Hits of each answer that count (nDCG@10)."""

TEXT_FIELDS = ("name", "summary", "description", "tags", "context")

FTS5_WEIGHTS = "10.0, 4.0, 1.0, 4.0, 1.0"
"""bm25 weights of the text fields in FTS5: names count most, as in the catalogue's index."""

FTS5_QUERY = f"SELECT slug FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, {FTS5_WEIGHTS}) LIMIT ?"  # noqa: E501, S608 - built from constants


def load_judgements(path: Path = JUDGEMENTS) -> list[dict[str, Any]]:
    """Return the judged queries: ``q``, ``kind`` and ``relevant`` (slug → grade 1–3)."""
    queries = yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]
    for item in queries:
        if not item.get("relevant"):
            raise ValueError(f"{item['q']!r} has no relevant solution")
    return queries


def ndcg(ranking: list[str], relevant: dict[str, int], depth: int = DEPTH) -> float:
    """Return the nDCG@depth of a ranking of slugs against graded judgements."""

    def dcg(grades: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:depth]))

    ideal = dcg(sorted(relevant.values(), reverse=True))
    return dcg([relevant.get(slug, 0) for slug in ranking]) / ideal if ideal else 0.0


def _catalogue(folder: Path) -> Any:
    """Return an app with the example catalogue loaded and indexed in ``folder``."""
    from flask_migrate import upgrade

    from app import create_app, search
    from app.extensions import db
    from app.services import catalogue

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'catalogue.sqlite'}",
            "SEARCH_INDEX_DIR": str(folder / "index"),
            "SECRET_KEY": "bench-relevance",
        }
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        catalogue.load_catalogue_data(ROOT / "catalogue_data")
        db.session.commit()
        search.rebuild()
    return app


def _documents(app: Any) -> list[dict[str, str]]:
    """Return each published solution's slug and texts, as the index sees them."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Solution
    from app.search.documents import document_load_options, solution_to_document

    with app.app_context():
        rows = db.session.scalars(
            select(Solution).where(Solution.is_draft.is_(False)).options(*document_load_options())
        )
        return [
            {"slug": s.slug, **{f: solution_to_document(s)[f] or "" for f in TEXT_FIELDS}}
            for s in rows
        ]


def catalogue_search(app: Any) -> Any:
    """Return a function answering a query with the catalogue's search service."""
    from app.services.search import SearchParams, search_solutions

    def answer(q: str) -> list[str]:
        with app.app_context():
            result = search_solutions(SearchParams(q=q, page_size=DEPTH), load_adoptions=False)
            return [hit.solution.slug for hit in result.hits]

    return answer


def whoosh_search(folder: Path, documents: list[dict[str, str]]) -> Any:
    """Return a function answering a query with plain Whoosh and its default analyser."""
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import MultifieldParser

    schema = Schema(slug=ID(stored=True), **{f: TEXT() for f in TEXT_FIELDS})
    ix = index.create_in(str(folder), schema)
    with ix.writer() as writer:
        for document in documents:
            writer.add_document(**document)
    searcher = ix.searcher()
    parser = MultifieldParser(list(TEXT_FIELDS), schema)

    def answer(q: str) -> list[str]:
        hits = searcher.search(parser.parse(q), limit=DEPTH)
        return [hit["slug"] for hit in hits]

    return answer


def fts5_search(path: Path, documents: list[dict[str, str]]) -> Any:
    """Return a function answering a query with SQLite FTS5 (unicode61, prefix words)."""
    connection = sqlite3.connect(path)
    connection.execute(
        f"CREATE VIRTUAL TABLE docs USING fts5(slug UNINDEXED, {', '.join(TEXT_FIELDS)})"
    )
    connection.executemany(
        f"INSERT INTO docs VALUES (?, {', '.join('?' * len(TEXT_FIELDS))})",  # noqa: S608
        [(d["slug"], *(d[f] for f in TEXT_FIELDS)) for d in documents],
    )
    connection.commit()

    def answer(q: str) -> list[str]:
        words = re.findall(r"\w+", q.lower())
        if not words:
            return []
        expression = " ".join(f'"{w}"*' for w in words)
        rows = connection.execute(FTS5_QUERY, (expression, DEPTH)).fetchall()
        return [slug for (slug,) in rows]

    return answer


def measure(queries: list[dict[str, Any]]) -> dict[str, Any]:
    """Answer every query with the three systems; return the figures per system and query."""
    with tempfile.TemporaryDirectory(prefix="gk-relevance-") as scratch:
        folder = Path(scratch)
        app = _catalogue(folder)
        documents = _documents(app)
        (folder / "whoosh").mkdir()
        systems = {
            "catalogue": catalogue_search(app),
            "plain Whoosh": whoosh_search(folder / "whoosh", documents),
            "SQLite FTS5": fts5_search(folder / "fts5.sqlite", documents),
        }
        figures: dict[str, Any] = {}
        for name, answer in systems.items():
            per_query = []
            for item in queries:
                ranking = answer(item["q"])
                per_query.append(
                    {
                        "q": item["q"],
                        "kind": item.get("kind", ""),
                        "ndcg": ndcg(ranking, item["relevant"]),
                        "hits": ranking,
                    }
                )
            figures[name] = {
                "ndcg": sum(p["ndcg"] for p in per_query) / len(per_query),
                "zero_hit_rate": sum(1 for p in per_query if not p["hits"]) / len(per_query),
                "queries": per_query,
            }
        return {"queries": len(queries), "documents": len(documents), "systems": figures}


def report(figures: dict[str, Any]) -> str:
    """Return the figures as the text docs/PERFORMANCE.md quotes."""
    systems = figures["systems"]
    kinds = sorted({p["kind"] for p in systems["catalogue"]["queries"]})
    names = list(systems)
    lines = [
        f"== relevance: {figures['queries']} judged queries over the example catalogue "
        f"({figures['documents']} solutions), nDCG@{DEPTH}",
        "",
        f"{'':28}" + "".join(f"{n:>16}" for n in names),
        f"{'nDCG@10 (mean)':28}" + "".join(f"{systems[n]['ndcg']:>16.3f}" for n in names),
        f"{'zero-hit rate':28}" + "".join(f"{systems[n]['zero_hit_rate']:>16.1%}" for n in names),
        "",
        "nDCG@10 by kind of query (queries)",
    ]
    for kind in kinds:
        count = sum(1 for p in systems["catalogue"]["queries"] if p["kind"] == kind)
        row = f"  {kind + f' ({count})':26}"
        for n in names:
            scores = [p["ndcg"] for p in systems[n]["queries"] if p["kind"] == kind]
            row += f"{sum(scores) / len(scores):>16.3f}"
        lines.append(row)
    zero = [p["q"] for p in systems["catalogue"]["queries"] if not p["hits"]]
    lines += ["", f"catalogue queries with no hit: {', '.join(zero) if zero else 'none'}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure and print; ``--json FILE`` also writes every figure."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.relevance", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--judgements", type=Path, default=JUDGEMENTS)
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args(argv)
    figures = measure(load_judgements(args.judgements))
    print(report(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
