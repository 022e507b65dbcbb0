"""Benchmark search: ``python -m bench --size 10000``.

1. Make (or reuse) a synthetic catalogue of ``--size`` solutions through the services layer.
2. Rebuild the index in a fresh process and time it; bulk-index the same texts with plain
   Whoosh (no database) for the raw figure.
3. Serve the catalogue with gunicorn on a free loopback port and send the queries of
   ``bench/queries.py`` from this process, one at a time, each on a new connection.
4. Answer the same queries with plain Whoosh in this process (the raw figures).
5. Print each figure beside its raw figure and the target; ``--json`` writes them to a file.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import dataset
from bench.http_load import measure_http, percentiles, search_path, suggest_path, timed
from bench.queries import SEARCHES, SUGGESTS

TARGETS = {
    "search_p95_ms": {10_000: 20.0, 100_000: 60.0},
    "suggest_p95_ms": {100_000: 10.0},
    "rebuild_s": {100_000: 45.0},
    "ratio_p50": 1.5,
}
"""The targets of issue 3, by catalogue size."""


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1000, help="solutions in the catalogue")
    parser.add_argument("--seed", type=int, default=2024, help="seed of the synthetic data")
    parser.add_argument("--rounds", type=int, default=12, help="times each query is sent")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2 cores)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "gjenbrukskatalogen-bench",
        help="where the generated catalogues are kept between runs",
    )
    parser.add_argument(
        "--skip-raw-rebuild", action="store_true", help="no plain-Whoosh bulk index"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    return parser.parse_args()


@contextmanager
def _gunicorn(env: dict[str, str], workers: int, log: Path) -> Iterator[tuple[str, int]]:
    """Serve the catalogue on a free loopback port; yield (host, port); stop it after."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--config",
                "gunicorn.conf.py",
                "--bind",
                "127.0.0.1:0",
                "--workers",
                str(workers),
                "wsgi:app",
            ],
            cwd=dataset.PROJECT_ROOT,
            env={**env, "GUNICORN_CMD_ARGS": "--access-logfile /dev/null"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{log.read_text()}")
            text = log.read_text()
            match = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", text)
            if match and text.count("Booting worker") >= workers:
                break
            time.sleep(0.1)
        else:
            raise RuntimeError(f"gunicorn did not start:\n{log.read_text()}")
        yield "127.0.0.1", int(match.group(1))
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


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


def _raw_documents(folder: Path) -> list[dict[str, Any]]:
    """Return the solutions as documents of the plain schema (read before the clock starts)."""
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


def _flatten(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items()}


def main() -> None:
    """Run the benchmark and print the figures."""
    args = _arguments()
    folder = args.data_dir / f"size-{args.size}-seed-{args.seed}"
    figures: dict[str, Any] = {"size": args.size, "workers": args.workers, "rounds": args.rounds}
    print(f"== catalogue of {args.size} solutions")
    figures.update(dataset.prepare(folder, args.size, args.seed))

    print("== full rebuild (fresh process, database → index)")
    figures.update(dataset.rebuild(folder))
    print(f"   {figures['rebuild_s']:.1f} s ({figures['rebuild_wall_s']:.1f} s with start-up)")
    if not args.skip_raw_rebuild:
        from bench.raw import bulk_index

        documents = _raw_documents(folder)
        with tempfile.TemporaryDirectory() as scratch:
            figures["raw_rebuild_s"] = bulk_index(Path(scratch) / "plain", documents)
        del documents
        print(f"   raw Whoosh bulk index of the same texts: {figures['raw_rebuild_s']:.1f} s")

    searches = [params for group in SEARCHES.values() for params in group]
    env = dataset.env_for(folder)
    with _gunicorn(env, args.workers, folder / "gunicorn.log") as (host, port):
        print(f"== HTTP through gunicorn ({args.workers} workers) on {host}:{port}")
        warm = [search_path(p) for p in searches] + [suggest_path(p) for p in SUGGESTS]
        measure_http(host, port, warm * (2 * args.workers))
        by_group: dict[str, list[float]] = {}
        for _ in range(args.rounds):
            for group, params_list in SEARCHES.items():
                paths = [search_path(_flatten(p)) for p in params_list]
                by_group.setdefault(group, []).extend(measure_http(host, port, paths))
        suggest = []
        for _ in range(args.rounds):
            suggest.extend(measure_http(host, port, [suggest_path(p) for p in SUGGESTS]))

    from bench.raw import RawWhoosh

    live = Path(os.readlink(folder / "index" / "current"))
    raw = RawWhoosh(folder / "index" / live, _Descriptions(folder / "catalogue.sqlite"))
    for params in searches:  # warm the raw engine as the workers were warmed
        raw.search(params)
    raw_by_group: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        for group, params_list in SEARCHES.items():
            for params in params_list:
                raw_by_group.setdefault(group, []).append(timed(lambda p=params: raw.search(p)))
    raw_suggest = [timed(lambda p=p: raw.suggest(p)) for _ in range(args.rounds) for p in SUGGESTS]

    figures["search"] = {g: percentiles(v) for g, v in by_group.items()}
    figures["search"]["all"] = percentiles([x for v in by_group.values() for x in v])
    figures["raw_search"] = {g: percentiles(v) for g, v in raw_by_group.items()}
    figures["raw_search"]["all"] = percentiles([x for v in raw_by_group.values() for x in v])
    figures["suggest"] = percentiles(suggest)
    figures["raw_suggest"] = percentiles(raw_suggest)
    _report(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


def _target(kind: str, size: int) -> float | None:
    by_size = TARGETS[kind]
    assert isinstance(by_size, dict)
    return by_size.get(size)


def _verdict(value: float, target: float | None) -> str:
    if target is None:
        return ""
    return f"target ≤ {target:g}: {'met' if value <= target else 'NOT met'}"


def _report(f: dict[str, Any]) -> None:
    size = f["size"]
    print()
    print(f"== results, {size} solutions (ms unless marked; catalogue | raw Whoosh)")
    print(f"{'figure':<34} {'catalogue':>18} {'raw Whoosh':>18}  ratio p50")
    for group in [*SEARCHES, "all"]:
        ours, raw = f["search"][group], f["raw_search"][group]
        ratio = ours["p50"] / raw["p50"] if raw["p50"] else float("nan")
        print(
            f"{'search ' + group + ' p50 / p95':<34} {ours['p50']:>8.1f} / {ours['p95']:<7.1f}"
            f" {raw['p50']:>8.1f} / {raw['p95']:<7.1f}  {ratio:>5.2f}"
        )
    ours, raw = f["suggest"], f["raw_suggest"]
    print(
        f"{'suggest p50 / p95':<34} {ours['p50']:>8.1f} / {ours['p95']:<7.1f}"
        f" {raw['p50']:>8.1f} / {raw['p95']:<7.1f}  {ours['p50'] / raw['p50']:>5.2f}"
    )
    raw_rebuild = f.get("raw_rebuild_s")
    print(
        f"{'full rebuild (s)':<34} {f['rebuild_s']:>18.1f} "
        f"{raw_rebuild if raw_rebuild is None else round(raw_rebuild, 1)!s:>18}"
    )
    print()
    search_p95 = f["search"]["all"]["p95"]
    ratio = f["search"]["all"]["p50"] / f["raw_search"]["all"]["p50"]
    print(f"search p95 {search_p95:.1f} ms  {_verdict(search_p95, _target('search_p95_ms', size))}")
    print(
        f"suggest p95 {f['suggest']['p95']:.1f} ms  "
        f"{_verdict(f['suggest']['p95'], _target('suggest_p95_ms', size))}"
    )
    print(f"rebuild {f['rebuild_s']:.1f} s  {_verdict(f['rebuild_s'], _target('rebuild_s', size))}")
    print(f"endpoint p50 / raw p50 = {ratio:.2f}  {_verdict(ratio, TARGETS['ratio_p50'])}")


if __name__ == "__main__":
    main()
