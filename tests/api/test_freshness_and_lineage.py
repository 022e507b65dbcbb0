"""Is an entry still true: last confirmed date, freshness, completeness; retire reasons; lineage."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from app.extensions import db
from app.models import Solution
from app.models.quality import (
    FRESHNESS_STATES,
    RECOMMENDED,
    confirmed_on_or_before,
    freshness_of,
    months_later,
    today,
)
from tests.conftest import auth

OWNER = "5007"


def _set_confirmed(app: Flask, slug: str, day: date | None) -> None:
    with app.app_context():
        solution = db.session.query(Solution).filter_by(slug=slug).one()
        solution.last_confirmed_on = day
        db.session.commit()


@pytest.mark.parametrize(
    ("months_ago", "state"),
    [(0, "current"), (11, "current"), (12, "needs_review"), (23, "needs_review"), (24, "stale")],
)
def test_freshness_follows_the_last_confirmation(client, app, make_solution, months_ago, state):
    slug = make_solution()
    _set_confirmed(app, slug, months_later(today(), -months_ago))
    body = client.get(f"/api/v1/solutions/{slug}").json
    assert body["freshness"]["state"] == state
    assert body["freshness"]["last_confirmed_on"] == months_later(today(), -months_ago).isoformat()


def test_an_entry_never_confirmed_is_stale(client, app, make_solution):
    slug = make_solution()
    _set_confirmed(app, slug, None)
    assert client.get(f"/api/v1/solutions/{slug}").json["freshness"]["state"] == "stale"


def test_the_date_ranges_of_the_states_agree_with_the_states():
    on = date(2026, 3, 31)
    for offset in range(0, 40 * 31, 5):
        confirmed = date.fromordinal(on.toordinal() - offset)
        state = freshness_of(Solution(last_confirmed_on=confirmed), on).state
        matching = []
        for candidate in FRESHNESS_STATES:
            low, high = confirmed_on_or_before(candidate, on)
            if (low is None or confirmed >= low) and (high is None or confirmed <= high):
                matching.append(candidate)
        assert matching == [state], confirmed


def test_the_owner_confirms_with_one_request(client, app, make_solution, make_token):
    slug = make_solution()
    _set_confirmed(app, slug, months_later(today(), -30))
    version = client.get(f"/api/v1/solutions/{slug}").json["version"]

    without = client.post(
        f"/api/v1/solutions/{slug}/confirmation", json={}, headers=auth(make_token(OWNER))
    )
    assert without.status_code == 428
    other = client.post(
        f"/api/v1/solutions/{slug}/confirmation",
        json={},
        headers=auth(make_token("5001"), version),
    )
    assert other.status_code == 403
    done = client.post(
        f"/api/v1/solutions/{slug}/confirmation",
        json={},
        headers=auth(make_token(OWNER), version),
    )
    assert done.status_code == 200, done.json
    assert done.json["freshness"]["state"] == "current"
    assert done.json["freshness"]["last_confirmed_on"] == today().isoformat()
    assert done.headers["ETag"] == f'"{done.json["version"]}"'


def test_any_change_by_the_owner_confirms_the_entry(client, app, make_solution, make_token):
    slug = make_solution()
    _set_confirmed(app, slug, months_later(today(), -13))
    version = client.get(f"/api/v1/solutions/{slug}").json["version"]
    changed = client.patch(
        f"/api/v1/solutions/{slug}",
        json={"summary": "Ny og bedre kortbeskrivelse."},
        headers=auth(make_token(OWNER), version),
    )
    assert changed.json["freshness"]["state"] == "current"


def test_completeness_names_what_is_missing(client, make_solution):
    bare = client.get(f"/api/v1/solutions/{make_solution()}").json["completeness"]
    assert set(bare["missing"]) == {r.field for r in RECOMMENDED}
    assert bare["score"] == 0
    full = make_solution(
        name="Full oppføring",
        description="x" * 220,
        contact={"name": "Kari", "email": "kari@namsos.kommune.no"},
        links={"homepage": "https://example.org/"},
        standards=["fiks-io"],
        tags=["startlån"],
        adoption_cost={"one_off_nok": 1000},
        licence="MIT",
    )
    assert client.get(f"/api/v1/solutions/{full}").json["completeness"] == {
        "score": 100,
        "missing": [],
    }


def test_retiring_a_solution_needs_a_reason(client, make_solution, make_token):
    slug = make_solution()
    token = make_token(OWNER)
    refused = client.patch(
        f"/api/v1/solutions/{slug}", json={"status": "retired"}, headers=auth(token, 1)
    )
    assert refused.status_code == 422
    assert "retired_reason" in refused.json["errors"]["json"]
    assert client.get(f"/api/v1/solutions/{slug}").json["status"] == "production"
    done = client.patch(
        f"/api/v1/solutions/{slug}",
        json={"status": "retired", "retired_reason": "Erstattet av nasjonal løsning."},
        headers=auth(token, 1),
    )
    assert done.status_code == 200
    assert done.json["retired_reason"] == "Erstattet av nasjonal løsning."


def test_retiring_an_adoption_needs_a_reason_and_keeps_its_history(
    client, make_solution, make_token
):
    slug = make_solution()
    token = make_token("5001")
    url = f"/api/v1/solutions/{slug}/adoptions/5001"
    created = client.post(
        f"/api/v1/solutions/{slug}/adoptions",
        json={"organisation": "5001", "status": "in_use"},
        headers=auth(token),
    )
    assert created.status_code == 201, created.json
    refused = client.patch(url, json={"status": "retired"}, headers=auth(token, 1))
    assert refused.status_code == 422
    assert "status_reason" in refused.json["errors"]["json"]
    done = client.patch(
        url,
        json={"status": "retired", "status_reason": "Gikk over til felles sak."},
        headers=auth(token, 1),
    )
    assert done.status_code == 200, done.json
    history = done.json["status_history"]
    assert [change["status"] for change in history] == ["in_use", "retired"]
    assert history[-1]["reason"] == "Gikk over til felles sak."


def test_a_solution_is_based_on_another_and_cycles_are_refused(client, make_solution, make_token):
    original = make_solution(name="Originalen")
    variant = make_solution(name="Varianten")
    token = make_token(OWNER)
    linked = client.patch(
        f"/api/v1/solutions/{variant}",
        json={"based_on": original, "based_on_kind": "variant_of"},
        headers=auth(token, 1),
    )
    assert linked.status_code == 200, linked.json
    assert (linked.json["based_on"], linked.json["based_on_kind"]) == (original, "variant_of")
    detail = client.get(f"/api/v1/solutions/{original}").json
    assert [d["slug"] for d in detail["derived"]] == [variant]

    cycle = client.patch(
        f"/api/v1/solutions/{original}", json={"based_on": variant}, headers=auth(token, 1)
    )
    assert cycle.status_code == 422
    assert "based_on" in cycle.json["errors"]["json"]
    unknown = client.patch(
        f"/api/v1/solutions/{original}", json={"based_on": "finnes-ikke"}, headers=auth(token, 1)
    )
    assert unknown.status_code == 422
    unlinked = client.patch(
        f"/api/v1/solutions/{variant}", json={"based_on": None}, headers=auth(token, 2)
    )
    assert unlinked.status_code == 200
    assert unlinked.json["based_on"] is None
