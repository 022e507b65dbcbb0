"""Overview queries of the front and theme pages, checked against counts from the rows."""

from __future__ import annotations

import pytest
from flask import Flask

from app.models import Solution
from app.services import overview
from app.services.errors import NotFound


def test_most_reused_is_ordered_by_active_adoptions(catalogue_app: Flask) -> None:
    with catalogue_app.app_context():
        top = overview.most_reused_solutions(5)
        counts = [s.adoption_count for s in top]
        assert counts == sorted(counts, reverse=True)
        everyone = Solution.query.all()
        assert counts[0] == max(s.adoption_count for s in everyone)


def test_newest_first(catalogue_app: Flask, make_solution) -> None:
    slug = make_solution(name="Helt ny løsning for testing")
    with catalogue_app.app_context():
        assert overview.newest_solutions(3)[0].slug == slug


def test_theme_counts_add_up(catalogue_app: Flask) -> None:
    with catalogue_app.app_context():
        counts = {c.theme.slug: c.count for c in overview.theme_counts()}
        assert len(counts) == 14
        by_rows: dict[str, int] = {}
        for solution in Solution.query.all():
            for theme in solution.themes:
                by_rows[theme.slug] = by_rows.get(theme.slug, 0) + 1
        assert {k: v for k, v in counts.items() if v} == by_rows


def test_solutions_in_theme_pages(catalogue_app: Flask) -> None:
    with catalogue_app.app_context():
        theme = overview.get_theme("bygg-og-eiendom")
        first, total = overview.solutions_in_theme(theme, page=1, page_size=5)
        second, _ = overview.solutions_in_theme(theme, page=2, page_size=5)
        assert total == 8
        assert len(first) == 5
        assert len(second) == 3
        assert not {s.id for s in first} & {s.id for s in second}
        assert all("bygg-og-eiendom" in s.theme_slugs for s in first + second)


def test_unknown_theme(catalogue_app: Flask) -> None:
    with catalogue_app.app_context(), pytest.raises(NotFound):
        overview.get_theme("finnes-ikke")
