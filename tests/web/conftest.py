"""Fixtures of the web tests: a real gunicorn serving the example catalogue, and headless Chromium.

The live server gets its own SQLite file and index folder (made with the CLI, as a newcomer
would: ``flask --app wsgi catalogue init``), binds port 0 on 127.0.0.1 and is stopped at the end
of the session. The browser is Debian's Chromium at ``/usr/bin/chromium``: a missing browser
skips the browser tests on a developer's machine and fails them in CI (``CI=true``).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI, PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium; Playwright drives it through ``executable_path``."""

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
"""Flags for a quiet headless Chromium that never calls home."""

SERVER_START_SECONDS = 120.0
"""How long the catalogue init plus gunicorn may take to answer /healthz (2 busy cores)."""

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
"""The axe-core rule tags of WCAG 2.1 level AA."""


def _bin(name: str) -> str:
    """Return the path of a console script in the running virtualenv."""
    return str(Path(sys.executable).parent / name)


def _wait_for_listening(log: Path, process: subprocess.Popen[bytes], deadline: float) -> str:
    """Return gunicorn's address from its log once it listens (it was told to take port 0)."""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
        match = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", log.read_text())
        if match:
            return match.group(1)
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not start:\n{log.read_text()}")


def _wait_for_health(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url}/healthz never answered 200")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the example catalogue with gunicorn on a free port; return its base URL."""
    root = tmp_path_factory.mktemp("live")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{root / 'catalogue.sqlite'}",
        "SEARCH_INDEX_DIR": str(root / "index"),
        "SECRET_KEY": "web-tests",
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
            [
                _bin("gunicorn"),
                "--config",
                "gunicorn.conf.py",
                "--bind",
                "127.0.0.1:0",
                "--workers",
                "2",
                "wsgi:app",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        url = _wait_for_listening(log, process, deadline)
        _wait_for_health(url, deadline)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def require_chromium() -> None:
    """Skip (locally) or fail (in CI) when Chromium is not installed."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install -y chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


_CHROMIUM: dict[str, Any] = {}
"""The session's one Playwright and Chromium, and how many fixture definitions hold them."""


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Return a headless Chromium (one per session).

    Other suites import this fixture (tests/accounts, tests/gains), which makes each import a
    fixture of its own; Playwright's sync API allows one instance per thread, so they all share
    the first one started, and the last to finish stops it.
    """
    require_chromium()
    if not _CHROMIUM:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        _CHROMIUM.update(playwright=playwright, instance=instance, users=0)
    _CHROMIUM["users"] += 1
    try:
        yield _CHROMIUM["instance"]
    finally:
        _CHROMIUM["users"] -= 1
        if not _CHROMIUM["users"]:
            _CHROMIUM["instance"].close()
            _CHROMIUM["playwright"].stop()
            _CHROMIUM.clear()


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    """Return a fresh browser tab (own cookies and cache) whose relative URLs hit the server."""
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 900}, locale="nb-NO"
    )
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield tab
    context.close()


@pytest.fixture
def axe_check(page: Any) -> Any:
    """Return a function that runs axe-core (WCAG 2.1 AA) on the page and lists violations."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check() -> list[str]:
        results = axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        )
        return [
            f"{v['id']} ({v['impact']}): {v['help']} – "
            + "; ".join(node["target"][0] for node in v["nodes"][:5])
            for v in results.response["violations"]
        ]

    return check


@pytest.fixture(scope="module")
def site_app(example_app: Any) -> Any:
    """Return the example catalogue app (``tests/conftest.py``) under the pages' name."""
    return example_app


@pytest.fixture(scope="module")
def site(site_app: Any) -> Any:
    """Return a test client of ``site_app``."""
    return site_app.test_client()
