"""What collapsing families costs a search: ``.venv/bin/python -m bench.families [--size N]``.

On the synthetic catalogue of ``--size`` solutions (made or reused by ``bench/dataset.py``; 5 %
of its solutions are based on an earlier one, so families of two and more form), the searches
of ``bench/queries.py`` are answered in-process by the search service, each once with
``collapse_families`` and once without, alternating, so both see the same machine noise. The
index is rebuilt first and warmed with one pass. Prints the medians, their ratio and how many
solutions have a relative.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from bench.dataset import env_for, prepare, rebuild
from bench.queries import FACET_SEARCHES, SEARCHES

DATA_ROOT = Path("/tmp/gjenbrukskatalogen-bench")


def _params(query: dict[str, Any], collapse: bool) -> Any:
    from app.services.search import SearchParams

    lists = {k: v if isinstance(v, list) else [v] for k, v in query.items() if k not in ("q",)}
    lists.pop("page", None)
    lists.pop("sort", None)
    return SearchParams(
        q=query.get("q", ""),
        page=query.get("page", 1),
        sort=query.get("sort", "relevance"),
        collapse_families=collapse,
        **lists,
    )


def measure(size: int, seed: int, rounds: int) -> dict[str, Any]:
    """Return the medians (ms) of the searches with and without collapsing, and their ratio."""
    from sqlalchemy import func, select

    from app import create_app
    from app.extensions import db
    from app.models import Solution
    from app.services.search import search_solutions

    folder = DATA_ROOT / f"size-{size}-seed-{seed}"
    prepare(folder, size, seed)
    rebuilt = rebuild(folder)
    env = env_for(folder)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
            "SEARCH_INDEX_DIR": env["SEARCH_INDEX_DIR"],
            "SECRET_KEY": "bench-families",
        }
    )
    queries = [q for group in (*SEARCHES.values(), *FACET_SEARCHES.values()) for q in group]
    times: dict[bool, list[float]] = {False: [], True: []}
    with app.app_context():
        variants = db.session.scalar(
            select(func.count()).select_from(Solution).where(Solution.based_on_id.is_not(None))
        )
        for query in queries:  # warm the caches of both
            for collapse in (False, True):
                search_solutions(_params(query, collapse))
        for _ in range(rounds):
            for query in queries:
                for collapse in (False, True):
                    started = time.perf_counter()
                    search_solutions(_params(query, collapse))
                    times[collapse].append((time.perf_counter() - started) * 1000)
            db.session.remove()
    plain = statistics.median(times[False])
    collapsed = statistics.median(times[True])
    return {
        "size": size,
        "solutions_with_an_original": variants,
        "rebuild_s": round(rebuilt["rebuild_s"], 1),
        "searches": len(times[True]),
        "median_ms_plain": round(plain, 2),
        "median_ms_collapsed": round(collapsed, 2),
        "p95_ms_plain": round(statistics.quantiles(times[False], n=20)[-1], 2),
        "p95_ms_collapsed": round(statistics.quantiles(times[True], n=20)[-1], 2),
        "ratio": round(collapsed / plain, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=2000, help="solutions (default 2000)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--rounds", type=int, default=5, help="passes over the queries")
    args = parser.parse_args()
    print(json.dumps(measure(args.size, args.seed, args.rounds), indent=2))


if __name__ == "__main__":
    main()
