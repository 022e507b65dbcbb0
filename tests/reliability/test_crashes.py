"""Workers die mid-write (SIGKILL), then the whole server does; nothing acknowledged is lost.

Writers create solutions and change them through gunicorn while the test SIGKILLs a worker
several times (the master starts new ones), and at the end kills the master and every worker
at once. After a restart on the same database and index: every write that got a 2xx is there
as acknowledged, and the index catches up by itself (one search, then ``flask search check``
exits 0). A request whose connection died with its worker has no known outcome; it may or may
not have been committed, and the index must agree with the database either way.

``tests/search/test_live.py`` kills a writer between commit and indexing, an indexer and a
rebuild; this module kills the web workers themselves, in the middle of the request stream.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import solution_payload
from tests.reliability.servers import Answer, Gunicorn, fresh_database, reliability_env, request
from tests.search.servers import create_token, flask, search_url

pytestmark = [pytest.mark.server, pytest.mark.slow]

WRITERS = 4
"""Client threads writing while workers are killed."""

WRITES_PER_WRITER = 15
"""Solutions each writer creates (and then changes)."""

KILLS = 3
"""Workers SIGKILLed during the stream of writes."""

PROGRESS_BETWEEN_KILLS = 4
"""Acknowledged writes the test waits for before each kill, so the kills fall mid-stream."""

DEADLINE_SECONDS = 300.0
"""Nothing in the test waits past this."""


@dataclass
class Acknowledged:
    """The last state of a solution that the server acknowledged with a 2xx."""

    slug: str
    version: int
    summary: str


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Gunicorn, str]]:
    """Serve the example catalogue with three workers; yield the server and an admin token."""
    with fresh_database(tmp_path) as url:
        env = reliability_env(url, tmp_path)
        init = flask(env, "catalogue", "init")
        assert init.returncode == 0, init.stdout + init.stderr
        token = create_token(env, "5001", role="admin")
        gunicorn = Gunicorn(env, tmp_path, workers=3)
        gunicorn.start()
        try:
            yield gunicorn, token
        finally:
            gunicorn.stop()


def test_killed_workers_and_server_lose_no_acknowledged_write(
    server: tuple[Gunicorn, str],
) -> None:
    gunicorn, token = server
    auth = {"Authorization": f"Bearer {token}"}
    base = gunicorn.url
    acknowledged: dict[str, Acknowledged] = {}
    failures: list[tuple[str, Answer]] = []
    dropped: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + DEADLINE_SECONDS

    def record(what: str, answer: Answer, expected: int) -> bool:
        with lock:
            if answer.status == expected:
                return True
            if answer.status == 0:  # the worker died under it: outcome unknown
                dropped.append(what)
            else:
                failures.append((what, answer))
            return False

    def writer(w: int) -> None:
        for n in range(WRITES_PER_WRITER):
            if time.monotonic() > deadline:
                return
            name = f"Krasjtest skriver{w} nummer{n}"
            created = request("POST", f"{base}/api/v1/solutions", solution_payload(name=name), auth)
            if not record(f"create {name}", created, 201):
                continue
            slug = created.body["slug"]
            with lock:
                acknowledged[slug] = Acknowledged(
                    slug, created.body["version"], created.body["summary"]
                )
            summary = f"Endret etter opprettelse av skriver {w}, nummer {n}."
            changed = request(
                "PATCH",
                f"{base}/api/v1/solutions/{slug}",
                {"summary": summary},
                {**auth, "If-Match": created.headers["ETag"]},
            )
            if record(f"change {slug}", changed, 200):
                with lock:
                    acknowledged[slug] = Acknowledged(slug, changed.body["version"], summary)
            else:
                with lock:  # perhaps committed, perhaps not: only the creation is known
                    acknowledged[slug].version = -1

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    killed: list[int] = []
    for _ in range(KILLS):
        target = len(acknowledged) + PROGRESS_BETWEEN_KILLS
        while len(acknowledged) < target and any(t.is_alive() for t in threads):
            assert time.monotonic() < deadline, "the writers made no progress"
            time.sleep(0.05)
        killed.append(gunicorn.kill_worker())
    for thread in threads:
        thread.join(timeout=DEADLINE_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    assert failures == []
    assert len(killed) == KILLS

    # A power cut: the master and every worker at once; then start again.
    gunicorn.kill()
    base = gunicorn.start()

    for state in acknowledged.values():
        answer = request("GET", f"{base}/api/v1/solutions/{state.slug}")
        assert answer.status == 200, (state, answer)
        if state.version != -1:  # its last write was acknowledged: it is exactly that
            assert (answer.body["version"], answer.body["summary"]) == (
                state.version,
                state.summary,
            )

    # The index catches up by itself: the first search applies what the log holds.
    found = request("GET", search_url(base, q="krasjtest", page_size=100))
    assert found.status == 200, found
    assert set(acknowledged) <= {hit["slug"] for hit in found.body["results"]}
    check = flask(gunicorn.env, "search", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert '" 500 ' not in gunicorn.logs()
    print(f"{len(acknowledged)} solutions acknowledged, {len(dropped)} requests dropped")
