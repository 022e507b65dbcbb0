"""Take the README's screenshots from the running app with the example catalogue.

Usage: ``.venv/bin/python scripts/screenshots.py [--out docs/screenshots]``

Builds a throw-away catalogue (SQLite and index in a temporary folder, loaded the way
``flask --app wsgi catalogue init`` loads it), serves it on a free port on 127.0.0.1, and
saves what headless Chromium (``/usr/bin/chromium``) shows:

- ``sok.png``: a search with highlighted hits and facets;
- ``losning.png``: a solution page with who uses it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from pathlib import Path

from werkzeug.serving import make_server

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

CHROMIUM = "/usr/bin/chromium"
"""Debian's Chromium, driven by Playwright."""

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

SHOTS = {
    "sok.png": ("/sok?q=digital&theme=helse-og-omsorg", 1280, 1000),
    "losning.png": ("/losninger/digital-byggesaksbehandling", 1280, 1400),
}
"""File name → (path, viewport width, height) of each screenshot."""


def build_app(workdir: Path):  # type: ignore[no-untyped-def]
    """Return the app on a fresh catalogue in ``workdir`` (schema, example data, index)."""
    from app import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'catalogue.sqlite'}",
            "SEARCH_INDEX_DIR": str(workdir / "index"),
            "SECRET_KEY": "screenshots",
        }
    )
    result = app.test_cli_runner().invoke(args=["catalogue", "init"])
    if result.exit_code != 0:
        raise SystemExit(f"catalogue init failed:\n{result.output}")
    return app


def take(base_url: str, out: Path) -> list[Path]:
    """Save every screenshot of ``SHOTS`` into ``out``; return their paths."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, (path, width, height) in SHOTS.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(base_url + path)
                page.screenshot(path=str(out / name))
                page.close()
                saved.append(out / name)
        finally:
            browser.close()
    return saved


def main() -> None:
    """Build the catalogue, serve it, take the screenshots, stop the server."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gk-screens-") as tmp:
        app = build_app(Path(tmp))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            for path in take(f"http://127.0.0.1:{server.server_port}", args.out):
                print(path)
        finally:
            server.shutdown()
            thread.join()


if __name__ == "__main__":
    main()
