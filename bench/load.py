"""The load process: ``python -m bench.load`` reads one task as JSON on stdin, prints timings.

The driver (``python -m bench``) starts gunicorn and parses the results; the requests come from
this separate process, over loopback, each timed from connect to the last byte. Progress goes
to stderr, the result (JSON) to stdout. Tasks:

- ``latency``: send ``requests`` (``[label, path]``) one at a time, ``rounds`` times; return
  the milliseconds by label.
- ``throughput``: ``clients`` threads send ``paths`` in a loop for ``seconds`` (after a short
  warm-up); return requests/s and the latencies. Threads, not processes: a client spends a
  fraction of a millisecond of CPU per request, far less than the server it waits for.
- ``writes``: for each ``[slug, word]``: GET the solution for its ETag (not timed), PATCH its
  summary to hold ``word`` with ``If-Match``, then search for ``word`` until the solution is
  among the hits; return the write's latency and the time until it was searchable.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.parse
from typing import Any

from bench.http_load import request

SEARCHABLE_TIMEOUT_S = 30.0
"""Seconds a written word may take to become searchable before the write counts as failed."""


def _progress(text: str) -> None:
    """Show where the task is, on a terminal only (one line, rewritten)."""
    if sys.stderr.isatty():
        print(f"\r   {text:<60}", end="", file=sys.stderr, flush=True)


def _done() -> None:
    if sys.stderr.isatty():
        print("\r" + " " * 64 + "\r", end="", file=sys.stderr, flush=True)


def _checked_get(host: str, port: int, path: str) -> float:
    """GET ``path``; return its milliseconds (any status but 200 is an error)."""
    started = time.perf_counter()
    status, _, _ = request(host, port, path)
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}")
    return elapsed


def latency(host: str, port: int, requests: list[list[str]], rounds: int) -> dict[str, list[float]]:
    """Send each ``[label, path]`` in turn, ``rounds`` times; return the ms by label."""
    by_label: dict[str, list[float]] = {}
    for round_ in range(rounds):
        _progress(f"round {round_ + 1}/{rounds} ({len(requests)} requests)")
        for label, path in requests:
            by_label.setdefault(label, []).append(_checked_get(host, port, path))
    _done()
    return by_label


def _client(
    host: str, port: int, paths: list[str], offset: int, start: threading.Barrier, state: dict
) -> None:
    """Send requests until the deadline; collect latencies and errors in ``state``."""
    latencies: list[float] = []
    errors = 0
    start.wait()
    deadline = state["deadline"]
    i = offset
    while time.perf_counter() < deadline:
        path = paths[i % len(paths)]
        i += 1
        began = time.perf_counter()
        try:
            status, _, _ = request(host, port, path)
        except OSError:
            status = 0
        latencies.append((time.perf_counter() - began) * 1000)
        errors += status != 200
    with state["lock"]:
        state["latencies"].extend(latencies)
        state["errors"] += errors
        state["finished"] = max(state["finished"], time.perf_counter())


def _run_clients(host: str, port: int, paths: list[str], clients: int, seconds: float) -> dict:
    state: dict[str, Any] = {"latencies": [], "errors": 0, "finished": 0.0}
    state["lock"] = threading.Lock()
    start = threading.Barrier(clients + 1)
    threads = [
        threading.Thread(
            target=_client,
            args=(host, port, paths, n * len(paths) // clients, start, state),
            daemon=True,
        )
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    state["deadline"] = began + seconds
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = state["finished"] - began
    count = len(state["latencies"])
    return {
        "clients": clients,
        "requests": count,
        "errors": state["errors"],
        "seconds": round(elapsed, 3),
        "rps": round(count / elapsed, 1) if elapsed > 0 else 0.0,
        "latencies": state["latencies"],
    }


def throughput(
    host: str, port: int, paths: list[str], clients: int, seconds: float, warmup: float
) -> dict[str, Any]:
    """Run ``clients`` concurrent clients for ``seconds``; return requests/s and latencies."""
    _progress(f"{clients} clients: warm-up {warmup:g} s")
    _run_clients(host, port, paths, clients, warmup)
    _progress(f"{clients} clients: {seconds:g} s")
    result = _run_clients(host, port, paths, clients, seconds)
    _done()
    return result


def _search_finds(host: str, port: int, word: str, slug: str) -> bool:
    query = urllib.parse.urlencode({"q": word, "page_size": 20})
    status, _, body = request(host, port, f"/api/v1/search?{query}")
    if status != 200:
        raise RuntimeError(f"search for {word!r} answered {status}")
    return any(hit.get("slug") == slug for hit in json.loads(body)["results"])


def writes(host: str, port: int, token: str, items: list[list[str]]) -> dict[str, list[float]]:
    """PATCH each solution's summary to hold a new word; time the write and until searchable."""
    write_ms: list[float] = []
    searchable_ms: list[float] = []
    polls: list[float] = []
    for n, (slug, word) in enumerate(items):
        _progress(f"write {n + 1}/{len(items)}")
        path = f"/api/v1/solutions/{slug}"
        status, headers, _ = request(host, port, path)
        etag = {k.lower(): v for k, v in headers.items()}.get("etag")
        if status != 200 or not etag:
            raise RuntimeError(f"GET {path} answered {status} (ETag {etag})")
        body = json.dumps({"summary": f"Endret av ytelsestesten: {word}."}).encode()
        write_headers = {
            "Authorization": f"Bearer {token}",
            "If-Match": etag,
            "Content-Type": "application/json",
        }
        started = time.perf_counter()
        status, _, answer = request(
            host, port, path, method="PATCH", headers=write_headers, body=body
        )
        written = time.perf_counter()
        if status != 200:
            raise RuntimeError(f"PATCH {path} answered {status}: {answer[:300]!r}")
        tries = 0
        while not _search_finds(host, port, word, slug):
            tries += 1
            if time.perf_counter() - written > SEARCHABLE_TIMEOUT_S:
                raise RuntimeError(f"{word!r} not searchable {SEARCHABLE_TIMEOUT_S:g} s after")
        found = time.perf_counter()
        write_ms.append((written - started) * 1000)
        searchable_ms.append((found - started) * 1000)
        polls.append(tries + 1)
    _done()
    return {"write_ms": write_ms, "searchable_ms": searchable_ms, "searches": polls}


def run(task: dict[str, Any]) -> dict[str, Any]:
    """Run one task in this process."""
    host, port = task["host"], task["port"]
    if task["task"] == "latency":
        return latency(host, port, task["requests"], task["rounds"])
    if task["task"] == "throughput":
        return throughput(
            host, port, task["paths"], task["clients"], task["seconds"], task["warmup"]
        )
    if task["task"] == "writes":
        return writes(host, port, task["token"], task["items"])
    raise ValueError(f"unknown task {task['task']!r}")


def in_load_process(task: dict[str, Any]) -> dict[str, Any]:
    """Run ``task`` in a separate load process (``python -m bench.load``); return its result."""
    from bench.dataset import PROJECT_ROOT

    result = subprocess.run(
        [sys.executable, "-m", "bench.load"],
        cwd=PROJECT_ROOT,
        input=json.dumps(task),
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


if __name__ == "__main__":
    json.dump(run(json.load(sys.stdin)), sys.stdout)
