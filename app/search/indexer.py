"""Keep the index in step with the database by applying the change log.

When to index: after every commit (``app/services/transaction.py`` calls ``catch_up``), and
before a search when the log has entries this index has not applied (another worker or
another instance wrote them, or a process died between its commit and its indexing). Never
inside a request's transaction: the log row and the change commit together, and the index
follows from the log, so a crash between the commit and the indexing loses nothing — the next
catch-up applies it.

How: take the Whoosh write lock (waiting up to a timeout; never ``AsyncWriter``, which loses
writes when a worker exits), read the state stored in the index, read the log entries after
its watermark, load those solutions' current rows, update or delete their documents and store
the new watermark — all in one Whoosh commit, so a kill at any point leaves the old state and
the next run redoes the work (documents are replaced from current rows, so redoing is safe).

Why a plain watermark is enough: the change log hands out ``seq`` in commit order. SQLite
serialises writers; on PostgreSQL a transaction that writes the log first takes a transaction
advisory lock (``app/models/changelog.py``), so a lower seq can never commit after a higher one
is visible. A seq missing below a visible one belongs to a rolled-back transaction and never
appears.

Batching: up to ``BATCH`` log entries per commit. A rebuild writes a fresh generation beside
the live one and swaps it in (``app/search/store.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from sqlalchemy import func, select
from whoosh.index import Index, LockError
from whoosh.writing import IndexWriter

from app.extensions import db
from app.models import Change, Solution
from app.search.documents import STATE_ID, document_load_options, solution_to_document
from app.search.store import IndexState, IndexStore, SearchUnavailable, read_state

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int], None]
"""Called with (done, total) while a rebuild runs."""

BATCH = 500
"""Change-log entries applied per Whoosh commit (and solutions loaded per query in a rebuild)."""

REBUILD_MEMORY_MB = 512
"""Memory the rebuild's writer may use for sorting postings before it spills to disk."""


def _load(ids: Iterable[int]) -> dict[int, Solution]:
    rows = db.session.scalars(
        select(Solution).where(Solution.id.in_(list(ids))).options(*document_load_options())
    )
    return {row.id: row for row in rows}


def _write_state(writer: IndexWriter, state: IndexState) -> None:
    writer.update_document(id=STATE_ID, doctype="state", state=state.to_json())


def _apply_batch(writer: IndexWriter, state: IndexState) -> int:
    """Apply the next batch of log entries through ``writer``; return how many."""
    rows = list(
        db.session.execute(
            select(Change.seq, Change.entity_id)
            .where(Change.seq > state.watermark)
            .order_by(Change.seq)
            .limit(BATCH)
        )
    )
    if not rows:
        return 0
    ids = {entity_id for _, entity_id in rows}
    current = _load(ids)
    for solution_id in sorted(ids):
        if solution_id in current:
            writer.update_document(**solution_to_document(current[solution_id]))
        else:
            writer.delete_by_term("id", str(solution_id))
    state.watermark = rows[-1][0]
    _write_state(writer, state)
    return len(rows)


def catch_up(store: IndexStore, *, timeout: float) -> int:
    """Apply every pending change-log entry to the live index; return how many were applied."""
    ix = store.open_live()
    total = 0
    try:
        while True:
            writer = ix.writer(timeout=timeout, delay=0.02)
            try:
                with writer.searcher() as searcher:
                    state = read_state(searcher)
                applied = _apply_batch(writer, state)
                if applied:
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
    highest = db.session.scalar(select(func.max(Change.seq)))
    return (highest or 0) > state.watermark


def solution_count() -> int:
    """Return how many solutions the database holds."""
    return db.session.scalar(select(func.count()).select_from(Solution)) or 0


def rebuild(store: IndexStore, *, progress: ProgressFn, procs: int = 1) -> int:
    """Index every solution into a new generation and swap it in; return the count.

    The watermark is read first: every change up to it is committed, so the rows read after it
    reflect it; changes after it are applied again by the next catch-up (harmless).
    """
    watermark = db.session.scalar(select(func.max(Change.seq))) or 0
    total = solution_count()
    build = store.new_generation()
    try:
        done = _write_all(build.index, total, progress, procs)
        writer = build.index.writer()
        _write_state(writer, IndexState(watermark=watermark))
        writer.commit()
        build.index.close()
        db.session.rollback()
        store.swap_in(build)
    finally:
        build.release()
        db.session.rollback()
    return done


def _write_all(ix: Index, total: int, progress: ProgressFn, procs: int) -> int:
    if procs > 1:
        writer = ix.writer(limitmb=REBUILD_MEMORY_MB, procs=procs, multisegment=True)
    else:
        writer = ix.writer(limitmb=REBUILD_MEMORY_MB)
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


COMPARED_FIELDS = (
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
"""Stored fields ``check`` compares between the database and the index."""

COMPARED_COLUMNS = ("family", "confirmed")
"""Columns ``check`` compares too (read by document number: columns are not stored fields)."""


def check(store: IndexStore) -> list[str]:
    """Compare the database with the live index; return the differences (empty: in step)."""
    ix = store.open_live()
    problems: list[str] = []
    try:
        with ix.searcher() as searcher:
            state = read_state(searcher)
            if is_behind(state):
                problems.append("the change log has entries the index has not applied")
            reader = searcher.reader()
            columns = {name: reader.column_reader(name) for name in COMPARED_COLUMNS}
            indexed = {}
            for docnum in searcher.document_numbers(doctype="solution"):
                fields = dict(searcher.stored_fields(docnum))
                fields.update({name: column[docnum] for name, column in columns.items()})
                indexed[fields["id"]] = fields
            ids = list(db.session.scalars(select(Solution.id).order_by(Solution.id)))
            for start in range(0, len(ids), BATCH):
                for solution in _load(ids[start : start + BATCH]).values():
                    expected = solution_to_document(solution)
                    stored = indexed.pop(expected["id"], None)
                    if stored is None:
                        problems.append(f"missing from index: {solution.slug}")
                        continue
                    differing = [
                        k
                        for k in (*COMPARED_FIELDS, *COMPARED_COLUMNS)
                        if stored.get(k) != expected[k]
                    ]
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
