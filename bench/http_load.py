"""HTTP primitives of the load process: one request on its own connection, paths, percentiles.

gunicorn's sync workers close the connection after each response, as a browser behind a proxy
would see them; the time measured is from connect to the last byte of the body.
"""

from __future__ import annotations

import http.client
import statistics
import time
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any


def request(
    host: str,
    port: int,
    path: str,
    *,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """Send one request on a new connection; return (status, headers, body)."""
    connection = http.client.HTTPConnection(host, port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def get(host: str, port: int, path: str) -> tuple[int, int]:
    """GET ``path``; return (status, body length)."""
    status, _, body = request(host, port, path)
    return status, len(body)


def search_path(params: Mapping[str, Any]) -> str:
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


def _rank(ordered: list[float], share: float) -> float:
    """Return the nearest-rank percentile ``share`` (0..1) of sorted values."""
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def percentiles(values: list[float]) -> dict[str, float]:
    """Return p50, p95 and p99 (ms) of ``values`` and how many there were."""
    if not values:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan"), "n": 0}
    ordered = sorted(values)
    return {
        "p50": round(statistics.median(ordered), 2),
        "p95": round(_rank(ordered, 0.95), 2),
        "p99": round(_rank(ordered, 0.99), 2),
        "n": len(values),
    }
