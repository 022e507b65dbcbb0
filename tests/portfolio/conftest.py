"""Fixtures of the portfolio tests: the web tests' gunicorn, Chromium and axe (one per session)."""

from __future__ import annotations

from tests.web.conftest import axe_check, browser, live_server, page  # noqa: F401
