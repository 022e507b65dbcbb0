"""Real processes for the reliability tests: a gunicorn the test can SIGKILL (a worker, or all
of it) and start again on the same database and index, and a database of the suite's kind.

The process helpers of ``tests/search/servers.py`` (the ``flask`` CLI, tokens, one request on
a new connection, waiting for gunicorn to listen) are reused as they are.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI, PG_URL, PROJECT_ROOT
from tests.search.servers import START_SECONDS, _wait_for_listening, bin_path, catalogue_env

STOP_SECONDS = 30.0
"""How long a gunicorn may take to stop after SIGTERM before it is killed."""

WORKER_PID = re.compile(r"Booting worker with pid: (\d+)")
"""The line gunicorn logs for each worker it starts."""


def libpq_url(url: str) -> str:
    """Return a PostgreSQL URL as psycopg itself takes it (without SQLAlchemy's driver name)."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextmanager
def fresh_database(root: Path) -> Iterator[str]:
    """Yield the URL of a new, empty database of the suite's kind; drop it afterwards.

    SQLite: a file under ``root``. With TEST_DATABASE_URL: a database of its own on that
    PostgreSQL server (never the suite's own), dropped with its connections afterwards.
    """
    if not PG_URL:
        yield f"sqlite:///{root / 'catalogue.sqlite'}"
        return
    import psycopg

    name = f"gk_reliab_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(libpq_url(PG_URL), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:  # TEST_DATABASE_URL names a server that is down
        if IN_CI:
            pytest.fail(f"PostgreSQL unreachable in CI: {exc}")
        pytest.skip(f"PostgreSQL unreachable: {exc}")
    with admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{libpq_url(PG_URL).rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(libpq_url(PG_URL), autocommit=True, connect_timeout=5) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def reliability_env(database_url: str, root: Path) -> dict[str, str]:
    """Return the environment of the catalogue's processes on this database.

    The write limit is lifted: the tests send hundreds of writes with one token, and the
    limits themselves are tested in ``tests/accounts``.
    """
    return {
        **catalogue_env(database_url, root / "index"),
        "SECRET_KEY": "reliability-tests",
        "RATELIMIT_WRITES": "100000 per minute",
    }


class Gunicorn:
    """The catalogue under gunicorn on a free 127.0.0.1 port; stopped by ``stop`` or ``kill``."""

    def __init__(self, env: dict[str, str], root: Path, workers: int = 4) -> None:
        self.env, self.root, self.workers = env, root, workers
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.url = ""

    @property
    def log(self) -> Path:
        """The log of the current (or last) run."""
        return self.root / f"gunicorn-{self.starts}.log"

    def logs(self) -> str:
        """Return the text of every run's log."""
        return "".join(
            (self.root / f"gunicorn-{n}.log").read_text(errors="replace")
            for n in range(1, self.starts + 1)
        )

    def start(self) -> str:
        """Start gunicorn; return its base URL once it listens."""
        assert self.process is None, "already running"
        self.starts += 1
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [
                    bin_path("gunicorn"),
                    "--config",
                    "gunicorn.conf.py",
                    "--bind",
                    "127.0.0.1:0",
                    "--workers",
                    str(self.workers),
                    "wsgi:app",
                ],
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.url = _wait_for_listening(self.log, self.process, time.monotonic() + START_SECONDS)
        return self.url

    def worker_pids(self) -> list[int]:
        """Return the pids of this run's workers that are alive now (newest last)."""
        return [
            pid for pid in map(int, WORKER_PID.findall(self.log.read_text())) if _is_running(pid)
        ]

    def kill_worker(self) -> int:
        """SIGKILL the newest live worker (the master starts another); return its pid."""
        pids = self.worker_pids()
        assert pids, f"no live worker:\n{self.log.read_text()}"
        os.kill(pids[-1], signal.SIGKILL)
        return pids[-1]

    def kill(self) -> None:
        """SIGKILL the master and every worker at once, as a power cut would."""
        assert self.process is not None
        workers = self.worker_pids()
        self.process.kill()
        for pid in workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(timeout=STOP_SECONDS)
        self._wait_gone(workers)
        self.process = None

    def stop(self) -> None:
        """Stop gracefully (SIGTERM); SIGKILL what has not stopped in time."""
        if self.process is None:
            return
        workers = self.worker_pids()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._wait_gone(workers)
        self.process = None

    def _wait_gone(self, pids: list[int]) -> None:
        deadline = time.monotonic() + STOP_SECONDS
        while any(_is_running(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        for pid in pids:  # orphans left after the deadline
            if _is_running(pid):
                os.kill(pid, signal.SIGKILL)


def _is_running(pid: int) -> bool:
    """Return whether process ``pid`` exists and is not a zombie."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return "\nState:\tZ" not in status


@dataclass
class Answer:
    """What one request got: a status and a body, or no answer at all (``status`` 0)."""

    status: int
    body: Any
    headers: dict[str, str]
    error: str = ""


def request(
    method: str,
    url: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    *,
    raw: bytes | None = None,
    timeout: float = 60,
) -> Answer:
    """Send one request on a new connection; a dropped connection is an Answer with status 0.

    Unlike ``tests.search.servers.http`` it returns the headers and never raises when the
    server goes away mid-request (which the crash tests cause on purpose).
    """
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    sent = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - local URL
    if body is not None:
        sent.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        sent.add_header(name, value)
    try:
        with urllib.request.urlopen(sent, timeout=timeout) as response:  # noqa: S310
            status, payload, got = response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        status, payload, got = error.code, error.read(), dict(error.headers)
    except (OSError, http.client.HTTPException) as error:  # reset, refused, cut short
        return Answer(0, None, {}, f"{type(error).__name__}: {error}")
    try:
        parsed = json.loads(payload) if payload else None
    except ValueError:
        parsed = payload.decode(errors="replace")
    return Answer(status, parsed, got)
