"""Catalogue-wide figures are kept per catalogue position and are never stale after a write.

The figures are compared with what the database says afresh, after writes through the API,
through a second app on the same database (another worker), and inside a transaction that has
not committed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import Solution
from app.services import gain_stats, gains_dashboard, overview
from app.services.position_cache import EXTENSION, catalogue_position, per_position
from tests.conftest import auth, solution_payload


def _fresh_stats(app: Flask) -> Any:
    with app.app_context():
        return gain_stats._catalogue_stats()


def _theme_counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {count.theme.slug: count.count for count in overview.theme_counts()}


def _most_reused(app: Flask) -> list[tuple[str, int]]:
    with app.app_context():
        return [(card.slug, card.adoption_count) for card in overview.most_reused_solutions(5)]


def test_a_figure_is_computed_once_per_position(catalogue_app: Flask) -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    with catalogue_app.app_context():
        assert per_position("test-figure", compute) == 1
        assert per_position("test-figure", compute) == 1  # kept
        assert per_position("test-figure", compute, key="other") == 2  # another key
        first = gain_stats.catalogue_stats()
        assert gain_stats.catalogue_stats() is first
        assert gains_dashboard.region_gains(10) is gains_dashboard.region_gains(10)
        assert gains_dashboard.region_gains(10) is not gains_dashboard.region_gains(3)


def test_of_a_figure_per_key_only_the_last_keys_asked_for_are_kept(catalogue_app: Flask) -> None:
    """A figure per organisation keeps ``keep`` answers, the keys asked for last: however many
    organisations are asked for, a process holds a bounded number of them."""
    calls: list[str] = []

    def compute(key: str) -> str:
        calls.append(key)
        return key

    with catalogue_app.app_context():
        for key in ("a", "b", "c"):
            assert per_position("per-key", lambda k=key: compute(k), key=key, keep=2) == key
        assert per_position("per-key", lambda: compute("c"), key="c", keep=2) == "c"
        assert per_position("per-key", lambda: compute("b"), key="b", keep=2) == "b"
        assert calls == ["a", "b", "c"]  # b and c were kept
        assert per_position("per-key", lambda: compute("a"), key="a", keep=2) == "a"
        assert calls == ["a", "b", "c", "a"]  # a had gone; now c, the least recent, goes
        assert list(catalogue_app.extensions[EXTENSION]["per-key"]) == ["b", "a"]


def test_the_figures_follow_every_api_write(catalogue_app: Flask, make_token: Any) -> None:
    client = catalogue_app.test_client()
    before = client.get("/api/v1/stats").json
    themes_before = _theme_counts(catalogue_app)
    token = make_token("5007")

    created = client.post(
        "/api/v1/solutions",
        json=solution_payload(name="Digital søknad om TT-kort", themes=["helse-og-omsorg"]),
        headers=auth(token),
    )
    assert created.status_code == 201, created.json
    after = client.get("/api/v1/stats").json
    assert after["solutions"] == before["solutions"] + 1
    fresh = _fresh_stats(catalogue_app)
    assert after["solutions_by_theme"] == fresh.solutions_by_theme
    assert after["solutions_by_kind"] == fresh.solutions_by_kind
    assert _theme_counts(catalogue_app)["helse-og-omsorg"] == themes_before["helse-og-omsorg"] + 1

    # One more user moves a solution's count among the most reused.
    fifth, users = _most_reused(catalogue_app)[-1]
    using = {
        a["organisation"]["kommunenummer"]
        for a in client.get(f"/api/v1/solutions/{fifth}/adoptions").json
    }
    kommune = next(k for k in ("5001", "5006", "5014", "5020", "5025", "5028") if k not in using)
    adopted = client.post(
        f"/api/v1/solutions/{fifth}/adoptions",
        json={"organisation": kommune, "status": "in_use"},
        headers=auth(make_token(kommune)),
    )
    assert adopted.status_code == 201, adopted.json
    assert (fifth, users + 1) in _most_reused(catalogue_app)
    assert client.get("/api/v1/stats").json["adoptions"] == after["adoptions"] + 1

    slug = created.json["slug"]
    # Deleted, it leaves every figure.
    version = client.get(f"/api/v1/solutions/{slug}").json["version"]
    deleted = client.delete(f"/api/v1/solutions/{slug}", headers=auth(token, version))
    assert deleted.status_code == 204, deleted.get_data(as_text=True)
    assert client.get("/api/v1/stats").json["solutions"] == before["solutions"]
    assert slug not in dict(_most_reused(catalogue_app))
    assert _theme_counts(catalogue_app) == themes_before


@pytest.fixture
def second_worker(catalogue_app: Flask, tmp_path: Any) -> Iterator[Flask]:
    """Return another app on the same database: what a second gunicorn worker is."""
    other = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": catalogue_app.config["SQLALCHEMY_DATABASE_URI"],
            "SEARCH_INDEX_DIR": str(tmp_path / "second-index"),
            "SECRET_KEY": "test-secret",
        }
    )
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_write_in_another_worker_moves_the_position(
    catalogue_app: Flask, second_worker: Flask, make_token: Any
) -> None:
    kept = second_worker.test_client().get("/api/v1/stats").json
    created = catalogue_app.test_client().post(
        "/api/v1/solutions",
        json=solution_payload(name="Digital søknad om TT-kort"),
        headers=auth(make_token("5007")),
    )
    assert created.status_code == 201, created.json
    seen = second_worker.test_client().get("/api/v1/stats").json
    assert seen["solutions"] == kept["solutions"] + 1


def test_an_uncommitted_write_neither_reads_nor_fills_the_cache(catalogue_app: Flask) -> None:
    with catalogue_app.app_context():
        committed = gain_stats.catalogue_stats()
        position = catalogue_position()
        solution = db.session.scalars(select(Solution).order_by(Solution.id)).first()
        assert solution is not None
        db.session.delete(solution)
        db.session.flush()
        # This transaction sees one solution fewer; the figure it gets says so ...
        assert gain_stats.catalogue_stats().solutions == committed.solutions - 1
        db.session.rollback()
        # ... and what others see afterwards is what was committed, not that.
        assert catalogue_position() == position
        assert gain_stats.catalogue_stats() is committed


def test_drafts_are_not_among_the_most_reused(catalogue_app: Flask, make_token: Any) -> None:
    client = catalogue_app.test_client()
    token = make_token("5007")
    draft = client.post(
        "/api/v1/solutions",
        json=solution_payload(name="Utkast til TT-kortsøknad", is_draft=True),
        headers=auth(token),
    )
    assert draft.status_code == 201, draft.json
    with catalogue_app.app_context():
        ranked = overview._most_reused_ids(10_000)
        assert draft.json["slug"] not in {
            db.session.get(Solution, solution_id).slug for solution_id, _ in ranked
        }
        assert len(ranked) == db.session.query(Solution).count()
