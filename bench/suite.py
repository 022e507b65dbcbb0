"""The HTTP measurements of one served app, each sent from the load process (``bench/load.py``).

``measure_catalogue`` times searches, type-ahead, the API's list and detail endpoints, pages,
throughput at several concurrencies, writes with their index update, and reads the workers'
peak memory at the end. ``measure_floor`` does the same for the minimal Flask app.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.http_load import percentiles, search_path, suggest_path
from bench.load import in_load_process
from bench.memory import gunicorn_peaks
from bench.pages import endpoint_requests, page_requests
from bench.queries import FACET_SEARCHES, SEARCHES, SUGGESTS
from bench.server import Server

FLOOR_PATH = "/ping"


@dataclass(frozen=True)
class Plan:
    """How much load each part gets."""

    rounds: int
    """Times each search, endpoint and page is sent."""
    clients: tuple[int, ...]
    """Concurrencies of the throughput runs."""
    seconds: float
    """Length of each throughput run."""
    warmup: float
    """Warm-up before each throughput run (not counted)."""
    writes: int
    """Writes timed (each followed by searches until it is found)."""
    workers: int


def search_requests() -> list[list[str]]:
    """Return ``[group, path]`` of every search, the facet-heavy ones included."""
    groups = {**SEARCHES, **FACET_SEARCHES}
    return [[group, search_path(p)] for group, params in groups.items() for p in params]


def throughput_paths() -> list[str]:
    """Return the mix of searches the throughput runs cycle through."""
    return [search_path(p) for params in SEARCHES.values() for p in params]


def _latency(server: Server, requests: list[list[str]], rounds: int) -> dict[str, list[float]]:
    task = {"task": "latency", "host": server.host, "port": server.port}
    return in_load_process({**task, "requests": requests, "rounds": rounds})


def _throughput(server: Server, paths: list[str], plan: Plan) -> dict[str, dict[str, Any]]:
    figures = {}
    for clients in plan.clients:
        result = in_load_process(
            {
                "task": "throughput",
                "host": server.host,
                "port": server.port,
                "paths": paths,
                "clients": clients,
                "seconds": plan.seconds,
                "warmup": plan.warmup,
            }
        )
        latencies = result.pop("latencies")
        figures[str(clients)] = {**result, **percentiles(latencies)}
    return figures


def _step(log: Callable[[str], None], title: str) -> Callable[[], None]:
    log(f"   {title} …")
    started = time.perf_counter()
    return lambda: log(f"   {title}: {time.perf_counter() - started:.0f} s")


def measure_catalogue(
    server: Server,
    plan: Plan,
    *,
    slug: str,
    token: str,
    writes: list[list[str]],
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Time everything the issue asks of the catalogue served by ``server``."""
    searches = search_requests()
    suggests = [["suggest", suggest_path(p)] for p in SUGGESTS]
    endpoints = endpoint_requests(slug)
    pages = page_requests(slug)
    done = _step(log, "warm-up")
    _latency(server, searches + suggests + endpoints + pages, 2 * plan.workers)
    done()
    figures: dict[str, Any] = {}

    done = _step(log, f"searches ({len(searches)} × {plan.rounds})")
    by_group = _latency(server, searches, plan.rounds)
    figures["search"] = {group: percentiles(v) for group, v in by_group.items()}
    figures["search"]["all"] = percentiles([x for g in SEARCHES for x in by_group[g]])
    done()
    done = _step(log, f"suggest, endpoints and pages ({plan.rounds} rounds)")
    figures["suggest"] = percentiles(_latency(server, suggests, plan.rounds)["suggest"])
    figures["endpoints"] = {
        label: percentiles(v)
        for label, v in _latency(server, endpoints + pages, plan.rounds).items()
    }
    done()
    done = _step(log, f"throughput at {', '.join(map(str, plan.clients))} clients")
    figures["throughput"] = _throughput(server, throughput_paths(), plan)
    done()
    done = _step(log, f"writes ({len(writes)}, each until searchable)")
    task = {"task": "writes", "host": server.host, "port": server.port, "token": token}
    result = in_load_process({**task, "items": writes})
    figures["write"] = percentiles(result["write_ms"])
    figures["write_searchable"] = percentiles(result["searchable_ms"])
    figures["write_searches_needed"] = max(result["searches"])
    done()
    figures["memory"] = gunicorn_peaks(server.pid)
    return figures


def measure_floor(server: Server, plan: Plan, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Time the minimal Flask app: one request at a time, then at each concurrency."""
    done = _step(log, "framework floor (minimal Flask app)")
    ping = [["ping", FLOOR_PATH]] * 20
    _latency(server, ping, plan.workers)
    figures: dict[str, Any] = {"ping": percentiles(_latency(server, ping, plan.rounds)["ping"])}
    figures["throughput"] = _throughput(server, [FLOOR_PATH], plan)
    figures["memory"] = gunicorn_peaks(server.pid)
    done()
    return figures
