"""What the write figures need: a publisher token and solutions it may change.

The writes themselves are sent by the load process (``bench/load.py``, task ``writes``).
"""

from __future__ import annotations

import random
import sqlite3
import string
import subprocess
import sys
from pathlib import Path

from bench.dataset import PROJECT_ROOT

WRITER_ORG = "5001"
"""The kommunenummer whose publisher token the writes use (Trondheim)."""


def create_token(env: dict[str, str]) -> str:
    """Create a publisher token with the CLI (``flask tokens create``); return its secret."""
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "tokens", "create", "--org", WRITER_ORG],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def write_items(database: Path, count: int) -> list[list[str]]:
    """Return ``[slug, word]`` for ``count`` writes: the writer's solutions, new unique words.

    The words are random letters, so each is found only in the solution it was written to.
    """
    connection = sqlite3.connect(database)
    try:
        slugs = [
            row[0]
            for row in connection.execute(
                "SELECT s.slug FROM solutions s JOIN organisations o ON o.id = s.owner_id "
                "WHERE o.kommunenummer = ? AND NOT s.is_draft ORDER BY s.id LIMIT ?",
                (WRITER_ORG, count),
            )
        ]
    finally:
        connection.close()
    if not slugs:
        raise RuntimeError(f"no solution of {WRITER_ORG} to change in {database}")
    rng = random.SystemRandom()
    return [
        [slugs[n % len(slugs)], "".join(rng.choice(string.ascii_lowercase) for _ in range(12))]
        for n in range(count)
    ]
