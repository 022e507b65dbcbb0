"""Where the index lives on disk, and each process's open reader.

``SEARCH_INDEX_DIR`` holds generations of the index (``gen-…`` folders) and a symlink
``current`` to the live one. A rebuild writes a new generation beside it and swaps the symlink
atomically, so searches keep answering meanwhile. Readers reopen when the symlink moves and
refresh when a writer has committed (``up_to_date()`` costs microseconds).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from app.search.documents import STATE_ID
from app.search.schema import SCHEMA_VERSION, build_schema

log = logging.getLogger(__name__)

CURRENT = "current"
"""Name of the symlink to the live generation."""

KEEP_GENERATIONS = 2
"""Generations kept after a swap: the live one and the one before (still open in readers)."""


class SearchUnavailable(Exception):
    """The index is missing, unreadable or of another schema; rebuild it from the database."""


@dataclass
class IndexState:
    """How far an index has applied the change log.

    ``watermark``: every change with ``seq <= watermark`` is applied (or known never to
    commit); ``applied``: the seqs above it already applied (PostgreSQL may commit a lower seq
    after a higher one, so the log can have gaps that fill in later).
    """

    watermark: int = 0
    applied: set[int] = field(default_factory=set)
    schema_version: int = SCHEMA_VERSION

    def to_json(self) -> str:
        """Return the stored form."""
        return json.dumps(
            {
                "watermark": self.watermark,
                "applied": sorted(self.applied),
                "schema": self.schema_version,
            }
        )

    @classmethod
    def from_json(cls, raw: str | None) -> IndexState:
        """Parse the stored form (an index without a state document starts at 0)."""
        if not raw:
            return cls()
        data = json.loads(raw)
        return cls(data["watermark"], set(data.get("applied", [])), data.get("schema", 0))


def read_state(searcher: Searcher) -> IndexState:
    """Return the state recorded in the index that ``searcher`` reads."""
    stored = searcher.document(id=STATE_ID)
    return IndexState.from_json(stored.get("state") if stored else None)


class IndexStore:
    """The generations of one index folder."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    @property
    def current_link(self) -> Path:
        """Return the path of the ``current`` symlink."""
        return self.root / CURRENT

    def live_dir(self) -> Path | None:
        """Return the live generation's folder, or None when there is none."""
        try:
            target = os.readlink(self.current_link)
        except OSError:
            return None
        path = self.root / target
        return path if path.is_dir() else None

    def open_live(self) -> whoosh_index.Index:
        """Open the live generation for reading or writing, or raise SearchUnavailable."""
        path = self.live_dir()
        if path is None:
            raise SearchUnavailable(
                f"No search index in {self.root}; run `flask --app wsgi search rebuild`."
            )
        try:
            ix = whoosh_index.open_dir(str(path), schema=build_schema())
            with ix.searcher() as searcher:
                state = read_state(searcher)
        except Exception as exc:  # noqa: BLE001 - any failure to open means "rebuild it"
            raise SearchUnavailable(
                f"The search index in {path} is unreadable ({exc.__class__.__name__}); "
                "run `flask --app wsgi search rebuild`."
            ) from exc
        if state.schema_version != SCHEMA_VERSION:
            raise SearchUnavailable(
                "The search index was built by another version of the catalogue; "
                "run `flask --app wsgi search rebuild`."
            )
        return ix

    def new_generation(self) -> tuple[Path, whoosh_index.Index]:
        """Create an empty index in a fresh folder beside the live one."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / f"build-{uuid.uuid4().hex[:12]}"
        path.mkdir()
        return path, whoosh_index.create_in(str(path), build_schema())

    def swap_in(self, build_dir: Path) -> Path:
        """Make ``build_dir`` the live generation (atomic rename of the symlink)."""
        final = self.root / f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
        build_dir.rename(final)
        tmp_link = self.root / f".{CURRENT}-{uuid.uuid4().hex[:6]}"
        os.symlink(final.name, tmp_link)
        os.replace(tmp_link, self.current_link)
        self._prune(keep=final)
        return final

    def _prune(self, keep: Path) -> None:
        generations = sorted(
            (p for p in self.root.glob("gen-*") if p.is_dir() and p != keep),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for old in generations[KEEP_GENERATIONS - 1 :]:
            shutil.rmtree(old, ignore_errors=True)
        # Builds left by a killed rebuild: older than a day is surely dead.
        for stale in self.root.glob("build-*"):
            if time.time() - stale.stat().st_mtime > 86400:
                shutil.rmtree(stale, ignore_errors=True)


class Reader:
    """This process's open searcher on one index folder; reopened or refreshed as needed."""

    def __init__(self, store: IndexStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._dir: Path | None = None
        self._ix: whoosh_index.Index | None = None
        self._searcher: Searcher | None = None
        self._state: tuple[Any, IndexState] | None = None

    def searcher(self) -> Searcher:
        """Return an up-to-date searcher of the live generation, or raise SearchUnavailable."""
        with self._lock:
            live = self.store.live_dir()
            if self._searcher is None or live != self._dir:
                self._close()
                self._ix = self.store.open_live()
                self._dir = live
                self._searcher = self._ix.searcher()
            elif not self._searcher.up_to_date():
                self._searcher = self._searcher.refresh()
            return self._searcher

    def state(self) -> IndexState:
        """Return the change-log state of the index the searcher sees (cached per generation)."""
        searcher = self.searcher()
        key = (self._dir, searcher.reader().generation())
        if self._state is None or self._state[0] != key:
            self._state = (key, read_state(searcher))
        return self._state[1]

    def _close(self) -> None:
        if self._searcher is not None:
            try:
                self._searcher.close()
            except Exception:  # noqa: BLE001 - closing a broken index must not hide the reopen
                log.debug("closing a searcher failed", exc_info=True)
        self._searcher = None
        self._ix = None
        self._state = None

    def close(self) -> None:
        """Close the searcher (tests and shutdown)."""
        with self._lock:
            self._close()
