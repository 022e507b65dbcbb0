"""Webhooks: what they cost a write (nothing, by design), and how fast the worker queues and
delivers. A quick run of its own: ``.venv/bin/python -m bench.webhooks [--writes 200]``.

Side by side in one run, on the example catalogue in a scratch SQLite file:

1. The latency of a write (a PATCH-like change of one solution through the services layer, with
   its commit, history and index catch-up), alternating between an owner with no webhooks and
   one with 10 webhooks, so both see the same machine noise.
2. How long the worker takes to queue those writes' history entries (the ``webhooks`` consumer).
3. How long it takes to deliver them to a real HTTP receiver on 127.0.0.1 that answers 204.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _app(folder: Path) -> Any:
    from flask_migrate import upgrade

    from app import create_app, search
    from app.extensions import db
    from app.services import catalogue

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'catalogue.sqlite'}",
            "SEARCH_INDEX_DIR": str(folder / "index"),
            "SECRET_KEY": "bench-webhooks",
            "WEBHOOK_ALLOW_LOOPBACK": True,
        }
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        catalogue.load_catalogue_data(ROOT / "catalogue_data")
        db.session.commit()
        search.rebuild()
    return app


def _owned_slug(ref: str) -> str:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Solution
    from app.services.references import get_organisation

    owner = get_organisation(ref)
    return str(db.session.scalar(select(Solution.slug).where(Solution.owner_id == owner.id)))


def _write(slug: str, n: int) -> float:
    from app.services import solutions
    from app.services.permissions import SYSTEM

    started = time.perf_counter()
    solution = solutions.get_solution(slug, viewer=SYSTEM)
    solutions.update_solution(
        slug,
        {"summary": f"Endret i måling nummer {n}."},
        actor=SYSTEM,
        expected_version=solution.version,
        partial=True,
    )
    return time.perf_counter() - started


def measure(writes: int) -> dict[str, Any]:
    """Return the figures of one run."""
    from app.extensions import db
    from app.services import event_log, webhooks
    from tests.webhook_receiver import Receiver

    receiver = Receiver().start()
    with tempfile.TemporaryDirectory() as scratch:
        app = _app(Path(scratch))
        with app.app_context():
            hooked, plain = "5001", "5006"
            for _ in range(10):
                webhooks.create_webhook(hooked, {"url": receiver.url, "topics": ["solutions"]})
            slugs = {hooked: _owned_slug(hooked), plain: _owned_slug(plain)}
            times: dict[str, list[float]] = {hooked: [], plain: []}
            for n in range(writes):
                for ref in (plain, hooked) if n % 2 else (hooked, plain):
                    times[ref].append(_write(slugs[ref], n))
                    db.session.remove()
            started = time.perf_counter()
            entries = event_log.drain(webhooks.CONSUMER)
            queued = time.perf_counter() - started
            started = time.perf_counter()
            delivered = 0
            while batch := webhooks.deliver_due(limit=500)["delivered"]:
                delivered += batch
            sent = time.perf_counter() - started
            db.session.remove()
            db.engine.dispose()
    receiver.stop()
    with_hooks = statistics.median(times[hooked]) * 1000
    without = statistics.median(times[plain]) * 1000
    return {
        "writes_per_owner": writes,
        "write_ms_median_without_webhooks": round(without, 2),
        "write_ms_median_with_10_webhooks": round(with_hooks, 2),
        "write_ratio_with_to_without": round(with_hooks / without, 3),
        "history_entries_queued": entries,
        "queue_seconds": round(queued, 3),
        "deliveries_sent": delivered,
        "deliveries_per_second": round(delivered / sent, 1) if sent else None,
        "received": len(receiver.received),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writes", type=int, default=200, help="writes per owner (default 200)")
    args = parser.parse_args()
    print(json.dumps(measure(args.writes), indent=2))


if __name__ == "__main__":
    main()
