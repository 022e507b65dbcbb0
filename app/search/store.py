"""Where the index lives on disk, and each process's open reader.

``SEARCH_INDEX_DIR`` holds generations of the index (``gen-…`` folders) and a symlink
``current`` to the live one. A rebuild writes a new generation beside it and swaps the symlink
atomically, so searches keep answering meanwhile. Readers reopen when the symlink moves and
open a new searcher when a writer has committed (``up_to_date()`` costs microseconds).
"""

from __future__ import annotations

import fcntl
import gc
import io
import json
import logging
import os
import shutil
import threading
import time
import traceback
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from app.search.compounds import lexicon_version
from app.search.documents import STATE_ID
from app.search.schema import SCHEMA_VERSION, build_schema

log = logging.getLogger(__name__)

CURRENT = "current"
"""Name of the symlink to the live generation."""

KEEP_GENERATIONS = 2
"""Generations kept after a swap: the live one and the one before (still open in readers)."""

BUILD_PREFIX = "build-"
"""Folders of rebuilds in progress (or killed): ``build-<id>`` beside ``build-<id>.lock``."""

LOCK_SUFFIX = ".lock"
"""A rebuild holds an flock on its lock file, so a dead rebuild's folder can be told apart."""


class SearchUnavailable(Exception):
    """The index is missing, unreadable or of another schema; rebuild it from the database."""


@dataclass
class IndexState:
    """How far an index has applied the change log: every ``seq <= watermark``."""

    watermark: int = 0
    schema_version: int = SCHEMA_VERSION
    lexicon: str = field(default_factory=lexicon_version)
    """Fingerprint of the compound-word lexicon the index was split with."""

    def to_json(self) -> str:
        """Return the stored form."""
        return json.dumps(
            {"watermark": self.watermark, "schema": self.schema_version, "lexicon": self.lexicon}
        )

    @classmethod
    def from_json(cls, raw: str | None) -> IndexState:
        """Parse the stored form (an index without a state document starts at 0)."""
        if not raw:
            return cls()
        data = json.loads(raw)
        return cls(int(data["watermark"]), int(data.get("schema", 0)), data.get("lexicon", ""))


def release_files(exc: BaseException, folder: Path) -> None:
    """Close the files of ``folder`` that a failed read of the index left open.

    Whoosh opens a file and raises on bad contents without closing it (the file sits in a
    reference cycle), so each failed request would hold a descriptor until some later garbage
    collection. Close them now; their ResourceWarning would only repeat what the caller reports.
    """
    prefix = str(folder)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        traceback.clear_frames(exc.__traceback__)
        for obj in gc.get_objects():
            # type(), not isinstance(): isinstance asks proxies (werkzeug LocalProxy) to resolve.
            if type(obj) is io.FileIO and not obj.closed and str(obj.name).startswith(prefix):
                obj.close()


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
            release_files(exc, path)
            raise SearchUnavailable(
                f"The search index in {path} is unreadable ({exc.__class__.__name__}); "
                "run `flask --app wsgi search rebuild`."
            ) from exc
        if state.schema_version != SCHEMA_VERSION or state.lexicon != lexicon_version():
            raise SearchUnavailable(
                "The search index was built by another version of the catalogue; "
                "run `flask --app wsgi search rebuild`."
            )
        return ix

    def new_generation(self) -> Build:
        """Create an empty index in a fresh folder beside the live one, locked while building."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / f"{BUILD_PREFIX}{uuid.uuid4().hex[:12]}"
        lock = _lock_file(path.with_suffix(LOCK_SUFFIX), blocking=True)
        assert lock is not None
        path.mkdir()
        return Build(path, whoosh_index.create_in(str(path), build_schema()), lock)

    def swap_in(self, build: Build) -> Path:
        """Make the built folder the live generation (atomic rename of the symlink)."""
        final = self.root / f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
        build.path.rename(final)
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
        # Builds whose builder died (killed during a rebuild): their lock is free.
        for stale in self.root.glob(f"{BUILD_PREFIX}*{LOCK_SUFFIX}"):
            lock = _lock_file(stale, blocking=False)
            if lock is None:
                continue  # another rebuild is running
            shutil.rmtree(stale.with_suffix(""), ignore_errors=True)
            stale.unlink(missing_ok=True)
            os.close(lock)


def _lock_file(path: Path, *, blocking: bool) -> int | None:
    """Open and flock ``path``; return the descriptor, or None when another process holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


@dataclass
class Build:
    """An index being built: its folder, its Whoosh index and the lock that says it is alive."""

    path: Path
    index: whoosh_index.Index
    lock: int

    def release(self) -> None:
        """Drop the lock and the lock file (the folder is live now, or is removed)."""
        if os.path.isdir(self.path):
            shutil.rmtree(self.path, ignore_errors=True)
        self.path.with_suffix(LOCK_SUFFIX).unlink(missing_ok=True)
        os.close(self.lock)


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
                # Not ``Searcher.refresh()``: whoosh-reloaded 2.7.5 reuses the open reader of a
                # segment that is still there, with the deletions it had when it was opened, so
                # a replaced document would be found twice. A new searcher reads them afresh.
                old, self._searcher = self._searcher, self._ix.searcher()
                old.close()
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
