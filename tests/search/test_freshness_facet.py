"""Search by how current an entry is: the freshness facet and filter, in the API and on /sok.

The states are computed here from the confirmation dates the test sets (12 and 24 months), not
by the service; the index holds only the date, so the state follows the calendar.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import Solution
from app.models.base import utcnow


def _years_ago(years: int, today: date) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _expected_state(confirmed: date | None, today: date) -> str:
    if confirmed is None or confirmed <= _years_ago(2, today):
        return "stale"
    if confirmed <= _years_ago(1, today):
        return "needs_review"
    return "current"


@pytest.fixture
def confirmed(app: Flask, make_solution: Callable[..., str]) -> dict[str, str]:
    """Make solutions confirmed at telling dates; return slug → expected state."""
    today = utcnow().date()
    dates = {
        "Nylig bekreftet": today - timedelta(days=90),
        "Bekreftet for et år og en dag siden": _years_ago(1, today) + timedelta(days=1),
        "Bekreftet for nøyaktig et år siden": _years_ago(1, today),
        "Bekreftet for 13 måneder siden": today - timedelta(days=396),
        "Bekreftet for to år siden": _years_ago(2, today),
        "Aldri bekreftet": None,
    }
    slugs = {name: make_solution(name=name) for name in dates}
    with app.app_context():
        for name, day in dates.items():
            solution = db.session.scalar(select(Solution).where(Solution.slug == slugs[name]))
            solution.last_confirmed_on = day
        db.session.commit()
    return {slugs[name]: _expected_state(day, today) for name, day in dates.items()}


def _search(client: FlaskClient, query: str) -> dict:
    response = client.get(f"/api/v1/search?{query}&page_size=100")
    assert response.status_code == 200, response.json
    return response.json


def test_the_facet_counts_and_the_filter_give_the_states_of_the_rows(
    client: FlaskClient, confirmed: dict[str, str]
) -> None:
    assert sorted(confirmed.values()) == [
        "current",
        "current",
        "needs_review",
        "needs_review",
        "stale",
        "stale",
    ]
    body = _search(client, "q=")
    counts = {f["value"]: f["count"] for f in body["facets"]["freshness"]}
    expected = {state: list(confirmed.values()).count(state) for state in counts}
    assert counts == expected
    assert list(counts) == ["current", "needs_review", "stale"]
    for state in ("current", "needs_review", "stale"):
        found = {r["slug"] for r in _search(client, f"freshness={state}")["results"]}
        assert found == {slug for slug, s in confirmed.items() if s == state}, state
    both = _search(client, "freshness=needs_review&freshness=stale")
    assert {r["slug"] for r in both["results"]} == {
        slug for slug, s in confirmed.items() if s != "current"
    }
    # The facet counts every state with the other filters applied, not its own.
    chosen = _search(client, "freshness=stale")["facets"]["freshness"]
    assert {f["value"]: f["count"] for f in chosen} == expected


def test_a_confirmation_moves_an_entry_to_current(
    app: Flask, client: FlaskClient, confirmed: dict[str, str]
) -> None:
    stale = next(slug for slug, state in confirmed.items() if state == "stale")
    with app.app_context():
        solution = db.session.scalar(select(Solution).where(Solution.slug == stale))
        solution.last_confirmed_on = utcnow().date()
        db.session.commit()
    found = {r["slug"] for r in _search(client, "freshness=current")["results"]}
    assert stale in found


def test_bad_freshness_is_a_422_naming_it(client: FlaskClient) -> None:
    response = client.get("/api/v1/search?freshness=gammel")
    assert response.status_code == 422
    assert "freshness" in response.json["errors"]["query"]


def test_the_search_page_offers_the_facet_as_links(
    client: FlaskClient, confirmed: dict[str, str]
) -> None:
    page = client.get("/sok").get_data(as_text=True)
    assert "Hvor oppdatert" in page
    assert "/sok?freshness=needs_review" in page
    filtered = client.get("/sok?freshness=needs_review")
    assert filtered.status_code == 200
    text = filtered.get_data(as_text=True)
    assert "Bekreftet for 13 måneder siden" in text
    assert "Nylig bekreftet" not in text
    bad = client.get("/sok?freshness=gammel")
    assert bad.status_code == 422  # like any other unknown filter value
    assert "Ugyldig søk" in bad.get_data(as_text=True)
