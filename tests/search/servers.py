"""Real processes for the search tests: the ``flask`` CLI and gunicorn on a free local port.

Every gunicorn binds 127.0.0.1:0 (the kernel picks a free port, read back from its log) and is
stopped by the test that started it.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.conftest import PROJECT_ROOT

START_SECONDS = 120.0
"""How long a gunicorn may take to listen (two busy cores shared with other test runs)."""


def bin_path(name: str) -> str:
    """Return the path of a console script in the running virtualenv."""
    return str(Path(sys.executable).parent / name)


def catalogue_env(database_url: str, index_dir: Path) -> dict[str, str]:
    """Return the environment of a catalogue process on this database and index folder."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SEARCH_INDEX_DIR": str(index_dir),
        "SECRET_KEY": "search-tests",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def flask(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``flask --app wsgi ARGS`` and return the finished process (output captured)."""
    return subprocess.run(
        [bin_path("flask"), "--app", "wsgi", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def python(env: dict[str, str], code: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run a Python snippet in the project (as a process a user would run) and return it."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def create_token(env: dict[str, str], org: str, role: str = "admin") -> str:
    """Create an API token with the CLI and return it (the last line of the output)."""
    result = flask(env, "tokens", "create", "--org", org, "--role", role)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@contextmanager
def gunicorn(env: dict[str, str], log: Path, workers: int = 3) -> Iterator[str]:
    """Serve the catalogue with gunicorn on a free port; yield its base URL; stop it after."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                bin_path("gunicorn"),
                "--config",
                "gunicorn.conf.py",
                "--bind",
                "127.0.0.1:0",
                "--workers",
                str(workers),
                "wsgi:app",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield _wait_for_listening(log, process, time.monotonic() + START_SECONDS)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_listening(log: Path, process: subprocess.Popen[bytes], deadline: float) -> str:
    booted = 0
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
        text = log.read_text()
        match = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", text)
        booted = text.count("Booting worker")
        if match and booted:
            return match.group(1)
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not start ({booted} workers):\n{log.read_text()}")


def http(
    method: str,
    url: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60,
) -> tuple[int, Any]:
    """Send one request on a new connection; return (status, parsed JSON body or None)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - local URL
    request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        raw, status = error.read(), error.code
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, None


def search_url(base: str, **params: Any) -> str:
    """Return the URL of ``/api/v1/search`` with these parameters."""
    return f"{base}/api/v1/search?{urllib.parse.urlencode(params, doseq=True)}"
