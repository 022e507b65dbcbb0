"""Keep the index in step with the database by applying the change log.

When to index: after every commit (``app/services/transaction.py`` calls ``catch_up``), and
before a search when the log has entries this index has not applied (another worker or
another instance wrote them). Never inside a request's transaction: the log row and the
change commit together, and the index follows from the log, so a crash between the commit
and the indexing loses nothing — the next catch-up applies it.

How: take the Whoosh write lock (waiting up to ``SEARCH_WRITE_TIMEOUT``; never ``AsyncWriter``,
which loses writes when a worker exits), read the state stored in the index, read the log
entries it has not applied, load those solutions' current rows, update or delete their
documents and store the new state — all in one Whoosh commit, so a kill at any point leaves
the old state and the next run redoes the work (documents are replaced, so redoing is safe).

Batching: up to ``BATCH`` log entries per commit. A rebuild writes a fresh generation with
one writer and swaps it in (``app/search/store.py``).

PostgreSQL hands out sequence numbers at insert, not at commit, so a lower seq can become
visible after a higher one. The state keeps the seqs applied above the watermark; the
watermark passes a gap only once the entry after it is older than ``SEARCH_GAP_SETTLE_SECONDS``
(a transaction open that long is taken as rolled back; `search check` finds the rest).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta

from sqlalchemy import func, select
from whoosh.index import Index, LockError
from whoosh.writing import IndexWriter

from app.extensions import db
from app.models import Change, Solution
from app.models.base import as_utc, utcnow
from app.search.documents import STATE_ID, document_load_options, solution_to_document
from app.search.store import IndexState, IndexStore, SearchUnavailable, read_state

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int], None]
"""Called with (done, total) while a rebuild runs."""

BATCH = 500
"""Change-log entries applied per Whoosh commit."""


def _load(ids: Iterable[int]) -> dict[int, Solution]:
    rows = db.session.scalars(
        select(Solution).where(Solution.id.in_(list(ids))).options(*document_load_options())
    )
    return {row.id: row for row in rows}


def _write_state(writer: IndexWriter, state: IndexState) -> None:
    writer.update_document(id=STATE_ID, doctype="state", state=state.to_json())


def _advance(state: IndexState, rows: list[Change], settle: timedelta) -> None:
    """Move the watermark over applied seqs and over gaps that have settled."""
    horizon = utcnow() - settle
    for row in rows:
        if row.seq <= state.watermark:
            continue
        if row.seq != state.watermark + 1 and as_utc(row.created_at) > horizon:
            break  # a gap that may still fill: wait for it
        if row.seq not in state.applied:
            break
        state.applied.discard(row.seq)
        state.watermark = row.seq


def _apply_batch(writer: IndexWriter, state: IndexState, settle: timedelta) -> int:
    """Apply one batch of pending log entries through ``writer``; return how many."""
    rows = list(
        db.session.scalars(
            select(Change).where(Change.seq > state.watermark).order_by(Change.seq).limit(BATCH)
        )
    )
    pending = [row for row in rows if row.seq not in state.applied]
    if pending:
        ids = {row.entity_id for row in pending}
        current = _load(ids)
        for solution_id in sorted(ids):
            if solution_id in current:
                writer.update_document(**solution_to_document(current[solution_id]))
            else:
                writer.delete_by_term("id", str(solution_id))
        state.applied.update(row.seq for row in pending)
    _advance(state, rows, settle)
    return len(pending)


def catch_up(store: IndexStore, *, timeout: float, settle: timedelta) -> int:
    """Apply every pending change-log entry to the live index; return how many were applied."""
    ix = store.open_live()
    total = 0
    try:
        while True:
            writer = ix.writer(timeout=timeout, delay=0.02)
            try:
                with writer.searcher() as searcher:
                    state = read_state(searcher)
                before = (state.watermark, frozenset(state.applied))
                applied = _apply_batch(writer, state, settle)
                if applied or before != (state.watermark, frozenset(state.applied)):
                    _write_state(writer, state)
                    writer.commit()
                else:
                    writer.cancel()
            except BaseException:
                writer.cancel()
                raise
            finally:
                db.session.rollback()  # end the read transaction; nothing was written
            total += applied
            if applied < BATCH:
                return total
    except LockError as exc:
        raise SearchUnavailable("The search index is busy; try again.") from exc
    finally:
        ix.close()


def is_behind(state: IndexState) -> bool:
    """Return whether the log holds entries that an index with ``state`` has not applied."""
    count, highest = db.session.execute(
        select(func.count(), func.max(Change.seq)).where(Change.seq > state.watermark)
    ).one()
    if count == 0:
        return False
    return count != len(state.applied) or (highest or 0) > max(state.applied, default=0)


def rebuild(
    store: IndexStore,
    *,
    settle: timedelta,
    progress: ProgressFn,
) -> int:
    """Index every solution into a new generation, swap it in, then catch up; return the count."""
    # Every entry older than the settle window is reflected in the rows read below; newer
    # ones stay pending and are re-applied by the catch-up after the swap (harmless).
    horizon = utcnow() - settle
    watermark = (
        db.session.scalar(select(func.max(Change.seq)).where(Change.created_at < horizon)) or 0
    )
    total = db.session.scalar(select(func.count()).select_from(Solution)) or 0
    build_dir, ix = store.new_generation()
    try:
        done = _write_all(ix, total, progress)
        writer = ix.writer()
        _write_state(writer, IndexState(watermark=watermark))
        writer.commit()
    finally:
        ix.close()
        db.session.rollback()
    store.swap_in(build_dir)
    return done


def _write_all(ix: Index, total: int, progress: ProgressFn) -> int:
    writer = ix.writer(limitmb=256)
    done = 0
    try:
        ids = list(db.session.scalars(select(Solution.id).order_by(Solution.id)))
        for start in range(0, len(ids), BATCH):
            chunk = _load(ids[start : start + BATCH])
            for solution in chunk.values():
                writer.add_document(**solution_to_document(solution))
            done += len(chunk)
            db.session.expunge_all()
            progress(done, total)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return done


def check(store: IndexStore) -> list[str]:
    """Compare the database with the live index; return the differences (empty: in step)."""
    ix = store.open_live()
    problems: list[str] = []
    try:
        with ix.searcher() as searcher:
            state = read_state(searcher)
            if is_behind(state):
                problems.append("the change log has entries the index has not applied")
            indexed = {fields["id"]: fields for fields in searcher.documents(doctype="solution")}
            ids = list(db.session.scalars(select(Solution.id).order_by(Solution.id)))
            compared = (
                "slug",
                "name",
                "summary",
                "kind",
                "status",
                "owner",
                "themes",
                "standards",
                "adopted_by",
                "adoption_count",
                "tags",
                "updated",
            )
            for start in range(0, len(ids), BATCH):
                for solution in _load(ids[start : start + BATCH]).values():
                    expected = solution_to_document(solution)
                    stored = indexed.pop(expected["id"], None)
                    if stored is None:
                        problems.append(f"missing from index: {solution.slug}")
                        continue
                    differing = [k for k in compared if stored.get(k) != expected[k]]
                    if differing:
                        problems.append(
                            f"out of date in index: {solution.slug} ({', '.join(differing)})"
                        )
                db.session.expunge_all()
            problems.extend(
                f"in index but not in database: {f.get('slug')}" for f in indexed.values()
            )
    finally:
        ix.close()
        db.session.rollback()
    return problems
