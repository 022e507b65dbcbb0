"""Print the figures: each beside its reference from the same run, with the ratio, then the
verdicts on the targets of issue 3.

References: the raw Whoosh query in-process (the library floor) and SQLite FTS5 in-process for
searches; a minimal Flask endpoint under the same gunicorn (the framework floor) for endpoints,
pages, writes and throughput; the plain-Whoosh bulk index and the FTS5 build for the rebuild.
A ratio is the catalogue's p50 over the reference's p50 (for throughput: the floor's
requests/s over the catalogue's), so 1.0 means "costs nothing beyond the floor".
"""

from __future__ import annotations

import math
from typing import Any

from bench.queries import FACET_SEARCHES, SEARCHES

TARGETS = {
    "search_p95_ms": {10_000: 20.0, 100_000: 60.0},
    "suggest_p95_ms": {100_000: 10.0},
    "rebuild_s": {100_000: 45.0},
    "ratio_p50": 1.5,
}
"""The targets of issue 3, by catalogue size."""

DATABASE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

LABEL = 34


def _triple(p: dict[str, float] | None) -> str:
    if not p or not p.get("n"):
        return f"{'–':>24}"
    return f"{p['p50']:7.1f} /{p['p95']:7.1f} /{p['p99']:7.1f}"


def _ratio(ours: float | None, ref: float | None) -> str:
    if ours is None or not ref or math.isnan(ours) or math.isnan(ref):
        return f"{'–':>7}"
    return f"{ours / ref:7.2f}"


def _p50(p: dict[str, float] | None) -> float | None:
    return p["p50"] if p and p.get("n") else None


def _searches(f: dict[str, Any], db: dict[str, Any]) -> None:
    print(
        f"{'search (ms: p50 / p95 / p99)':<{LABEL}} {'catalogue over HTTP':>24}  "
        f"{'raw Whoosh':>24} {'×Whoosh':>7}  {'SQLite FTS5':>24} {'×FTS5':>7}"
    )
    for group in [*SEARCHES, "all", *FACET_SEARCHES]:
        ours = db["search"].get(group)
        raw = f["raw_search"].get(group)
        fts = f.get("fts5_search", {}).get(group)
        print(
            f"{'search ' + group:<{LABEL}} {_triple(ours)}  {_triple(raw)} "
            f"{_ratio(_p50(ours), _p50(raw))}  {_triple(fts)} {_ratio(_p50(ours), _p50(fts))}"
        )
    ours, raw = db["suggest"], f["raw_suggest"]
    print(
        f"{'suggest':<{LABEL}} {_triple(ours)}  {_triple(raw)} "
        f"{_ratio(_p50(ours), _p50(raw))}  {_triple(None)} {_ratio(None, None)}"
    )


def _endpoints(f: dict[str, Any], db: dict[str, Any]) -> None:
    floor = f["floor"]["ping"]
    print(
        f"{'endpoint (ms: p50 / p95 / p99)':<{LABEL}} {'catalogue over HTTP':>24}  "
        f"{'floor: Flask /ping':>24} {'×floor':>7}"
    )
    rows = [
        *db["endpoints"].items(),
        ("write: PATCH incl. index update", db["write"]),
        (f"write → found (≤{db['write_searches_needed']} searches)", db["write_searchable"]),
    ]
    for label, ours in rows:
        print(
            f"{label:<{LABEL}} {_triple(ours)}  {_triple(floor)} {_ratio(_p50(ours), _p50(floor))}"
        )


def _throughput(f: dict[str, Any], db: dict[str, Any]) -> None:
    print(
        f"{'throughput, search mix':<{LABEL}} {'req/s   p50 /   p95':>24}  "
        f"{'floor req/s   p50 /   p95':>26} {'floor÷us':>8}"
    )
    for clients, ours in db["throughput"].items():
        floor = f["floor"]["throughput"].get(clients)
        errors = f"  ({ours['errors']} errors)" if ours["errors"] else ""
        label = f"{clients} client{'s' if clients != '1' else ''}"
        line = f"{label:<{LABEL}} {ours['rps']:7.1f} {ours['p50']:7.1f} /{ours['p95']:6.1f}"
        if floor:
            line += (
                f"  {floor['rps']:9.1f} {floor['p50']:7.1f} /{floor['p95']:6.1f}"
                f" {_ratio(floor['rps'], ours['rps']):>8}"
            )
        print(line + errors)


def _memory(f: dict[str, Any], db: dict[str, Any]) -> None:
    ours, floor = db["memory"], f["floor"]["memory"]
    workers = ", ".join(f"{m:.0f}" for m in ours["workers_mb"])
    print(
        f"{'peak memory per worker (MiB)':<{LABEL}} {ours['max_worker_mb']:>9.1f} ({workers})"
        f"   floor {floor['max_worker_mb']:.1f}  ×floor "
        f"{_ratio(ours['max_worker_mb'], floor['max_worker_mb']).strip()}"
        f"   (master {ours['master_mb']:.0f})"
    )


def _rebuilds(f: dict[str, Any]) -> None:
    raw, fts = f.get("raw_rebuild_s"), f.get("fts5_build_s")
    print(f"{'full index rebuild (s)':<{LABEL}} {'seconds':>9} {'×raw Whoosh':>12} {'×FTS5':>8}")
    for key, db in f["databases"].items():
        seconds = db["rebuild_s"]
        print(
            f"{'catalogue, ' + DATABASE_NAMES[key]:<{LABEL}} {seconds:>9.1f} "
            f"{_ratio(seconds, raw):>12} {_ratio(seconds, fts):>8}"
        )
    if raw is not None:
        print(f"{'raw Whoosh bulk index (library)':<{LABEL}} {raw:>9.1f}")
    if fts is not None:
        print(f"{'SQLite FTS5 build':<{LABEL}} {fts:>9.2f}")


def _target(kind: str, size: int) -> float | None:
    by_size = TARGETS[kind]
    assert isinstance(by_size, dict)
    return by_size.get(size)


def _verdict(value: float, target: float | None) -> str:
    if target is None:
        return "(no target at this size)"
    return f"target ≤ {target:g}: {'met' if value <= target else 'NOT met'}"


def _verdicts(f: dict[str, Any], key: str, db: dict[str, Any]) -> None:
    size, name = f["size"], DATABASE_NAMES[key]
    ratio = db["search"]["all"]["p50"] / f["raw_search"]["all"]["p50"]
    rows = [
        ("search p95", db["search"]["all"]["p95"], "ms", _target("search_p95_ms", size)),
        ("suggest p95", db["suggest"]["p95"], "ms", _target("suggest_p95_ms", size)),
        ("rebuild", db["rebuild_s"], "s", _target("rebuild_s", size)),
    ]
    for label, value, unit, target in rows:
        print(f"{name}: {label} {value:.1f} {unit}  {_verdict(value, target)}")
    print(f"{name}: endpoint p50 / raw p50 = {ratio:.2f}  {_verdict(ratio, TARGETS['ratio_p50'])}")


def report(f: dict[str, Any]) -> None:
    """Print every figure beside its references, then the verdicts."""
    print()
    print(
        f"== results: {f['size']} solutions, {f['workers']} gunicorn workers, "
        f"{f['rounds']} rounds; ratio = catalogue p50 / reference p50"
    )
    for key, db in f["databases"].items():
        print()
        print(f"-- {DATABASE_NAMES[key]}")
        _searches(f, db)
        print()
        _endpoints(f, db)
        print()
        _throughput(f, db)
        print()
        _memory(f, db)
    print()
    _rebuilds(f)
    print()
    print("-- issue 3 targets")
    for key, db in f["databases"].items():
        _verdicts(f, key, db)
