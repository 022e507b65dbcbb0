"""gunicorn on a free loopback port, with the project's ``gunicorn.conf.py``."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.dataset import PROJECT_ROOT

START_TIMEOUT_S = 120.0
"""Seconds gunicorn and all its workers may take to come up."""


@dataclass(frozen=True)
class Server:
    """A running gunicorn: where it listens and its master process."""

    host: str
    port: int
    pid: int


@contextmanager
def gunicorn(
    env: dict[str, str], workers: int, log: Path, app: str = "wsgi:app"
) -> Iterator[Server]:
    """Serve ``app`` with ``workers`` sync workers on a free port; stop it afterwards.

    Both the catalogue and the framework floor are served this way, so they differ only in
    the app.
    """
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
                app,
            ],
            cwd=PROJECT_ROOT,
            env={**env, "GUNICORN_CMD_ARGS": "--access-logfile /dev/null"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
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
        yield Server("127.0.0.1", int(match.group(1)), process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
