"""GET /api/v1/stats: every figure equals what the rows themselves add up to."""

from __future__ import annotations

from collections import Counter

import pytest

ACTIVE = {"pilot", "in_use"}


def _all(client, url):
    rows, page = [], 1
    while True:
        response = client.get(f"{url}{'&' if '?' in url else '?'}page={page}&page_size=100")
        rows += response.json
        if page * 100 >= int(__import__("json").loads(response.headers["X-Pagination"])["total"]):
            return rows
        page += 1


def test_stats_equal_independent_sums(catalogue_app):
    client = catalogue_app.test_client()
    stats = client.get("/api/v1/stats").json
    solutions = _all(client, "/api/v1/solutions")
    organisations = {o["slug"]: o for o in _all(client, "/api/v1/organisations")}
    adoptions = [
        (s, a)
        for s in solutions
        for a in client.get(f"/api/v1/solutions/{s['slug']}/adoptions").json
    ]

    assert stats["solutions"] == len(solutions)
    assert {c["value"]: c["count"] for c in stats["solutions_by_kind"]} == Counter(
        s["kind"] for s in solutions
    )
    assert {c["value"]: c["count"] for c in stats["solutions_by_status"]} == Counter(
        s["status"] for s in solutions
    )
    assert {c["value"]: c["count"] for c in stats["solutions_by_theme"]} == Counter(
        t for s in solutions for t in s["themes"]
    )
    assert stats["adoptions"] == len(adoptions)
    assert {c["value"]: c["count"] for c in stats["adoptions_by_status"]} == Counter(
        a["status"] for _, a in adoptions
    )
    taking_part = {s["owner"] for s in solutions} | {
        a["organisation"]["slug"] for _, a in adoptions if a["status"] in ACTIVE
    }
    assert stats["organisations_taking_part"] == len(taking_part)
    assert stats["kommuner_taking_part"] == sum(
        1 for slug in taking_part if organisations[slug]["kind"] == "kommune"
    )
    assert stats["kommuner"] == 38
    reused = sum(
        1 for s, a in adoptions if a["status"] in ACTIVE and a["organisation"]["slug"] != s["owner"]
    )
    assert stats["reuse_ratio"] == pytest.approx(reused / len(solutions), abs=0.001)

    benefits = []
    for s, a in adoptions:
        url = f"/api/v1/solutions/{s['slug']}/adoptions/{a['organisation']['slug']}/benefits"
        benefits += client.get(url).json
    expected: dict[tuple[str, str], list[float]] = {}
    for b in benefits:
        row = expected.setdefault((b["category"], b["unit"]), [0.0, 0.0, 0])
        row[0] += b["expected_value"] or 0
        row[1] += b["realised_value"] or 0
        row[2] += 1
    assert {
        (t["category"], t["unit"]): [
            pytest.approx(t["expected"]),
            pytest.approx(t["realised"]),
            t["benefits"],
        ]
        for t in stats["benefits"]
    } == expected


def test_stats_of_an_empty_catalogue(client):
    stats = client.get("/api/v1/stats").json
    assert stats["solutions"] == 0
    assert stats["reuse_ratio"] == 0
    assert stats["kommuner"] == 38
    assert stats["benefits"] == []


def test_adoption_status_changes_are_dated(app, client, make_token, make_solution):
    from app.models import AdoptionStatusChange

    slug = make_solution()
    token = make_token("5001")
    url = f"/api/v1/solutions/{slug}/adoptions"
    client.post(
        url,
        json={"organisation": "5001", "status": "pilot", "since": "2022-02-01"},
        headers=auth_headers(token),
    )
    client.patch(f"{url}/5001", json={"status": "in_use"}, headers=auth_headers(token, 1))
    client.patch(f"{url}/5001", json={"notes": "Fungerer godt"}, headers=auth_headers(token, 2))
    with app.app_context():
        from app.extensions import db

        rows = db.session.query(AdoptionStatusChange).order_by(AdoptionStatusChange.id).all()
        assert [(r.status, r.changed_on.isoformat()) for r in rows][0] == ("pilot", "2022-02-01")
        assert [r.status for r in rows] == ["pilot", "in_use"]


def auth_headers(token, version=None):
    from tests.conftest import auth

    return auth(token, version)
