"""The reuse matrix and the kommune strip of a solution."""

from __future__ import annotations

import pytest
from flask import Flask

from app.services.errors import NotFound
from app.services.matrix import MatrixFilters, adoption_matrix, kommune_strip
from app.services.solutions import get_solution


def test_matrix_has_a_cell_per_kommune_and_solution(catalogue_app: Flask) -> None:
    with catalogue_app.app_context():
        grid = adoption_matrix()
        assert len(grid.kommuner) == 38
        assert grid.total == 69
        assert len(grid.rows) == 69
        numbers = [k.kommunenummer for k in grid.kommuner]
        assert numbers == sorted(numbers)
        for row in grid.rows:
            assert len(row.cells) == 38
            statuses = {a.organisation_id: a.status for a in row.solution.adoptions}
            for cell in row.cells:
                assert cell.status == statuses.get(cell.kommune.id)
                assert cell.is_owner == (cell.kommune.id == row.solution.owner_id)
            assert row.users == row.solution.adoption_count
        users = [row.users for row in grid.rows]
        assert users == sorted(users, reverse=True)
        assert any(row.stands_alone for row in grid.rows)


def test_matrix_by_theme_and_page(catalogue_app: Flask) -> None:
    with catalogue_app.app_context():
        grid = adoption_matrix(MatrixFilters(theme="bygg-og-eiendom"), page=2, page_size=5)
        assert grid.total == 8
        assert len(grid.rows) == 3
        assert grid.theme is not None
        assert all("bygg-og-eiendom" in r.solution.theme_slugs for r in grid.rows)
        with pytest.raises(NotFound):
            adoption_matrix(MatrixFilters(theme="finnes-ikke"))


def test_strip_is_one_row_of_the_matrix(catalogue_app: Flask) -> None:
    with catalogue_app.app_context():
        solution = get_solution("digital-byggesaksbehandling")
        strip = kommune_strip(solution)
        assert len(strip) == 38
        row = next(r for r in adoption_matrix().rows if r.solution.id == solution.id)
        assert [(c.kommune.id, c.status, c.is_owner) for c in strip] == [
            (c.kommune.id, c.status, c.is_owner) for c in row.cells
        ]
