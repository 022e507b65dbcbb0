"""Fixtures of the interoperability tests: where the shared publiccode.yml test files live,
and (for the upload page) the accounts suite's signed-in clients and the session's browser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.accounts.conftest import client_for, people  # noqa: F401 - signed-in test clients
from tests.web.conftest import browser  # noqa: F401 - the session's one headless Chromium

PUBLICCODE_TESTDATA = Path(
    os.environ.get("PUBLICCODE_TESTDATA")
    or Path(__file__).resolve().parents[2].parent / "shared" / "publiccode-testdata" / "v0"
)
"""The reference validator's test files (italia/publiccode-parser-go, EUPL-1.2), read in place:
``$PUBLICCODE_TESTDATA``, else ``../shared/publiccode-testdata/v0`` beside the checkout; never
copied into the repository. A clone elsewhere without the variable skips these tests, saying
where it looked."""


def require_testdata() -> Path:
    """Return the folder of the test files; skip (naming where and how) when it is not there."""
    if not PUBLICCODE_TESTDATA.is_dir():
        pytest.skip(
            f"publiccode.yml test data not found at {PUBLICCODE_TESTDATA}: set "
            "PUBLICCODE_TESTDATA to the v0 folder of italia/publiccode-parser-go's testdata"
        )
    return PUBLICCODE_TESTDATA


def reference_files(folder: str) -> list[Path]:
    """Return the test files of one folder (valid, invalid, valid_with_warnings), sorted."""
    return sorted((PUBLICCODE_TESTDATA / folder).glob("*.yml"))


@pytest.fixture
def testdata() -> Path:
    """Return the folder of the publiccode.yml test files; skip when it is not there."""
    return require_testdata()
