"""Fixtures of the reliability tests: the example catalogue served in-process for the fuzzer,
and tokens of each role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from app.services import tokens


@dataclass(frozen=True)
class Tokens:
    """Bearer secrets of a publisher (Trondheim) and an admin."""

    publisher: str
    admin: str


@pytest.fixture(scope="module")
def role_tokens(example_app: Flask) -> Tokens:
    """Return a publisher token of Trondheim (5001) and an admin token."""
    with example_app.app_context():
        _, publisher = tokens.create_token("5001", role="publisher")
        _, admin = tokens.create_token("5001", role="admin")
    return Tokens(publisher=publisher, admin=admin)
