"""Latency over loopback HTTP: one request at a time, each on a new connection.

gunicorn's sync workers close the connection after each response, as a browser behind a proxy
would see them; the time measured is from connect to the last byte of the body.
"""

from __future__ import annotations

import http.client
import statistics
import time
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any


def get(host: str, port: int, path: str) -> tuple[int, int]:
    """GET ``path``; return (status, body length)."""
    connection = http.client.HTTPConnection(host, port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        return response.status, len(body)
    finally:
        connection.close()


def search_path(params: dict[str, Any]) -> str:
    """Return the API path of a search."""
    return "/api/v1/search?" + urllib.parse.urlencode(params, doseq=True)


def suggest_path(prefix: str) -> str:
    """Return the API path of a type-ahead request."""
    return "/api/v1/search/suggest?" + urllib.parse.urlencode({"q": prefix})


def timed(call: Callable[[], Any]) -> float:
    """Return the milliseconds ``call`` took."""
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def measure_http(host: str, port: int, paths: Iterable[str]) -> list[float]:
    """Request each path in turn; return the latencies in ms (any non-200 is an error)."""
    latencies = []
    for path in paths:
        started = time.perf_counter()
        status, _ = get(host, port, path)
        latencies.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    return latencies


def percentiles(values: list[float]) -> dict[str, float]:
    """Return p50 and p95 (ms) of ``values``."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": round(statistics.median(ordered), 2), "p95": round(p95, 2), "n": len(values)}
