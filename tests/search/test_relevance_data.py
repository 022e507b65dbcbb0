"""The relevance benchmark's judgements stay true to the example catalogue, and its measure
is the textbook nDCG (``bench/relevance.py``)."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Solution
from bench.relevance import load_judgements, ndcg


@pytest.fixture(scope="module")
def app(example_app):
    return example_app


def test_every_judged_solution_is_in_the_example_catalogue(app):
    queries = load_judgements()
    assert len(queries) >= 60
    with app.app_context():
        known = set(db.session.scalars(select(Solution.slug)))
    unknown = {
        (item["q"], slug) for item in queries for slug in item["relevant"] if slug not in known
    }
    assert not unknown
    assert all(1 <= g <= 3 for item in queries for g in item["relevant"].values())


def test_ndcg_is_one_for_the_ideal_ranking_and_discounts_lower_places():
    relevant = {"a": 3, "b": 1}
    assert ndcg(["a", "b"], relevant) == 1.0
    assert ndcg([], relevant) == 0.0
    swapped = (1 + 7 / math.log2(3)) / (7 + 1 / math.log2(3))
    assert ndcg(["b", "a"], relevant) == pytest.approx(swapped)
    assert ndcg(["x"] * 10 + ["a"], relevant) == 0.0  # below the tenth place it does not count
