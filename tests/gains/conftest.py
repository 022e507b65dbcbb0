"""Fixtures of the gains tests: the web tests' module-scoped example catalogue and their browser.

Re-exported from ``tests/web/conftest.py`` so both suites run against the same real parts (a
gunicorn serving the example catalogue, Debian's Chromium, axe-core).
"""

from __future__ import annotations

from tests.web.conftest import (  # noqa: F401
    axe_check,
    browser,
    live_server,
    page,
    site,
    site_app,
)
