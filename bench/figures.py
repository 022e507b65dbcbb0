"""What the per-position figures and the capped organisation detail save:
``.venv/bin/python -m bench.figures [--size N]``.

On the synthetic catalogue of ``--size`` solutions (made or reused by ``bench/dataset.py``),
each request is answered in-process by the Flask test client (no HTTP), two ways, alternating
so both see the same machine noise:

- the front page, ``/gevinster`` and ``/api/v1/stats``, once with the catalogue-wide figures
  kept per catalogue position (the catalogue as it runs) and once with the kept figures dropped
  before the request (every request computes them, as before ``services/position_cache``);
- ``/api/v1/organisations/5001`` (Trondheim, the biggest owner) with its first 100 rows (the
  default) and with ``?embed=all`` (every row, v1's shape before the cap).

Prints the medians of each, and their ratios.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from bench.dataset import env_for, prepare, rebuild

DATA_ROOT = Path("/tmp/gjenbrukskatalogen-bench")

PAGES = ("/", "/gevinster", "/api/v1/stats")
DETAIL = "/api/v1/organisations/5001"


def _timed(client: Any, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(response.get_data())


def measure(size: int, seed: int, rounds: int) -> dict[str, Any]:
    """Return the medians (ms) of each request both ways, and their ratios."""
    from app import create_app
    from app.services import position_cache

    folder = DATA_ROOT / f"size-{size}-seed-{seed}"
    prepare(folder, size, seed)
    rebuild(folder)
    env = env_for(folder)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
            "SEARCH_INDEX_DIR": env["SEARCH_INDEX_DIR"],
            "SECRET_KEY": "bench-figures",
        }
    )
    client = app.test_client()
    kept_figures = app.extensions.setdefault(position_cache.EXTENSION, {})
    times: dict[str, list[float]] = {}
    sizes: dict[str, int] = {}

    def run(label: str, url: str, *, drop: bool = False) -> None:
        if drop:
            kept_figures.clear()
        elapsed, length = _timed(client, url)
        times.setdefault(label, []).append(elapsed)
        sizes[label] = length

    for url in (*PAGES, DETAIL, f"{DETAIL}?embed=all"):  # warm: templates, index, caches
        _timed(client, url)
    for _ in range(rounds):
        for url in PAGES:
            run(f"{url} computed", url, drop=True)
            run(f"{url} kept", url)
        run("detail first 100", DETAIL)
        run("detail embed=all", f"{DETAIL}?embed=all")
    medians = {label: round(statistics.median(values), 2) for label, values in times.items()}
    ratios = {url: round(medians[f"{url} kept"] / medians[f"{url} computed"], 3) for url in PAGES}
    ratios["detail"] = round(medians["detail first 100"] / medians["detail embed=all"], 3)
    return {
        "size": size,
        "rounds": rounds,
        "median_ms": medians,
        "ratio": ratios,
        "bytes": {
            "detail first 100": sizes["detail first 100"],
            "detail embed=all": sizes["detail embed=all"],
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=2000, help="solutions (default 2000)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--rounds", type=int, default=15, help="passes over the requests")
    args = parser.parse_args()
    print(json.dumps(measure(args.size, args.seed, args.rounds), indent=2))


if __name__ == "__main__":
    main()
