"""Warm requests on two checkouts, side by side:
``.venv/bin/python -m bench.before_after OLD_TREE URL… [--database-url URL] [--rounds N]``.

Each round runs one process per tree (the old checkout first, then this one), alternating so
both see the same machine noise; each process answers every URL in-process with the Flask test
client, twice to warm up, then ``--requests`` times. Prints the median of each process's
medians, per URL and tree, and their ratio. The database is the kept SQLite catalogue of
``--size`` solutions (``bench/dataset.py``) unless ``--database-url`` names another (for
PostgreSQL: a copy made by ``bench/postgres.py``). Make the old tree with
``git worktree add /tmp/wt-old <commit>``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.dataset import PROJECT_ROOT

ONE_PROCESS = """
import json, os, statistics, sys, time
from app import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": os.environ["DATABASE_URL"]})
client = app.test_client()
requests = int(sys.argv[1])
medians = {}
for url in sys.argv[2:]:
    for _ in range(2):
        client.get(url)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    medians[url] = statistics.median(times)
print(json.dumps(medians))
"""


def measure(
    old_tree: Path, urls: list[str], database_url: str, rounds: int, requests: int
) -> dict[str, dict[str, float]]:
    """Return {"before"|"after": {url: median of the rounds' medians in ms}}."""
    runs: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
    with tempfile.TemporaryDirectory() as index:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SEARCH_INDEX_DIR": index,
            "SECRET_KEY": "bench-before-after",
        }
        for _ in range(rounds):
            for name, tree in (("before", old_tree), ("after", PROJECT_ROOT)):
                result = subprocess.run(
                    [sys.executable, "-c", ONE_PROCESS, str(requests), *urls],
                    cwd=tree,
                    env={**env, "PYTHONPATH": str(tree)},
                    capture_output=True,
                    text=True,
                    check=True,
                )
                for url, ms in json.loads(result.stdout.strip().splitlines()[-1]).items():
                    runs[name].setdefault(url, []).append(ms)
    return {
        name: {url: statistics.median(times) for url, times in by_url.items()}
        for name, by_url in runs.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old_tree", type=Path)
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--database-url")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.gettempdir()) / "gjenbrukskatalogen-bench"
    database = args.database_url or (
        f"sqlite:///{folder / f'size-{args.size}-seed-{args.seed}' / 'catalogue.sqlite'}"
    )
    result = measure(args.old_tree, args.urls, database, args.rounds, args.requests)
    for url in args.urls:
        before, after = result["before"][url], result["after"][url]
        print(f"{url}: before {before:.1f} ms, after {after:.1f} ms, ratio {before / after:.1f}")


if __name__ == "__main__":
    main()
