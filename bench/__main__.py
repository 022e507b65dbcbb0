"""Benchmark the catalogue beside its floors: ``python -m bench --size 10000``.

1. Make (or reuse) a synthetic catalogue of ``--size`` solutions through the services layer.
2. Rebuild its index in a fresh process and time it; bulk-index the same texts with plain
   Whoosh and build an SQLite FTS5 table of them (the library and SQL floors).
3. Serve a minimal Flask app under the same gunicorn and time it (the framework floor).
4. Serve a working copy of the catalogue (SQLite) with gunicorn and time, from a separate load
   process over loopback: searches, type-ahead, API list and detail endpoints, pages,
   throughput at 1, 4 and 16 clients, writes until searchable; then each worker's peak memory.
5. With ``DATABASE_URL`` (PostgreSQL): copy the catalogue there, rebuild an index from it and
   repeat step 4 against it.
6. Answer the same searches with plain Whoosh and with FTS5 in this process.
7. Print each figure beside its references and the ratio; ``--json`` writes them all.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import dataset
from bench.floors import fts5_build, fts5_figures, raw_documents, raw_whoosh_figures
from bench.pages import pick_slug
from bench.report import report
from bench.server import gunicorn
from bench.suite import Plan, measure_catalogue, measure_floor
from bench.writes import create_token, write_items


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1000, help="solutions in the catalogue")
    parser.add_argument(
        "--example",
        action="store_true",
        help="measure the example catalogue of catalogue_data/ (what `make run` serves) "
        "instead of a synthetic one",
    )
    parser.add_argument("--seed", type=int, default=2024, help="seed of the synthetic data")
    parser.add_argument("--rounds", type=int, default=12, help="times each request is sent")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2 cores)")
    parser.add_argument(
        "--clients", default="1,4,16", help="concurrent clients of the throughput runs"
    )
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each throughput run")
    parser.add_argument("--writes", type=int, default=20, help="writes timed until searchable")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="for development: 2 rounds, 2 s throughput runs, 5 writes",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "gjenbrukskatalogen-bench",
        help="where the generated catalogues are kept between runs",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="PostgreSQL database to measure as well (default: $DATABASE_URL); "
        "it is emptied and gets a copy of the catalogue",
    )
    parser.add_argument(
        "--skip-raw-rebuild", action="store_true", help="no plain-Whoosh bulk index"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds, args.writes = min(args.rounds, 2), 2.0, 5
    return args


def _plan(args: argparse.Namespace) -> Plan:
    return Plan(
        rounds=args.rounds,
        clients=tuple(int(c) for c in args.clients.split(",")),
        seconds=args.seconds,
        warmup=min(2.0, args.seconds / 2),
        writes=args.writes,
        workers=args.workers,
    )


def _working_copy(folder: Path, into: Path) -> tuple[Path, Path]:
    """Copy the kept catalogue and its index, so the writes never reach the kept ones."""
    into.mkdir(parents=True)
    database = into / "catalogue.sqlite"
    source = sqlite3.connect(folder / "catalogue.sqlite")
    target = sqlite3.connect(database)
    source.backup(target)
    target.close()
    source.close()
    index = into / "index"
    shutil.copytree(
        folder / "index", index, symlinks=True, ignore=shutil.ignore_patterns("*.lock", "tmp-*")
    )
    return database, index


def _measure_database(
    key: str,
    env: dict[str, str],
    plan: Plan,
    scratch: Path,
    *,
    slug: str,
    writes: list[list[str]],
) -> dict[str, Any]:
    token = create_token(env)
    with gunicorn(env, plan.workers, scratch / f"gunicorn-{key}.log") as server:
        print(f"   serving on {server.host}:{server.port} ({plan.workers} workers)")
        return measure_catalogue(server, plan, slug=slug, token=token, writes=writes)


def main() -> None:
    """Run the benchmark and print the figures."""
    args = _arguments()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows when piped to tee or a file
    plan = _plan(args)
    started = time.perf_counter()
    folder = args.data_dir / ("example" if args.example else f"size-{args.size}-seed-{args.seed}")
    figures: dict[str, Any] = {
        "size": args.size,
        "workers": args.workers,
        "rounds": args.rounds,
        "plan": plan.__dict__,
        "databases": {},
    }
    if args.example:
        print("== the example catalogue (catalogue_data/)")
        figures.update(dataset.prepare_example(folder))
        figures["size"] = figures["solutions"]
        figures["example"] = True
    else:
        print(f"== catalogue of {args.size} solutions")
        figures.update(dataset.prepare(folder, args.size, args.seed))

    print("== full rebuild (fresh process, database → index)")
    sqlite_figures: dict[str, Any] = dataset.rebuild(folder)
    figures.update(sqlite_figures)
    print(f"   {figures['rebuild_s']:.1f} s ({figures['rebuild_wall_s']:.1f} s with start-up)")

    with tempfile.TemporaryDirectory(prefix="gk-bench-") as tmp:
        scratch = Path(tmp)
        print("== floors: the same texts in plain Whoosh and in SQLite FTS5")
        documents = raw_documents(folder)
        if not args.skip_raw_rebuild:
            from bench.raw import bulk_index

            figures["raw_rebuild_s"] = bulk_index(scratch / "plain", documents)
            shutil.rmtree(scratch / "plain")
            print(f"   raw Whoosh bulk index: {figures['raw_rebuild_s']:.1f} s")
        fts5_file = scratch / "fts5.sqlite"
        figures.update(fts5_build(fts5_file, documents))
        print(f"   FTS5 build: {figures['fts5_build_s']:.2f} s")
        del documents

        print("== framework floor: minimal Flask app under the same gunicorn")
        with gunicorn(
            dataset.env_for(folder),
            args.workers,
            scratch / "gunicorn-floor.log",
            "bench.floor_app:app",
        ) as server:
            figures["floor"] = measure_floor(server, plan)

        database, index = _working_copy(folder, scratch / "sqlite")
        slug = pick_slug(database)
        writes = write_items(database, plan.writes)
        figures["detail_slug"] = slug
        print(f"== catalogue on SQLite (working copy in {database.parent})")
        env = dataset.env_for(folder, database_url=f"sqlite:///{database}", index_dir=index)
        measured = _measure_database("sqlite", env, plan, scratch, slug=slug, writes=writes)
        figures["databases"]["sqlite"] = {**sqlite_figures, **measured}

        if args.database_url:
            from bench.postgres import copy_catalogue

            print("== catalogue on PostgreSQL (a fresh copy of the catalogue)")
            env = dataset.env_for(
                folder, database_url=args.database_url, index_dir=scratch / "pg-index"
            )
            copied = copy_catalogue(folder / "catalogue.sqlite", args.database_url, env)
            rebuilt = dataset.rebuild(folder, env)
            print(f"   rebuild from PostgreSQL: {rebuilt['rebuild_s']:.1f} s")
            writes = write_items(database, plan.writes)  # new words: the copy is fresh
            measured = _measure_database("postgresql", env, plan, scratch, slug=slug, writes=writes)
            figures["databases"]["postgresql"] = {**copied, **rebuilt, **measured}

        print("== library and SQL floors in-process: plain Whoosh and FTS5, same searches")
        figures.update(raw_whoosh_figures(folder, args.rounds))
        figures.update(fts5_figures(fts5_file, args.rounds))

    # The issue-3 figures where earlier runs had them (the SQLite catalogue).
    figures["search"] = figures["databases"]["sqlite"]["search"]
    figures["suggest"] = figures["databases"]["sqlite"]["suggest"]
    figures["total_s"] = round(time.perf_counter() - started, 1)
    report(figures)
    print(f"\n(whole run {figures['total_s']:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
