"""Fixtures of the interoperability tests: where the shared publiccode.yml test files live,
and (for the upload page) the accounts suite's signed-in clients and the session's browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.accounts.conftest import client_for, people  # noqa: F401 - signed-in test clients
from tests.web.conftest import browser  # noqa: F401 - the session's one headless Chromium

PUBLICCODE_TESTDATA = (
    Path(__file__).resolve().parents[2].parent / "shared" / "publiccode-testdata" / "v0"
)
"""The reference validator's test files (italia/publiccode-parser-go, EUPL-1.2), read in place:
``../shared/publiccode-testdata/`` beside the checkout, never copied into the repository."""


def reference_files(folder: str) -> list[Path]:
    """Return the test files of one folder (valid, invalid, valid_with_warnings), sorted."""
    return sorted((PUBLICCODE_TESTDATA / folder).glob("*.yml"))


@pytest.fixture
def testdata() -> Path:
    """Return the folder of the publiccode.yml test files; skip when it is not there."""
    if not PUBLICCODE_TESTDATA.is_dir():
        pytest.skip(f"publiccode.yml test data not found at {PUBLICCODE_TESTDATA}")
    return PUBLICCODE_TESTDATA
