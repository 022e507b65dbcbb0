"""A live catalogue for the browser tests of accounts and editing: gunicorn on a free port with
its own database, and the CLI that a coordinator's admin would use to make accounts."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import PROJECT_ROOT
from tests.web.conftest import (
    SERVER_START_SECONDS,
    _bin,
    _wait_for_health,
    _wait_for_listening,
)


@dataclass
class LiveCatalogue:
    """A served catalogue: its URL and the environment its CLI needs."""

    url: str
    env: dict[str, str]

    def flask(self, *args: str, stdin: str | None = None) -> str:
        """Run ``flask --app wsgi …`` against this catalogue; return its output."""
        result = subprocess.run(
            [_bin("flask"), "--app", "wsgi", *args],
            cwd=PROJECT_ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return result.stdout

    def create_user(
        self, email: str, org: str, *, role: str = "editor", password: str | None = None
    ) -> str:
        """Make an account; return its password (the one-time one when none is given)."""
        args = [
            "users",
            "create",
            "--email",
            email,
            "--org",
            org,
            "--role",
            role,
            "--name",
            email.split("@")[0].title(),
        ]
        if password is None:
            return self.flask(*args).strip().splitlines()[-1]
        self.flask(*args, "--password", stdin=password + "\n")
        return password

    def create_token(self, org: str) -> str:
        """Make a publisher token; return its secret."""
        return self.flask("tokens", "create", "--org", org).strip().splitlines()[-1]


def serve(root: Path) -> Iterator[LiveCatalogue]:
    """Init a catalogue in ``root`` with the CLI, serve it with gunicorn until the end."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{root / 'catalogue.sqlite'}",
        "SEARCH_INDEX_DIR": str(root / "index"),
        "SECRET_KEY": "account-browser-tests",
        "RATELIMIT_LOGIN": "1000 per minute",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    subprocess.run(
        [_bin("flask"), "--app", "wsgi", "catalogue", "init"],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=SERVER_START_SECONDS,
    )
    log = root / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [_bin("gunicorn"), "--config", "gunicorn.conf.py", "--bind", "127.0.0.1:0",
             "--workers", "2", "wsgi:app"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        url = _wait_for_listening(log, process, deadline)
        _wait_for_health(url, deadline)
        yield LiveCatalogue(url=url, env=env)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def csp_watch(page: Any) -> list[str]:
    """Collect the Content-Security-Policy violations the page reports (should stay empty)."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations
